package gen

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/yamlx"
	"go.yaml.in/yaml/v3"
)

// The plan and the closure: cases plan (write, update, sign, revise) and
// cases close, and the check-ins recorded after closure.

// writePlan is cases plan: goals for the domains the client's assessment
// shows most need in, tasks under them, informal supports, and the
// agreement (signed at the meeting, or later). A first draft may hold a
// goal that is not measurable yet.
func (s *caseSim) writePlan(meeting time.Time, sign, vague bool) bool {
	w, rng := s.w, s.rng
	at := s.next(meeting)
	doc := w.newDoc(s.path("plan.yaml"), casefile.KindPlan)
	root := doc.Root()
	m := yamlx.Get(root, "meeting")
	yamlx.Set(m, "date", date(at), nil)
	client := &s.members[0]
	if client.interpreter {
		yamlx.Set(yamlx.Get(m, "interpreter"), "used", yamlx.Bool(true), nil)
		yamlx.Set(yamlx.Get(m, "interpreter"), "language", yamlx.Str(client.lang), nil)
	} else {
		yamlx.Delete(m, "interpreter")
	}
	for _, d := range s.goalDomains(2 + rng.IntN(3)) {
		s.addGoal(d, at)
	}
	if vague && len(s.goals) > 0 {
		g := s.goals[len(s.goals)-1]
		g.text, g.measure, g.target, g.hasDue = g.tmpl.vague, "", "", false
	}
	var sup []*yaml.Node
	for range rng.IntN(3) {
		kind := pickWeighted(rng, supportKinds)
		var helps []string
		for _, k := range rng.Perm(len(s.goals))[:min(len(s.goals), 1+rng.IntN(2))] {
			helps = append(helps, s.goals[k].domain)
		}
		slices.Sort(helps)
		sup = append(sup, yamlx.Map("kind", yamlx.Str(kind), "description", yamlx.Str(pick(rng, supportDescriptions[kind])), "can-help-with", optSeq(slices.Compact(helps))))
	}
	if len(sup) > 0 {
		yamlx.Set(root, "supports", yamlx.Seq(sup...), orderPlan)
	}
	ag := yamlx.Get(root, "agreement")
	yamlx.Set(ag, "worker-role", yamlx.Str(pick(rng, agreementRoles.worker)), nil)
	yamlx.Set(ag, "client-role", yamlx.Str(pick(rng, agreementRoles.client)), nil)
	if chance(rng, 0.8) {
		yamlx.Set(ag, "organization-role", yamlx.Str(pick(rng, agreementRoles.org)), nil)
	}
	if chance(rng, 0.85) {
		yamlx.Set(ag, "expectations-discussed", yamlx.Bool(true), nil)
	}
	if sign {
		yamlx.Set(yamlx.Get(ag, "signed"), "client", date(at), nil)
		yamlx.Set(yamlx.Get(ag, "signed"), "worker", date(at), nil)
	} else if s.tr.forced == "agreement" || chance(s.rng, 0.5) {
		yamlx.Set(yamlx.Get(ag, "signed"), "worker", date(at), nil)
	}
	s.planDoc = doc
	s.renderPlan()
	yamlx.Prune(doc.Node)
	return s.emit(at, s.worker, "edit", "edit plan", docRef{doc, casefile.KindPlan})
}

// goalDomains picks the domains to plan for: the client's priorities,
// then the domains with the most points, then common ones.
func (s *caseSim) goalDomains(n int) []string {
	var out []string
	add := func(d string) {
		if len(out) < n && !slices.Contains(out, d) && templatesFor(d) != nil {
			out = append(out, d)
		}
	}
	for _, d := range s.priorities {
		add(d)
	}
	var ds []string
	for d := range s.headPoints {
		ds = append(ds, d)
	}
	slices.SortFunc(ds, func(a, b string) int {
		if s.headPoints[a] != s.headPoints[b] {
			if s.headPoints[a] > s.headPoints[b] {
				return -1
			}
			return 1
		}
		if a < b {
			return -1
		}
		return 1
	})
	for _, d := range ds {
		add(d)
	}
	for _, d := range []string{"housing", "income", "employment", "language"} {
		add(d)
	}
	return out
}

