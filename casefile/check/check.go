// Package check holds the rules that look across documents: references
// that must exist, dates that must be in order, file names that must match
// their content, the configuration's own consistency, the layout of the
// repository and the stage a case claims. Every rule has a stable name and
// is one row of the Rules table; the README's table of rules is generated
// from it.
//
// Checker.Folder checks one case folder (commands call it before they
// write); Validate checks a whole repository, or some paths of it, the way
// cases validate does.
//
// Messages are built from the rule and the location, never from a
// document's value: a value can be personal data, and a value printed into
// a CI log could inject workflow commands.
package check

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/casefile/lifecycle"
	"github.com/casesproject/cases/casefile/yamlx"
)

// Rule describes one check.
type Rule struct {
	Name    string // stable name printed with every problem
	Checks  string // what it checks, in one line
	Example string // a mistake that breaks it
}

// Rule names.
const (
	CaseID        = "case-id"
	FileName      = "file-name"
	RefWorker     = "ref-worker"
	RefProgram    = "ref-program"
	RefMember     = "ref-member"
	RefProvider   = "ref-provider"
	RefService    = "ref-service"
	RefGoal       = "ref-goal"
	RefReferral   = "ref-referral"
	RefNote       = "ref-note"
	RefInstrument = "ref-instrument"
	RefDomain     = "ref-domain"
	HouseholdSelf = "household-self"
	MemberUnique  = "member-unique"
	PlanUnique    = "plan-unique"
	DateOrder     = "date-order"
	DateFuture    = "date-future"
	StageDocs     = "stage-documents"
	NoteEdited    = "note-edited"

	ConfigLevels     = "config-levels"
	ConfigThresholds = "config-thresholds"
	ConfigLevelMap   = "config-level-map"
	ConfigWeights    = "config-weights"
	ConfigTimezone   = "config-timezone"
	ConfigAgeBands   = "config-age-bands"
	StaffUnique      = "staff-unique"
	ProgramUnique    = "program-unique"
	ProviderUnique   = "provider-unique"

	InstrumentID       = "instrument-id"
	InstrumentUnique   = "instrument-unique"
	InstrumentQuestion = "instrument-question"
	InstrumentRedFlag  = "instrument-red-flag"

	LayoutStray = casefile.RuleLayoutStray
)

