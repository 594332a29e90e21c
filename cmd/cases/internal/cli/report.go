package cli

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/casesproject/cases/casefile/report"
	"github.com/spf13/cobra"
)

type reportOptions struct {
	which           string
	from, to        string
	program, worker string
	out             string
	explain         string
}

func init() { register(newReportCmd) }

func newReportCmd(f *factory) *cobra.Command {
	opts := &reportOptions{}
	cmd := &cobra.Command{
		Use:   "report [caseload|outcomes|equity|services|all]",
		Short: "Report on the caseload, outcomes, equity and services",
		Long: `Report computes the program's reports from the case documents:

  caseload  open cases by stage, level, risk and worker; cases opened and
            closed in the period; each worker's caseload against the target
  outcomes  goals met, partly met and not met; closures by reason; days from
            enrollment to first assessment, signed plan and closure; change
            per assessment domain from baseline to latest
  equity    outcome and timeliness rates by age band, gender, race and
            ethnicity, language, interpreter need and disability, beside the
            overall rate; recorded risk and level by group. Counts below
            reports.small-cell (11 unless set) are withheld, with the counts
            that would reveal them, and small groups are folded into other
  services  referrals by provider and status, the closed-loop rate, days to
            completion, and services delivered (service notes)

The period is --from to --to (both days included; default: the year up to
today). Every number is a figure with a stable id; --explain FIGURE lists
the ids of the cases behind it (ids only), --explain list lists the figures.

Formats: table (default), json, markdown, csv (one file per table, with --out
DIR) and html (one self-contained page with charts, no scripts and nothing
fetched from the network, to attach to a board report).`,
		Example: `  cases report
  cases report caseload --worker ana
  cases report equity --from 2026-01-01 --to 2026-06-30 --format html > equity.html
  cases report all --format csv --out report/
  cases report --explain caseload.open.stage.planning`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.which = "all"
			if len(args) == 1 {
				opts.which = args[0]
			}
			if opts.which != "all" && !slices.Contains(report.Names, opts.which) {
				return usagef("unknown report %q: use one of %s or all", opts.which, strings.Join(report.Names, ", "))
			}
			for _, d := range []struct{ flag, v string }{{"from", opts.from}, {"to", opts.to}} {
				if _, err := time.Parse(time.DateOnly, d.v); d.v != "" && err != nil {
					return usagef("--%s must be a date, YYYY-MM-DD", d.flag)
				}
			}
			return reportRun(f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.from, "from", "", "first day of the period, YYYY-MM-DD (default: a year before --to)")
	fl.StringVar(&opts.to, "to", "", "last day of the period, YYYY-MM-DD (default: today)")
	fl.StringVar(&opts.program, "program", "", "only cases of this program")
	fl.StringVar(&opts.worker, "worker", "", "only cases of this worker (staff id)")
	fl.StringVar(&opts.out, "out", "", "with --format csv: the folder to write one CSV file per table into")
	fl.StringVar(&opts.explain, "explain", "", "list the case ids behind a figure (list: every figure id)")
	return cmd
}

func reportRun(f *factory, opts *reportOptions) error {
	format, err := f.format("table", "json", "csv", "markdown", "html")
	if err != nil {
		return err
	}
	if format == "csv" && opts.out == "" && opts.explain == "" {
		return usagef("--format csv writes one file per table: name the folder with --out DIR")
	}
	if opts.out != "" && format != "csv" {
		return usagef("--out is for --format csv")
	}
	r, err := f.openRepo()
	if err != nil {
		return err
	}
	if opts.program != "" {
		if _, ok := r.Config.Program(opts.program); !ok {
			return usagef("no program %q in cases.yaml", opts.program)
		}
	}
	if opts.worker != "" {
		if _, ok := r.Config.StaffByID(opts.worker); !ok {
			return usagef("no staff member %q in cases.yaml", opts.worker)
		}
	}
	now := r.Now()
	to := opts.to
	if to == "" {
		to = now.Format(time.DateOnly)
	}
	from := opts.from
	if from == "" {
		t, _ := time.Parse(time.DateOnly, to)
		from = t.AddDate(-1, 0, 1).Format(time.DateOnly)
	}
	if from > to {
		return usagef("--from %s is after --to %s", from, to)
	}
	ro := report.Options{From: from, To: to, Today: now, Program: opts.program, Worker: opts.worker}
	if opts.which != "all" {
		ro.Reports = []string{opts.which}
	}
	if opts.explain != "" && opts.explain != "list" {
		ro.Explain = opts.explain
	}
	rep, err := report.Run(context.Background(), r, ro)
	if err != nil {
		if _, ok := err.(*report.UnknownFigureError); ok {
			return usagef("%s", err)
		}
		return err
	}
	if rep.Unreadable > 0 {
		fmt.Fprintf(f.io.ErrOut, "cases: %d %s could not be read and %s left out; run cases validate\n", rep.Unreadable, pluralize(rep.Unreadable, "case", "cases"), pluralize(rep.Unreadable, "is", "are"))
	}
	switch {
	case opts.explain == "list":
		return writeFigureList(f, rep, format)
	case opts.explain != "":
		return writeExplanation(f, rep.Explained, format)
	}
	switch format {
	case "json":
		return writeJSON(f.io.Out, rep)
	case "csv":
		return writeReportCSV(f, rep, opts.out)
	case "markdown":
		return writeReportMarkdown(f.io.Out, rep)
	case "html":
		return writeReportHTML(f.io.Out, rep)
	}
	return writeReportTables(f.io.Out, rep)
}

// formatValue prints a figure for people: counts whole, shares as
// percentages, ratios with two decimals; * for a withheld figure and - for
// one with nothing to compute it over.
func formatValue(c report.Cell, u report.Unit) string {
	if c.Suppressed {
		return "*"
	}
	if c.Value == nil {
		return "-"
	}
	v := *c.Value
	switch u {
	case report.UnitShare:
		return strconv.FormatFloat(v*100, 'f', 0, 64) + "%"
	case report.UnitRatio:
		return strconv.FormatFloat(v, 'f', 2, 64)
	case report.UnitCount:
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// rawValue prints a figure for machines: the number (to 4 decimals), "suppressed"
// for a withheld figure and nothing for one with nothing to compute it over.
func rawValue(c report.Cell) string {
	if c.Suppressed {
		return "suppressed"
	}
	if c.Value == nil {
		return ""
	}
	return strconv.FormatFloat(math.Round(*c.Value*1e4)/1e4, 'f', -1, 64)
}

func scopeLine(rep *report.Report) string {
	s := fmt.Sprintf("Period %s to %s", rep.From, rep.To)
	if rep.Program != "" {
		s += ", program " + rep.Program
	}
	if rep.Worker != "" {
		s += ", worker " + rep.Worker
	}
	return s + fmt.Sprintf(": %d %s served.", rep.Cases, pluralize(rep.Cases, "case", "cases"))
}

func suppressionNote(rep *report.Report) string {
	return fmt.Sprintf("* withheld: a count under %d (reports.small-cell), or a figure that would reveal one.", rep.SmallCell)
}

func hasSuppression(s *report.Section) bool {
	for _, t := range s.Tables {
		if t.Suppression {
			return true
		}
	}
	return false
}

func tableCells(t *report.Table) (header []string, rows [][]string) {
	header = []string{strings.ToUpper(t.RowHeader)}
	for _, c := range t.Columns {
		header = append(header, strings.ToUpper(c.Label))
	}
	for _, r := range t.Rows {
		row := []string{r.Label}
		for j, c := range r.Cells {
			row = append(row, formatValue(c, t.Columns[j].Unit))
		}
		rows = append(rows, row)
	}
	return header, rows
}

func writeReportTables(w io.Writer, rep *report.Report) error {
	fmt.Fprintln(w, scopeLine(rep))
	for _, s := range rep.Sections {
		fmt.Fprintf(w, "\n%s\n%s\n", strings.ToUpper(s.Title), strings.Repeat("=", len(s.Title)))
		for _, t := range s.Tables {
			fmt.Fprintf(w, "\n%s\n", t.Title)
			header, rows := tableCells(t)
			if len(rows) == 0 {
				fmt.Fprintln(w, "(none)")
				continue
			}
			if err := writeTable(w, header, rows); err != nil {
				return err
			}
		}
		if hasSuppression(s) {
			fmt.Fprintf(w, "\n%s\n", suppressionNote(rep))
		}
	}
	return nil
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func writeReportMarkdown(w io.Writer, rep *report.Report) error {
	fmt.Fprintf(w, "# Program report\n\n%s\n", scopeLine(rep))
	for _, s := range rep.Sections {
		fmt.Fprintf(w, "\n## %s\n", s.Title)
		for _, t := range s.Tables {
			fmt.Fprintf(w, "\n### %s\n\n%s\n\n", t.Title, t.Description)
			header, rows := tableCells(t)
			header[0] = t.RowHeader
			for i, c := range t.Columns {
				header[i+1] = c.Label
			}
			fmt.Fprintf(w, "| %s |\n|", strings.Join(mapStrings(header, mdEscape), " | "))
			for i := range header {
				if i == 0 {
					fmt.Fprint(w, "---|")
				} else {
					fmt.Fprint(w, "---:|")
				}
			}
			fmt.Fprintln(w)
			for _, r := range rows {
				fmt.Fprintf(w, "| %s |\n", strings.Join(mapStrings(r, mdEscape), " | "))
			}
		}
		if hasSuppression(s) {
			fmt.Fprintf(w, "\n%s\n", suppressionNote(rep))
		}
	}
	return nil
}

func mapStrings(in []string, fn func(string) string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = fn(s)
	}
	return out
}

// writeReportCSV writes one CSV file per table into dir: a row per table
// row, the row's id first, then one column per figure; a withheld figure
// reads "suppressed".
func writeReportCSV(f *factory, rep *report.Report, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	n := 0
	for _, s := range rep.Sections {
		for _, t := range s.Tables {
			path := filepath.Join(dir, t.ID+".csv")
			if err := writeCSVFile(path, t); err != nil {
				return err
			}
			n++
		}
	}
	fmt.Fprintf(f.io.ErrOut, "Wrote %d CSV %s to %s.\n", n, pluralize(n, "file", "files"), dir)
	return nil
}

func writeCSVFile(path string, t *report.Table) error {
	file, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(file)
	header := []string{t.RowHeader}
	for _, c := range t.Columns {
		header = append(header, c.ID)
	}
	_ = w.Write(header)
	for _, r := range t.Rows {
		rec := []string{r.ID}
		for _, c := range r.Cells {
			rec = append(rec, rawValue(c))
		}
		_ = w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		file.Close()
		return err
	}
	return file.Close()
}

type figureRow struct {
	ID         string   `json:"id"`
	Value      *float64 `json:"value"`
	Unit       string   `json:"unit"`
	Suppressed bool     `json:"suppressed,omitempty"`
	Table      string   `json:"table"`
}

func writeFigureList(f *factory, rep *report.Report, format string) error {
	figs := rep.Figures()
	if format == "json" {
		out := make([]figureRow, 0, len(figs))
		for _, g := range figs {
			out = append(out, figureRow{g.ID, g.Value, string(g.Unit), g.Suppressed, g.Table})
		}
		return writeJSON(f.io.Out, out)
	}
	rows := make([][]string, 0, len(figs))
	for _, g := range figs {
		rows = append(rows, []string{g.ID, formatValue(report.Cell{Value: g.Value, Suppressed: g.Suppressed}, g.Unit)})
	}
	return writeTable(f.io.Out, []string{"FIGURE", "VALUE"}, rows)
}

type explanationJSON struct {
	Figure     string   `json:"figure"`
	Value      *float64 `json:"value"`
	Unit       string   `json:"unit"`
	Suppressed bool     `json:"suppressed,omitempty"`
	Table      string   `json:"table"`
	Cases      []string `json:"cases"`
}

// writeExplanation prints the case ids behind a figure, one per line, and
// the figure itself on standard error.
func writeExplanation(f *factory, ex *report.Explanation, format string) error {
	if format == "json" {
		return writeJSON(f.io.Out, explanationJSON{ex.Figure, ex.Value, string(ex.Unit), ex.Suppressed, ex.Table, ex.Cases})
	}
	what := "counted"
	if ex.Unit != report.UnitCount {
		what = "it is computed over"
	}
	fmt.Fprintf(f.io.ErrOut, "%s = %s; %d %s %s:\n", ex.Figure, formatValue(report.Cell{Value: ex.Value, Suppressed: ex.Suppressed}, ex.Unit), len(ex.Cases), pluralize(len(ex.Cases), "case", "cases"), what)
	for _, id := range ex.Cases {
		fmt.Fprintln(f.io.Out, id)
	}
	return nil
}
