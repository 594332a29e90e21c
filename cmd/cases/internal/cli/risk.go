package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/casefile/risk"
	"github.com/spf13/cobra"
)

type riskOptions struct {
	id         string
	record     bool
	resetLevel bool
	noCommit   bool
}

func init() { register(newRiskCmd) }

func newRiskCmd(f *factory) *cobra.Command {
	opts := &riskOptions{}
	cmd := &cobra.Command{
		Use:   "risk ID",
		Short: "Score a case's risk and explain every point of it",
		Long: `Risk scores a case with the risk model in cases.yaml (risk:) from the
latest assessment of each household member and the urgent needs recorded
at intake, and explains the score: every answer that earns points (member,
question, the answer's points, the model's weight, the points it adds),
the red flags found, the risk level (low, moderate, high, critical), and
the level of case management and contact frequency it recommends.

A member's score is the sum of their answers' points times the weights.
The case score is the highest member score, because the level of case
management follows the most acute situation in the household, plus the
points of the urgent needs at intake. Any red flag forces critical.
The same inputs always give the same score and the same inputs digest.

--record writes the score, level, red flags, model version, inputs digest,
time and author into case.yaml and sets the recommended level of case
management, with an entry in the level history. A level a worker set with
cases level stays until --reset-level.

Without --format json it prints question ids and points, never answers.`,
		Example: `  cases risk 2026-11-K7Q3M
  cases risk 2026-11-K7Q3M --record
  cases risk 2026-11-K7Q3M --record --reset-level
  cases risk 2026-11-K7Q3M --format json | jq .score`,
		Args: exactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.id = args[0]
			if (opts.resetLevel || opts.noCommit) && !opts.record {
				return usagef("--reset-level and --no-commit go with --record")
			}
			return riskRun(f, opts)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&opts.record, "record", false, "record the result in case.yaml and set the recommended level")
	fl.BoolVar(&opts.resetLevel, "reset-level", false, "with --record: replace a worker's override with the recommended level")
	fl.BoolVar(&opts.noCommit, "no-commit", false, "with --record: stage the change instead of committing it")
	return cmd
}

func riskRun(f *factory, opts *riskOptions) error {
	format, err := f.format("table", "json")
	if err != nil {
		return err
	}
	r, err := f.openRepo()
	if err != nil {
		return err
	}
	if err := r.RequireValidConfig(); err != nil {
		return err
	}
	folder, err := r.LoadCase(opts.id, casefile.Select{Kinds: []casefile.Kind{casefile.KindCase, casefile.KindIntake, casefile.KindAssessment}})
	if err != nil {
		return err
	}
	// A score from documents that could not be read would silently leave
	// them out.
	if err := folder.Valid(); err != nil {
		return err
	}
	model := &r.Config.Risk
	insDoc, problems, err := r.Instrument(model.Instrument)
	if err != nil {
		return err
	}
	if err := diag.Invalid(problems); err != nil {
		return err
	}
	ins := &insDoc.Data
	if err := diag.Invalid(risk.CheckModelDoc(r.ConfigDoc, model, ins)); err != nil {
		return err
	}
	var intake *casefile.Intake
	if folder.Intake != nil {
		intake = &folder.Intake.Data
	}
	res, err := risk.Score(risk.Inputs{Instrument: ins, Model: model, Intake: intake, Latest: risk.Latest(folder, ins.ID)})
	if err != nil {
		return err
	}
	if folder.Case == nil {
		return fmt.Errorf("case %s has no case.yaml", opts.id)
	}
	c := &folder.Case.Data
	if !opts.record {
		return printRisk(f, format, r.Config, opts.id, c, res)
	}
	if c.Stage == "closed" {
		return &casefile.RefusedError{Rule: "closed-case", Msg: "case " + opts.id + " is closed; reopen it first (cases reopen ID --reason TEXT)"}
	}
	actor, err := r.ResolveActor(f.g.as)
	if err != nil {
		return err
	}
	var rec risk.Recorded
	var at time.Time
	result, err := r.Update(casefile.UpdateOptions{Actor: actor, Verb: "risk", NoCommit: opts.noCommit}, func(tx *casefile.Tx) error {
		tx.CaseID = opts.id
		tx.Summary = fmt.Sprintf("record %s with model %s", res.Level, res.ModelVersion)
		at = tx.Now()
		rec = risk.Record(folder.Case.Doc, c, res, at, tx.Actor().ID, opts.resetLevel)
		if !rec.Changed {
			return nil
		}
		return tx.WriteDoc(folder.Case.Doc, casefile.KindCase)
	})
	if err != nil {
		return err
	}
	if rec.Changed {
		c = recordedView(c, res, rec, actor.ID, at.Format(time.RFC3339))
	}
	msg := f.io.Out
	if format == "json" {
		// The result as recorded, for scripts; the message goes to stderr.
		if err := printRisk(f, format, r.Config, opts.id, c, res); err != nil {
			return err
		}
		msg = f.io.ErrOut
	}
	switch {
	case !rec.Changed:
		fmt.Fprintf(msg, "The recorded risk is current (%s, score %s, same inputs digest); nothing written.\n", res.Level, num(res.Score))
	case rec.Kept != nil:
		fmt.Fprintf(msg, "Recorded risk %s (score %s) in case.yaml; the level stays %s, set by %s (override); --reset-level replaces it%s.\n",
			res.Level, num(res.Score), rec.Level, rec.Kept.By, committed(result))
	default:
		fmt.Fprintf(msg, "Recorded risk %s (score %s) in case.yaml; level %s, contact at least every %d days%s.\n",
			res.Level, num(res.Score), rec.Level, r.Config.ContactDays(rec.Level), committed(result))
	}
	return nil
}

