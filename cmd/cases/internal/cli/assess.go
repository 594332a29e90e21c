package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/assess"
	"github.com/casesproject/cases/casefile/check"
	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/cmd/cases/internal/walker"
	"github.com/spf13/cobra"
)

type assessOptions struct {
	id         string
	member     string
	instrument string
	date       string
	answers    string
	compare    bool
	noCommit   bool
}

func init() { register(newAssessCmd) }

func newAssessCmd(f *factory) *cobra.Command {
	opts := &assessOptions{}
	cmd := &cobra.Command{
		Use:   "assess ID --member M",
		Short: "Record a needs assessment of one household member",
		Long: `Assess records one assessment of one household member with a standardized
instrument (instruments/<id>.yaml; by default the one the risk model in
cases.yaml scores) in assessments/<date>-<member>.yaml, and commits it.

On a terminal it walks through the questions one at a time, showing the
domain, the question and its labelled scale or options; Enter skips an
optional question, b goes back, q quits without saving, and the answers
are shown for confirmation at the end. Otherwise the answers come from
--answers FILE (or --answers - for standard input): a YAML mapping of
question id to answer, optionally with these keys:

  strengths:   [text, ...]        strengths the member names
  priorities:  [domain, ...]      domains the member finds most pressing, most pressing first
  interpreter: ar                 language of a trained interpreter (false: none)
  client-view: text               the member's own view of needs and strengths

Answers are checked against the instrument for the member's age: an answer
off its scale, a question the instrument lacks, a missing required answer,
a member not in the household, or a date before the intake or in the future
is refused with the question or member named, and nothing is written.
The assessment records the instrument's version; older assessments keep
theirs.

--compare prints, domain by domain, each member's answers to the status
questions at the baseline (first assessment), the previous and the latest
one (table, tsv or json).`,
		Example: `  cases assess 2026-11-K7Q3M --member m1          # on a terminal: walk the questions
  cases assess 2026-11-K7Q3M --member m2 --answers m2.yaml --date 2026-11-30
  cases assess 2026-11-K7Q3M --compare
  cases assess 2026-11-K7Q3M --compare --member m1 --format json`,
		Args: exactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.id = args[0]
			if opts.compare && (opts.answers != "" || opts.date != "" || opts.noCommit) {
				return usagef("--compare only reads: it takes --member, --instrument and --format")
			}
			return assessRun(f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.member, "member", "", "household member id, e.g. m2")
	fl.StringVar(&opts.instrument, "instrument", "", "instrument id (default: risk.instrument in cases.yaml)")
	fl.StringVar(&opts.date, "date", "", "date of the assessment, YYYY-MM-DD (default: today)")
	fl.StringVar(&opts.answers, "answers", "", "read the answers from a YAML file, or - for standard input")
	fl.BoolVar(&opts.compare, "compare", false, "show each member's baseline, previous and latest answers by domain")
	fl.BoolVar(&opts.noCommit, "no-commit", false, "stage the assessment instead of committing it")
	return cmd
}

func assessRun(f *factory, opts *assessOptions) error {
	var format string
	if opts.compare {
		var err error
		if format, err = f.format("table", "tsv", "json"); err != nil {
			return err
		}
	}
	r, err := f.openRepo()
	if err != nil {
		return err
	}
	if err := r.RequireValidConfig(); err != nil {
		return err
	}
	folder, err := r.LoadCase(opts.id, casefile.Select{})
	if err != nil {
		return err
	}
	insID := opts.instrument
	if insID == "" {
		insID = r.Config.Risk.Instrument
	}
	insDoc, problems, err := r.Instrument(insID)
	if err != nil {
		return err
	}
	if err := diag.Invalid(problems); err != nil {
		return err
	}
	ins := &insDoc.Data
	if opts.compare {
		return printCompare(f, format, opts.id, ins, assess.Compare(folder, ins, opts.member))
	}

	if opts.member == "" {
		return usagef("which member? pass --member, e.g. --member m1")
	}
	today := r.Today()
	if opts.date == "" {
		opts.date = today
	} else if _, err := time.Parse(time.DateOnly, opts.date); err != nil {
		return usagef("--date must be YYYY-MM-DD")
	}
	req := assess.Request{Folder: folder, Instrument: ins, Member: opts.member, Date: opts.date, Today: today}
	if err := assess.Refusal(req); err != nil {
		return err
	}
	actor, err := r.ResolveActor(f.g.as)
	if err != nil {
		return err
	}
	req.Assessor = actor.ID
	age := assess.Age(folder, opts.member, opts.date)

	switch {
	case opts.answers != "":
		data, err := readFrom(f, opts.answers)
		if err != nil {
			return err
		}
		req.Display = opts.answers
		if req.Display == "-" {
			req.Display = "<stdin>"
		}
		if req.Input, err = assess.ParseInput(req.Display, data); err != nil {
			return err
		}
	case f.io.inTTY:
		m := folder.Intake.Data.Member(opts.member)
		req.Display = "your answers"
		req.Input, err = walker.Walk(f.io.In, f.io.ErrOut, walker.Options{Instrument: ins, Member: opts.member, Relationship: m.Relationship, Age: age, Date: opts.date})
		if errors.Is(err, walker.ErrQuit) {
			fmt.Fprintln(f.io.ErrOut, "cases: "+err.Error())
			return &silentError{code: exitOK}
		}
		if err != nil {
			return err
		}
	default:
		return usagef("no answers given: pass --answers FILE (or --answers - for standard input), or run on a terminal to be asked each question")
	}
	if err := diag.Invalid(assess.Check(ins, req.Input, age, req.Display)); err != nil {
		return err
	}
	doc, err := assess.Build(r, req)
	if err != nil {
		return err
	}
	data, err := casefile.EncodeDoc(doc, casefile.KindAssessment)
	if err != nil {
		return err
	}
	// What validate would say about the case with the new assessment: refuse
	// only the problems the assessment brings.
	before := check.New(r).Folder(folder)
	after := check.New(r).Folder(folder.Replace(doc.Path, casefile.KindAssessment, data))
	if err := diag.Invalid(check.Introduced(before, after)); err != nil {
		return err
	}
	res, err := r.Update(casefile.UpdateOptions{Actor: actor, Verb: "assess", NoCommit: opts.noCommit}, func(tx *casefile.Tx) error {
		tx.CaseID = opts.id
		tx.Summary = fmt.Sprintf("%s with %s version %d", opts.member, ins.ID, ins.Version)
		if _, err := r.ReadFile(doc.Path); !errors.Is(err, fs.ErrNotExist) {
			return &casefile.RefusedError{Rule: assess.RuleExists, Msg: opts.member + " already has an assessment dated " + opts.date}
		}
		return tx.WriteDoc(doc, casefile.KindAssessment)
	})
	if err != nil {
		return err
	}
	answered, skipped := 0, 0
	var flags []string
	for _, q := range ins.Questions {
		if !q.AppliesAt(age) {
			continue
		}
		v, ok := req.Input.Answers[q.ID]
		if !ok {
			skipped++
			continue
		}
		answered++
		if q.IsRedFlag(v, redFlagExtras(r.Config.Risk, q.ID)) {
			flags = append(flags, q.ID)
		}
	}
	fmt.Fprintf(f.io.Out, "Assessed %s with %s version %d on %s: %d answered, %d skipped%s.\n", opts.member, ins.ID, ins.Version, opts.date, answered, skipped, committed(res))
	if len(flags) > 0 {
		fmt.Fprintf(f.io.Out, "Red flags: %s. Follow your protocol today, then record the risk: cases risk %s --record\n", strings.Join(flags, ", "), opts.id)
	}
	return nil
}

// redFlagExtras are the red-flag answers the risk model adds to a question.
func redFlagExtras(m casefile.RiskModel, question string) []any {
	var out []any
	for _, rf := range m.RedFlags {
		if rf.Question == question {
			out = append(out, rf.Answers...)
		}
	}
	return out
}

type compareJSON struct {
	Case       string              `json:"case"`
	Instrument string              `json:"instrument"`
	Members    []compareMemberJSON `json:"members"`
}

type compareMemberJSON struct {
	Member   string           `json:"member"`
	Baseline string           `json:"baseline"`
	Previous string           `json:"previous"`
	Latest   string           `json:"latest"`
	Domains  []compareRowJSON `json:"domains"`
}

type compareRowJSON struct {
	Domain   string `json:"domain"`
	Question string `json:"question"`
	Baseline *int   `json:"baseline"`
	Previous *int   `json:"previous"`
	Latest   *int   `json:"latest"`
	Change   *int   `json:"change"`
}

func printCompare(f *factory, format, id string, ins *casefile.Instrument, cmp []assess.MemberComparison) error {
	value := func(p *assess.Point) *int {
		if p == nil {
			return nil
		}
		v := p.Value
		return &v
	}
	if format == "json" {
		out := compareJSON{Case: id, Instrument: ins.ID, Members: []compareMemberJSON{}}
		for _, m := range cmp {
			mj := compareMemberJSON{Member: m.Member, Baseline: m.Baseline, Previous: m.Previous, Latest: m.Latest, Domains: []compareRowJSON{}}
			for _, row := range m.Rows {
				mj.Domains = append(mj.Domains, compareRowJSON{row.Domain, row.Question, value(row.Baseline), value(row.Previous), value(row.Latest), row.Change})
			}
			out.Members = append(out.Members, mj)
		}
		return writeJSON(f.io.Out, out)
	}
	cell := func(p *assess.Point) string {
		if p == nil {
			return "-"
		}
		if format == "tsv" {
			return fmt.Sprint(p.Value)
		}
		return fmt.Sprintf("%d %s", p.Value, p.Label)
	}
	header := []string{"MEMBER", "DOMAIN", "QUESTION", "BASELINE", "PREVIOUS", "LATEST", "CHANGE"}
	var rows [][]string
	for _, m := range cmp {
		rows = append(rows, []string{m.Member, "(dates)", "", m.Baseline, orDash(m.Previous), orDash(m.Latest), ""})
		for _, row := range m.Rows {
			change := ""
			if row.Change != nil {
				change = fmt.Sprintf("%+d", *row.Change)
				if *row.Change == 0 {
					change = "0"
				}
			}
			rows = append(rows, []string{m.Member, row.Domain, row.Question, cell(row.Baseline), cell(row.Previous), cell(row.Latest), change})
		}
	}
	if format == "tsv" {
		for i := range header {
			header[i] = strings.ToLower(header[i])
		}
		return writeTSV(f.io.Out, header, rows)
	}
	if len(rows) == 0 {
		fmt.Fprintf(f.io.ErrOut, "cases: no assessments of case %s with %s yet\n", id, ins.ID)
		return nil
	}
	return writeTable(f.io.Out, header, rows)
}
