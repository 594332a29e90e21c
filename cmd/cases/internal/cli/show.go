package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"
)

type showOptions struct {
	id string
}

func init() { register(newShowCmd) }

func newShowCmd(f *factory) *cobra.Command {
	opts := &showOptions{}
	return &cobra.Command{
		Use:   "show ID",
		Short: "Summarize one case",
		Long: `Show prints a case's summary: stage and its history, level and risk,
worker, household (ids, relationships and ages), documents present and the
last contact. It prints no contact details or history; open the documents
for those.

Formats: table (default), yaml, json.`,
		Example: `  cases show 2026-11-K7Q3M
  cases show 2026-11-K7Q3M --format json | jq .stage`,
		Args: exactArgs(1, "ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.id = args[0]
			return showRun(f, opts)
		},
	}
}

func showRun(f *factory, opts *showOptions) error {
	format, err := f.format("table", "yaml", "json")
	if err != nil {
		return err
	}
	r, err := f.openRepo()
	if err != nil {
		return err
	}
	folder, err := r.LoadCase(opts.id, casefile.Select{})
	if err != nil {
		return err
	}
	if err := folder.Valid(); err != nil {
		return err
	}
	s := casefile.Summarize(folder, r.Config, r.Now())
	switch format {
	case "json":
		return writeJSON(f.io.Out, toShowJSON(s))
	case "yaml":
		enc := yaml.NewEncoder(f.io.Out)
		enc.SetIndent(2)
		defer enc.Close()
		return enc.Encode(toShowJSON(s))
	}
	return printSummary(f.io.Out, s)
}

// showJSON is the stable shape of `show --format json|yaml`.
type showJSON struct {
	ID           string          `json:"id" yaml:"id"`
	Program      string          `json:"program" yaml:"program"`
	Worker       string          `json:"worker" yaml:"worker"`
	Opened       string          `json:"opened" yaml:"opened"`
	Stage        string          `json:"stage" yaml:"stage"`
	StageHistory []stageMoveJSON `json:"stage_history" yaml:"stage_history"`
	Level        string          `json:"level" yaml:"level"`
	ContactDays  int             `json:"contact_days" yaml:"contact_days"`
	Risk         *riskJSON       `json:"risk" yaml:"risk"`
	Client       *memberJSON     `json:"client" yaml:"client"`
	Household    []memberJSON    `json:"household" yaml:"household"`
	UrgentNeeds  []string        `json:"urgent_needs" yaml:"urgent_needs"`
	Documents    docsJSON        `json:"documents" yaml:"documents"`
	LastContact  string          `json:"last_contact" yaml:"last_contact"`
	DaysSince    *int            `json:"days_since_contact" yaml:"days_since_contact"`
}

type stageMoveJSON struct {
	From   string `json:"from,omitempty" yaml:"from,omitempty"`
	To     string `json:"to" yaml:"to"`
	At     string `json:"at" yaml:"at"`
	By     string `json:"by" yaml:"by"`
	Forced bool   `json:"forced,omitempty" yaml:"forced,omitempty"`
}

type riskJSON struct {
	Score        float64  `json:"score" yaml:"score"`
	Level        string   `json:"level" yaml:"level"`
	RedFlags     []string `json:"red_flags" yaml:"red_flags"`
	ModelVersion string   `json:"model_version" yaml:"model_version"`
	At           string   `json:"at" yaml:"at"`
}

type memberJSON struct {
	ID           string `json:"id" yaml:"id"`
	Relationship string `json:"relationship" yaml:"relationship"`
	Name         string `json:"name,omitempty" yaml:"name,omitempty"`
	Age          *int   `json:"age" yaml:"age"`
	Language     string `json:"language,omitempty" yaml:"language,omitempty"`
	Interpreter  bool   `json:"interpreter_needed" yaml:"interpreter_needed"`
	Assessed     string `json:"last_assessed,omitempty" yaml:"last_assessed,omitempty"`
}

type docsJSON struct {
	Intake      bool `json:"intake" yaml:"intake"`
	Plan        bool `json:"plan" yaml:"plan"`
	Closure     bool `json:"closure" yaml:"closure"`
	Assessments int  `json:"assessments" yaml:"assessments"`
	Notes       int  `json:"notes" yaml:"notes"`
}