// recordedView is the case header as recording left it, for printing.
func recordedView(c *casefile.Case, res *risk.Result, rec risk.Recorded, by, at string) *casefile.Case {
	v := *c
	v.Risk = &casefile.RiskRecord{Score: res.Score, Level: res.Level, RedFlags: res.RedFlagQuestions(), ModelVersion: res.ModelVersion, InputsDigest: res.Digest, At: at, By: by}
	v.Level = rec.Level
	if rec.HistoryAdded {
		v.LevelHistory = append(append([]casefile.LevelChange{}, c.LevelHistory...), casefile.LevelChange{Level: rec.Level, At: at, By: by, Source: risk.SourceRisk, RiskLevel: res.Level})
	}
	return &v
}

// num prints a score as it is recorded: no trailing zeros.
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// riskJSONOut is the stable shape of risk --format json.
type riskJSONOut struct {
	Case              string             `json:"case"`
	ModelVersion      string             `json:"model_version"`
	Instrument        string             `json:"instrument"`
	InstrumentVersion int                `json:"instrument_version"`
	Members           []riskMemberJSON   `json:"members"`
	Unassessed        []string           `json:"unassessed"`
	Intake            []riskIntakeJSON   `json:"intake"`
	HighestMember     string             `json:"highest_member"`
	MemberScore       float64            `json:"member_score"`
	IntakeScore       float64            `json:"intake_score"`
	Score             float64            `json:"score"`
	RedFlags          []riskRedFlagJSON  `json:"red_flags"`
	Level             string             `json:"level"`
	Thresholds        map[string]float64 `json:"thresholds"`
	Recommended       riskLevelJSON      `json:"recommended"`
	Current           *riskCurrentJSON   `json:"current"`
	Recorded          *riskRecordedJSON  `json:"recorded"`
	InputsDigest      string             `json:"inputs_digest"`
	Notes             []string           `json:"notes"`
}

type riskMemberJSON struct {
	Member            string             `json:"member"`
	Date              string             `json:"date"`
	InstrumentVersion int                `json:"instrument_version"`
	Score             float64            `json:"score"`
	Contributions     []riskContribution `json:"contributions"`
	Unanswered        []string           `json:"unanswered"`
}

