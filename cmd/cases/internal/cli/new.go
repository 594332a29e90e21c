package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/check"
	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/casefile/yamlx"
	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"
)

type newOptions struct {
	in       casefile.IntakeInput
	name     string
	members  []string
	id       string
	from     string
	quiet    bool
	noCommit bool
	edit     bool
	eligible bool
	inelig   bool
	interp   bool
	safeCall bool
	safeMsg  bool
}

func init() { register(newNewCmd) }

func newNewCmd(f *factory) *cobra.Command {
	opts := &newOptions{}
	cmd := &cobra.Command{
		Use:   "new",
		Short: "Open a case: case.yaml in stage intake and intake.yaml",
		Long: `New opens a case with a fresh id (the month plus five random characters,
so two clones never pick the same one) and writes case.yaml in stage intake
and intake.yaml, then commits them.

The intake comes from flags, from a YAML file (--from FILE, or --from - for
standard input), or, on a terminal with neither, from the commented
template opened in $EDITOR: on save it is checked, and if something is
wrong it reopens with the problems at the top. Save an empty file to give
up. What you typed is kept until it is accepted, so nothing is lost.

Household members: --member "relationship=child,name=Sara Haddad,dob=2015-04-02".
The client is always member m1; others are m2, m3, ... in the order given.

It prints the new id (--quiet prints only the id, for scripts).`,
		Example: `  cases new --name "Amina Haddad" --dob 1988-03-14 --phone "555-0100" \
      --member "relationship=child,name=Sara Haddad,dob=2015-04-02" \
      --urgent food,housing --eligible --consent
  id=$(cases new --from intake.yaml --quiet)
  cases new          # on a terminal: fill in the template in $EDITOR`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.eligible && opts.inelig {
				return usagef("--eligible and --ineligible cannot be used together")
			}
			fl := cmd.Flags()
			if fl.Changed("interpreter") {
				opts.in.Interpreter = &opts.interp
			}
			if fl.Changed("safe-to-call") {
				opts.in.SafeToCall = &opts.safeCall
			}
			if fl.Changed("safe-to-message") {
				opts.in.SafeToMessage = &opts.safeMsg
			}
			if opts.eligible || opts.inelig {
				v := opts.eligible
				opts.in.Eligible = &v
			}
			intakeFlags := false
			for _, n := range intakeFlagNames {
				if fl.Changed(n) {
					intakeFlags = true
				}
			}
			if opts.from != "" && intakeFlags {
				return usagef("give the intake either with flags or with --from, not both")
			}
			if opts.edit && (opts.from != "" || intakeFlags) {
				return usagef("--edit fills in the template; it cannot be combined with --from or intake flags")
			}
			return newRun(f, opts, intakeFlags)
		},
	}
	fl := cmd.Flags()
	in := &opts.in
	fl.StringVar(&opts.name, "name", "", `client's name: the first word is the given name, the rest the family name`)
	fl.StringVar(&in.Given, "given", "", "client's given name")
	fl.StringVar(&in.Family, "family", "", "client's family name")
	fl.StringVar(&in.Preferred, "preferred", "", "name the client prefers to be called")
	fl.StringVar(&in.DOB, "dob", "", "client's date of birth, YYYY-MM-DD")
	fl.StringVar(&in.Gender, "gender", "", "woman, man, non-binary, transgender, questioning, another-identity, not-disclosed")
	fl.StringSliceVar(&in.RaceEthnicity, "race", nil, "race and ethnicity (repeat or comma-separate)")
	fl.StringVar(&in.Language, "language", "", "primary language tag, e.g. en, ar, fa-AF")
	fl.BoolVar(&opts.interp, "interpreter", false, "the client needs an interpreter")
	fl.StringVar(&in.Phone, "phone", "", "phone number")
	fl.StringVar(&in.Email, "email", "", "email address")
	fl.BoolVar(&opts.safeCall, "safe-to-call", false, "it is safe to call (--safe-to-call=false: it is not)")
	fl.BoolVar(&opts.safeMsg, "safe-to-message", false, "it is safe to leave a message")
	fl.StringArrayVar(&opts.members, "member", nil, `household member: "relationship=child,name=Given Family,dob=YYYY-MM-DD,gender=..." (repeat)`)
	fl.StringSliceVar(&in.UrgentNeeds, "urgent", nil, "urgent needs: food, housing, safety, medical")
	fl.StringVar(&in.ReferralSource, "referral-source", "", "how the client came: self, walk-in, partner-agency, hotline, ...")
	fl.BoolVar(&opts.eligible, "eligible", false, "record the client as eligible for the program, decided today by the worker")
	fl.BoolVar(&opts.inelig, "ineligible", false, "record the client as not eligible for the program")
	fl.BoolVar(&in.Consent, "consent", false, "record consent to services, given today")
	fl.StringVar(&in.Program, "program", "", "program id (default: the only program in cases.yaml)")
	fl.StringVar(&in.Worker, "worker", "", "assigned caseworker's staff id (default: you)")
	fl.StringVar(&in.Date, "date", "", "intake and enrollment date, YYYY-MM-DD (default: today)")
	fl.StringVar(&opts.id, "id", "", "use this case id instead of a fresh one (for imports)")
	fl.StringVar(&opts.from, "from", "", "read the intake from a YAML file, or - for standard input")
	fl.BoolVarP(&opts.quiet, "quiet", "q", false, "print only the new id")
	fl.BoolVar(&opts.noCommit, "no-commit", false, "stage the new documents instead of committing them")
	fl.BoolVar(&opts.edit, "edit", false, "fill in the intake template in $EDITOR (the default on a terminal when no intake is given)")
	return cmd
}

