package casework

import (
	"fmt"
	"slices"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/casefile/yamlx"
	"go.yaml.in/yaml/v3"
)

// Values of closure.yaml's enumerated fields.
var (
	ClosureReasons = []string{"goals-met", "moved", "declined-services", "ineligible-referred", "lost-contact", "transferred", "deceased", "other"}
	Destinations   = []string{"permanent-housing", "temporary-housing", "with-family-or-friends", "institution", "other-program", "left-area", "unknown", "other"}
	GoalResults    = []string{"met", "partly-met", "not-met"}
)

var (
	closureOrder   = []string{"date", "reason", "reason-note", "destination", "goals", "interview", "resources-given", "referrals-out", "continuing-services", "future-contact", "follow-up"}
	interviewOrder = []string{"held", "date", "told-in-advance", "feedback", "satisfaction"}
)

// ClosureInput is what cases close records; empty fields leave the
// document (an existing closure.yaml, or Document) as it is.
type ClosureInput struct {
	// Document is a whole closure document given as a file or edited in
	// $EDITOR; nil starts from the case's closure.yaml or the template.
	Document []byte

	Date, Reason, ReasonNote, Destination string
	Goals                                 []GoalReview // reviews; goals whose plan status is met, partly-met or not-met are reviewed with it when left out
	Interview                             *InterviewInput
	Resources                             []string
	ReferralsOut                          []string // provider/service
	Continuing                            []string // continuing services discussed
	ContinuingReferred                    *bool
	FutureContact                         string
	FutureSignedClient                    string
	FutureSignedWorker                    string
	CheckIns                              []string // follow-up check-in due dates
}

// GoalReview is one goal's result at closure.
type GoalReview struct{ Goal, Result string }

// InterviewInput is the close-out interview.
type InterviewInput struct {
	Held          bool
	Date          string
	ToldInAdvance *bool
	Feedback      string
	Satisfaction  int
}