type riskContribution struct {
	Question string  `json:"question"`
	Domain   string  `json:"domain"`
	Answer   any     `json:"answer"`
	Points   float64 `json:"answer_points"`
	Weight   float64 `json:"weight"`
	Score    float64 `json:"points"`
	RedFlag  bool    `json:"red_flag"`
}

type riskIntakeJSON struct {
	Need   string  `json:"need"`
	Points float64 `json:"points"`
}

type riskRedFlagJSON struct {
	Member   string `json:"member"`
	Question string `json:"question"`
}

type riskLevelJSON struct {
	Level       string `json:"level"`
	ContactDays int    `json:"contact_days"`
}

type riskCurrentJSON struct {
	Level       string `json:"level"`
	ContactDays int    `json:"contact_days"`
	Source      string `json:"source"`
	By          string `json:"by"`
	At          string `json:"at"`
}

type riskRecordedJSON struct {
	Score        float64  `json:"score"`
	Level        string   `json:"level"`
	RedFlags     []string `json:"red_flags"`
	ModelVersion string   `json:"model_version"`
	InputsDigest string   `json:"inputs_digest"`
	At           string   `json:"at"`
	By           string   `json:"by"`
	Current      bool     `json:"current"`
}

func toRiskJSON(cfg *casefile.Config, id string, c *casefile.Case, res *risk.Result) riskJSONOut {
	out := riskJSONOut{Case: id, ModelVersion: res.ModelVersion, Instrument: res.Instrument, InstrumentVersion: res.InstrumentVersion,
		Members: []riskMemberJSON{}, Unassessed: nonNil(res.Unassessed), Intake: []riskIntakeJSON{}, HighestMember: res.Highest,
		MemberScore: res.MemberScore, IntakeScore: res.IntakeScore, Score: res.Score, RedFlags: []riskRedFlagJSON{}, Level: res.Level,
		Thresholds:   map[string]float64{"moderate": res.Thresholds.Moderate, "high": res.Thresholds.High, "critical": res.Thresholds.Critical},
		Recommended:  riskLevelJSON{res.CaseLevel, cfg.ContactDays(res.CaseLevel)},
		InputsDigest: res.Digest, Notes: nonNil(res.VersionNotes)}
	for _, m := range res.Members {
		mj := riskMemberJSON{Member: m.Member, Date: m.Date, InstrumentVersion: m.InstrumentVersion, Score: m.Score, Contributions: []riskContribution{}, Unanswered: nonNil(m.Unanswered)}
		for _, k := range m.Contributions {
			mj.Contributions = append(mj.Contributions, riskContribution{k.Question, k.Domain, k.Answer, k.Points, k.Weight, k.Score, k.RedFlag})
		}
		out.Members = append(out.Members, mj)
	}
	for _, k := range res.Intake {
		out.Intake = append(out.Intake, riskIntakeJSON{k.Question, k.Score})
	}
	for _, rf := range res.RedFlags {
		out.RedFlags = append(out.RedFlags, riskRedFlagJSON{rf.Member, rf.Question})
	}
	if c.Level != "" {
		cur := &riskCurrentJSON{Level: c.Level, ContactDays: cfg.ContactDays(c.Level)}
		if n := len(c.LevelHistory); n > 0 {
			last := c.LevelHistory[n-1]
			cur.Source, cur.By, cur.At = last.Source, last.By, last.At
		}
		out.Current = cur
	}
	if rr := c.Risk; rr != nil {
		out.Recorded = &riskRecordedJSON{rr.Score, rr.Level, nonNil(rr.RedFlags), rr.ModelVersion, rr.InputsDigest, rr.At, rr.By, risk.Current(c, res)}
	}
	return out
}

func printRisk(f *factory, format string, cfg *casefile.Config, id string, c *casefile.Case, res *risk.Result) error {
	if format == "json" {
		return writeJSON(f.io.Out, toRiskJSON(cfg, id, c, res))
	}
	return printRiskText(f.io.Out, cfg, id, c, res)
}

