package casework

import (
	"fmt"
	"slices"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/yamlx"
	"go.yaml.in/yaml/v3"
)

// Values the plan's enumerated fields take (the schema is the reference).
var (
	GoalStatuses     = []string{"not-started", "in-progress", "met", "partly-met", "not-met", "dropped"}
	TaskStatuses     = []string{"todo", "in-progress", "done", "dropped"}
	ReferralStatuses = []string{"sent", "accepted", "completed", "declined", "no-show"}
	Owners           = []string{"client", "worker", "partner"}
	SupportKinds     = []string{"family", "friend", "mentor", "volunteer", "faith-community", "neighbour", "other"}
)

// referralNext is the closed loop of a referral: where each status may go.
// Completed, declined and no-show close the loop.
var referralNext = map[string][]string{
	"sent":     {"accepted", "declined", "no-show"},
	"accepted": {"completed", "declined", "no-show"},
}

// RuleReferralClosed refuses a change to a referral whose loop is closed.
const RuleReferralClosed = "referral-closed"

// Key orders of plan entries.
var (
	planOrder      = []string{"meeting", "goals", "tasks", "referrals", "supports", "agreement"}
	goalOrder      = []string{"id", "domain", "text", "measure", "target", "due", "owner", "partner", "status", "client-chose", "created"}
	taskOrder      = []string{"id", "goal", "text", "owner", "partner", "due", "status", "done"}
	referralOrder  = []string{"id", "provider", "service", "goal", "sent", "status", "history", "outcome"}
	agreementOrder = []string{"worker-role", "client-role", "organization-role", "expectations-discussed", "signed"}
	supportOrder   = []string{"kind", "description", "can-help-with"}
)

// PlanOp is one change to a case's plan. The operations are GoalAdd,
// GoalSet, TaskAdd, TaskSet, Refer, ReferralSet, SupportAdd, AgreementSet,
// Sign and MeetingSet.
type PlanOp interface {
	// apply edits the plan; it returns the id of an entry it added or
	// changed and a commit summary without personal data.
	apply(p *planEdit) (id, summary string, err error)
}

// planEdit is the plan document being changed.
type planEdit struct {
	c    *Change
	doc  *yamlx.Doc
	root *yaml.Node
}

func (p *planEdit) seq(key string) *yaml.Node { return yamlx.EnsureSeq(p.root, key, planOrder) }

func (p *planEdit) providers() (*casefile.Providers, error) {
	d, problems, err := p.c.Repo.Providers()
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("providers.yaml has problems; run cases validate")
	}
	return &d.Data, nil
}

func (p *planEdit) provider(id string) error {
	ps, err := p.providers()
	if err != nil {
		return err
	}
	if ps.Provider(id) == nil {
		return fmt.Errorf("no provider %s in providers.yaml (cases provider list; add one with cases provider add)", id)
	}
	return nil
}

func (p *planEdit) goalExists(id string) error {
	if item(yamlx.Get(p.root, "goals"), id) == nil {
		return fmt.Errorf("the plan has no goal %s", id)
	}
	return nil
}

// EditPlan applies one operation to a case's plan (started from the
// template when the case has none) and commits it. The outcome's ID is the
// entry added or changed.
func EditPlan(r *casefile.Repo, opts casefile.UpdateOptions, id string, op PlanOp) (*Outcome, error) {
	out := &Outcome{}
	var err error
	out.Result, err = update(r, opts, id, false, func(c *Change) error {
		doc, err := c.Doc(casefile.KindPlan)
		if err != nil {
			return err
		}
		p := &planEdit{c: c, doc: doc, root: doc.Root()}
		entry, summary, err := op.apply(p)
		if err != nil {
			return err
		}
		out.ID, out.Summary, c.Tx.Summary = entry, summary, summary
		return c.Write(doc, casefile.KindPlan)
	})
	if err != nil {
		return nil, err
	}
	out.Summary = summaryOf(out)
	return out, nil
}

// GoalFields are the fields of a goal; empty ones are left as they are.
type GoalFields struct {
	Text, Domain, Measure, Target, Due string
	Owner, Partner, Status             string
	ClientChose                        *bool
}