func templatesFor(domain string) []*goalTemplate {
	var out []*goalTemplate
	for i := range goalTemplates {
		if goalTemplates[i].domain == domain {
			out = append(out, &goalTemplates[i])
		}
	}
	return out
}

// addGoal adds a SMART goal for a domain, with its tasks.
func (s *caseSim) addGoal(domain string, at time.Time) {
	rng := s.rng
	t := pick(rng, templatesFor(domain))
	g := &goal{id: fmt.Sprintf("g%d", len(s.goals)+1), domain: domain, text: t.text, measure: t.measure, target: t.target, owner: t.owner,
		status: "not-started", due: at.AddDate(0, 0, t.days+between(rng, -5, 20)), hasDue: true, created: at, chose: chance(rng, 0.7), tmpl: t}
	if g.owner == "partner" {
		svcs := servicesFor(domain)
		if len(svcs) == 0 {
			g.owner = "client"
		} else {
			g.partner = pick(rng, svcs)[0]
		}
	}
	s.goals = append(s.goals, g)
	for _, tt := range t.tasks[:1+rng.IntN(len(t.tasks))] {
		tk := &task{id: fmt.Sprintf("t%d", len(s.tasks)+1), goal: g.id, text: tt.text, owner: tt.owner, status: "todo", due: at.AddDate(0, 0, tt.days)}
		if tk.owner == "partner" {
			if g.partner != "" {
				tk.partner = g.partner
			} else {
				tk.owner = "worker"
			}
		}
		s.tasks = append(s.tasks, tk)
	}
}

// renderPlan writes the goals, tasks and referrals into plan.yaml's node
// tree (the rest of the document is left as it is).
func (s *caseSim) renderPlan() {
	root := s.planDoc.Root()
	var gs, ts, rs []*yaml.Node
	for _, g := range s.goals {
		n := yamlx.Map("id", yamlx.Str(g.id), "domain", yamlx.Str(g.domain), "text", yamlx.Str(g.text), "measure", optStr(g.measure), "target", optStr(g.target))
		if g.hasDue {
			yamlx.Set(n, "due", date(g.due), nil)
		}
		yamlx.Set(n, "owner", yamlx.Str(g.owner), nil)
		if g.partner != "" {
			yamlx.Set(n, "partner", yamlx.Str(g.partner), nil)
		}
		yamlx.Set(n, "status", yamlx.Str(g.status), nil)
		yamlx.Set(n, "client-chose", yamlx.Bool(g.chose), nil)
		yamlx.Set(n, "created", date(g.created), nil)
		gs = append(gs, n)
	}
	for _, t := range s.tasks {
		n := yamlx.Map("id", yamlx.Str(t.id), "goal", yamlx.Str(t.goal), "text", yamlx.Str(t.text), "owner", yamlx.Str(t.owner), "partner", optStr(t.partner), "due", date(t.due), "status", yamlx.Str(t.status))
		if t.status == "done" {
			yamlx.Set(n, "done", date(t.done), nil)
		}
		ts = append(ts, n)
	}
	for _, r := range s.referrals {
		var hist []*yaml.Node
		for _, h := range r.history {
			hist = append(hist, yamlx.Map("status", yamlx.Str(h[0]), "date", yamlx.Plain(h[1])))
		}
		rs = append(rs, yamlx.Map("id", yamlx.Str(r.id), "provider", yamlx.Str(r.provider), "service", yamlx.Str(r.service), "goal", optStr(r.goal),
			"sent", date(r.sent), "status", yamlx.Str(r.status), "history", yamlx.Seq(hist...), "outcome", optStr(r.outcome)))
	}
	for _, l := range []struct {
		key  string
		list []*yaml.Node
	}{{"goals", gs}, {"tasks", ts}, {"referrals", rs}} {
		if len(l.list) > 0 {
			yamlx.Set(root, l.key, yamlx.Seq(l.list...), orderPlan)
		} else {
			yamlx.Delete(root, l.key)
		}
	}
}