// printRiskText explains a score with question ids and points only: the
// answers themselves are personal data and stay out of anything that may
// be pasted or logged.
func printRiskText(w io.Writer, cfg *casefile.Config, id string, c *casefile.Case, res *risk.Result) error {
	fmt.Fprintf(w, "Risk of case %s: model %s, instrument %s version %d.\n\n", id, res.ModelVersion, res.Instrument, res.InstrumentVersion)
	header := []string{"MEMBER", "QUESTION", "ANSWER POINTS", "WEIGHT", "POINTS", ""}
	var rows [][]string
	zero := 0
	for _, m := range res.Members {
		for _, k := range m.Contributions {
			if k.Score == 0 && !k.RedFlag {
				zero++
				continue
			}
			flag := ""
			if k.RedFlag {
				flag = "red flag"
			}
			rows = append(rows, []string{m.Member, k.Question, num(k.Points), num(k.Weight), num(k.Score), flag})
		}
		total := fmt.Sprintf("total (assessed %s)", m.Date)
		rows = append(rows, []string{m.Member, total, "", "", num(m.Score), ""})
	}
	for _, k := range res.Intake {
		rows = append(rows, []string{"intake", "urgent need: " + k.Question, num(k.Points), "1", num(k.Score), ""})
	}
	if len(rows) > 0 {
		if err := writeTable(w, header, rows); err != nil {
			return err
		}
	}
	if zero > 0 {
		fmt.Fprintf(w, "(%d more answers earn no points; --format json lists every answer.)\n", zero)
	}
	fmt.Fprintln(w)
	p := func(label, value string) { fmt.Fprintf(w, "%-22s %s\n", label+":", value) }
	switch {
	case res.Highest == "":
		p("Score", fmt.Sprintf("%s = no member assessed yet + %s for urgent needs at intake", num(res.Score), num(res.IntakeScore)))
	default:
		p("Score", fmt.Sprintf("%s = %s, the highest member score (%s), + %s for urgent needs at intake", num(res.Score), num(res.MemberScore), res.Highest, num(res.IntakeScore)))
	}
	flags := "none"
	if len(res.RedFlags) > 0 {
		var fl []string
		for _, rf := range res.RedFlags {
			fl = append(fl, rf.Member+" "+rf.Question)
		}
		flags = strings.Join(fl, ", ") + " (any red flag means critical)"
	}
	p("Red flags", flags)
	t := res.Thresholds
	p("Risk level", fmt.Sprintf("%s (moderate from %s, high from %s, critical from %s)", res.Level, num(t.Moderate), num(t.High), num(t.Critical)))
	p("Recommended", fmt.Sprintf("%s case management, contact at least every %d days", res.CaseLevel, cfg.ContactDays(res.CaseLevel)))
	level := "not set"
	if c.Level != "" {
		level = fmt.Sprintf("%s, contact at least every %d days", c.Level, cfg.ContactDays(c.Level))
		if ov := risk.Override(c); ov != nil {
			level += fmt.Sprintf(" (override by %s on %s; risk --record keeps it until --reset-level)", ov.By, dateOf(ov.At))
		}
	}
	p("Level now", level)
	recorded := "not yet (cases risk " + id + " --record)"
	if rr := c.Risk; rr != nil {
		state := "current: same result and inputs digest"
		if !risk.Current(c, res) {
			state = "out of date: the inputs or the model changed since; record again"
		}
		recorded = fmt.Sprintf("%s, score %s, model %s, %s by %s; %s", rr.Level, num(rr.Score), rr.ModelVersion, dateOf(rr.At), rr.By, state)
	}
	p("Recorded", recorded)
	p("Inputs digest", res.Digest)
	if len(res.Unassessed) > 0 {
		p("Not assessed", strings.Join(res.Unassessed, ", ")+" (left out of the score; assess them with cases assess)")
	}
	for _, n := range res.VersionNotes {
		p("Note", n)
	}
	for _, m := range res.Members {
		if len(m.Unanswered) > 0 {
			p("Note", fmt.Sprintf("%s left %d required questions unanswered: %s", m.Member, len(m.Unanswered), strings.Join(m.Unanswered, ", ")))
		}
	}
	return nil
}
