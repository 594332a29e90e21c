// Package due finds everything in a caseload that falls due: contacts the
// case's level of case management calls for, assessments, reassessments,
// tasks, goals, referrals awaiting an answer, follow-up check-ins and plans
// still unsigned. Each item says why it is due. The rules are one table
// (Rules), from which the README's table is generated.
//
// Items are computed case by case from the documents alone (For), so a
// caseload is streamed through Repo.Walk keeping only the items that fall
// within the window asked for (Collect).
package due

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/scan"
)

// Kinds of due items.
const (
	KindHighRiskContact = "high-risk-contact"
	KindContact         = "contact"
	KindAssessment      = "assessment"
	KindReassessment    = "reassessment"
	KindPlan            = "plan"
	KindTask            = "task"
	KindGoal            = "goal"
	KindReferral        = "referral"
	KindCheckIn         = "check-in"
)

// Rule is one kind of due item: what falls due, when, and the setting in
// cases.yaml that sets the time.
type Rule struct {
	Kind    string
	Applies string // which cases and items it applies to
	DueOn   string // when it falls due
	Setting string // the cases.yaml key, or "" when the documents hold the date
}

// Rules lists every kind of item, in the order items due the same day are
// listed (the most pressing first).
var Rules = []Rule{
	{KindHighRiskContact, "open cases whose recorded risk is high or critical", "the last contact with the client (or enrollment) plus the high-risk contact days, when that comes before the level's own contact date", "deadlines.high-risk-contact-days"},
	{KindContact, "open cases", "the last contact with the client (or enrollment) plus the contact days of the case's level; a case with no level yet is held to the shortest interval of any level", "levels.LEVEL.contact-days"},
	{KindAssessment, "each household member of an open case with no assessment yet", "enrollment plus the assessment days", "deadlines.assessment-days"},
	{KindReassessment, "each assessed household member of an open case", "the member's latest assessment plus the reassessment days", "deadlines.reassessment-days"},
	{KindPlan, "open cases whose plan agreement is not signed by both client and worker", "enrollment plus the plan days", "deadlines.plan-days"},
	{KindTask, "tasks of an open case that are to do or in progress and have a due date", "the task's due date", ""},
	{KindGoal, "goals of an open case that are not started or in progress and have a due date", "the goal's due date", ""},
	{KindReferral, "referrals of an open case still at sent (no answer from the provider)", "the date sent plus the referral response days", "deadlines.referral-response-days"},
	{KindCheckIn, "follow-up check-ins not yet done, for a case in follow-up", "the check-in's due date", ""},
}

func rank(kind string) int {
	return slices.IndexFunc(Rules, func(r Rule) bool { return r.Kind == kind })
}

// Item is one thing that falls due.
type Item struct {
	Case   string `json:"case"`
	Worker string `json:"worker"`
	Kind   string `json:"kind"`
	// Ref names what within the case: a member (m2), goal (g1), task (t3),
	// referral (r1) or check-in (its due date); "" for the case itself.
	Ref  string `json:"ref"`
	Goal string `json:"goal,omitempty"` // the goal a task or referral serves
	Due  string `json:"due"`            // YYYY-MM-DD
	// Days from today to the due date: negative when overdue.
	Days int    `json:"days"`
	Risk string `json:"risk,omitempty"` // the case's recorded risk level
	// Why says what makes it due, in words that hold no personal data: ids,
	// dates, levels and settings only.
	Why string `json:"why"`
}

// Overdue reports whether the due date has passed.
func (it Item) Overdue() bool { return it.Days < 0 }

// UID is a stable identifier of the item: the same case, kind and ref give
// the same UID on every run, so a subscribed calendar updates an entry
// instead of adding another.
func (it Item) UID() string {
	parts := []string{it.Case, it.Kind}
	if it.Ref != "" {
		parts = append(parts, it.Ref)
	}
	return strings.Join(parts, "-") + "@cases"
}

// entry is an item as Collect keeps it until it is printed: about 130
// bytes, with its reason kept as the values the words are made from and
// its dates as day numbers, so a caseload's worth of items stays small.
type entry struct {
	caseID, worker, ref, goal string
	a, b                      string // the reason's words: a level, status, provider...
	due, days                 int32  // due: days since 1970-01-01
	date                      int32  // the date the reason names, days since 1970-01-01
	n, m                      int32  // the reason's numbers: days of a rule, check-in i of m
	kind                      uint8  // index in Rules
	risk                      uint8  // 1 + index in casefile.RiskLevels, 0 when none
	variant                   uint8  // which wording (see why)
}