// finishPlan is the plan update that makes the draft measurable and
// records the signatures.
func (s *caseSim) finishPlan(fixGoals, sign bool) bool {
	at := s.next(s.onDay(s.daysSince(s.cursor)))
	if fixGoals {
		for _, g := range s.goals {
			if g.measure != "" {
				continue
			}
			if len(s.goals) > 1 && chance(s.rng, 0.3) {
				g.status = "dropped" // the draft goal is left as written, and set aside
			} else {
				g.text, g.measure, g.target, g.hasDue = g.tmpl.text, g.tmpl.measure, g.tmpl.target, true
			}
		}
		s.renderPlan()
	}
	if sign {
		s.sign(at)
	}
	return s.emit(at, s.worker, "edit", "edit plan", docRef{s.planDoc, casefile.KindPlan})
}

func (s *caseSim) sign(at time.Time) {
	signed := yamlx.Ensure(yamlx.Ensure(s.planDoc.Root(), "agreement", orderPlan), "signed", nil)
	yamlx.Set(signed, "client", date(at), []string{"client", "worker"})
	if yamlx.Get(signed, "worker") == nil {
		yamlx.Set(signed, "worker", date(at), []string{"client", "worker"})
	}
}

// updatePlan is cases plan: progress since the last update. Referrals go
// out (first), answers come back, tasks move, goals follow their tasks.
func (s *caseSim) updatePlan(at time.Time, first bool) bool {
	rng := s.rng
	at = s.next(at)
	day := at.Format(time.DateOnly)
	if first || (len(s.referrals) < 4 && chance(rng, 0.15)) {
		for _, g := range s.goals {
			if g.status == "dropped" || (!first && chance(rng, 0.7)) || (first && chance(rng, 0.4)) {
				continue
			}
			svcs := servicesFor(g.domain)
			if len(svcs) == 0 {
				continue
			}
			svc := pick(rng, svcs)
			s.referrals = append(s.referrals, &referral{id: fmt.Sprintf("r%d", len(s.referrals)+1), provider: svc[0], service: svc[1], goal: g.id,
				status: "sent", sent: at, history: [][2]string{{"sent", day}}})
		}
	}
	for _, r := range s.referrals {
		age := at.Sub(r.sent).Hours() / 24
		switch {
		case r.status == "sent" && age >= 5:
			switch x := rng.Float64(); {
			case x < 0.6:
				r.status = "accepted"
			case x < 0.7:
				r.status, r.outcome = "declined", "The provider had no capacity; looking for another."
			case x < 0.8:
				r.status, r.outcome = "no-show", "The client missed the intake appointment."
			default:
				continue
			}
			r.history = append(r.history, [2]string{r.status, day})
		case r.status == "accepted" && age >= 14 && chance(rng, 0.5):
			r.status, r.outcome = "completed", pick(rng, []string{"Service received.", "Enrolled and attending.", "Application approved."})
			r.history = append(r.history, [2]string{r.status, day})
		}
	}
	for _, t := range s.tasks {
		// Work that falls due gets done: a task past its due date is far
		// more likely to move on, so only a realistic few stay overdue.
		late := !t.due.IsZero() && at.After(t.due)
		start, finish := 0.5, 0.6
		if late {
			start, finish = 0.85, 0.9
		}
		switch {
		case t.status == "todo" && chance(rng, 0.03) && !s.onlyStarted(t):
			t.status = "dropped"
		case t.status == "todo" && chance(rng, start):
			t.status = "in-progress"
		case t.status == "in-progress" && chance(rng, finish):
			t.status, t.done = "done", at
		}
	}
	active := 0
	for _, g := range s.goals {
		if g.status != "dropped" {
			active++
		}
	}
	for _, g := range s.goals {
		if g.status == "dropped" || g.status == "met" || g.status == "partly-met" || g.status == "not-met" {
			continue
		}
		if g.hasDue && at.After(g.due.AddDate(0, 0, 14)) && g.status == "in-progress" && chance(rng, 0.7) {
			g.status = pickWeighted(rng, []weight{{"partly-met", 65}, {"not-met", 35}})
			continue
		}
		if g.status == "not-started" && active > 1 && chance(rng, 0.04) {
			g.status = "dropped"
			active--
			continue
		}
		started, done, all := false, true, 0
		for _, t := range s.tasks {
			if t.goal != g.id || t.status == "dropped" {
				continue
			}
			all++
			started = started || t.status != "todo"
			done = done && t.status == "done"
		}
		switch {
		case all > 0 && done && chance(rng, 0.6):
			g.status = "met"
		case started && g.status == "not-started":
			g.status = "in-progress"
		case g.measure == "" && active > 1 && chance(rng, 0.1):
			g.status = "dropped"
			active--
		}
	}
	if !first && chance(rng, 0.12) && len(s.goals) > 0 {
		g := pick(rng, s.goals)
		if g.status != "dropped" {
			s.tasks = append(s.tasks, &task{id: fmt.Sprintf("t%d", len(s.tasks)+1), goal: g.id, text: "Review progress on " + g.domain + " together", owner: "worker", status: "todo", due: at.AddDate(0, 0, 21)})
		}
	}
	s.renderPlan()
	for _, t := range s.tasks {
		if t.status == "in-progress" || t.status == "done" {
			s.servicesStarted = true
		}
	}
	for _, r := range s.referrals {
		if r.status == "accepted" || r.status == "completed" {
			s.servicesStarted = true
		}
	}
	return s.emit(at, s.worker, "edit", "edit plan", docRef{s.planDoc, casefile.KindPlan})
}