var intakeFlagNames = []string{"name", "given", "family", "preferred", "dob", "gender", "race", "language", "interpreter", "phone", "email", "safe-to-call", "safe-to-message", "member", "urgent", "referral-source", "eligible", "ineligible", "consent"}

func newRun(f *factory, opts *newOptions, intakeFlags bool) error {
	r, err := f.openRepo()
	if err != nil {
		return err
	}
	if err := r.RequireValidConfig(); err != nil {
		return err
	}
	actor, err := r.ResolveActor(f.g.as)
	if err != nil {
		return err
	}
	now := r.Now()
	in := &opts.in
	workerFlag := in.Worker
	if in.Date == "" {
		in.Date = now.Format(time.DateOnly)
	} else if _, err := time.Parse(time.DateOnly, in.Date); err != nil {
		return usagef("--date must be YYYY-MM-DD")
	}
	if in.Worker == "" {
		in.Worker = actor.ID
	}
	if opts.id != "" {
		if !casefile.ValidCaseID(opts.id) {
			return usagef("--id must look like 2026-11-K7Q3M (month plus five characters from %s)", casefile.Alphabet)
		}
		if r.Exists(opts.id) {
			return usagef("case %s already exists", opts.id)
		}
	}
	if opts.name != "" {
		given, family, _ := strings.Cut(strings.TrimSpace(opts.name), " ")
		in.Given, in.Family = given, strings.TrimSpace(family)
	}
	for _, m := range opts.members {
		mi, err := parseMember(m)
		if err != nil {
			return err
		}
		in.Members = append(in.Members, mi)
	}

	// Pick the id now so the intake's path is known while it is checked.
	id := opts.id
	if id == "" {
		opened, _ := casefile.ParseDate(in.Date, now.Location())
		if id, err = r.NewCaseID(opened); err != nil {
			return err
		}
	}
	intakePath := casefile.DocPath(id, casefile.KindIntake)

	var intake *yamlx.Doc
	var session *editSession
	switch {
	case opts.from != "":
		data, err := readFrom(f, opts.from)
		if err != nil {
			return err
		}
		display := opts.from
		if display == "-" {
			display = "<stdin>"
		}
		intake, err = parseGivenIntake(display, data)
		if err != nil {
			return err
		}
	case intakeFlags:
		if in.Program == "" {
			if in.Program, err = defaultProgram(r); err != nil {
				return err
			}
		}
		built, err := r.IntakeFromInput(intakePath, *in)
		if err != nil {
			return err
		}
		data, err := casefile.EncodeDoc(built, casefile.KindIntake)
		if err != nil {
			return err
		}
		if intake, err = parseGivenIntake(intakePath, data); err != nil {
			return err
		}
	default:
		if !f.io.inTTY && !opts.edit {
			return usagef("no intake given: pass flags (--name, --dob, ...), --from FILE or --from -, or run on a terminal to fill in the template in $EDITOR")
		}
		// Show the whole template, empty fields included.
		start, err := r.Template(casefile.KindIntake.Template())
		if err != nil {
			return err
		}
		start = prefillTemplate(start, in.Date, in.Worker)
		session, err = f.newEditSession(r, "new-intake.yaml", start, func(data []byte) ([]diag.Problem, error) {
			doc, err := parseGivenIntake(intakePath, data)
			var inv *diag.InvalidError
			if errors.As(err, &inv) {
				return inv.Problems, nil
			}
			if err != nil {
				return nil, err
			}
			program := in.Program
			if program == "" {
				program = firstEligible(doc)
			}
			if program == "" {
				if program, err = defaultProgram(r); err != nil {
					return []diag.Problem{{Path: intakePath, Line: 1, Col: 1, Rule: "ref-program", Message: "which program? add an eligibility entry, or pass --program"}}, nil
				}
			}
			return checkNewCase(r, id, program, in.Worker, actor, now, doc)
		})
		if err != nil {
			return err
		}
		body, err := session.run()
		if err != nil {
			if errors.Is(err, errEditAborted) {
				if session.noChanges {
					fmt.Fprintln(f.io.ErrOut, "cases: nothing filled in; no case opened")
				}
				return &silentError{code: exitOK}
			}
			return err
		}
		if intake, err = parseGivenIntake(intakePath, body); err != nil {
			return err
		}
	}

	// The intake's own date is the enrollment date; the id carries its month.
	opened := yamlx.Get(intake.Root(), "date").Value
	if id[:7] != opened[:7] {
		if opts.id != "" {
			return usagef("--id must carry the month of the intake date")
		}
		t, _ := casefile.ParseDate(opened, now.Location())
		if id, err = r.NewCaseID(t); err != nil {
			return err
		}
	}
	program := in.Program
	if program == "" {
		program = firstEligible(intake)
	}
	if program == "" {
		if program, err = defaultProgram(r); err != nil {
			return err
		}
	}
	worker := workerFlag
	if w := yamlx.Get(intake.Root(), "worker"); worker == "" && w != nil && opts.from != "" {
		worker = w.Value
	}
	if worker == "" {
		worker = actor.ID
	}
	problems, err := checkNewCase(r, id, program, worker, actor, now, intake)
	if err != nil {
		return err
	}
	if err := diag.Invalid(problems); err != nil {
		return err
	}
	intake.Path = casefile.DocPath(id, casefile.KindIntake)
	header, err := r.NewCaseHeader(id, program, worker, opened, now, actor)
	if err != nil {
		return err
	}
	res, err := r.Update(casefile.UpdateOptions{Actor: actor, Verb: "new", NoCommit: opts.noCommit}, func(tx *casefile.Tx) error {
		tx.CaseID, tx.Summary = id, "open case in intake"
		if r.Exists(id) {
			return usagef("case %s already exists", id)
		}
		if err := tx.WriteDoc(header, casefile.KindCase); err != nil {
			return err
		}
		return tx.WriteDoc(intake, casefile.KindIntake)
	})
	if err != nil {
		if session != nil {
			fmt.Fprintf(f.io.ErrOut, "cases: your intake is kept in %s\n", session.draft)
		}
		return err
	}
	if session != nil {
		session.discard()
	}
	if opts.quiet {
		fmt.Fprintln(f.io.Out, id)
		return nil
	}
	fmt.Fprintf(f.io.Out, "Opened case %s (program %s, worker %s, stage intake)%s.\n", id, program, worker, committed(res))
	return nil
}