// Close records closure.yaml and moves the case to follow-up when check-ins
// are scheduled, else to closed, in one commit. The move is checked like
// any other (closure-complete, follow-up-scheduled); force with a reason
// overrides it.
func Close(r *casefile.Repo, opts casefile.UpdateOptions, id string, in ClosureInput, force bool, forceReason string) (*Outcome, error) {
	out := &Outcome{}
	var err error
	out.Result, err = update(r, opts, id, false, func(c *Change) error {
		if !casefile.OpenStage(c.After.Case.Data.Stage) {
			return fmt.Errorf("case %s is already in follow-up: finish it with cases close %s --final, or change closure.yaml with cases edit %s closure", id, id, id)
		}
		doc, err := c.closureDoc(in)
		if err != nil {
			return err
		}
		if err := c.Write(doc, casefile.KindClosure); err != nil {
			return err
		}
		cl := c.After.Closure.Data
		for _, ci := range cl.FollowUp {
			if ci.Due < cl.Date {
				return fmt.Errorf("a follow-up check-in falls before the closure date")
			}
		}
		to := "closed"
		if len(c.After.Closure.Data.FollowUp) > 0 {
			to = "follow-up"
		}
		m, err := c.move(to, force, forceReason)
		if err != nil {
			return err
		}
		out.Move = &m
		c.Tx.Summary = m.Summary()
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.Summary = summaryOf(out)
	return out, nil
}

// DraftClosure is the closure document cases close would write, for a
// person to finish in $EDITOR: the flags applied to the case's closure.yaml
// or the commented template (empty fields kept, so they can be filled in).
func DraftClosure(r *casefile.Repo, id string, in ClosureInput) ([]byte, error) {
	f, err := r.LoadCase(id, casefile.Select{})
	if err != nil {
		return nil, err
	}
	if err := f.Valid(); err != nil {
		return nil, err
	}
	c := &Change{Repo: r, Before: f, After: f, fresh: map[string]bool{}, now: r.Now()}
	doc, err := c.closureDoc(in)
	if err != nil {
		return nil, err
	}
	return casefile.EncodeDoc(doc, casefile.KindClosure)
}

// closureDoc builds the closure document from the input.
func (c *Change) closureDoc(in ClosureInput) (*yamlx.Doc, error) {
	rel := casefile.DocPath(c.After.ID, casefile.KindClosure)
	var doc *yamlx.Doc
	if in.Document != nil {
		d, problems := yamlx.Parse(rel, in.Document)
		if d == nil || len(problems) > 0 {
			return nil, diag.Invalid(problems)
		}
		if d.Root().Kind != yaml.MappingNode {
			return nil, diag.Invalid([]diag.Problem{{Path: rel, Line: 1, Col: 1, Rule: casefile.RuleSchemaType, Message: "document: a closure is a mapping of fields"}})
		}
		doc = d
		c.fresh[rel] = c.After.Closure == nil
	} else {
		var err error
		if doc, err = c.Doc(casefile.KindClosure); err != nil {
			return nil, err
		}
	}
	root := doc.Root()
	date := in.Date
	if date == "" {
		if v := yamlx.Get(root, "date"); v != nil && v.ShortTag() != "!!null" {
			date = v.Value
		} else {
			date = c.Today()
		}
	}
	if err := c.date("closure date", date, true); err != nil {
		return nil, err
	}
	yamlx.Set(root, "date", yamlx.Plain(date), closureOrder)
	if in.Reason != "" {
		if err := oneOf("closure reason", in.Reason, ClosureReasons); err != nil {
			return nil, err
		}
		yamlx.Set(root, "reason", yamlx.Str(in.Reason), closureOrder)
	}
	setStr(root, "reason-note", in.ReasonNote, closureOrder)
	if in.Destination != "" {
		if err := oneOf("destination", in.Destination, Destinations); err != nil {
			return nil, err
		}
		yamlx.Set(root, "destination", yamlx.Str(in.Destination), closureOrder)
	}
	if err := c.reviewGoals(root, in.Goals); err != nil {
		return nil, err
	}
	if iv := in.Interview; iv != nil {
		m := yamlx.Ensure(root, "interview", closureOrder)
		yamlx.Set(m, "held", yamlx.Bool(iv.Held), interviewOrder)
		if iv.Date != "" {
			if err := c.date("interview date", iv.Date, true); err != nil {
				return nil, err
			}
			yamlx.Set(m, "date", yamlx.Plain(iv.Date), interviewOrder)
		}
		if iv.ToldInAdvance != nil {
			yamlx.Set(m, "told-in-advance", yamlx.Bool(*iv.ToldInAdvance), interviewOrder)
		}
		setStr(m, "feedback", iv.Feedback, interviewOrder)
		if iv.Satisfaction != 0 {
			if iv.Satisfaction < 1 || iv.Satisfaction > 5 {
				return nil, fmt.Errorf("satisfaction is 1 (very unsatisfied) to 5 (very satisfied)")
			}
			yamlx.Set(m, "satisfaction", yamlx.Int(int64(iv.Satisfaction)), interviewOrder)
		}
	}
	if len(in.Resources) > 0 {
		s := yamlx.EnsureSeq(root, "resources-given", closureOrder)
		for _, res := range in.Resources {
			s.Content = append(s.Content, yamlx.Str(res))
		}
	}
	for _, spec := range in.ReferralsOut {
		svc, err := serviceNode(c.Repo, spec)
		if err != nil {
			return nil, err
		}
		if yamlx.Get(svc, "provider") == nil {
			return nil, fmt.Errorf("a referral out names a provider: provider/service")
		}
		yamlx.Set(svc, "date", yamlx.Plain(date), nil)
		s := yamlx.EnsureSeq(root, "referrals-out", closureOrder)
		s.Content = append(s.Content, svc)
	}
	if len(in.Continuing) > 0 || in.ContinuingReferred != nil {
		m := yamlx.Ensure(root, "continuing-services", closureOrder)
		yamlx.Set(m, "discussed", yamlx.Bool(true), []string{"discussed", "services", "referred"})
		if len(in.Continuing) > 0 {
			yamlx.Set(m, "services", yamlx.StrSeq(in.Continuing), []string{"discussed", "services", "referred"})
		}
		if in.ContinuingReferred != nil {
			yamlx.Set(m, "referred", yamlx.Bool(*in.ContinuingReferred), []string{"discussed", "services", "referred"})
		}
	}
	if in.FutureContact != "" || in.FutureSignedClient != "" || in.FutureSignedWorker != "" {
		m := yamlx.Ensure(root, "future-contact", closureOrder)
		setStr(m, "plan", in.FutureContact, []string{"plan", "signed"})
		for field, v := range map[string]string{"client's signing date": in.FutureSignedClient, "worker's signing date": in.FutureSignedWorker} {
			if v != "" {
				if err := c.date(field, v, true); err != nil {
					return nil, err
				}
			}
		}
		if in.FutureSignedClient != "" || in.FutureSignedWorker != "" {
			s := yamlx.Ensure(m, "signed", []string{"plan", "signed"})
			setDate(s, "client", in.FutureSignedClient, []string{"client", "worker"})
			setDate(s, "worker", in.FutureSignedWorker, []string{"client", "worker"})
		}
	}
	if len(in.CheckIns) > 0 {
		s := yamlx.EnsureSeq(root, "follow-up", closureOrder)
		for _, due := range in.CheckIns {
			if err := c.date("check-in date", due, false); err != nil {
				return nil, err
			}
			if due < date {
				return nil, fmt.Errorf("a follow-up check-in falls before the closure date")
			}
			s.Content = append(s.Content, yamlx.Map("due", yamlx.Plain(due)))
		}
		slices.SortStableFunc(s.Content, func(a, b *yaml.Node) int {
			return strings.Compare(yamlx.Get(a, "due").Value, yamlx.Get(b, "due").Value)
		})
	}
	return doc, nil
}

// reviewGoals records each goal's result: the ones given, then, for goals
// of the plan not yet reviewed whose status is already a result (met,
// partly-met, not-met), that status.
func (c *Change) reviewGoals(root *yaml.Node, given []GoalReview) error {
	var plan *casefile.Plan
	if c.After.Plan != nil {
		plan = &c.After.Plan.Data
	}
	reviews := yamlx.Get(root, "goals")
	find := func(goal string) *yaml.Node {
		if reviews == nil || reviews.Kind != yaml.SequenceNode {
			return nil
		}
		for _, it := range reviews.Content {
			if v := yamlx.Get(it, "goal"); v != nil && v.Value == goal {
				return it
			}
		}
		return nil
	}
	put := func(goal, result string) {
		if m := find(goal); m != nil {
			yamlx.Set(m, "result", yamlx.Str(result), []string{"goal", "result", "note"})
			return
		}
		reviews = yamlx.EnsureSeq(root, "goals", closureOrder)
		reviews.Content = append(reviews.Content, yamlx.Map("goal", yamlx.Str(goal), "result", yamlx.Str(result)))
	}
	for _, g := range given {
		if plan == nil || plan.Goal(g.Goal) == nil {
			return fmt.Errorf("the plan has no goal %s to review", g.Goal)
		}
		if err := oneOf("goal result", g.Result, GoalResults); err != nil {
			return err
		}
		put(g.Goal, g.Result)
	}
	if plan != nil {
		for _, g := range plan.Goals {
			if find(g.ID) == nil && slices.Contains(GoalResults, g.Status) {
				put(g.ID, g.Status)
			}
		}
	}
	return nil
}

// Finish ends follow-up: follow-up -> closed.
func Finish(r *casefile.Repo, opts casefile.UpdateOptions, id string) (*Outcome, error) {
	out := &Outcome{}
	var err error
	out.Result, err = update(r, opts, id, false, func(c *Change) error {
		if st := c.After.Case.Data.Stage; st != "follow-up" {
			return fmt.Errorf("case %s is in %s, not follow-up; --final ends follow-up", id, st)
		}
		m, err := c.move("closed", false, "")
		if err != nil {
			return err
		}
		out.Move = &m
		c.Tx.Summary = m.Summary()
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.Summary = summaryOf(out)
	return out, nil
}

// Reopen moves a closed case, or one in follow-up, back to assessment with
// a reason. closure.yaml is removed in the same commit (git keeps it: cases
// log and git show <commit>^:<path> find it), so the reopened case reads as
// open and a later closure starts afresh.
func Reopen(r *casefile.Repo, opts casefile.UpdateOptions, id, reason string, force bool) (*Outcome, error) {
	if strings.TrimSpace(reason) == "" {
		return nil, fmt.Errorf("reopening needs --reason TEXT: the stage history records why")
	}
	out := &Outcome{}
	var err error
	out.Result, err = update(r, opts, id, true, func(c *Change) error {
		if casefile.OpenStage(c.After.Case.Data.Stage) {
			return fmt.Errorf("case %s is open (stage %s); only a closed case or one in follow-up is reopened", id, c.After.Case.Data.Stage)
		}
		if err := c.deleteClosure(); err != nil {
			return err
		}
		m, err := c.move("assessment", force, reason)
		if err != nil {
			return err
		}
		out.Move = &m
		c.Tx.Summary = m.Summary()
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.Summary = summaryOf(out)
	return out, nil
}