// onlyStarted reports whether dropping t could leave the plan with no
// service under way (nothing else in progress or done).
func (s *caseSim) onlyStarted(t *task) bool {
	for _, o := range s.tasks {
		if o != t && (o.status == "in-progress" || o.status == "done") {
			return false
		}
	}
	return s.servicesStarted
}

// startService makes sure a service is under way before the case moves to
// monitoring: the first open task starts.
func (s *caseSim) startService() {
	for _, t := range s.tasks {
		if t.status == "todo" {
			t.status = "in-progress"
			s.renderPlan()
			if s.emit(s.next(s.cursor), s.worker, "edit", "edit plan", docRef{s.planDoc, casefile.KindPlan}) {
				s.servicesStarted = true
			}
			return
		}
	}
}

// revisePlan is a plan revision: back to planning, a new goal, back to
// delivery and monitoring.
func (s *caseSim) revisePlan() bool {
	if !s.transition("planning", "", nil) {
		return false
	}
	at := s.next(s.onDay(s.daysSince(s.cursor) + 1 + s.rng.Float64()*6))
	var have []string
	for _, g := range s.goals {
		have = append(have, g.domain)
	}
	for _, d := range []string{"employment", "income", "support-system", "language", "transportation"} {
		if !slices.Contains(have, d) {
			s.addGoal(d, at)
			break
		}
	}
	s.renderPlan()
	if !s.emit(at, s.worker, "edit", "edit plan", docRef{s.planDoc, casefile.KindPlan}) {
		return false
	}
	s.cursor = s.workTime(at.AddDate(0, 0, 2+s.rng.IntN(7)))
	return s.transition("delivery", "", nil) && s.transition("monitoring", "", nil)
}