func (g GoalFields) set(p *planEdit, m *yaml.Node) error {
	if g.Partner != "" && g.Owner == "" {
		g.Owner = "partner"
	}
	if g.Owner != "" {
		if err := oneOf("goal owner", g.Owner, Owners); err != nil {
			return err
		}
	}
	if g.Status != "" {
		if err := oneOf("goal status", g.Status, GoalStatuses); err != nil {
			return err
		}
	}
	if g.Due != "" {
		if err := p.c.date("due date", g.Due, false); err != nil {
			return err
		}
	}
	if g.Partner != "" {
		if err := p.provider(g.Partner); err != nil {
			return err
		}
	}
	if g.Domain != "" && !casefile.ValidSlug(g.Domain) {
		return fmt.Errorf("goal domain must be lower-case kebab-case, such as housing")
	}
	setStr(m, "domain", g.Domain, goalOrder)
	setStr(m, "text", g.Text, goalOrder)
	setStr(m, "measure", g.Measure, goalOrder)
	setStr(m, "target", g.Target, goalOrder)
	setDate(m, "due", g.Due, goalOrder)
	setStr(m, "owner", g.Owner, goalOrder)
	if g.Owner != "" && g.Owner != "partner" {
		yamlx.Delete(m, "partner")
	}
	setStr(m, "partner", g.Partner, goalOrder)
	setStr(m, "status", g.Status, goalOrder)
	if g.ClientChose != nil {
		yamlx.Set(m, "client-chose", yamlx.Bool(*g.ClientChose), goalOrder)
	}
	if v := yamlx.Get(m, "owner"); v != nil && v.Value == "partner" && yamlx.Get(m, "partner") == nil {
		return fmt.Errorf("a goal owned by a partner names the partner (a provider id)")
	}
	return nil
}

// GoalAdd adds a goal (g1, g2, ...). Status defaults to not-started.
type GoalAdd struct{ GoalFields }

func (o GoalAdd) apply(p *planEdit) (string, string, error) {
	if strings.TrimSpace(o.Text) == "" {
		return "", "", fmt.Errorf("a goal needs its text")
	}
	goals := p.seq("goals")
	id := nextID(goals, "g")
	m := yamlx.Map("id", yamlx.Str(id), "status", yamlx.Str("not-started"), "created", yamlx.Plain(p.c.Today()))
	if err := o.set(p, m); err != nil {
		return "", "", err
	}
	goals.Content = append(goals.Content, m)
	return id, "add goal " + id, nil
}

// GoalSet changes the given fields of a goal.
type GoalSet struct {
	Goal string
	GoalFields
}

func (o GoalSet) apply(p *planEdit) (string, string, error) {
	m := item(yamlx.Get(p.root, "goals"), o.Goal)
	if m == nil {
		return "", "", fmt.Errorf("the plan has no goal %s", o.Goal)
	}
	if err := o.set(p, m); err != nil {
		return "", "", err
	}
	summary := "change goal " + o.Goal
	if o.Status != "" {
		summary += ": " + o.Status
	}
	return o.Goal, summary, nil
}

// TaskFields are the fields of a task; empty ones are left as they are.
type TaskFields struct {
	Goal, Text, Owner, Partner, Due, Status, Done string
}

func (t TaskFields) set(p *planEdit, m *yaml.Node) error {
	if t.Partner != "" && t.Owner == "" {
		t.Owner = "partner"
	}
	if t.Goal != "" {
		if err := p.goalExists(t.Goal); err != nil {
			return err
		}
	}
	if t.Owner != "" {
		if err := oneOf("task owner", t.Owner, Owners); err != nil {
			return err
		}
	}
	if t.Partner != "" {
		if err := p.provider(t.Partner); err != nil {
			return err
		}
	}
	if t.Status != "" {
		if err := oneOf("task status", t.Status, TaskStatuses); err != nil {
			return err
		}
	}
	if t.Due != "" {
		if err := p.c.date("due date", t.Due, false); err != nil {
			return err
		}
	}
	if t.Done != "" {
		if err := p.c.date("done date", t.Done, true); err != nil {
			return err
		}
		if t.Status == "" {
			t.Status = "done"
		}
	}
	if t.Status == "done" && t.Done == "" && yamlx.Get(m, "done") == nil {
		t.Done = p.c.Today()
	}
	if t.Status != "" && t.Status != "done" {
		yamlx.Delete(m, "done")
	}
	setStr(m, "goal", t.Goal, taskOrder)
	setStr(m, "text", t.Text, taskOrder)
	setStr(m, "owner", t.Owner, taskOrder)
	if t.Owner != "" && t.Owner != "partner" {
		yamlx.Delete(m, "partner")
	}
	setStr(m, "partner", t.Partner, taskOrder)
	setDate(m, "due", t.Due, taskOrder)
	setStr(m, "status", t.Status, taskOrder)
	setDate(m, "done", t.Done, taskOrder)
	if v := yamlx.Get(m, "owner"); v != nil && v.Value == "partner" && yamlx.Get(m, "partner") == nil {
		return fmt.Errorf("a task owned by a partner names the partner (a provider id)")
	}
	return nil
}

// TaskAdd adds a task (t1, t2, ...) under a goal. Status defaults to todo.
type TaskAdd struct{ TaskFields }