// Rules is the table of the rules this package checks (the strict reader's,
// the schema's and the answer rules are listed by their own packages).
var Rules = []Rule{
	{CaseID, "the id in case.yaml matches the case folder, and the folder sits under the month the id names", "case.yaml says id: 2026-11-AAAAA inside cases/2026-11/2026-11-BBBBB/"},
	{FileName, "an assessment's file name matches its date and member; a note's file name matches its timestamp", "assessments/2026-11-30-m2.yaml whose member is m1"},
	{RefWorker, "every staff id (worker, author, assessor, signer, attester) is on the staff list in cases.yaml", "worker: anna when the staff list has ana"},
	{RefProgram, "every program id (a case's, an eligibility decision's, a staff member's, an attestation's) is in cases.yaml", "program: shelter when cases.yaml has no such program"},
	{RefMember, "every member id names a member of the intake's household", "an assessment of m4 in a household of three"},
	{RefProvider, "every provider named by a referral, a partner goal or task, a sharing consent, a referral out or a service note is in providers.yaml", "provider: food-bank when providers.yaml says city-food-bank"},
	{RefService, "a service named with a provider is one that provider offers", "service: pantry when the provider's service is food-pantry"},
	{RefGoal, "every goal named by a task, a referral, a note or the closure's review is a goal of plan.yaml", "a task under g3 in a plan with goals g1 and g2"},
	{RefReferral, "a note's referral is a referral of plan.yaml", "referral: r2 in a plan with one referral"},
	{RefNote, "a correction names an earlier note of the same case", "corrects: a note id from another case"},
	{RefInstrument, "an assessment's instrument is in instruments/ at its version or a later one, and so is the risk model's", "instrument-version: 3 when instruments/needs.yaml is at version 2"},
	{RefDomain, "every domain named by a question, an assessment's priorities, a goal or a provider's service is an instrument domain", "priorities: [housng]"},
	{HouseholdSelf, "exactly one household member has relationship self (the client)", "two members marked self, or none"},
	{MemberUnique, "member ids are unique within the household", "two members with id m2"},
	{PlanUnique, "goal, task and referral ids are unique within the plan", "two goals with id g1"},
	{DateOrder, "dates are in order: birth before intake, intake before assessments, stage, level and referral histories in time order, closure not before the case last entered an open stage", "a date of birth after the intake date"},
	{DateFuture, "no date of something that happened lies in the future beyond deadlines.future-tolerance-minutes (due dates and expiries may)", "an intake dated next month"},
	{StageDocs, "the documents hold what the lifecycle guards require to enter the case's stage (guards a forced move overrode excepted)", "stage: planning while a household member has no assessment"},
	{NoteEdited, "a committed note is neither changed nor deleted: notes are append-only, corrections are new notes", "a note's text fixed in place after it was committed"},
	{ConfigLevels, "a less intensive level of case management is not contacted more often than a more intensive one (a frequency below one day is schema-range's to report)", "targeted: contact-days 5 while intensive has 7"},
	{ConfigThresholds, "the risk thresholds ascend: moderate below high below critical", "high: 10 with moderate: 12"},
	{ConfigLevelMap, "a higher risk level maps to a level of case management at least as intensive", "low: intensive with high: supportive"},
	{ConfigWeights, "risk weights and red-flag rules in cases.yaml name questions of the risk instrument, and red-flag answers fit them", "weights: {housing-stability: 2} when the question is housing-status"},
	{ConfigTimezone, "organization.timezone is a known IANA time zone", "timezone: Central"},
	{ConfigAgeBands, "report age bands ascend", "age-bands: [0, 25, 18]"},
	{StaffUnique, "staff ids and staff emails are unique", "two staff members with email ana@example.org"},
	{ProgramUnique, "program ids are unique", "two programs with id general"},
	{ProviderUnique, "provider ids are unique, and service ids are unique within a provider", "two providers with id legal-aid"},
	{InstrumentID, "an instrument's id matches its file name", "id: need in instruments/needs.yaml"},
	{InstrumentUnique, "domain, question and option ids and scale values are unique within an instrument", "two questions with id food-status"},
	{InstrumentQuestion, "each question has what its type needs: a scale for scale questions, options for choice questions, min not above max; and nothing its type ignores", "a single-choice question without options"},
	{InstrumentRedFlag, "a question's red-flag answers fit the question", "red-flag-answers: [homeless] when the options say unsheltered"},
	{LayoutStray, "nothing lies outside the layout: in a case folder only its documents, at the top only the files the layout allows (ignored files excepted)", "scan.pdf in a case folder, or provider.yaml at the top"},
}

// Checker checks case folders against the repository's configuration.
type Checker struct {
	Repo *casefile.Repo
	Cfg  *casefile.Config
	Now  time.Time

	// cfgOK is false when cases.yaml could not be read: rules that look
	// up staff, programs or settings are then left out rather than
	// failing every case.
	cfgOK bool

	mu          sync.Mutex
	providers   *casefile.Providers // nil when providers.yaml is unusable
	provLoaded  bool
	instruments map[string]*instrumentState
	used        map[string]bool // instruments assessments were checked against
	domains     map[string]bool // every domain of every usable instrument; nil until needed
}

type instrumentState struct {
	exists bool
	inst   *casefile.Instrument // nil unless it exists and has no problems
	probs  []diag.Problem
}

// New makes a checker for the repository at its current time.
func New(r *casefile.Repo) *Checker {
	return &Checker{Repo: r, Cfg: r.Config, Now: r.Now(), cfgOK: ConfigUsable(r), instruments: map[string]*instrumentState{}, used: map[string]bool{}}
}

// ConfigUsable reports whether cases.yaml was read and decoded (it may
// still have schema problems in single fields). When it was not, the
// repository runs on an empty configuration that no case would match.
func ConfigUsable(r *casefile.Repo) bool {
	if r.ConfigDoc == nil {
		return false
	}
	for _, p := range r.ConfigProblems {
		if strings.HasPrefix(p.Rule, "yaml-") {
			return false
		}
	}
	_, err := casefile.DecodeDoc[casefile.Config](r.ConfigDoc)
	return err == nil
}