// close is cases close: closure.yaml, and the case moves to follow-up (when
// check-ins are scheduled) or closed. Check-ins are recorded later with
// cases edit, and the case closes after the last.
func (s *caseSim) close() {
	w, rng := s.w, s.rng
	tr := &s.tr
	at := s.next(s.onDay(math.Max(tr.closeAt(), s.daysSince(s.cursor))))
	doc := w.newDoc(s.path("closure.yaml"), casefile.KindClosure)
	root := doc.Root()
	yamlx.Set(root, "date", date(at), orderClosure)
	yamlx.Set(root, "reason", yamlx.Str(tr.exit), orderClosure)
	if chance(rng, 0.5) {
		yamlx.Set(root, "reason-note", yamlx.Str(pick(rng, reasonNotes[tr.exit])), orderClosure)
	}
	dest := map[string][]weight{
		"goals-met":           {{"permanent-housing", 60}, {"with-family-or-friends", 10}, {"temporary-housing", 10}, {"other", 10}, {"unknown", 10}},
		"moved":               {{"left-area", 90}, {"unknown", 10}},
		"transferred":         {{"other-program", 90}, {"institution", 10}},
		"lost-contact":        {{"unknown", 100}},
		"ineligible-referred": {{"other-program", 80}, {"unknown", 20}},
		"declined-services":   {{"unknown", 60}, {"other", 40}},
		"other":               {{"other", 60}, {"unknown", 40}},
	}[tr.exit]
	if dest != nil {
		yamlx.Set(root, "destination", yamlx.Str(pickWeighted(rng, dest)), orderClosure)
	}
	var reviews []*yaml.Node
	for _, g := range s.goals {
		if g.status == "dropped" {
			continue
		}
		result := map[string]string{"met": "met", "in-progress": "partly-met", "partly-met": "partly-met", "not-met": "not-met", "not-started": "not-met"}[g.status]
		if tr.exit == "goals-met" && result != "met" && chance(rng, 0.5) {
			result = "partly-met"
		}
		reviews = append(reviews, yamlx.Map("goal", yamlx.Str(g.id), "result", yamlx.Str(result)))
	}
	if len(reviews) > 0 {
		yamlx.Set(root, "goals", yamlx.Seq(reviews...), orderClosure)
	}
	iv := yamlx.Get(root, "interview")
	held := false
	switch tr.exit {
	case "lost-contact", "deceased", "ineligible-referred":
		yamlx.Set(iv, "held", yamlx.Bool(false), nil)
	default:
		if chance(rng, 0.75) {
			held = true
			yamlx.Set(iv, "held", yamlx.Bool(true), nil)
			yamlx.Set(iv, "date", date(at), nil)
			yamlx.Set(iv, "told-in-advance", yamlx.Bool(chance(rng, 0.8)), nil)
			if chance(rng, 0.6) {
				yamlx.Set(iv, "feedback", yamlx.Str(pick(rng, interviewFeedback)), nil)
			}
			yamlx.Set(iv, "satisfaction", yamlx.Int(int64(pickIndex(rng, []float64{2, 4, 14, 40, 40})+1)), nil)
		} else if chance(rng, 0.6) {
			yamlx.Set(iv, "held", yamlx.Bool(false), nil)
		}
	}
	if chance(rng, 0.6) && tr.exit != "deceased" {
		var res []string
		for _, k := range rng.Perm(len(resourcesGiven))[:1+rng.IntN(3)] {
			res = append(res, resourcesGiven[k])
		}
		yamlx.Set(root, "resources-given", yamlx.StrSeq(res), orderClosure)
	}
	if tr.exit == "transferred" || tr.exit == "ineligible-referred" {
		svc := pick(rng, allServices())
		yamlx.Set(root, "referrals-out", yamlx.Seq(yamlx.Map("provider", yamlx.Str(svc[0]), "service", yamlx.Str(svc[1]), "date", date(at))), orderClosure)
	}
	cs := yamlx.Get(root, "continuing-services")
	if held && chance(rng, 0.7) {
		yamlx.Set(cs, "discussed", yamlx.Bool(true), nil)
		yamlx.Set(cs, "services", yamlx.StrSeq([]string{pick(rng, continuingServices)}), nil)
		yamlx.Set(cs, "referred", yamlx.Bool(chance(rng, 0.4)), nil)
	}
	fc := yamlx.Get(root, "future-contact")
	if held && chance(rng, 0.8) {
		yamlx.Set(fc, "plan", yamlx.Str(pick(rng, futureContactPlans)), nil)
		signed := yamlx.Get(fc, "signed")
		yamlx.Set(signed, "worker", date(at), nil)
		if chance(rng, 0.75) {
			yamlx.Set(signed, "client", date(at), nil)
		}
	}
	if tr.followUp {
		var fu []*yaml.Node
		for _, d := range tr.checkIns {
			fu = append(fu, yamlx.Map("due", date(at.AddDate(0, 0, int(d)))))
		}
		yamlx.Set(root, "follow-up", yamlx.Seq(fu...), orderClosure)
	}
	yamlx.Prune(doc.Node)
	s.closureDoc = doc

	to := "closed"
	if tr.followUp {
		to = "follow-up"
	}
	entry := yamlx.Map("from", yamlx.Str(s.stage), "to", yamlx.Str(to), "at", timestamp(at), "by", yamlx.Str(s.worker.id))
	croot := s.caseDoc.Root()
	hist := yamlx.EnsureSeq(croot, "stage-history", orderCase)
	hist.Content = append(hist.Content, entry)
	yamlx.Set(croot, "stage", yamlx.Str(to), orderCase)
	if !s.emit(at, s.worker, "close", s.stage+" -> "+to, docRef{doc, casefile.KindClosure}, docRef{s.caseDoc, casefile.KindCase}) {
		return
	}
	s.stage = to
	if !tr.followUp {
		return
	}
	// Each check-in is cases note --follow-up: the note, the check-in marked
	// done in closure.yaml and, with the last, the move to closed, in one
	// commit.
	for i, d := range tr.checkIns {
		done := s.next(s.workTime(at.AddDate(0, 0, int(d)+rng.IntN(8))))
		outcome := pickWeighted(rng, []weight{{"reached-stable", 65}, {"reached-needs-help", 15}, {"not-reached", 20}})
		entry := yamlx.Get(root, "follow-up").Content[i]
		yamlx.Set(entry, "done", date(done), nil)
		yamlx.Set(entry, "outcome", yamlx.Str(outcome), nil)
		note, noteID := s.followUpNote(done, outcome)
		docs := []docRef{{note, casefile.KindNote}, {doc, casefile.KindClosure}}
		summary := "phone note " + noteID
		last := i == len(tr.checkIns)-1
		if last {
			hist := yamlx.EnsureSeq(croot, "stage-history", orderCase)
			hist.Content = append(hist.Content, yamlx.Map("from", yamlx.Str("follow-up"), "to", yamlx.Str("closed"), "at", timestamp(done), "by", yamlx.Str(s.worker.id)))
			yamlx.Set(croot, "stage", yamlx.Str("closed"), orderCase)
			docs = append(docs, docRef{s.caseDoc, casefile.KindCase})
			summary += ", follow-up -> closed"
		}
		if !s.emit(done, s.worker, "note", summary, docs...) {
			return
		}
		s.noteIDs = append(s.noteIDs, noteID)
		if last {
			s.stage = "closed"
		}
	}
}