// Wordings of the contact reason (bits of entry.variant).
const (
	noContact    = 1 << iota // no contact since enrollment
	noLevel                  // no level set: the shortest interval
	unknownLevel             // a level without contact days: the shortest interval
	highRisk                 // high or critical risk: the high-risk interval
)

var epoch = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

func dayNumber(t time.Time) int32 {
	return int32(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Sub(epoch).Hours() / 24)
}

func dayString(n int32) string { return epoch.AddDate(0, 0, int(n)).Format(time.DateOnly) }

// item makes the item an entry stands for.
func (e *entry) item() Item {
	it := Item{Case: e.caseID, Worker: e.worker, Kind: Rules[e.kind].Kind, Ref: e.ref, Goal: e.goal,
		Due: dayString(e.due), Days: int(e.days), Why: e.why()}
	if e.risk > 0 {
		it.Risk = casefile.RiskLevels[e.risk-1]
	}
	return it
}

// why words the reason.
func (e *entry) why() string {
	switch Rules[e.kind].Kind {
	case KindContact, KindHighRiskContact:
		what := "last contact " + dayString(e.date)
		if e.variant&noContact != 0 {
			what = "no contact recorded since enrollment on " + dayString(e.date)
		}
		switch {
		case e.variant&highRisk != 0:
			return fmt.Sprintf("%s; recorded risk %s: contact at least every %d days (deadlines.high-risk-contact-days)", what, e.a, e.n)
		case e.variant&noLevel != 0:
			return fmt.Sprintf("%s; no level set yet: held to the shortest interval, every %d days (%s), until one is", what, e.n, e.a)
		case e.variant&unknownLevel != 0:
			return fmt.Sprintf("%s; level %s has no contact days in cases.yaml: held to the shortest interval, every %d days (%s)", what, e.b, e.n, e.a)
		}
		return fmt.Sprintf("%s; %s level: every %d days", what, e.a, e.n)
	case KindAssessment:
		return fmt.Sprintf("member %s not assessed; every member within %d days of enrollment on %s (deadlines.assessment-days)", e.ref, e.n, dayString(e.date))
	case KindReassessment:
		return fmt.Sprintf("member %s last assessed %s; reassess every %d days (deadlines.reassessment-days)", e.ref, dayString(e.date), e.n)
	case KindPlan:
		missing := "no plan yet"
		switch e.variant {
		case 1:
			missing = "agreement not signed by the client"
		case 2:
			missing = "agreement not signed by the worker"
		case 3:
			missing = "agreement not signed by the client or the worker"
		}
		return fmt.Sprintf("%s; a signed plan within %d days of enrollment on %s (deadlines.plan-days)", missing, e.n, dayString(e.date))
	case KindGoal:
		return fmt.Sprintf("goal %s is %s, due %s", e.ref, e.a, dayString(e.due))
	case KindTask:
		owner := ""
		if e.b != "" {
			owner = ", owner " + e.b
		}
		return fmt.Sprintf("task %s of goal %s is %s%s, due %s", e.ref, e.goal, e.a, owner, dayString(e.due))
	case KindReferral:
		return fmt.Sprintf("referral %s to %s/%s sent %s, no answer yet; expect one within %d days (deadlines.referral-response-days)", e.ref, e.a, e.b, dayString(e.date), e.n)
	case KindCheckIn:
		return fmt.Sprintf("follow-up check-in %d of %d after closure on %s", e.n, e.m, dayString(e.date))
	}
	return ""
}

// Options select the items.
type Options struct {
	Today  time.Time // the day to count from, in the organization's zone
	Worker string    // only cases of this worker ("" for all)
	Within int       // only items due within this many days from today
	// Overdue keeps only items whose due date has passed.
	Overdue bool
}

// keep reports whether an item due in days is selected by the options.
func (o Options) keep(days int32) bool {
	if o.Overdue {
		return days < 0
	}
	return int(days) <= o.Within
}

// For lists every item of one case, whatever its due date, in no
// particular order. Documents that could not be read are left out (validate
// reports them).
func For(f *casefile.Folder, cfg *casefile.Config, today time.Time) []Item {
	es := entries(f, cfg, today)
	out := make([]Item, len(es))
	for i := range es {
		out[i] = es[i].item()
	}
	return out
}

