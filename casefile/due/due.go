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

// Options select the items.
type Options struct {
	Today  time.Time // the day to count from, in the organization's zone
	Worker string    // only cases of this worker ("" for all)
	Within int       // only items due within this many days from today
	// Overdue keeps only items whose due date has passed.
	Overdue bool
}

// Keep reports whether an item is selected by the options.
func (o Options) Keep(it Item) bool {
	if o.Overdue {
		return it.Days < 0
	}
	return it.Days <= o.Within
}

// For lists every item of one case, whatever its due date, in no
// particular order. Documents that could not be read are left out (validate
// reports them).
func For(f *casefile.Folder, cfg *casefile.Config, today time.Time) []Item {
	if f.Case == nil {
		return nil
	}
	c := &f.Case.Data
	loc := today.Location()
	b := builder{f: f, cfg: cfg, today: today, loc: loc}
	b.base = Item{Case: f.ID, Worker: c.Worker}
	if c.Risk != nil {
		b.base.Risk = c.Risk.Level
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
	today time.Time
	loc   *time.Location
	base  Item
	items []Item
}

// add appends an item due on a date; it returns nil (and adds nothing)
// when the date is not a date.
func (b *builder) add(kind, ref, due, why string) *Item {
	d, err := casefile.ParseDate(due, b.loc)
	if err != nil {
		return nil
	}
	it := b.base
	it.Kind, it.Ref, it.Due, it.Why = kind, ref, due, why
	it.Days = casefile.DaysBetween(b.today, d)
	b.items = append(b.items, it)
	return &b.items[len(b.items)-1]
}

// addDays appends an item due a number of days after a date.
func (b *builder) addDays(kind, ref, from string, days int, why string) *Item {
	d, err := casefile.ParseDate(from, b.loc)
	if err != nil {
		return nil
	}
	return b.add(kind, ref, d.AddDate(0, 0, days).Format(time.DateOnly), why)
}

// contact adds the next contact the case's level calls for, or the
// high-risk contact when that comes first.
func (b *builder) contact() {
	c := &b.f.Case.Data
	from, what := c.Opened, "no contact recorded since enrollment on "+c.Opened
	if at, ok := casefile.LastContact(b.f); ok {
		from = at.In(b.loc).Format(time.DateOnly)
		what = "last contact " + from
	}
	risk := ""
	if c.Risk != nil {
		risk = c.Risk.Level
	}
	kind, days, level := ContactInterval(b.cfg, c.Level, risk)
	why := what + "; " + fmt.Sprintf("%s level: every %d days", level, days)
	switch {
	case kind == KindHighRiskContact:
		why = fmt.Sprintf("%s; recorded risk %s: contact at least every %d days (deadlines.high-risk-contact-days)", what, risk, days)
	case c.Level == "":
		why = fmt.Sprintf("%s; no level set yet: held to the shortest interval, every %d days (%s), until one is", what, days, level)
	case level != c.Level:
		why = fmt.Sprintf("%s; level %s has no contact days in cases.yaml: held to the shortest interval, every %d days (%s)", what, c.Level, days, level)
	}
	b.addDays(kind, "", from, days, why)
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
// each assessed member's reassessment.
func (b *builder) assessments() {
	if b.f.Intake == nil {
		return
	}
	latest := map[string]string{}
	for _, a := range b.f.Assessments {
		latest[a.Data.Member] = max(latest[a.Data.Member], a.Data.Date)
	}
	c := &b.f.Case.Data
	dl := b.cfg.Deadlines
	for _, m := range b.f.Intake.Data.Household {
		if last := latest[m.ID]; last != "" {
			b.addDays(KindReassessment, m.ID, last, dl.ReassessmentDays,
				fmt.Sprintf("member %s last assessed %s; reassess every %d days (deadlines.reassessment-days)", m.ID, last, dl.ReassessmentDays))
			continue
		}
		b.addDays(KindAssessment, m.ID, c.Opened, dl.AssessmentDays,
			fmt.Sprintf("member %s not assessed; every member within %d days of enrollment on %s (deadlines.assessment-days)", m.ID, dl.AssessmentDays, c.Opened))
	}
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
		missing := "no plan yet"
		if p != nil {
			var who []string
			if p.Agreement == nil || p.Agreement.Signed.Client == "" {
				who = append(who, "the client")
			}
			if p.Agreement == nil || p.Agreement.Signed.Worker == "" {
				who = append(who, "the worker")
			}
			missing = "agreement not signed by " + strings.Join(who, " or ")
		}
		b.addDays(KindPlan, "", c.Opened, dl.PlanDays,
			fmt.Sprintf("%s; a signed plan within %d days of enrollment on %s (deadlines.plan-days)", missing, dl.PlanDays, c.Opened))
	}
	if p == nil {
		return
	}
	for _, g := range p.Goals {
		if g.Due != "" && (g.Status == "not-started" || g.Status == "in-progress") {
			b.add(KindGoal, g.ID, g.Due, fmt.Sprintf("goal %s is %s, due %s", g.ID, g.Status, g.Due))
		}
	}
	for _, t := range p.Tasks {
		if t.Due != "" && (t.Status == "todo" || t.Status == "in-progress") {
			owner := ""
			if t.Owner != "" {
				owner = ", owner " + t.Owner
			}
			if it := b.add(KindTask, t.ID, t.Due, fmt.Sprintf("task %s of goal %s is %s%s, due %s", t.ID, t.Goal, t.Status, owner, t.Due)); it != nil {
				it.Goal = t.Goal
			}
		}
	}
	for _, r := range p.Referrals {
		if r.Status == "sent" {
			it := b.addDays(KindReferral, r.ID, r.Sent, dl.ReferralResponseDays,
				fmt.Sprintf("referral %s to %s/%s sent %s, no answer yet; expect one within %d days (deadlines.referral-response-days)", r.ID, r.Provider, r.Service, r.Sent, dl.ReferralResponseDays))
			if it != nil {
				it.Goal = r.Goal
			}
		}
	}
}

// checkIns adds the follow-up check-ins not yet done.
func (b *builder) checkIns() {
	if b.f.Closure == nil {
		return
	}
	for i, ci := range b.f.Closure.Data.FollowUp {
		if ci.Done == "" {
			b.add(KindCheckIn, ci.Due, ci.Due, fmt.Sprintf("follow-up check-in %d of %d after closure on %s", i+1, len(b.f.Closure.Data.FollowUp), b.f.Closure.Data.Date))
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
	Items      []Item
	Cases      int // cases looked at (after the worker filter)
	Unreadable int // case folders whose case.yaml could not be read
}

// Collect streams the caseload and keeps the items the options select,
// sorted by urgency.
func Collect(ctx context.Context, r *casefile.Repo, opts Options) (*Result, error) {
	res := &Result{Items: []Item{}}
	sel := casefile.Select{Kinds: []casefile.Kind{casefile.KindCase, casefile.KindIntake, casefile.KindAssessment, casefile.KindPlan, casefile.KindNote, casefile.KindClosure}}
	err := r.Walk(ctx, nil, sel, func(f *casefile.Folder) error {
		if f.Case == nil {
			res.Unreadable++
			return nil
		}
		if opts.Worker != "" && f.Case.Data.Worker != opts.Worker {
			return nil
		}
		res.Cases++
		for _, it := range For(f, r.Config, opts.Today) {
			if opts.Keep(it) {
				res.Items = append(res.Items, it)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	Sort(res.Items)
	return res, nil
}