// followUpNote is the note of a follow-up check-in after closure.
func (s *caseSim) followUpNote(at time.Time, outcome string) (*yamlx.Doc, string) {
	noteID, err := casefile.NoteID(at, rngReader{s.rng})
	if err != nil {
		panic(err)
	}
	doc := s.w.newDoc(casefile.NotePath(s.id, noteID), casefile.KindNote)
	root := doc.Root()
	yamlx.Set(root, "at", timestamp(at), orderNote)
	yamlx.Set(root, "author", yamlx.Str(s.worker.id), orderNote)
	yamlx.Set(root, "type", yamlx.Str("phone"), orderNote)
	yamlx.Set(root, "minutes", yamlx.Int(int64(between(s.rng, 5, 20))), orderNote)
	yamlx.Delete(root, "interpreter")
	yamlx.Delete(root, "goals")
	yamlx.Set(root, "follow-up", yamlx.Bool(true), orderNote)
	yamlx.Set(root, "text", yamlx.Str(pick(s.rng, followUpTexts[outcome])), orderNote)
	yamlx.Prune(doc.Node)
	return doc, noteID
}

var followUpTexts = map[string][]string{
	"reached-stable":     {"Check-in call: settled and managing; knows to call the office if anything changes.", "Check-in: rent paid, children in school, no new needs."},
	"reached-needs-help": {"Check-in call: a new bill is worrying them; gave the benefits line and offered an appointment.", "Check-in: struggling with work hours; referred back to the employment desk."},
	"not-reached":        {"Check-in call not answered; left no message as agreed, will try the next date.", "No answer at the check-in; the number may have changed."},
}