func entries(f *casefile.Folder, cfg *casefile.Config, today time.Time) []entry {
	if f.Case == nil {
		return nil
	}
	c := &f.Case.Data
	b := builder{f: f, cfg: cfg, loc: today.Location(), today: dayNumber(today)}
	b.base = entry{caseID: f.ID, worker: c.Worker}
	if c.Risk != nil {
		b.base.risk = uint8(slices.Index(casefile.RiskLevels, c.Risk.Level) + 1)
	}
	switch {
	case c.Stage == "follow-up":
		b.checkIns()
	case casefile.OpenStage(c.Stage):
		b.contact()
		b.assessments()
		b.plan()
	}
	return b.items
}

type builder struct {
	f     *casefile.Folder
	cfg   *casefile.Config
	loc   *time.Location
	today int32
	base  entry
	items []entry
}

// add appends an item of a kind due on a date plus some days; it returns
// nil (and adds nothing) when the date is not a date.
func (b *builder) add(kind, ref, date string, plus int) *entry {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return nil
	}
	e := b.base
	e.kind, e.ref = uint8(rank(kind)), ref
	e.due = dayNumber(d) + int32(plus)
	e.days = e.due - b.today
	b.items = append(b.items, e)
	return &b.items[len(b.items)-1]
}

// contact adds the next contact the case's level calls for, or the
// high-risk contact when that comes first.
func (b *builder) contact() {
	c := &b.f.Case.Data
	from, variant := c.Opened, uint8(noContact)
	if at, ok := casefile.LastContact(b.f); ok {
		from, variant = at.In(b.loc).Format(time.DateOnly), 0
	}
	risk := ""
	if c.Risk != nil {
		risk = c.Risk.Level
	}
	kind, days, level := ContactInterval(b.cfg, c.Level, risk)
	a := level
	switch {
	case kind == KindHighRiskContact:
		variant |= highRisk
		a = risk
	case c.Level == "":
		variant |= noLevel
	case level != c.Level:
		variant |= unknownLevel
	}
	if e := b.add(kind, "", from, days); e != nil {
		e.date, e.a, e.b, e.n, e.variant = e.due-int32(days), a, c.Level, int32(days), variant
	}
}

// ContactInterval is how often a case must be contacted: every days days,
// by the contact days of its level (the shortest of any level when it has
// none yet, which is then the level returned), or by the high-risk contact
// days when its recorded risk is high or critical and that is sooner (kind
// is then KindHighRiskContact).
func ContactInterval(cfg *casefile.Config, level, risk string) (kind string, days int, levelUsed string) {
	days = cfg.ContactDays(level)
	if level == "" || days <= 0 {
		level, days = ShortestLevel(cfg)
	}
	if hr := cfg.Deadlines.HighRiskContactDays; (risk == "high" || risk == "critical") && hr > 0 && hr < days {
		return KindHighRiskContact, hr, level
	}
	return KindContact, days, level
}

// ShortestLevel is the level with the shortest contact interval, which a
// case with no level yet is held to (ties go to the more intensive level).
func ShortestLevel(cfg *casefile.Config) (string, int) {
	names := make([]string, 0, len(cfg.Levels))
	for l, lc := range cfg.Levels {
		if lc.ContactDays > 0 {
			names = append(names, l)
		}
	}
	if len(names) == 0 {
		return "intensive", 7
	}
	order := func(l string) int {
		if i := slices.Index(casefile.Levels, l); i >= 0 {
			return i
		}
		return len(casefile.Levels)
	}
	best := slices.MinFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(cfg.ContactDays(a), cfg.ContactDays(b)), cmp.Compare(order(a), order(b)), strings.Compare(a, b))
	})
	return best, cfg.ContactDays(best)
}

// assessments adds each member's first assessment while it is missing, and
// each assessed member's reassessment. Assessment dates come from the file
// names (assessments/<date>-<member>.yaml), so the documents need not be
// read.
func (b *builder) assessments() {
	if b.f.Intake == nil {
		return
	}
	latest := AssessmentDates(b.f, "9999-12-31")
	c := &b.f.Case.Data
	dl := b.cfg.Deadlines
	for _, m := range b.f.Intake.Data.Household {
		if dates := latest[m.ID]; len(dates) > 0 {
			last := dates[len(dates)-1]
			if e := b.add(KindReassessment, m.ID, last, dl.ReassessmentDays); e != nil {
				e.date, e.n = e.due-int32(dl.ReassessmentDays), int32(dl.ReassessmentDays)
			}
			continue
		}
		if e := b.add(KindAssessment, m.ID, c.Opened, dl.AssessmentDays); e != nil {
			e.date, e.n = e.due-int32(dl.AssessmentDays), int32(dl.AssessmentDays)
		}
	}
}