// Folder returns every problem of a case folder: those found reading its
// documents, then the cross-document rules.
func (c *Checker) Folder(f *casefile.Folder) []diag.Problem {
	ps := slices.Clone(f.Problems)
	add := func(p diag.Problem) { ps = append(ps, p) }
	for _, k := range []casefile.Kind{casefile.KindCase, casefile.KindIntake} {
		if p := casefile.DocPath(f.ID, k); !f.HasDoc(k) && !slices.Contains(f.Stray, p) {
			add(diag.Problem{Path: p, Line: 1, Col: 1, Rule: StageDocs, Message: "the case folder has no " + path.Base(p) + "; every case has one from the start"})
		}
	}
	if f.Case != nil {
		c.caseHeader(f, add)
	}
	if f.Intake != nil {
		c.intake(f, add)
	}
	for _, a := range f.Assessments {
		c.assessment(f, a, add)
	}
	if f.Plan != nil {
		c.plan(f, add)
	}
	for _, n := range f.Notes {
		c.note(f, n, add)
	}
	if f.Closure != nil {
		c.closure(f, add)
	}
	// The stage is judged only on documents that read cleanly: a guard
	// reading a broken document would report what is merely unreadable,
	// and its messages name ids that only the schema vouches for.
	if f.Case != nil && len(f.Problems) == 0 {
		c.stage(f, add)
	}
	return ps
}

type adder func(diag.Problem)

// at locates a path of keys in a document.
func at(d *yamlx.Doc, rule, msg string, path ...string) diag.Problem {
	_, n, _ := yamlx.Find(d.Node, path)
	line, col := yamlx.Line(n)
	return diag.Problem{Path: d.Path, Line: line, Col: col, Rule: rule, Message: msg}
}

// keyAt locates the key of a mapping entry (for a problem about the key).
func keyAt(d *yamlx.Doc, rule, msg string, path ...string) diag.Problem {
	k, n, found := yamlx.Find(d.Node, path)
	if found && k != nil {
		n = k
	}
	line, col := yamlx.Line(n)
	return diag.Problem{Path: d.Path, Line: line, Col: col, Rule: rule, Message: msg}
}