// committed describes where the change went.
func committed(res *casefile.Result) string {
	if res.Commit == "" {
		return "; staged, not committed"
	}
	return "; commit " + res.Commit[:7]
}

// checkNewCase checks a new case's header and intake together, the way
// validate would see them once written. Problems in the intake point at the
// text the person wrote.
func checkNewCase(r *casefile.Repo, id, program, worker string, actor casefile.Actor, now time.Time, intake *yamlx.Doc) ([]diag.Problem, error) {
	header, err := r.NewCaseHeader(id, program, worker, yamlx.Get(intake.Root(), "date").Value, now, actor)
	if err != nil {
		return nil, err
	}
	folder := &casefile.Folder{ID: id, Dir: casefile.CaseDir(id), Files: []string{header.Path, casefile.DocPath(id, casefile.KindIntake)}}
	if folder.Case, err = casefile.DecodeDoc[casefile.Case](header); err != nil {
		return nil, err
	}
	if folder.Intake, err = casefile.DecodeDoc[casefile.Intake](intake); err != nil {
		return nil, err
	}
	return check.New(r).Folder(folder), nil
}

// parseGivenIntake reads an intake a person or a script wrote, named
// display in problems: it must pass the strict reader and, once empty fields
// are dropped, the schema. The schema comment is added when it is written.
func parseGivenIntake(display string, data []byte) (*yamlx.Doc, error) {
	doc, problems := yamlx.Parse(display, data)
	if doc == nil || len(problems) > 0 {
		return nil, diag.Invalid(problems)
	}
	if doc.Root().Kind != yaml.MappingNode {
		return nil, diag.Invalid([]diag.Problem{{Path: display, Line: 1, Col: 1, Rule: casefile.RuleSchemaType, Message: "document: an intake is a mapping of fields"}})
	}
	yamlx.Prune(doc.Node)
	if problems := casefile.CheckSchema(doc, casefile.KindIntake); len(problems) > 0 {
		return nil, diag.Invalid(problems)
	}
	return doc, nil
}