// AssessmentDates maps each member to the dates of their assessments up to
// a day, oldest first, from the assessments' file names
// (assessments/<date>-<member>.yaml, which validate holds to the document).
func AssessmentDates(f *casefile.Folder, until string) map[string][]string {
	out := map[string][]string{}
	for _, p := range f.Files {
		if loc := casefile.Locate(p); loc.Kind == casefile.KindAssessment && loc.Name[0] <= until {
			out[loc.Name[1]] = append(out[loc.Name[1]], loc.Name[0])
		}
	}
	for _, dates := range out {
		slices.Sort(dates)
	}
	return out
}

// LoadLastContact reads a case's notes newest first, by file name, until it
// has read a contact note dated on or before a day (in the zone of loc), so
// casefile.LastContact finds the latest contact without every note being
// read. Notes already loaded are not read again.
func LoadLastContact(r *casefile.Repo, f *casefile.Folder, until string, loc *time.Location) error {
	loaded := map[string]bool{}
	for _, n := range f.Notes {
		loaded[n.Path] = true
		if casefile.IsContact(n.Data.Type) && noteDay(n.Data.At, loc) <= until {
			return nil
		}
	}
	// A note's file name carries its UTC timestamp: one day of slack
	// covers any time zone.
	limit := strings.ReplaceAll(addDay(until), "-", "") + "T999999Z"
	paths := scan.Paths(f, casefile.KindNote)
	for i := len(paths) - 1; i >= 0; i-- {
		p := paths[i]
		if loaded[p] || casefile.Locate(p).Name[0] > limit {
			continue
		}
		n, err := scan.LoadNote(r, f, p)
		if err != nil {
			return err
		}
		if n != nil && casefile.IsContact(n.Data.Type) && noteDay(n.Data.At, loc) <= until {
			return nil
		}
	}
	return nil
}

func noteDay(at string, loc *time.Location) string {
	t, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return "9999-12-31"
	}
	return t.In(loc).Format(time.DateOnly)
}

func addDay(date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	return t.AddDate(0, 0, 1).Format(time.DateOnly)
}

// plan adds the unsigned agreement, and the plan's open goals, tasks and
// unanswered referrals.
func (b *builder) plan() {
	c := &b.f.Case.Data
	dl := b.cfg.Deadlines
	var p *casefile.Plan
	if b.f.Plan != nil {
		p = &b.f.Plan.Data
	}
	if p == nil || p.Agreement == nil || !p.Agreement.Signed.Both() {
		var variant uint8
		if p != nil {
			if p.Agreement == nil || p.Agreement.Signed.Client == "" {
				variant |= 1
			}
			if p.Agreement == nil || p.Agreement.Signed.Worker == "" {
				variant |= 2
			}
		}
		if e := b.add(KindPlan, "", c.Opened, dl.PlanDays); e != nil {
			e.date, e.n, e.variant = e.due-int32(dl.PlanDays), int32(dl.PlanDays), variant
		}
	}
	if p == nil {
		return
	}
	for _, g := range p.Goals {
		if g.Due != "" && (g.Status == "not-started" || g.Status == "in-progress") {
			if e := b.add(KindGoal, g.ID, g.Due, 0); e != nil {
				e.a = g.Status
			}
		}
	}
	for _, t := range p.Tasks {
		if t.Due != "" && (t.Status == "todo" || t.Status == "in-progress") {
			if e := b.add(KindTask, t.ID, t.Due, 0); e != nil {
				e.goal, e.a, e.b = t.Goal, t.Status, t.Owner
			}
		}
	}
	for _, r := range p.Referrals {
		if r.Status == "sent" {
			if e := b.add(KindReferral, r.ID, r.Sent, dl.ReferralResponseDays); e != nil {
				e.goal, e.a, e.b, e.date, e.n = r.Goal, r.Provider, r.Service, e.due-int32(dl.ReferralResponseDays), int32(dl.ReferralResponseDays)
			}
		}
	}
}

// checkIns adds the follow-up check-ins not yet done.
func (b *builder) checkIns() {
	if b.f.Closure == nil {
		return
	}
	cl := &b.f.Closure.Data
	for i, ci := range cl.FollowUp {
		if ci.Done == "" {
			if e := b.add(KindCheckIn, ci.Due, ci.Due, 0); e != nil {
				e.n, e.m = int32(i+1), int32(len(cl.FollowUp))
				if d, err := time.Parse(time.DateOnly, cl.Date); err == nil {
					e.date = dayNumber(d)
				}
			}
		}
	}
}

