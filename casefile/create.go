package casefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/casefile/gitstore"
	"github.com/casesproject/cases/casefile/yamlx"
	"github.com/casesproject/cases/templates"
	"go.yaml.in/yaml/v3"
)

// ErrAlreadyInitialized is returned by Init when the folder already holds
// cases.yaml: nothing is changed.
var ErrAlreadyInitialized = errors.New("already a case repository (cases.yaml exists); nothing changed")

// InitOptions configure a new case repository.
type InitOptions struct {
	Organization string
	Program      string // id of the first program (default "general")
	ProgramName  string
	Name, Email  string // the first staff member, who makes the first commit
	Now          time.Time
	Branch       string // default "main", for a new git repository
}

// Init makes dir a case repository: a git repository (created if needed,
// or an existing one without cases.yaml) holding cases.yaml, the default
// instrument and an empty providers.yaml, recorded in one commit.
func Init(dir string, opts InitOptions) (*Repo, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if _, err := os.Lstat(filepath.Join(dir, ConfigPath)); err == nil {
		return nil, ErrAlreadyInitialized
	}
	if opts.Branch == "" {
		opts.Branch = "main"
	}
	g, err := gitstore.Init(dir, opts.Branch)
	if err != nil {
		return nil, err
	}
	defer g.Close()
	if opts.Email == "" {
		if opts.Email, err = g.UserEmail(); err != nil {
			return nil, err
		}
	}
	if opts.Name == "" {
		if opts.Name, err = g.UserName(); err != nil {
			return nil, err
		}
	}
	if opts.Email == "" || !strings.Contains(opts.Email, "@") {
		return nil, &ActorError{"who is setting up the repository? pass --as EMAIL, set CASES_USER, or set git's user.email"}
	}
	cfg, err := initialConfig(opts)
	if err != nil {
		return nil, err
	}
	var changes []gitstore.Change
	changes = append(changes, gitstore.Change{Path: ConfigPath, Data: cfg})
	for _, name := range []string{"instruments/needs.yaml", "providers.yaml"} {
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(name))); err == nil {
			return nil, fmt.Errorf("%s already exists; move it aside before cases init", name)
		}
		data, err := fs.ReadFile(templates.FS, name)
		if err != nil {
			return nil, err
		}
		changes = append(changes, gitstore.Change{Path: name, Data: data})
	}
	unlock, err := g.Lock(5 * time.Second)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if opts.Name == "" {
		opts.Name, _, _ = strings.Cut(opts.Email, "@")
	}
	if _, err := g.Apply(changes, gitstore.CommitOptions{
		Message: CommitMessage("init", "", "create case repository"),
		Author:  gitstore.Signature{Name: opts.Name, Email: opts.Email, When: opts.Now},
	}); err != nil {
		return nil, err
	}
	return Open(dir)
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// StaffID derives a staff id from an email address: its local part in
// lower-case kebab-case.
func StaffID(email string) string {
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	id := strings.Trim(nonSlug.ReplaceAllString(local, "-"), "-")
	if id == "" || id[0] < 'a' || id[0] > 'z' {
		id = "staff-" + id
	}
	return strings.TrimSuffix(id, "-")
}

func initialConfig(opts InitOptions) ([]byte, error) {
	data, err := fs.ReadFile(templates.FS, "cases.yaml")
	if err != nil {
		return nil, err
	}
	doc, problems := yamlx.Parse(ConfigPath, data)
	if doc == nil || len(problems) > 0 {
		return nil, diag.Invalid(problems)
	}
	root := doc.Root()
	if opts.Organization != "" {
		yamlx.Set(yamlx.Get(root, "organization"), "name", yamlx.Str(opts.Organization), nil)
	}
	if opts.Program != "" {
		if !ValidSlug(opts.Program) {
			return nil, fmt.Errorf("program id must be lower-case kebab-case, such as food-bank")
		}
		name := opts.ProgramName
		if name == "" {
			name = opts.Program
		}
		yamlx.Set(root, "programs", yamlx.Seq(yamlx.Map("id", yamlx.Str(opts.Program), "name", yamlx.Str(name))), nil)
	}
	name := opts.Name
	if name == "" {
		name, _, _ = strings.Cut(opts.Email, "@")
	}
	staff := yamlx.Map("id", yamlx.Str(StaffID(opts.Email)), "name", yamlx.Str(name), "email", yamlx.Str(opts.Email), "role", yamlx.Str("manager"))
	yamlx.Set(root, "staff", yamlx.Seq(staff), nil)
	out, err := yamlx.Encode(doc.Node)
	if err != nil {
		return nil, err
	}
	if _, problems := Check(ConfigPath, KindConfig, out); len(problems) > 0 {
		return nil, diag.Invalid(problems)
	}
	return out, nil
}

// Key orders of new mappings, so documents read the same whoever wrote them.
var (
	orderCase   = []string{"id", "program", "worker", "opened", "stage", "stage-history", "level", "level-history", "risk"}
	orderIntake = []string{"date", "worker", "referral-source", "household", "contact", "urgent-needs", "history", "eligibility", "consent", "orientation"}
	orderMember = []string{"id", "relationship", "name", "dob", "gender", "race-ethnicity", "language", "interpreter-needed", "disability", "veteran"}
)

// MemberInput describes a household member given on the command line.
type MemberInput struct {
	Relationship string
	Given        string
	Family       string
	DOB          string
	Gender       string
}