func (o TaskAdd) apply(p *planEdit) (string, string, error) {
	if o.Goal == "" {
		return "", "", fmt.Errorf("a task belongs to a goal (g1, ...)")
	}
	if strings.TrimSpace(o.Text) == "" {
		return "", "", fmt.Errorf("a task needs its text")
	}
	tasks := p.seq("tasks")
	id := nextID(tasks, "t")
	m := yamlx.Map("id", yamlx.Str(id), "status", yamlx.Str("todo"))
	if err := o.set(p, m); err != nil {
		return "", "", err
	}
	tasks.Content = append(tasks.Content, m)
	return id, "add task " + id + " to goal " + o.Goal, nil
}

// TaskSet changes the given fields of a task. Status done records today as
// the done date unless one is given.
type TaskSet struct {
	Task string
	TaskFields
}

func (o TaskSet) apply(p *planEdit) (string, string, error) {
	m := item(yamlx.Get(p.root, "tasks"), o.Task)
	if m == nil {
		return "", "", fmt.Errorf("the plan has no task %s", o.Task)
	}
	if err := o.set(p, m); err != nil {
		return "", "", err
	}
	summary := "change task " + o.Task
	if o.Status != "" {
		summary += ": " + o.Status
	}
	return o.Task, summary, nil
}

// Refer sends a referral (r1, r2, ...) to a provider's service from
// providers.yaml. Its status starts as sent, with the date in its history.
type Refer struct {
	Provider, Service, Goal string
	Sent                    string // default today
}

func (o Refer) apply(p *planEdit) (string, string, error) {
	ps, err := p.providers()
	if err != nil {
		return "", "", err
	}
	prov := ps.Provider(o.Provider)
	if prov == nil {
		return "", "", fmt.Errorf("no provider %s in providers.yaml (cases provider list; add one with cases provider add)", o.Provider)
	}
	if prov.Service(o.Service) == nil {
		var ids []string
		for _, s := range prov.Services {
			ids = append(ids, s.ID)
		}
		return "", "", fmt.Errorf("provider %s has no service %s (it has %s)", o.Provider, o.Service, strings.Join(ids, ", "))
	}
	if o.Goal != "" {
		if err := p.goalExists(o.Goal); err != nil {
			return "", "", err
		}
	}
	sent := o.Sent
	if sent == "" {
		sent = p.c.Today()
	} else if err := p.c.date("sent date", sent, true); err != nil {
		return "", "", err
	}
	refs := p.seq("referrals")
	id := nextID(refs, "r")
	m := yamlx.Map("id", yamlx.Str(id), "provider", yamlx.Str(o.Provider), "service", yamlx.Str(o.Service))
	setStr(m, "goal", o.Goal, referralOrder)
	yamlx.Set(m, "sent", yamlx.Plain(sent), referralOrder)
	yamlx.Set(m, "status", yamlx.Str("sent"), referralOrder)
	yamlx.Set(m, "history", yamlx.Seq(statusEntry("sent", sent)), referralOrder)
	refs.Content = append(refs.Content, m)
	return id, "refer " + id + " to " + o.Provider + "/" + o.Service, nil
}

func statusEntry(status, date string) *yaml.Node {
	m := yamlx.Map("status", yamlx.Str(status), "date", yamlx.Plain(date))
	m.Style = yaml.FlowStyle
	return m
}

// ReferralSet records a referral's next status (with its date, default
// today) and, optionally, its outcome. The loop runs sent -> accepted ->
// completed, and either may end as declined or no-show; a closed loop
// cannot change: make a new referral.
type ReferralSet struct {
	Referral, Status, Date, Outcome string
}

func (o ReferralSet) apply(p *planEdit) (string, string, error) {
	m := item(yamlx.Get(p.root, "referrals"), o.Referral)
	if m == nil {
		return "", "", fmt.Errorf("the plan has no referral %s", o.Referral)
	}
	summary := "referral " + o.Referral
	if o.Status != "" {
		if err := oneOf("referral status", o.Status, ReferralStatuses); err != nil {
			return "", "", err
		}
		cur := yamlx.Get(m, "status").Value
		next, open := referralNext[cur]
		if !open {
			return "", "", &casefile.RefusedError{Rule: RuleReferralClosed, Msg: fmt.Sprintf("referral %s is %s: its loop is closed; make a new referral instead", o.Referral, cur)}
		}
		if !slices.Contains(next, o.Status) {
			return "", "", fmt.Errorf("referral %s is %s; next it can be %s", o.Referral, cur, strings.Join(next, ", "))
		}
		date := o.Date
		if date == "" {
			date = p.c.Today()
		} else if err := p.c.date("status date", date, true); err != nil {
			return "", "", err
		}
		hist := yamlx.EnsureSeq(m, "history", referralOrder)
		for _, h := range hist.Content {
			if d := yamlx.Get(h, "date"); d != nil && d.Value > date {
				return "", "", fmt.Errorf("status date is before the referral's previous status")
			}
		}
		hist.Content = append(hist.Content, statusEntry(o.Status, date))
		yamlx.Set(m, "status", yamlx.Str(o.Status), referralOrder)
		summary += ": " + o.Status
	}
	if o.Outcome != "" {
		yamlx.Set(m, "outcome", yamlx.Str(o.Outcome), referralOrder)
		summary += ", outcome recorded"
	}
	if o.Status == "" && o.Outcome == "" {
		return "", "", fmt.Errorf("nothing to change: give a status or an outcome")
	}
	return o.Referral, summary, nil
}