// Sort orders items by urgency: the earliest due date first; on the same
// day, higher recorded risk first, then by kind in the order of Rules, then
// by case and ref.
func Sort(items []Item) {
	riskRank := func(r string) int { return -slices.Index(casefile.RiskLevels, r) }
	slices.SortFunc(items, func(a, b Item) int {
		return cmp.Or(
			cmp.Compare(a.Days, b.Days),
			cmp.Compare(riskRank(a.Risk), riskRank(b.Risk)),
			cmp.Compare(rank(a.Kind), rank(b.Kind)),
			strings.Compare(a.Case, b.Case),
			strings.Compare(a.Ref, b.Ref),
		)
	})
}

// Result is what Collect found.
type Result struct {
	chunks     [][]entry // filled in order, chunkSize at a time: no slack from doubling
	order      []int32   // the entries, most urgent first
	Cases      int       // cases looked at (after the worker filter)
	Unreadable int       // case folders whose case.yaml could not be read
}

const chunkSize = 1024

func (r *Result) add(e entry) {
	if n := len(r.chunks); n == 0 || len(r.chunks[n-1]) == chunkSize {
		r.chunks = append(r.chunks, make([]entry, 0, chunkSize))
	}
	last := &r.chunks[len(r.chunks)-1]
	*last = append(*last, e)
	r.order = append(r.order, int32(len(r.order)))
}

func (r *Result) at(i int32) *entry { return &r.chunks[i/chunkSize][i%chunkSize] }

// sort orders the entries by urgency, as Sort orders items.
func (r *Result) sort() {
	slices.SortFunc(r.order, func(i, j int32) int {
		a, b := r.at(i), r.at(j)
		return cmp.Or(
			cmp.Compare(a.days, b.days),
			cmp.Compare(b.risk, a.risk),
			cmp.Compare(a.kind, b.kind),
			strings.Compare(a.caseID, b.caseID),
			strings.Compare(a.ref, b.ref),
		)
	})
}

// Len is the number of items.
func (r *Result) Len() int { return len(r.order) }

// Each calls fn with every item, the most urgent first, making each as it
// goes (an item's words take room; the kept entries do not hold them).
func (r *Result) Each(fn func(Item) error) error {
	for _, i := range r.order {
		if err := fn(r.at(i).item()); err != nil {
			return err
		}
	}
	return nil
}

// Items makes every item, the most urgent first.
func (r *Result) Items() []Item {
	out := make([]Item, 0, r.Len())
	_ = r.Each(func(it Item) error { out = append(out, it); return nil })
	return out
}

// Collect streams the caseload and keeps the items the options select,
// sorted by urgency. It reads each case's header, intake, plan and closure,
// and of an open case's notes only the newest down to the latest contact;
// assessments are known by their file names.
func Collect(ctx context.Context, r *casefile.Repo, opts Options) (*Result, error) {
	res := &Result{}
	sel := casefile.Select{Kinds: []casefile.Kind{casefile.KindCase, casefile.KindIntake, casefile.KindPlan, casefile.KindClosure}}
	today := opts.Today.Format(time.DateOnly)
	more := func(f *casefile.Folder) error {
		if f.Case == nil || (opts.Worker != "" && f.Case.Data.Worker != opts.Worker) || !casefile.OpenStage(f.Case.Data.Stage) {
			return nil
		}
		return LoadLastContact(r, f, today, opts.Today.Location())
	}
	// Workers, refs, statuses, levels and providers repeat from case to
	// case: the kept entries share one copy of each.
	strs := map[string]string{}
	intern := func(s string) string {
		v, ok := strs[s]
		if !ok {
			v = strings.Clone(s)
			strs[v] = v
		}
		return v
	}
	err := scan.Walk(ctx, r, sel, more, func(f *casefile.Folder) error {
		if f.Case == nil {
			res.Unreadable++
			return nil
		}
		if opts.Worker != "" && f.Case.Data.Worker != opts.Worker {
			return nil
		}
		res.Cases++
		for _, e := range entries(f, r.Config, opts.Today) {
			if opts.keep(e.days) {
				e.worker, e.ref, e.goal, e.a, e.b = intern(e.worker), intern(e.ref), intern(e.goal), intern(e.a), intern(e.b)
				res.add(e)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.sort()
	return res, nil
}