// IntakeInput is an intake given as flags.
type IntakeInput struct {
	Date           string
	Worker         string
	ReferralSource string
	Given, Family  string
	Preferred      string
	DOB            string
	Gender         string
	RaceEthnicity  []string
	Language       string
	Interpreter    *bool
	Phone, Email   string
	SafeToCall     *bool
	SafeToMessage  *bool
	Members        []MemberInput
	UrgentNeeds    []string
	Program        string
	Eligible       *bool // record an eligibility decision for Program
	Consent        bool  // record consent to services on Date
}

// IntakeFromInput fills the intake template from flags. Empty values are
// left out of the document.
func (r *Repo) IntakeFromInput(rel string, in IntakeInput) (*yamlx.Doc, error) {
	doc, err := r.NewDoc(rel, KindIntake)
	if err != nil {
		return nil, err
	}
	root := doc.Root()
	setStr := func(m *yaml.Node, key, v string) {
		if v != "" {
			yamlx.Set(m, key, yamlx.Str(v), nil)
		}
	}
	setBool := func(m *yaml.Node, key string, v *bool) {
		if v != nil {
			yamlx.Set(m, key, yamlx.Bool(*v), nil)
		}
	}
	yamlx.Set(root, "date", yamlx.Plain(in.Date), orderIntake)
	setStr(root, "worker", in.Worker)
	setStr(root, "referral-source", in.ReferralSource)
	household := yamlx.Get(root, "household")
	self := household.Content[0]
	name := yamlx.Get(self, "name")
	setStr(name, "given", in.Given)
	setStr(name, "family", in.Family)
	setStr(name, "preferred", in.Preferred)
	if in.DOB != "" {
		yamlx.Set(self, "dob", yamlx.Plain(in.DOB), orderMember)
	}
	setStr(self, "gender", in.Gender)
	if len(in.RaceEthnicity) > 0 {
		yamlx.Set(self, "race-ethnicity", yamlx.StrSeq(in.RaceEthnicity), orderMember)
	}
	setStr(self, "language", in.Language)
	setBool(self, "interpreter-needed", in.Interpreter)
	for i, m := range in.Members {
		member := yamlx.Map("id", yamlx.Str(fmt.Sprintf("m%d", i+2)), "relationship", yamlx.Str(m.Relationship))
		if m.Given != "" || m.Family != "" {
			yamlx.Set(member, "name", yamlx.Map("given", strOrNil(m.Given), "family", strOrNil(m.Family)), orderMember)
		}
		if m.DOB != "" {
			yamlx.Set(member, "dob", yamlx.Plain(m.DOB), orderMember)
		}
		if m.Gender != "" {
			yamlx.Set(member, "gender", yamlx.Str(m.Gender), orderMember)
		}
		household.Content = append(household.Content, member)
	}
	contact := yamlx.Get(root, "contact")
	setStr(contact, "phone", in.Phone)
	setStr(contact, "email", in.Email)
	setBool(contact, "safe-to-call", in.SafeToCall)
	setBool(contact, "safe-to-leave-message", in.SafeToMessage)
	if len(in.UrgentNeeds) > 0 {
		yamlx.Set(root, "urgent-needs", yamlx.StrSeq(in.UrgentNeeds), orderIntake)
	}
	if in.Eligible != nil {
		el := yamlx.EnsureSeq(root, "eligibility", orderIntake)
		el.Content = append(el.Content, yamlx.Map("program", yamlx.Str(in.Program), "eligible", yamlx.Bool(*in.Eligible),
			"decided", yamlx.Plain(in.Date), "by", yamlx.Str(in.Worker)))
	}
	if in.Consent {
		services := yamlx.Get(yamlx.Get(root, "consent"), "services")
		yamlx.Set(services, "given", yamlx.Bool(true), nil)
		yamlx.Set(services, "date", yamlx.Plain(in.Date), nil)
	}
	yamlx.Prune(doc.Node)
	return doc, nil
}

func strOrNil(s string) any {
	if s == "" {
		return nil
	}
	return yamlx.Str(s)
}

// NewCaseHeader makes case.yaml for a case opened today by actor.
func (r *Repo) NewCaseHeader(id, program, worker, opened string, at time.Time, actor Actor) (*yamlx.Doc, error) {
	doc, err := r.NewDoc(DocPath(id, KindCase), KindCase)
	if err != nil {
		return nil, err
	}
	root := doc.Root()
	yamlx.Set(root, "id", yamlx.Str(id), orderCase)
	yamlx.Set(root, "program", yamlx.Str(program), orderCase)
	yamlx.Set(root, "worker", yamlx.Str(worker), orderCase)
	yamlx.Set(root, "opened", yamlx.Plain(opened), orderCase)
	yamlx.Set(root, "stage", yamlx.Str("intake"), orderCase)
	hist := yamlx.EnsureSeq(root, "stage-history", orderCase)
	hist.Content = append(hist.Content, yamlx.Map("to", yamlx.Str("intake"), "at", yamlx.Plain(at.Format(time.RFC3339)), "by", yamlx.Str(actor.ID)))
	yamlx.Prune(doc.Node)
	return doc, nil
}

// NewCaseID picks a fresh id for a case opened at t in this repository.
func (r *Repo) NewCaseID(t time.Time) (string, error) {
	return NewCaseID(t, r.Rand, r.Exists)
}