func firstEligible(doc *yamlx.Doc) string {
	el := yamlx.Get(doc.Root(), "eligibility")
	if el == nil {
		return ""
	}
	for _, e := range el.Content {
		if v := yamlx.Get(e, "eligible"); v != nil && v.Value == "true" {
			if p := yamlx.Get(e, "program"); p != nil {
				return p.Value
			}
		}
	}
	return ""
}

func defaultProgram(r *casefile.Repo) (string, error) {
	if len(r.Config.Programs) == 1 {
		return r.Config.Programs[0].ID, nil
	}
	var ids []string
	for _, p := range r.Config.Programs {
		ids = append(ids, p.ID)
	}
	return "", usagef("which program? pass --program (one of %s)", strings.Join(ids, ", "))
}

// prefillTemplate fills the date and worker of the intake template, keeping
// every other field empty for the person to fill in.
func prefillTemplate(tmpl []byte, date, worker string) []byte {
	s := string(tmpl)
	s = strings.Replace(s, "\ndate: null\n", "\ndate: "+date+"\n", 1)
	s = strings.Replace(s, "\nworker: null\n", "\nworker: "+worker+"\n", 1)
	return []byte(s)
}

func parseMember(spec string) (casefile.MemberInput, error) {
	var m casefile.MemberInput
	for _, part := range strings.Split(spec, ",") {
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return m, usagef(`--member takes key=value pairs separated by commas, e.g. "relationship=child,name=Sara Haddad,dob=2015-04-02"`)
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "relationship":
			m.Relationship = v
		case "name":
			m.Given, m.Family, _ = strings.Cut(v, " ")
		case "given":
			m.Given = v
		case "family":
			m.Family = v
		case "dob":
			m.DOB = v
		case "gender":
			m.Gender = v
		default:
			return m, usagef("--member: unknown key %q (use relationship, name, given, family, dob, gender)", strings.TrimSpace(k))
		}
	}
	if m.Relationship == "" {
		return m, usagef("--member needs relationship=..., e.g. relationship=child")
	}
	if m.Relationship == "self" {
		return m, usagef("--member is for other household members; the client is member m1")
	}
	return m, nil
}

// readFrom reads a file, or standard input for "-".
func readFrom(f *factory, name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(io.LimitReader(f.io.In, yamlx.MaxSize+1))
	}
	fh, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return io.ReadAll(io.LimitReader(fh, yamlx.MaxSize+1))
}
