package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/spf13/cobra"
)

type listOptions struct {
	stage, worker, program, level, risk string
	open, closed                        bool
	sort                                string
}

var listSorts = []string{"id", "opened", "stage", "worker", "program", "level", "risk", "last-note"}

func init() { register(newListCmd) }

func newListCmd(f *factory) *cobra.Command {
	opts := &listOptions{}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List cases",
		Long: `List prints one line per case: id, stage, program, worker, level, risk and
the date of the latest note. No client names or details are listed.

Formats: table (default on a terminal), tsv (default when piped), json.`,
		Example: `  cases list --open --worker ana
  cases list --stage assessment --sort opened
  cases list --risk critical --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.open && opts.closed {
				return usagef("--open and --closed cannot be used together")
			}
			if !slices.Contains(listSorts, opts.sort) {
				return usagef("unknown --sort %q: use one of %s", opts.sort, strings.Join(listSorts, ", "))
			}
			for flag, v := range map[string]struct {
				val   string
				known []string
			}{"stage": {opts.stage, casefile.Stages}, "level": {opts.level, casefile.Levels}, "risk": {opts.risk, casefile.RiskLevels}} {
				if v.val != "" && !slices.Contains(v.known, v.val) {
					return usagef("unknown --%s %q: use one of %s", flag, v.val, strings.Join(v.known, ", "))
				}
			}
			return listRun(f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.stage, "stage", "", "only cases in this stage")
	fl.StringVar(&opts.worker, "worker", "", "only cases of this worker (staff id)")
	fl.StringVar(&opts.program, "program", "", "only cases of this program")
	fl.StringVar(&opts.level, "level", "", "only cases at this level of case management")
	fl.StringVar(&opts.risk, "risk", "", "only cases with this recorded risk level")
	fl.BoolVar(&opts.open, "open", false, "only open cases (not in follow-up or closed)")
	fl.BoolVar(&opts.closed, "closed", false, "only cases in follow-up or closed")
	fl.StringVar(&opts.sort, "sort", "id", "sort by "+strings.Join(listSorts, ", "))
	return cmd
}

type listRow struct {
	ID       string `json:"id"`
	Stage    string `json:"stage"`
	Program  string `json:"program"`
	Worker   string `json:"worker"`
	Opened   string `json:"opened"`
	Level    string `json:"level"`
	Risk     string `json:"risk"`
	LastNote string `json:"last_note"`
}

func listRun(f *factory, opts *listOptions) error {
	format, err := f.format("table", "tsv", "json")
	if err != nil {
		return err
	}
	r, err := f.openRepo()
	if err != nil {
		return err
	}
	rows := []listRow{}
	unreadable := 0
	err = r.Walk(context.Background(), nil, casefile.Select{Kinds: []casefile.Kind{casefile.KindCase}}, func(folder *casefile.Folder) error {
		if folder.Case == nil {
			unreadable++
			return nil
		}
		c := folder.Case.Data
		row := listRow{ID: c.ID, Stage: c.Stage, Program: c.Program, Worker: c.Worker, Opened: c.Opened, Level: c.Level}
		if c.Risk != nil {
			row.Risk = c.Risk.Level
		}
		for _, p := range folder.Files {
			if loc := casefile.Locate(p); loc.Kind == casefile.KindNote {
				row.LastNote = max(row.LastNote, loc.Name[0])
			}
		}
		if row.LastNote != "" {
			n := row.LastNote
			row.LastNote = n[0:4] + "-" + n[4:6] + "-" + n[6:8]
		}
		if keep(opts, row) {
			rows = append(rows, row)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sortRows(rows, opts.sort)
	if unreadable > 0 {
		fmt.Fprintf(f.io.ErrOut, "cases: %d %s could not be read; run cases validate\n", unreadable, pluralize(unreadable, "case", "cases"))
	}
	switch format {
	case "json":
		return writeJSON(f.io.Out, rows)
	}
	header := []string{"ID", "STAGE", "PROGRAM", "WORKER", "OPENED", "LEVEL", "RISK", "LAST NOTE"}
	var cells [][]string
	for _, r := range rows {
		cells = append(cells, []string{r.ID, r.Stage, r.Program, r.Worker, r.Opened, orDash(r.Level), orDash(r.Risk), orDash(r.LastNote)})
	}
	if format == "tsv" {
		for i := range header {
			header[i] = strings.ReplaceAll(strings.ToLower(header[i]), " ", "_")
		}
		return writeTSV(f.io.Out, header, cells)
	}
	if len(rows) == 0 {
		fmt.Fprintln(f.io.ErrOut, "no cases match")
		return nil
	}
	return writeTable(f.io.Out, header, cells)
}

func keep(o *listOptions, r listRow) bool {
	switch {
	case o.stage != "" && r.Stage != o.stage,
		o.worker != "" && r.Worker != o.worker,
		o.program != "" && r.Program != o.program,
		o.level != "" && r.Level != o.level,
		o.risk != "" && r.Risk != o.risk,
		o.open && !casefile.OpenStage(r.Stage),
		o.closed && casefile.OpenStage(r.Stage):
		return false
	}
	return true
}

func sortRows(rows []listRow, by string) {
	rank := func(list []string, v string) int { return slices.Index(list, v) }
	slices.SortStableFunc(rows, func(a, b listRow) int {
		var c int
		switch by {
		case "opened":
			c = strings.Compare(a.Opened, b.Opened)
		case "stage":
			c = rank(casefile.Stages, a.Stage) - rank(casefile.Stages, b.Stage)
		case "worker":
			c = strings.Compare(a.Worker, b.Worker)
		case "program":
			c = strings.Compare(a.Program, b.Program)
		case "level":
			c = rank(casefile.Levels, a.Level) - rank(casefile.Levels, b.Level)
		case "risk":
			c = rank(casefile.RiskLevels, b.Risk) - rank(casefile.RiskLevels, a.Risk) // highest first
		case "last-note":
			c = strings.Compare(a.LastNote, b.LastNote)
		}
		if c == 0 {
			c = strings.Compare(a.ID, b.ID)
		}
		return c
	})
}