func toShowJSON(s casefile.Summary) showJSON {
	out := showJSON{ID: s.ID, Program: s.Program, Worker: s.Worker, Opened: s.Opened, Stage: s.Stage, Level: s.Level,
		ContactDays: s.ContactDays, UrgentNeeds: nonNil(s.UrgentNeeds), LastContact: s.LastContact,
		StageHistory: []stageMoveJSON{}, Household: []memberJSON{},
		Documents: docsJSON{s.Documents.Intake, s.Documents.Plan, s.Documents.Closure, s.Documents.Assessments, s.Documents.Notes}}
	for _, m := range s.StageHistory {
		out.StageHistory = append(out.StageHistory, stageMoveJSON{m.From, m.To, m.At, m.By, m.Forced})
	}
	if s.Risk != nil {
		out.Risk = &riskJSON{s.Risk.Score, s.Risk.Level, nonNil(s.Risk.RedFlags), s.Risk.ModelVersion, s.Risk.At}
	}
	member := func(m casefile.MemberSummary) memberJSON {
		j := memberJSON{ID: m.ID, Relationship: m.Relationship, Name: m.Name, Language: m.Language, Interpreter: m.Interpreter, Assessed: m.Assessed}
		if m.Age >= 0 {
			age := m.Age
			j.Age = &age
		}
		return j
	}
	if s.Client != nil {
		c := member(*s.Client)
		out.Client = &c
	}
	for _, m := range s.Household {
		m.Name = ""
		out.Household = append(out.Household, member(m))
	}
	if s.DaysSince >= 0 {
		d := s.DaysSince
		out.DaysSince = &d
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func printSummary(w io.Writer, s casefile.Summary) error {
	p := func(label, value string) { fmt.Fprintf(w, "%-13s %s\n", label+":", value) }
	p("case", s.ID)
	p("stage", s.Stage)
	p("program", s.Program)
	p("worker", s.Worker)
	p("opened", s.Opened)
	level := "not set"
	if s.Level != "" {
		level = fmt.Sprintf("%s (contact every %d days)", s.Level, s.ContactDays)
	}
	p("level", level)
	risk := "not recorded"
	if s.Risk != nil {
		risk = fmt.Sprintf("%s, score %g (model %s, %s)", s.Risk.Level, s.Risk.Score, s.Risk.ModelVersion, dateOf(s.Risk.At))
		if len(s.Risk.RedFlags) > 0 {
			risk += ", red flags: " + strings.Join(s.Risk.RedFlags, ", ")
		}
	}
	p("risk", risk)
	contact := "none recorded"
	if s.LastContact != "" {
		contact = fmt.Sprintf("%s (%d days ago)", dateOf(s.LastContact), s.DaysSince)
	}
	p("last contact", contact)
	docs := []string{"case"}
	if s.Documents.Intake {
		docs = append(docs, "intake")
	}
	docs = append(docs, fmt.Sprintf("%d %s", s.Documents.Assessments, pluralize(s.Documents.Assessments, "assessment", "assessments")))
	if s.Documents.Plan {
		docs = append(docs, "plan")
	}
	docs = append(docs, fmt.Sprintf("%d %s", s.Documents.Notes, pluralize(s.Documents.Notes, "note", "notes")))
	if s.Documents.Closure {
		docs = append(docs, "closure")
	}
	p("documents", strings.Join(docs, ", "))
	if len(s.UrgentNeeds) > 0 {
		p("urgent needs", strings.Join(s.UrgentNeeds, ", "))
	}
	fmt.Fprintln(w, "\nhousehold:")
	for _, m := range s.Household {
		age := "age unknown"
		if m.Age >= 0 {
			age = fmt.Sprintf("age %d", m.Age)
		}
		line := fmt.Sprintf("  %-4s %-14s %s", m.ID, m.Relationship, age)
		if m.Relationship == "self" && s.Client != nil && s.Client.Name != "" {
			line += ", " + s.Client.Name
		}
		if m.Language != "" {
			line += ", speaks " + m.Language
		}
		if m.Interpreter {
			line += ", needs an interpreter"
		}
		if m.Assessed != "" {
			line += ", assessed " + m.Assessed
		} else {
			line += ", not assessed"
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintln(w, "\nstage history:")
	for _, m := range s.StageHistory {
		from := m.From
		if from == "" {
			from = "opened"
		}
		line := fmt.Sprintf("  %s  %s -> %s by %s", dateOf(m.At), from, m.To, m.By)
		if m.Forced {
			line += " (forced)"
		}
		fmt.Fprintln(w, line)
	}
	return nil
}

func dateOf(ts string) string {
	if len(ts) >= 10 {
		return ts[:10]
	}
	return ts
}

func pluralize(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// exactArgs is cobra.ExactArgs with a message naming the argument.
func exactArgs(n int, names string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return &flagError{fmt.Errorf("accepts %d %s, received %d", n, names, len(args))}
		}
		return nil
	}
}