// SupportAdd records an informal support: family, friends, mentors,
// volunteers and the like.
type SupportAdd struct {
	Kind, Description string
	HelpsWith         []string
}

func (o SupportAdd) apply(p *planEdit) (string, string, error) {
	if err := oneOf("support kind", o.Kind, SupportKinds); err != nil {
		return "", "", err
	}
	for _, h := range o.HelpsWith {
		if !casefile.ValidSlug(h) {
			return "", "", fmt.Errorf("what a support can help with is a domain in kebab-case, such as childcare")
		}
	}
	m := yamlx.Map("kind", yamlx.Str(o.Kind))
	setStr(m, "description", o.Description, supportOrder)
	if len(o.HelpsWith) > 0 {
		yamlx.Set(m, "can-help-with", yamlx.StrSeq(o.HelpsWith), supportOrder)
	}
	s := p.seq("supports")
	s.Content = append(s.Content, m)
	return "", "add informal support (" + o.Kind + ")", nil
}

// AgreementSet states what the worker, the client and the organization
// each undertake, and whether expectations were discussed.
type AgreementSet struct {
	WorkerRole, ClientRole, OrganizationRole string
	ExpectationsDiscussed                    *bool
}

func (o AgreementSet) apply(p *planEdit) (string, string, error) {
	if o.WorkerRole == "" && o.ClientRole == "" && o.OrganizationRole == "" && o.ExpectationsDiscussed == nil {
		return "", "", fmt.Errorf("nothing to change: give a role or whether expectations were discussed")
	}
	a := yamlx.Ensure(p.root, "agreement", planOrder)
	setStr(a, "worker-role", o.WorkerRole, agreementOrder)
	setStr(a, "client-role", o.ClientRole, agreementOrder)
	setStr(a, "organization-role", o.OrganizationRole, agreementOrder)
	if o.ExpectationsDiscussed != nil {
		yamlx.Set(a, "expectations-discussed", yamlx.Bool(*o.ExpectationsDiscussed), agreementOrder)
	}
	return "", "agreement roles", nil
}

// Sign records the dates the client and the worker signed the agreement.
type Sign struct{ Client, Worker string }

func (o Sign) apply(p *planEdit) (string, string, error) {
	if o.Client == "" && o.Worker == "" {
		return "", "", fmt.Errorf("nothing to sign: give the client's or the worker's signing date")
	}
	for field, v := range map[string]string{"client's signing date": o.Client, "worker's signing date": o.Worker} {
		if v != "" {
			if err := p.c.date(field, v, true); err != nil {
				return "", "", err
			}
		}
	}
	a := yamlx.Ensure(p.root, "agreement", planOrder)
	s := yamlx.Ensure(a, "signed", agreementOrder)
	setDate(s, "client", o.Client, []string{"client", "worker"})
	setDate(s, "worker", o.Worker, []string{"client", "worker"})
	var who []string
	if o.Client != "" {
		who = append(who, "client")
	}
	if o.Worker != "" {
		who = append(who, "worker")
	}
	return "", "agreement signed by " + strings.Join(who, " and "), nil
}

// MeetingSet records the planning meeting: its date and the interpreter's
// language if one took part.
type MeetingSet struct{ Date, Interpreter string }

func (o MeetingSet) apply(p *planEdit) (string, string, error) {
	if o.Date == "" {
		return "", "", fmt.Errorf("the planning meeting needs its date")
	}
	if err := p.c.date("meeting date", o.Date, true); err != nil {
		return "", "", err
	}
	m := yamlx.Ensure(p.root, "meeting", planOrder)
	yamlx.Set(m, "date", yamlx.Plain(o.Date), []string{"date", "interpreter"})
	if o.Interpreter != "" {
		yamlx.Set(m, "interpreter", yamlx.Map("used", yamlx.Bool(true), "language", yamlx.Str(o.Interpreter)), []string{"date", "interpreter"})
	} else if in := yamlx.Get(m, "interpreter"); in != nil && yamlx.Get(in, "language") == nil {
		yamlx.Set(m, "interpreter", yamlx.Map("used", yamlx.Bool(false)), []string{"date", "interpreter"})
	}
	return "", "planning meeting", nil
}