// field renders a path of keys as household[0].name.given.
func field(path ...string) string {
	var b strings.Builder
	for _, s := range path {
		if _, err := strconv.Atoi(s); err == nil {
			b.WriteString("[" + s + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(safeID(s))
	}
	return b.String()
}

var idRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// safeID shows an id from a document only when it has the form of an id;
// anything else could be personal data typed in the wrong place.
func safeID(s string) string {
	if idRE.MatchString(s) {
		return s
	}
	return "(not shown)"
}

func idx(i int) string { return strconv.Itoa(i) }

func (c *Checker) staff(id string) bool {
	_, ok := c.Cfg.StaffByID(id)
	return ok
}

// refWorker flags a staff id that is not on the staff list.
func (c *Checker) refWorker(d *yamlx.Doc, add adder, id string, path ...string) {
	if c.cfgOK && id != "" && !c.staff(id) {
		add(at(d, RefWorker, field(path...)+" is not on the staff list in cases.yaml", path...))
	}
}

func (c *Checker) refProgram(d *yamlx.Doc, add adder, id string, path ...string) {
	if c.cfgOK && id != "" {
		if _, ok := c.Cfg.Program(id); !ok {
			add(at(d, RefProgram, field(path...)+" is not a program in cases.yaml", path...))
		}
	}
}

func (c *Checker) caseHeader(f *casefile.Folder, add adder) {
	d, h := f.Case, f.Case.Data
	if h.ID != f.ID {
		add(at(d.Doc, CaseID, "id does not match the case folder "+f.ID, "id"))
	}
	c.refProgram(d.Doc, add, h.Program, "program")
	c.refWorker(d.Doc, add, h.Worker, "worker")
	c.future(d.Doc, add, h.Opened, "opened")
	var prev time.Time
	for i, m := range h.StageHistory {
		c.refWorker(d.Doc, add, m.By, "stage-history", idx(i), "by")
		t, ok := c.timestamp(d.Doc, add, m.At, "stage-history", idx(i), "at")
		if !ok {
			continue
		}
		if !prev.IsZero() && t.Before(prev) {
			add(at(d.Doc, DateOrder, fmt.Sprintf("stage-history[%d] is earlier than the move before it", i), "stage-history", idx(i), "at"))
		}
		prev = t
	}
	prev = time.Time{}
	for i, l := range h.LevelHistory {
		c.refWorker(d.Doc, add, l.By, "level-history", idx(i), "by")
		t, ok := c.timestamp(d.Doc, add, l.At, "level-history", idx(i), "at")
		if !ok {
			continue
		}
		if !prev.IsZero() && t.Before(prev) {
			add(at(d.Doc, DateOrder, fmt.Sprintf("level-history[%d] is earlier than the change before it", i), "level-history", idx(i), "at"))
		}
		prev = t
	}
	if r := h.Risk; r != nil {
		c.refWorker(d.Doc, add, r.By, "risk", "by")
		c.timestamp(d.Doc, add, r.At, "risk", "at")
	}
}

func (c *Checker) intake(f *casefile.Folder, add adder) {
	d, in := f.Intake, f.Intake.Data
	c.refWorker(d.Doc, add, in.Worker, "worker")
	c.future(d.Doc, add, in.Date, "date")
	selves := 0
	seen := map[string]bool{}
	for i, m := range in.Household {
		if m.Relationship == "self" {
			selves++
		}
		if seen[m.ID] {
			add(at(d.Doc, MemberUnique, fmt.Sprintf("household[%d] repeats a member id", i), "household", idx(i), "id"))
		}
		seen[m.ID] = true
		if m.DOB != "" {
			if in.Date != "" && m.DOB > in.Date {
				add(at(d.Doc, DateOrder, fmt.Sprintf("household[%d].dob is after the intake date", i), "household", idx(i), "dob"))
			}
			c.future(d.Doc, add, m.DOB, "household", idx(i), "dob")
		}
	}
	if selves != 1 {
		add(at(d.Doc, HouseholdSelf, fmt.Sprintf("the household has %d members with relationship self; the client must be exactly one", selves), "household"))
	}
	for i, e := range in.Eligibility {
		c.refProgram(d.Doc, add, e.Program, "eligibility", idx(i), "program")
		c.refWorker(d.Doc, add, e.By, "eligibility", idx(i), "by")
		c.future(d.Doc, add, e.Decided, "eligibility", idx(i), "decided")
		if r := e.ReferralOut; r != nil {
			c.refService(d.Doc, add, r.Provider, r.Service, "eligibility", idx(i), "referral-out")
			c.future(d.Doc, add, r.Date, "eligibility", idx(i), "referral-out", "date")
		}
	}
	if s := in.Consent.Services; s != nil {
		c.future(d.Doc, add, s.Date, "consent", "services", "date")
	}
	for i, s := range in.Consent.Sharing {
		c.refProvider(d.Doc, add, s.Partner, "consent", "sharing", idx(i), "partner")
		c.future(d.Doc, add, s.Date, "consent", "sharing", idx(i), "date")
	}
	c.future(d.Doc, add, in.Orientation.Date, "orientation", "date")
}

func (c *Checker) assessment(f *casefile.Folder, d *casefile.Doc[casefile.Assessment], add adder) {
	a := d.Data
	// The loader placed the file by its name: <date>-<member>.yaml.
	if name := path.Base(d.Path); name != a.Date+"-"+a.Member+".yaml" {
		add(at(d.Doc, FileName, "file name must be <date>-<member>.yaml of the assessment's own date and member", "date"))
	}
	c.refWorker(d.Doc, add, a.Assessor, "assessor")
	age := -1
	if f.Intake != nil {
		m := f.Intake.Data.Member(a.Member)
		if m == nil {
			add(at(d.Doc, RefMember, "member is not in the intake's household", "member"))
		} else if on, err := time.Parse(time.DateOnly, a.Date); err == nil {
			age = casefile.Age(m.DOB, on)
		}
		if a.Date < f.Intake.Data.Date {
			add(at(d.Doc, DateOrder, "assessment date is before the intake date", "date"))
		}
	}
	c.future(d.Doc, add, a.Date, "date")
	c.answers(d, age, add)
}

// answers checks an assessment against its instrument. An assessment made
// with an earlier version of the instrument is not checked against the
// current one: its questions may have changed since, and the repository
// keeps only the current version.
func (c *Checker) answers(d *casefile.Doc[casefile.Assessment], age int, add adder) {
	a := d.Data
	if a.Instrument == "" {
		return
	}
	st := c.instrument(a.Instrument)
	c.mu.Lock()
	c.used[a.Instrument] = true
	c.mu.Unlock()
	switch {
	case !st.exists:
		add(at(d.Doc, RefInstrument, "instrument is not in instruments/", "instrument"))
		return
	case st.inst == nil:
		return // the instrument's own problems are reported on it
	case a.InstrumentVersion > st.inst.Version:
		add(at(d.Doc, RefInstrument, fmt.Sprintf("instrument-version is later than the instrument's version %d", st.inst.Version), "instrument-version"))
		return
	case a.InstrumentVersion < st.inst.Version:
		return
	}
	for _, p := range st.inst.CheckAnswers(a.Answers, age) {
		switch p.Rule {
		case casefile.RuleAnswerRequired:
			add(keyAt(d.Doc, p.Rule, "answers."+p.Question+": "+p.Message, "answers"))
		default:
			add(keyAt(d.Doc, p.Rule, "answers."+safeID(p.Question)+": "+p.Message, "answers", p.Question))
		}
	}
	for i, dom := range a.Priorities {
		if st.inst.Domain(dom) == nil {
			add(at(d.Doc, RefDomain, fmt.Sprintf("priorities[%d] is not a domain of the instrument", i), "priorities", idx(i)))
		}
	}
}

func (c *Checker) plan(f *casefile.Folder, add adder) {
	d, p := f.Plan, f.Plan.Data
	if p.Meeting != nil {
		c.future(d.Doc, add, p.Meeting.Date, "meeting", "date")
	}
	unique := func(kind string, ids []string) {
		seen := map[string]bool{}
		for i, id := range ids {
			if seen[id] {
				add(at(d.Doc, PlanUnique, fmt.Sprintf("%s[%d] repeats an id", kind, i), kind, idx(i), "id"))
			}
			seen[id] = true
		}
	}
	var goals, tasks, refs []string
	for i, g := range p.Goals {
		goals = append(goals, g.ID)
		if g.Partner != "" {
			c.refProvider(d.Doc, add, g.Partner, "goals", idx(i), "partner")
		}
		if g.Domain != "" && !c.anyDomain(g.Domain) {
			add(at(d.Doc, RefDomain, fmt.Sprintf("goals[%d].domain is not a domain of any instrument", i), "goals", idx(i), "domain"))
		}
		c.future(d.Doc, add, g.Created, "goals", idx(i), "created")
	}
	for i, t := range p.Tasks {
		tasks = append(tasks, t.ID)
		c.refGoal(f, d.Doc, add, t.Goal, "tasks", idx(i), "goal")
		if t.Partner != "" {
			c.refProvider(d.Doc, add, t.Partner, "tasks", idx(i), "partner")
		}
		c.future(d.Doc, add, t.Done, "tasks", idx(i), "done")
	}
	for i, r := range p.Referrals {
		refs = append(refs, r.ID)
		c.refService(d.Doc, add, r.Provider, r.Service, "referrals", idx(i))
		if r.Goal != "" {
			c.refGoal(f, d.Doc, add, r.Goal, "referrals", idx(i), "goal")
		}
		c.future(d.Doc, add, r.Sent, "referrals", idx(i), "sent")
		prev := r.Sent
		for j, h := range r.History {
			c.future(d.Doc, add, h.Date, "referrals", idx(i), "history", idx(j), "date")
			if h.Date != "" && prev != "" && h.Date < prev {
				add(at(d.Doc, DateOrder, fmt.Sprintf("referrals[%d].history[%d] is earlier than the status before it", i, j), "referrals", idx(i), "history", idx(j), "date"))
			}
			if h.Date != "" {
				prev = h.Date
			}
		}
	}
	unique("goals", goals)
	unique("tasks", tasks)
	unique("referrals", refs)
	if a := p.Agreement; a != nil {
		c.future(d.Doc, add, a.Signed.Client, "agreement", "signed", "client")
		c.future(d.Doc, add, a.Signed.Worker, "agreement", "signed", "worker")
	}
}

// refGoal flags a goal id that is not a goal of the case's plan.
func (c *Checker) refGoal(f *casefile.Folder, d *yamlx.Doc, add adder, goal string, path ...string) {
	if goal == "" {
		return
	}
	switch {
	case f.Plan == nil && !f.HasDoc(casefile.KindPlan):
		add(at(d, RefGoal, field(path...)+" names a goal, but the case has no plan.yaml", path...))
	case f.Plan != nil && f.Plan.Data.Goal(goal) == nil:
		add(at(d, RefGoal, field(path...)+" is not a goal of plan.yaml", path...))
	}
}

func (c *Checker) note(f *casefile.Folder, d *casefile.Doc[casefile.Note], add adder) {
	n := d.Data
	// The loader placed the file by its name: <timestamp>-<suffix>.yaml.
	t, err := time.Parse(time.RFC3339, n.At)
	if err == nil && !strings.HasPrefix(path.Base(d.Path), t.UTC().Format("20060102T150405Z")+"-") {
		add(at(d.Doc, FileName, "file name must start with the note's timestamp in UTC (yyyymmddThhmmssZ)", "at"))
	}
	c.refWorker(d.Doc, add, n.Author, "author")
	if err == nil {
		c.futureTime(d.Doc, add, t, "at")
	}
	for i, g := range n.Goals {
		c.refGoal(f, d.Doc, add, g, "goals", idx(i))
	}
	if n.Referral != "" {
		switch {
		case f.Plan == nil && !f.HasDoc(casefile.KindPlan):
			add(at(d.Doc, RefReferral, "referral names a referral, but the case has no plan.yaml", "referral"))
		case f.Plan != nil && !slices.ContainsFunc(f.Plan.Data.Referrals, func(r casefile.Referral) bool { return r.ID == n.Referral }):
			add(at(d.Doc, RefReferral, "referral is not a referral of plan.yaml", "referral"))
		}
	}
	if s := n.Service; s != nil && s.Provider != "" {
		c.refService(d.Doc, add, s.Provider, s.Service, "service")
	}
	if n.Corrects != "" {
		target := casefile.NotePath(f.ID, n.Corrects)
		switch {
		case !slices.Contains(f.Files, target):
			add(at(d.Doc, RefNote, "corrects is not a note of this case", "corrects"))
		case target == d.Path || casefile.Locate(target).Name[0] > casefile.Locate(d.Path).Name[0]:
			// Compare timestamps, not whole names: a correction written in
			// the same second as its note sorts by its random suffix.
			add(at(d.Doc, RefNote, "corrects must name an earlier note", "corrects"))
		}
	}
}

func (c *Checker) closure(f *casefile.Folder, add adder) {
	d, cl := f.Closure, f.Closure.Data
	c.future(d.Doc, add, cl.Date, "date")
	for i, g := range cl.Goals {
		c.refGoal(f, d.Doc, add, g.Goal, "goals", idx(i), "goal")
	}
	if iv := cl.Interview; iv != nil {
		c.future(d.Doc, add, iv.Date, "interview", "date")
	}
	for i, r := range cl.ReferralsOut {
		c.refService(d.Doc, add, r.Provider, r.Service, "referrals-out", idx(i))
		c.future(d.Doc, add, r.Date, "referrals-out", idx(i), "date")
	}
	if fc := cl.FutureContact; fc != nil {
		c.future(d.Doc, add, fc.Signed.Client, "future-contact", "signed", "client")
		c.future(d.Doc, add, fc.Signed.Worker, "future-contact", "signed", "worker")
	}
	for i, ci := range cl.FollowUp {
		c.future(d.Doc, add, ci.Done, "follow-up", idx(i), "done")
	}
	// The closure cannot predate the case's last move into an open stage
	// (opening, a reopening, a step of the lifecycle). Once a closed case
	// is reopened the old closure is history and no longer compared.
	if f.Case == nil || casefile.OpenStage(f.Case.Data.Stage) || cl.Date == "" {
		return
	}
	last := ""
	for _, m := range f.Case.Data.StageHistory {
		if t, err := time.Parse(time.RFC3339, m.At); err == nil && casefile.OpenStage(m.To) {
			last = t.In(c.Now.Location()).Format(time.DateOnly)
		}
	}
	if last != "" && cl.Date < last {
		add(at(d.Doc, DateOrder, "date is before the case last entered an open stage (case.yaml stage-history)", "date"))
	}
}

// stage checks that the documents hold what the current stage requires.
func (c *Checker) stage(f *casefile.Folder, add adder) {
	for _, fail := range lifecycle.StageFailures(f) {
		add(at(f.Case.Doc, StageDocs, fmt.Sprintf("stage %s requires %s: %s; fix %s", f.Case.Data.Stage, fail.Guard, strings.Join(fail.Missing, "; "), fail.File), "stage"))
	}
}

// refProvider flags a provider id that is not in providers.yaml and
// returns the provider (nil when it is unknown or the directory unusable).
func (c *Checker) refProvider(d *yamlx.Doc, add adder, id string, path ...string) *casefile.Provider {
	dir, ok := c.providerDir()
	if !ok || id == "" {
		return nil
	}
	p := dir.Provider(id)
	if p == nil {
		add(at(d, RefProvider, field(path...)+" is not a provider in providers.yaml", path...))
	}
	return p
}

// refService flags the provider and service of the mapping at base when
// providers.yaml has no such provider, or the provider no such service.
func (c *Checker) refService(d *yamlx.Doc, add adder, provider, service string, base ...string) {
	p := c.refProvider(d, add, provider, append(slices.Clone(base), "provider")...)
	if p != nil && service != "" && p.Service(service) == nil {
		path := append(slices.Clone(base), "service")
		add(at(d, RefService, field(path...)+" is not a service of that provider in providers.yaml", path...))
	}
}

// providerDir loads providers.yaml once; ok is false when it cannot be
// used (its own problems are reported on it).
func (c *Checker) providerDir() (*casefile.Providers, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.provLoaded {
		c.provLoaded = true
		d, problems, err := c.Repo.Providers()
		if err == nil && d != nil && len(problems) == 0 {
			c.providers = &d.Data
		}
	}
	return c.providers, c.providers != nil
}

// instrument loads an instrument once.
func (c *Checker) instrument(id string) *instrumentState {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.instrumentLocked(id)
}

func (c *Checker) instrumentLocked(id string) *instrumentState {
	if st, ok := c.instruments[id]; ok {
		return st
	}
	st := &instrumentState{}
	c.instruments[id] = st
	if !casefile.ValidSlug(id) {
		return st
	}
	if _, err := os.Lstat(c.Repo.Abs(casefile.InstrumentDir + "/" + id + ".yaml")); err != nil {
		st.exists = !errors.Is(err, fs.ErrNotExist)
		return st
	}
	st.exists = true
	d, problems, err := c.Repo.Instrument(id)
	st.probs = problems
	if err != nil || d == nil {
		return st
	}
	if len(problems) == 0 {
		st.inst = &d.Data
		st.probs = append(st.probs, instrumentRules(d)...)
		if len(st.probs) > 0 {
			st.inst = nil
		}
	}
	return st
}

// anyDomain reports whether some usable instrument has the domain (true
// when no instrument can be read, so as not to cry wolf).
func (c *Checker) anyDomain(dom string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.domains == nil {
		c.domains = map[string]bool{}
		for _, id := range c.instrumentIDs() {
			if st := c.instrumentLocked(id); st.inst != nil {
				for _, d := range st.inst.Domains {
					c.domains[d.ID] = true
				}
			}
		}
	}
	return len(c.domains) == 0 || c.domains[dom]
}

// timestamp parses an RFC 3339 timestamp and flags it when it lies in the
// future; ok is false when it does not parse (the schema says so).
func (c *Checker) timestamp(d *yamlx.Doc, add adder, s string, path ...string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return t, false
	}
	c.futureTime(d, add, t, path...)
	return t, true
}

// future flags a date later than today plus the tolerance.
func (c *Checker) future(d *yamlx.Doc, add adder, date string, path ...string) {
	if date == "" {
		return
	}
	t, err := casefile.ParseDate(date, c.Now.Location())
	if err != nil {
		return
	}
	c.futureTime(d, add, t, path...)
}

func (c *Checker) futureTime(d *yamlx.Doc, add adder, t time.Time, path ...string) {
	tol := time.Duration(c.Cfg.Deadlines.FutureToleranceMinutes) * time.Minute
	if t.After(c.Now.Add(tol)) {
		add(at(d, DateFuture, field(path...)+" is in the future", path...))
	}
}

// Introduced returns the problems in after that were not in before,
// comparing rule, path and message (not position: an edit moves lines).
// Commands that change a document refuse only what the change introduced.
func Introduced(before, after []diag.Problem) []diag.Problem {
	key := func(p diag.Problem) string { return p.Path + "\x00" + p.Rule + "\x00" + p.Message }
	old := map[string]int{}
	for _, p := range before {
		old[key(p)]++
	}
	var out []diag.Problem
	for _, p := range after {
		if old[key(p)] > 0 {
			old[key(p)]--
			continue
		}
		out = append(out, p)
	}
	return out
}
