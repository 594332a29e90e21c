package gen

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/gitstore"
	"github.com/casesproject/cases/casefile/lifecycle"
	"github.com/casesproject/cases/casefile/risk"
	"github.com/casesproject/cases/casefile/yamlx"
	"github.com/go-git/go-git/v5/plumbing"
	"go.yaml.in/yaml/v3"
)

// A case is simulated from its opening to the generator's "now" as the
// commands a caseworker would run, in time order: new, edit (the intake,
// later the closure's check-ins), transition, assess, risk, plan, note and
// close. Each command becomes an event carrying exactly the files the
// command would write, at a time on a working day, by the staff member who
// would run it. Documents are built from the repository's templates and
// changed by editing their node trees, like the commands do.

// event is one command's commit.
type event struct {
	at      time.Time
	actor   *staffMember
	verb    string
	caseID  string
	summary string
	files   []evFile
	order   uint64 // case index and sequence: a stable order for equal times
}

type evFile struct {
	path string
	data []byte        // the content (nil once stored as a blob)
	blob plumbing.Hash // set by the bulk path
}

// caseOut is a rendered case.
type caseOut struct {
	id     string
	opened time.Time
	stage  string
	reason string
	forced string
	events []event
	final  map[string][]byte // the last content of every file
	files  int               // how many files the case holds
	blobs  [][]gitstore.PreparedBlob
}

// target is what a case must end up as, for the few cases that make sure
// every stage, closure reason and kind of forced move is present.
type target struct {
	stage, reason, forced string
}

// Exit paths: why a case closes, and how often.
var exits = []weight{{"goals-met", 70}, {"lost-contact", 9}, {"moved", 6}, {"ineligible-referred", 6}, {"transferred", 3}, {"declined-services", 3}, {"other", 2}, {"deceased", 1}}

// closureReasons lists every reason closure.yaml allows.
var closureReasons = []string{"goals-met", "moved", "declined-services", "ineligible-referred", "lost-contact", "transferred", "deceased", "other"}

// Forced moves, as programs make them: a member who could not be assessed
// (household-assessed), services started before the client could sign
// (agreement-signed), a plan agreed before its goals were measurable
// (plan-smart).
var forcedKinds = []string{"household", "agreement", "smart"}

// trajectory is how a case would go if time did not stop at "now": the
// days each stage lasts and how the case ends.
type trajectory struct {
	exit     string
	exitFrom string // the stage the case closes from
	followUp bool
	forced   string
	revision bool // a plan revision while in monitoring

	pendingElig float64 // days until eligibility is decided (0: at intake)
	dIntake     float64
	dAssess     float64
	dPlan       float64
	dDeliver    float64
	dMonitor    float64
	exitIn      float64 // share of the exit stage gone when the case closes
	checkIns    []float64
}

func (tr *trajectory) entries() (a, b, c, d, e float64) {
	a = tr.dIntake
	b = a + tr.dAssess
	c = b + tr.dPlan
	d = c + tr.dDeliver
	e = d + tr.dMonitor
	return
}

// closeAt is the day, from opening, the case closes.
func (tr *trajectory) closeAt() float64 {
	a, b, c, d, e := tr.entries()
	switch tr.exitFrom {
	case "intake":
		return math.Max(tr.pendingElig, 0) + 1 + tr.exitIn*4
	case "assessment":
		return a + tr.exitIn*(b-a)
	case "planning":
		return b + tr.exitIn*(c-b)
	case "delivery":
		return c + tr.exitIn*(d-c)
	}
	return e
}

// window is the span of days after opening in which the case is in a
// stage (ok false when it never is).
func (tr *trajectory) window(stage string) (lo, hi float64, ok bool) {
	a, b, c, d, _ := tr.entries()
	end := tr.closeAt()
	starts := map[string]float64{"intake": 0, "assessment": a, "planning": b, "delivery": c, "monitoring": d}
	order := []string{"intake", "assessment", "planning", "delivery", "monitoring"}
	last := slices.Index(order, tr.exitFrom)
	switch stage {
	case "follow-up":
		if !tr.followUp {
			return 0, 0, false
		}
		return end, end + tr.checkIns[len(tr.checkIns)-1], true
	case "closed":
		if tr.followUp {
			end += tr.checkIns[len(tr.checkIns)-1]
		}
		return end, end + 3650, true
	}
	i := slices.Index(order, stage)
	if i < 0 || i > last {
		return 0, 0, false
	}
	lo = starts[stage]
	hi = end
	if i < last {
		hi = starts[order[i+1]]
	}
	return lo, hi, hi > lo
}

func drawTrajectory(rng *rand.Rand, t target) trajectory {
	tr := trajectory{exit: pickWeighted(rng, exits)}
	if t.reason != "" {
		tr.exit = t.reason
	}
	switch tr.exit {
	case "ineligible-referred":
		tr.exitFrom = "intake"
	case "declined-services":
		tr.exitFrom = pickWeighted(rng, []weight{{"assessment", 60}, {"planning", 40}})
	case "goals-met":
		tr.exitFrom = "monitoring"
	case "deceased":
		tr.exitFrom = pickWeighted(rng, []weight{{"assessment", 20}, {"delivery", 30}, {"monitoring", 50}})
	default:
		tr.exitFrom = pickWeighted(rng, []weight{{"delivery", 40}, {"monitoring", 60}})
	}
	switch tr.exit {
	case "goals-met":
		tr.followUp = chance(rng, 0.7)
	case "moved":
		tr.followUp = chance(rng, 0.25)
	case "transferred":
		tr.followUp = chance(rng, 0.35)
	case "other":
		tr.followUp = chance(rng, 0.2)
	}
	if tr.followUp {
		tr.checkIns = []float64{30}
		if chance(rng, 0.6) {
			tr.checkIns = append(tr.checkIns, 90)
		}
	} else {
		tr.checkIns = []float64{0}
	}
	if chance(rng, 0.45) {
		tr.pendingElig = 2 + rng.Float64()*14
	}
	tr.dIntake = rng.Float64() * 2
	if tr.pendingElig > 0 {
		tr.dIntake = tr.pendingElig + 0.5 + rng.Float64()*4
	}
	tr.dAssess = 10 + rng.Float64()*32
	tr.dPlan = 5 + rng.Float64()*20
	tr.dDeliver = 14 + rng.Float64()*46
	tr.dMonitor = 30 + rng.Float64()*210
	tr.exitIn = 0.3 + rng.Float64()*0.6
	tr.revision = tr.exitFrom == "monitoring" && chance(rng, 0.08)
	switch {
	case t.forced != "":
		tr.forced = t.forced
	case chance(rng, 0.015):
		tr.forced = "household"
	case chance(rng, 0.015):
		tr.forced = "agreement"
	case chance(rng, 0.01):
		tr.forced = "smart"
	}
	return tr
}

// caseSim is one case being simulated.
type caseSim struct {
	w      *world
	rng    *rand.Rand
	index  int
	id     string
	prog   *programProfile
	tr     trajectory
	opened time.Time // the intake, a working-day time in the organization's zone

	worker, intakeBy, supervisor *staffMember
	members                      []person
	needs                        []string
	severity                     float64 // the share of the instrument's points the client's answers aim for
	redFlag                      bool

	cursor  time.Time
	stopped bool
	events  []event
	final   map[string][]byte
	seq     int

	caseDoc, intakeDoc, planDoc, closureDoc *yamlx.Doc
	stage                                   string
	level                                   string
	riskLevel                               string
	contactDays                             int
	lastContact                             time.Time
	nextContact                             time.Time
	assessed                                map[string]bool
	latest                                  map[string]memberAnswers
	headPoints                              map[string]float64 // points by domain in the client's first assessment
	priorities                              []string
	noteIDs                                 []string
	goals                                   []*goal
	tasks                                   []*task
	referrals                               []*referral
	servicesStarted                         bool
}

type goal struct {
	id, domain, text, measure, target, owner, partner, status string
	due, created                                              time.Time
	hasDue, chose                                             bool
	tmpl                                                      *goalTemplate
}

type task struct {
	id, goal, text, owner, partner, status string
	due, done                              time.Time
}

type referral struct {
	id, provider, service, goal, status, outcome string
	sent                                         time.Time
	history                                      [][2]string // status, date
}

// renderCase simulates case i. A case that must end in a given stage (or
// with a given closure reason or forced move) is drawn again until it does.
func (w *world) renderCase(i int) (*caseOut, error) {
	t := w.target(i)
	for attempt := 0; ; attempt++ {
		s := w.newSim(i, attempt)
		if err := s.setup(t); err != nil {
			return nil, err
		}
		if err := s.run(); err != nil {
			return nil, fmt.Errorf("case %s: %w", s.id, err)
		}
		ok := (t.stage == "" || s.stage == t.stage) && (t.reason == "" || s.reasonIs(t.reason)) && (t.forced == "" || s.forcedRecorded())
		if ok || attempt >= 40 {
			return &caseOut{id: s.id, opened: s.opened, stage: s.stage, reason: s.reason(), forced: s.forcedKind(), events: s.events, final: s.final}, nil
		}
	}
}

func (w *world) newSim(i, attempt int) *caseSim {
	rng := rand.New(rand.NewPCG(w.opts.Seed, uint64(i)<<8|uint64(attempt)))
	return &caseSim{w: w, rng: rng, index: i, final: map[string][]byte{}, assessed: map[string]bool{}, latest: map[string]memberAnswers{}}
}

// openedAt is when case i opens, found without simulating it (for a case
// left to chance, its first draw is the one kept).
func (w *world) openedAt(i int) (time.Time, error) {
	s := w.newSim(i, 0)
	err := s.setup(target{})
	return s.opened, err
}

// target says what case i must become: the first cases of a caseload of
// at least 30 cover every stage, every closure reason and every kind of
// forced move; the others are left to chance.
func (w *world) target(i int) target {
	if w.opts.Cases < 30 {
		return target{}
	}
	switch {
	case i < len(casefile.Stages):
		return target{stage: casefile.Stages[i]}
	case i < len(casefile.Stages)+len(closureReasons):
		return target{stage: "closed", reason: closureReasons[i-len(casefile.Stages)]}
	case i < len(casefile.Stages)+len(closureReasons)+len(forcedKinds):
		k := i - len(casefile.Stages) - len(closureReasons)
		return target{stage: []string{"monitoring", "delivery", "monitoring"}[k], forced: forcedKinds[k]}
	}
	return target{}
}

func (s *caseSim) setup(t target) error {
	w, rng := s.w, s.rng
	ws := make([]float64, len(programs))
	for i, p := range programs {
		ws[i] = p.share
	}
	s.prog = &programs[pickIndex(rng, ws)]
	for tries := 0; ; tries++ {
		s.tr = drawTrajectory(rng, t)
		if t.forced == "" || tries > 20 {
			break
		}
		if t.forced != "" && s.tr.exitFrom == "monitoring" {
			break
		}
	}
	span := w.now.Sub(w.start).Hours() / 24
	var back float64
	if t.stage != "" {
		lo, hi, ok := s.tr.window(t.stage)
		for tries := 0; !ok && tries < 50; tries++ {
			s.tr = drawTrajectory(rng, t)
			lo, hi, ok = s.tr.window(t.stage)
		}
		if t.stage == "closed" {
			hi = math.Min(hi, lo+span/2)
		}
		margin := math.Min(2, (hi-lo)/4)
		back = lo + margin + rng.Float64()*math.Max(0, hi-lo-2*margin)
	} else {
		back = rng.Float64() * span
	}
	back = math.Min(back, span-1)
	s.opened = s.workTime(w.now.Add(-time.Duration(back * 24 * float64(time.Hour))))
	if s.opened.After(w.now) {
		s.opened = s.workTime(w.now.AddDate(0, 0, -1))
	}
	s.id = s.opened.Format("2006-01") + "-" + w.perm.suffix(s.index)

	s.worker = pick(rng, w.caseworkers[s.prog.id])
	s.intakeBy = s.worker
	if chance(rng, 0.4) {
		s.intakeBy = pick(rng, w.byRole["intake"])
	}
	s.supervisor = pick(rng, w.byRole["supervisor"])
	s.members = household(rng, s.prog, s.opened)
	for _, n := range []string{"housing", "food", "safety", "medical"} {
		if chance(rng, s.prog.needs[n]) {
			s.needs = append(s.needs, n)
		}
	}
	s.redFlag = chance(rng, 0.05)
	if s.redFlag && !slices.Contains(s.needs, "safety") && chance(rng, 0.5) {
		s.needs = append(s.needs, "safety")
	}
	slices.Sort(s.needs)
	s.contactDays = 14
	s.cursor = s.opened.Add(-time.Minute)
	return nil
}

func (s *caseSim) reason() string {
	if s.closureDoc == nil || s.stage != "closed" && s.stage != "follow-up" {
		return ""
	}
	return yamlx.Get(s.closureDoc.Root(), "reason").Value
}

func (s *caseSim) reasonIs(r string) bool { return s.reason() == r }

func (s *caseSim) forcedKind() string {
	if s.forcedRecorded() {
		return s.tr.forced
	}
	return ""
}

// forcedRecorded reports whether a forced move made it into the history.
func (s *caseSim) forcedRecorded() bool {
	if s.caseDoc == nil {
		return false
	}
	for _, m := range yamlx.Get(s.caseDoc.Root(), "stage-history").Content {
		if f := yamlx.Get(m, "forced"); f != nil && f.Value == "true" {
			return true
		}
	}
	return false
}

// Time.

// workTime moves t into working hours: 8:30 to 17:30 on a weekday, in the
// organization's zone.
func (s *caseSim) workTime(t time.Time) time.Time {
	t = t.In(s.w.loc)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, s.w.loc)
	open := day.Add(8*time.Hour + 30*time.Minute)
	shut := day.Add(17*time.Hour + 30*time.Minute)
	switch {
	case t.Before(open):
		t = open.Add(time.Duration(s.rng.IntN(90)) * time.Minute)
	case t.After(shut):
		day = day.AddDate(0, 0, 1)
		t = day.Add(8*time.Hour + 30*time.Minute + time.Duration(s.rng.IntN(90))*time.Minute)
	}
	for t.Weekday() == time.Saturday || t.Weekday() == time.Sunday {
		t = t.AddDate(0, 0, 1)
	}
	return t.Truncate(time.Minute).Add(time.Duration(s.rng.IntN(60)) * time.Second)
}

// onDay is a working-day time about off days after the opening.
func (s *caseSim) onDay(off float64) time.Time {
	day := s.opened.Add(time.Duration(off * 24 * float64(time.Hour)))
	day = time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, s.w.loc)
	return s.workTime(day.Add(time.Duration(s.rng.IntN(8*60)) * time.Minute))
}

// next is the time of the next command: t, or a little after the last one.
func (s *caseSim) next(t time.Time) time.Time {
	if min := s.cursor.Add(3 * time.Minute); t.Before(min) {
		t = s.workTime(s.cursor.Add(time.Duration(3+s.rng.IntN(40)) * time.Minute))
	}
	return t
}

// Emitting commands.

type docRef struct {
	doc  *yamlx.Doc
	kind casefile.Kind
}

// emit records a command at time at that writes the given documents. It
// returns false, and stops the case, when at lies after "now".
func (s *caseSim) emit(at time.Time, actor *staffMember, verb, summary string, docs ...docRef) bool {
	if s.stopped {
		return false
	}
	if at.After(s.w.now) {
		s.stopped = true
		return false
	}
	ev := event{at: at, actor: actor, verb: verb, caseID: s.id, summary: summary, order: uint64(s.index)<<24 | uint64(s.seq)}
	for _, d := range docs {
		data, err := casefile.EncodeDoc(d.doc, d.kind)
		if err != nil {
			panic(fmt.Sprintf("encode %s: %v", d.doc.Path, err)) // the generator built a node tree the encoder refuses: a bug
		}
		if old, ok := s.final[d.doc.Path]; ok && bytes.Equal(old, data) {
			continue // a command that changes nothing writes nothing
		}
		ev.files = append(ev.files, evFile{path: d.doc.Path, data: data})
	}
	if len(ev.files) == 0 {
		return true
	}
	for _, f := range ev.files {
		s.final[f.path] = f.data
	}
	s.seq++
	s.events = append(s.events, ev)
	s.cursor = at
	return true
}

func (s *caseSim) path(name string) string { return casefile.CaseDir(s.id) + "/" + name }

// run plays the case's commands until the case ends or time reaches now.
func (s *caseSim) run() error {
	tr := &s.tr
	if err := s.open(); err != nil || s.stopped {
		return err
	}
	if tr.exitFrom == "intake" {
		if tr.pendingElig > 0 {
			s.until(s.onDay(tr.pendingElig))
			s.decideEligibility(false)
		}
		s.until(s.onDay(tr.closeAt()))
		s.close()
		return nil
	}
	if tr.pendingElig > 0 {
		s.until(s.onDay(tr.pendingElig))
		if !s.decideEligibility(true) {
			return nil
		}
	}
	a, b, c, d, e := tr.entries()
	s.until(s.onDay(a))
	if !s.transition("assessment", "", nil) {
		return nil
	}

	// Assessment: every member on their own day, some late; risk after
	// the last.
	exitAt := tr.closeAt()
	skip := ""
	if tr.forced == "household" && len(s.members) > 1 {
		skip = s.members[1+s.rng.IntN(len(s.members)-1)].id
	}
	days := make([]float64, len(s.members))
	for i := range days {
		days[i] = a + (0.05+0.8*s.rng.Float64())*tr.dAssess
	}
	slices.Sort(days)
	for i := range s.members {
		m := &s.members[i]
		if m.id == skip {
			continue
		}
		if tr.exitFrom == "assessment" && days[i] > exitAt {
			break
		}
		when := s.onDay(days[i])
		s.until(when)
		if !s.assess(m, when, false) {
			return nil
		}
	}
	if tr.exitFrom == "assessment" {
		s.until(s.onDay(exitAt))
		s.close()
		return nil
	}
	if !s.recordRisk(s.onDay(days[len(days)-1] + s.rng.Float64())) {
		return nil
	}

	s.until(s.onDay(b))
	if tr.forced == "household" && skip != "" {
		if !s.transition("planning", "household", []string{lifecycle.HouseholdAssessed}) {
			return nil
		}
	} else if !s.transition("planning", "", nil) {
		return nil
	}
	meeting := s.onDay(b + (0.15+0.4*s.rng.Float64())*tr.dPlan)
	s.until(meeting)
	signNow := chance(s.rng, 0.6) && tr.forced != "agreement"
	vague := tr.forced == "smart" || chance(s.rng, 0.3)
	if !s.writePlan(meeting, signNow, vague) {
		return nil
	}
	if tr.exitFrom == "planning" {
		s.until(s.onDay(exitAt))
		s.close()
		return nil
	}
	fix, sign := vague && tr.forced != "smart", !signNow && tr.forced != "agreement"
	if fix || sign {
		s.until(s.onDay(b + (0.6+0.3*s.rng.Float64())*tr.dPlan))
		if !s.finishPlan(fix, sign) {
			return nil
		}
	}
	s.until(s.onDay(c))
	switch tr.forced {
	case "agreement":
		if !s.transition("delivery", "agreement", []string{lifecycle.AgreementSigned}) {
			return nil
		}
	case "smart":
		if !s.transition("delivery", "smart", []string{lifecycle.PlanSMART}) {
			return nil
		}
	default:
		if !s.transition("delivery", "", nil) {
			return nil
		}
	}

	// Delivery: referrals go out, tasks start.
	s.updatePlan(s.onDay(c+1+s.rng.Float64()*5), true)
	upTo := d
	if tr.exitFrom == "delivery" {
		upTo = exitAt
	}
	s.deliver(s.onDay(upTo))
	if tr.exitFrom == "delivery" {
		s.close()
		return nil
	}
	if !s.servicesStarted {
		s.updatePlan(s.next(s.cursor), false)
		s.startService()
	}
	if !s.transition("monitoring", "", nil) {
		return nil
	}

	// Monitoring: contacts, plan updates, a reassessment, sometimes a
	// plan revision; then closure.
	reassess := d + 60 + s.rng.Float64()*60
	revise := d + (0.3+0.4*s.rng.Float64())*tr.dMonitor
	if tr.revision && revise < e-10 {
		s.deliver(s.onDay(revise))
		if !s.revisePlan() {
			return nil
		}
	}
	if reassess < e-5 {
		s.deliver(s.onDay(reassess))
		if !s.reassess() {
			return nil
		}
	}
	s.deliver(s.onDay(e))
	s.close()
	return nil
}

// until writes the contact notes due before t, then waits for t.
func (s *caseSim) until(t time.Time) {
	for !s.stopped && s.nextContact.Before(t) {
		s.contact(s.nextContact)
	}
}

// deliver writes contact notes and plan updates until t.
func (s *caseSim) deliver(t time.Time) {
	nextUpdate := s.onDay(s.daysSince(s.cursor) + 14 + s.rng.Float64()*21)
	for !s.stopped {
		if nextUpdate.Before(s.nextContact) && nextUpdate.Before(t) {
			s.updatePlan(nextUpdate, false)
			nextUpdate = s.onDay(s.daysSince(s.cursor) + 14 + s.rng.Float64()*21)
			continue
		}
		if !s.nextContact.Before(t) {
			break
		}
		s.contact(s.nextContact)
	}
	if !s.stopped && s.cursor.Before(t) {
		s.cursor = t
	}
}

func (s *caseSim) daysSince(t time.Time) float64 { return t.Sub(s.opened).Hours() / 24 }

// scheduleContact sets when the next contact is due: within the level's
// contact frequency, at irregular intervals, with an occasional lapse that
// leaves the client overdue. A case closing for lost contact goes silent
// for its last two months.
func (s *caseSim) scheduleContact(from time.Time) {
	gap := float64(s.contactDays) * (0.5 + 0.55*s.rng.Float64())
	if chance(s.rng, 0.07) {
		gap = float64(s.contactDays) * (1.1 + 1.5*s.rng.Float64())
	}
	s.nextContact = s.workTime(from.Add(time.Duration(gap * 24 * float64(time.Hour))))
	if s.tr.exit == "lost-contact" && s.daysSince(s.nextContact) > s.tr.closeAt()-60 {
		s.nextContact = s.opened.AddDate(30, 0, 0)
	}
}

// The commands.

// open is cases new: case.yaml in stage intake and intake.yaml.
func (s *caseSim) open() error {
	w, rng := s.w, s.rng
	at := s.opened
	header, err := w.repo.NewCaseHeader(s.id, s.prog.id, s.worker.id, at.Format(time.DateOnly), at, casefile.Actor{ID: s.intakeBy.id, Name: s.intakeBy.name, Email: s.intakeBy.email})
	if err != nil {
		return err
	}
	s.caseDoc = header
	s.stage = "intake"

	in := w.newDoc(s.path("intake.yaml"), casefile.KindIntake)
	root := in.Root()
	yamlx.Set(root, "date", date(at), orderIntake)
	yamlx.Set(root, "worker", yamlx.Str(s.intakeBy.id), orderIntake)
	yamlx.Set(root, "referral-source", yamlx.Str(pickWeighted(rng, s.prog.sources)), orderIntake)
	hh := yamlx.Get(root, "household")
	fillMember(hh.Content[0], &s.members[0])
	for i := 1; i < len(s.members); i++ {
		hh.Content = append(hh.Content, memberNode(&s.members[i]))
	}
	client := &s.members[0]
	contact := yamlx.Get(root, "contact")
	if chance(rng, 0.92) {
		yamlx.Set(contact, "phone", yamlx.Str(fmt.Sprintf("555-01%02d", rng.IntN(100))), nil)
		unsafe := slices.Contains(s.needs, "safety") && chance(rng, 0.5)
		yamlx.Set(contact, "safe-to-call", yamlx.Bool(!unsafe && chance(rng, 0.95)), nil)
		yamlx.Set(contact, "safe-to-leave-message", yamlx.Bool(!unsafe && chance(rng, 0.8)), nil)
	}
	if chance(rng, 0.4) {
		yamlx.Set(contact, "email", yamlx.Str(strings.ToLower(asciiName(client.given))+"."+strings.ToLower(asciiName(client.family[:1]))+fmt.Sprint(rng.IntN(90)+10)+"@example.com"), nil)
	}
	if chance(rng, 0.7) {
		yamlx.Set(contact, "address", yamlx.Str(fmt.Sprintf("%d %s Street, Apt %d", 100+rng.IntN(3900), pick(rng, streets), 1+rng.IntN(40))), nil)
	}
	yamlx.Set(contact, "preferred", yamlx.Str(pickWeighted(rng, []weight{{"phone", 50}, {"text", 30}, {"in-person", 12}, {"email", 6}, {"mail", 2}})), nil)
	if len(s.needs) > 0 {
		yamlx.Set(root, "urgent-needs", yamlx.StrSeq(s.needs), orderIntake)
	}
	hist := yamlx.Get(root, "history")
	for _, h := range []struct {
		key  string
		list []string
	}{{"medical", medicalHistory}, {"psychological", psychHistory}, {"social", socialHistory}} {
		if chance(rng, 0.6) {
			yamlx.Set(hist, h.key, yamlx.Str(pick(rng, h.list)), nil)
		}
	}
	if s.tr.pendingElig == 0 {
		s.setEligibility(in, at, s.tr.exitFrom != "intake")
	}
	orient := yamlx.Get(root, "orientation")
	yamlx.Set(orient, "date", date(at), nil)
	for _, k := range []string{"services-explained", "roles-explained", "hours-explained", "appointments-explained", "emergency-explained"} {
		if chance(rng, 0.9) {
			yamlx.Set(orient, k, yamlx.Bool(chance(rng, 0.95)), nil)
		}
	}
	if client.interpreter {
		yamlx.Set(orient, "interpreter-used", yamlx.Bool(chance(rng, 0.9)), nil)
	}
	yamlx.Prune(in.Node)
	s.intakeDoc = in
	if !s.emit(at, s.intakeBy, "new", "open case in intake", docRef{header, casefile.KindCase}, docRef{in, casefile.KindIntake}) {
		return nil
	}
	s.lastContact = at
	s.scheduleContact(at)
	return nil
}

// setEligibility records the program's eligibility decision and, when
// eligible, consent to services and to sharing with a few partners.
func (s *caseSim) setEligibility(in *yamlx.Doc, at time.Time, eligible bool) {
	rng := s.rng
	root := in.Root()
	client := &s.members[0]
	e := yamlx.Map("program", yamlx.Str(s.prog.id), "eligible", yamlx.Bool(eligible), "decided", date(at), "by", yamlx.Str(s.intakeBy.id))
	if client.interpreter {
		yamlx.Set(e, "interpreter-used", yamlx.Bool(chance(rng, 0.9)), nil)
	}
	if !eligible {
		svc := pick(rng, allServices())
		yamlx.Set(e, "reason", yamlx.Str(pick(rng, ineligibleReasons)), nil)
		yamlx.Set(e, "referral-out", yamlx.Map("provider", yamlx.Str(svc[0]), "service", yamlx.Str(svc[1]), "date", date(at)), nil)
	}
	el := yamlx.EnsureSeq(root, "eligibility", orderIntake)
	el.Content = append(el.Content, e)
	if !eligible {
		return
	}
	consent := yamlx.Ensure(root, "consent", orderIntake)
	services := yamlx.Map("given", yamlx.Bool(true), "date", date(at))
	if chance(rng, 0.3) {
		yamlx.Set(services, "expires", date(at.AddDate(1, 0, 0)), nil)
	}
	yamlx.Set(consent, "services", services, []string{"services", "sharing"})
	if chance(rng, 0.8) {
		ids := providerIDs()
		var list []*yaml.Node
		for _, k := range rng.Perm(len(ids))[:1+rng.IntN(3)] {
			list = append(list, yamlx.Map("partner", yamlx.Str(ids[k]), "scope", yamlx.Str("Referrals, appointments and progress on shared goals"),
				"date", date(at), "expires", date(at.AddDate(1, 0, 0))))
		}
		slices.SortFunc(list, func(a, b *yaml.Node) int {
			return strings.Compare(yamlx.Get(a, "partner").Value, yamlx.Get(b, "partner").Value)
		})
		yamlx.Set(consent, "sharing", yamlx.Seq(list...), []string{"services", "sharing"})
	}
}

// decideEligibility is cases edit intake: the decision made once papers
// came in.
func (s *caseSim) decideEligibility(eligible bool) bool {
	at := s.next(s.onDay(s.tr.pendingElig))
	s.setEligibility(s.intakeDoc, at, eligible)
	return s.emit(at, s.intakeBy, "edit", "edit intake", docRef{s.intakeDoc, casefile.KindIntake})
}

// transition is cases transition: a stage move recorded in case.yaml. A
// forced move names the guards it overrides and why.
func (s *caseSim) transition(to, forced string, guards []string) bool {
	at := s.next(s.workTime(s.cursor.Add(time.Duration(5+s.rng.IntN(120)) * time.Minute)))
	by := s.worker
	entry := yamlx.Map("from", yamlx.Str(s.stage), "to", yamlx.Str(to), "at", timestamp(at), "by", nil)
	if forced != "" {
		by = s.supervisor
		reasons := map[string][]string{
			"household": {"One adult member is working out of state and could not be assessed; planning cannot wait.", "A member is in hospital; assess when discharged."},
			"agreement": {"Client in hospital; services started urgently, signature to follow.", "Eviction date is close; services start before the client can come in to sign."},
			"smart":     {"Plan agreed verbally; measures to be added at the next visit.", "Crisis response first; goals to be made measurable within two weeks."},
		}[forced]
		yamlx.Set(entry, "forced", yamlx.Bool(true), orderMove)
		yamlx.Set(entry, "guards", yamlx.StrSeq(guards), orderMove)
		yamlx.Set(entry, "reason", yamlx.Str(pick(s.rng, reasons)), orderMove)
	}
	yamlx.Set(entry, "by", yamlx.Str(by.id), orderMove)
	root := s.caseDoc.Root()
	hist := yamlx.EnsureSeq(root, "stage-history", orderCase)
	hist.Content = append(hist.Content, entry)
	yamlx.Set(root, "stage", yamlx.Str(to), orderCase)
	summary := s.stage + " -> " + to
	if forced != "" {
		summary += " (forced)"
	}
	if !s.emit(at, by, "transition", summary, docRef{s.caseDoc, casefile.KindCase}) {
		return false
	}
	s.stage = to
	return true
}

// assess is cases assess: one member's assessment with the instrument.
func (s *caseSim) assess(m *person, at time.Time, again bool) bool {
	w, rng := s.w, s.rng
	at = s.next(at)
	day := at.Format(time.DateOnly)
	p := casefile.AssessmentPath(s.id, day, m.id)
	if _, dup := s.final[p]; dup {
		at = s.workTime(time.Date(at.Year(), at.Month(), at.Day()+1, 9, 0, 0, 0, w.loc))
		day = at.Format(time.DateOnly)
		p = casefile.AssessmentPath(s.id, day, m.id)
	}
	age := m.age(at)
	flag := ""
	if s.redFlag && !again && m.id == "m1" {
		var qs []string
		for _, id := range w.flagQuestions {
			if w.instr.Question(id).AppliesAt(age) {
				qs = append(qs, id)
			}
		}
		if len(qs) > 0 {
			flag = pick(rng, qs)
		}
	}
	var answers casefile.Answers
	var order []string
	if m.id == "m1" && !again {
		answers, order = s.clientAnswers(age, flag, at)
	} else {
		if s.severity == 0 {
			s.severity = 0.3
		}
		answers, order = drawAnswers(rng, w.cfg, w.instr, age, s.memberSeverity(m, again), s.needs, flag, at)
	}
	doc := w.newDoc(p, casefile.KindAssessment)
	root := doc.Root()
	yamlx.Set(root, "member", yamlx.Str(m.id), orderAssessment)
	yamlx.Set(root, "instrument", yamlx.Str(w.instr.ID), orderAssessment)
	yamlx.Set(root, "instrument-version", yamlx.Int(int64(w.instr.Version)), orderAssessment)
	yamlx.Set(root, "date", date(at), orderAssessment)
	yamlx.Set(root, "assessor", yamlx.Str(s.worker.id), orderAssessment)
	interp := yamlx.Get(root, "interpreter")
	if m.interpreter && age >= 12 {
		yamlx.Set(interp, "used", yamlx.Bool(true), nil)
		yamlx.Set(interp, "language", yamlx.Str(m.lang), nil)
	} else {
		yamlx.Delete(root, "interpreter")
	}
	ans := yamlx.Map()
	for _, id := range order {
		ans.Content = append(ans.Content, yamlx.Str(id), answerNode(answers[id]))
	}
	yamlx.Set(root, "answers", ans, orderAssessment)
	if age >= 12 {
		var st []string
		for _, k := range rng.Perm(len(strengths))[:rng.IntN(3)] {
			st = append(st, strengths[k])
		}
		if len(st) > 0 {
			yamlx.Set(root, "strengths", yamlx.StrSeq(st), orderAssessment)
		}
	}
	pri := topDomains(w.instr, answers, 1+rng.IntN(3))
	if len(pri) > 0 && age >= 12 {
		yamlx.Set(root, "priorities", yamlx.StrSeq(pri), orderAssessment)
	}
	if age >= 16 && chance(rng, 0.4) {
		yamlx.Set(root, "client-view", yamlx.Str(pick(rng, clientViews)), orderAssessment)
	}
	yamlx.Prune(doc.Node)
	summary := fmt.Sprintf("%s with %s version %d", m.id, w.instr.ID, w.instr.Version)
	if !s.emit(at, s.worker, "assess", summary, docRef{doc, casefile.KindAssessment}) {
		return false
	}
	s.assessed[m.id] = true
	read, err := casefile.DecodeDoc[casefile.Assessment](doc)
	if err != nil {
		panic(fmt.Sprintf("decode %s: %v", doc.Path, err)) // the generator wrote an assessment it cannot read: a bug
	}
	s.latest[m.id] = memberAnswers{Member: m.id, Date: day, Answers: answers, Doc: read.Data}
	if m.id == "m1" && s.headPoints == nil {
		s.headPoints = domainPoints(w.instr, answers)
		s.priorities = pri
	}
	return true
}

// memberSeverity is the share of the instrument's points a member's
// answers aim for: others in the household carry less than the client; a
// reassessment shows progress.
func (s *caseSim) memberSeverity(m *person, again bool) float64 {
	f := s.severity
	if m.id != "m1" {
		f *= 0.2 + 0.5*s.rng.Float64()
	}
	if again {
		f *= 0.45 + 0.4*s.rng.Float64()
	}
	return math.Max(0.01, math.Min(0.95, f))
}

// band is the range of household scores of the risk level a case is drawn
// for: the risk model's thresholds, whatever the repository sets them to.
func (s *caseSim) band() (lo, hi float64) {
	t := s.w.cfg.Risk.Thresholds
	switch pickWeighted(s.rng, []weight{{"low", 28}, {"moderate", 36}, {"high", 23}, {"critical", 13}}) {
	case "low":
		return 0, t.Moderate
	case "moderate":
		return t.Moderate, t.High
	case "high":
		return t.High, t.Critical
	}
	return t.Critical, t.Critical + (t.Critical - t.High)
}

// clientAnswers draws the client's first assessment so the household's
// score lands in the band of the level the case is drawn for: the share
// of points aimed at is corrected a few times against the score the risk
// model gives, so this holds for any instrument and weights.
func (s *caseSim) clientAnswers(age int, flag string, at time.Time) (casefile.Answers, []string) {
	w := s.w
	needs := 0.0
	for _, n := range s.needs {
		needs += w.cfg.Risk.IntakeNeeds[n]
	}
	lo, hi := s.band()
	want := math.Max(0, (lo+hi)/2-needs)
	f := 0.3
	if full := w.maxScore(age); full > 0 {
		f = math.Max(0.01, math.Min(0.95, want/full))
	}
	var answers casefile.Answers
	var order []string
	for try := range 8 {
		answers, order = drawAnswers(s.rng, w.cfg, w.instr, age, f, s.needs, flag, at)
		got := answersScore(w.cfg, w.instr, answers)
		if (got+needs >= lo && got+needs < hi) || try == 7 {
			break
		}
		f = math.Max(0.005, math.Min(0.95, f*math.Max(want, 0.5)/math.Max(got, 0.5)))
	}
	s.severity = f
	return answers, order
}

// recordRisk is cases risk --record: the score of the latest assessment of
// each member, the level it recommends, and the level of case management
// that follows, with its history.
func (s *caseSim) recordRisk(at time.Time) bool {
	w := s.w
	at = s.next(at)
	var latest []casefile.Assessment
	for _, m := range s.members {
		if a, ok := s.latest[m.id]; ok {
			latest = append(latest, a.Doc)
		}
	}
	intake, err := casefile.DecodeDoc[casefile.Intake](s.intakeDoc)
	if err != nil {
		panic(fmt.Sprintf("decode %s: %v", s.intakeDoc.Path, err))
	}
	header, err := casefile.DecodeDoc[casefile.Case](s.caseDoc)
	if err != nil {
		panic(fmt.Sprintf("decode %s: %v", s.caseDoc.Path, err))
	}
	// Exactly what cases risk --record computes and writes.
	res, err := risk.Score(risk.Inputs{Instrument: w.instr, Model: &w.cfg.Risk, Intake: &intake.Data, Latest: latest})
	if err != nil {
		panic(fmt.Sprintf("score %s: %v", s.id, err)) // the generator's inputs do not fit its own model: a bug
	}
	rec := risk.Record(s.caseDoc, &header.Data, res, at, s.worker.id, false)
	if !rec.Changed {
		return true
	}
	if !s.emit(at, s.worker, "risk", fmt.Sprintf("record %s with model %s", res.Level, res.ModelVersion), docRef{s.caseDoc, casefile.KindCase}) {
		return false
	}
	s.riskLevel = res.Level
	if rec.Level != "" {
		s.level = rec.Level
		if d := w.cfg.ContactDays(rec.Level); d > 0 {
			s.contactDays = d
		}
		s.scheduleContact(s.lastContact)
	}
	return true
}

// reassess is a later assessment of the client (and some adults), then the
// risk recorded again.
func (s *caseSim) reassess() bool {
	for i := range s.members {
		m := &s.members[i]
		if !s.assessed[m.id] || (i > 0 && (m.age(s.cursor) < 18 || chance(s.rng, 0.5))) {
			continue
		}
		if !s.assess(m, s.cursor, true) {
			return false
		}
	}
	return s.recordRisk(s.workTime(s.cursor.Add(time.Duration(10+s.rng.IntN(60)) * time.Minute)))
}

// contact is cases note: a contact with the client (or about them).
func (s *caseSim) contact(at time.Time) {
	w, rng := s.w, s.rng
	at = s.next(at)
	types := []weight{{"phone", 34}, {"office-visit", 24}, {"home-visit", 10}, {"message", 14}, {"collateral", 6}, {"incident", 2}}
	if s.planDoc != nil {
		types = append(types, weight{"service", 14})
	}
	typ := pickWeighted(rng, types)
	author := s.worker
	switch {
	case typ == "incident" && chance(rng, 0.4):
		author = s.supervisor
	case s.stage == "intake" && chance(rng, 0.5):
		author = s.intakeBy
	}
	minutes := map[string][2]int{"phone": {5, 25}, "office-visit": {30, 90}, "home-visit": {45, 120}, "message": {2, 10}, "service": {30, 180}, "incident": {15, 60}, "collateral": {10, 30}}[typ]
	mins := between(rng, minutes[0], minutes[1])
	noteID, err := casefile.NoteID(at, rngReader{rng})
	if err != nil {
		panic(err)
	}
	p := casefile.NotePath(s.id, noteID)
	doc := w.newDoc(p, casefile.KindNote)
	root := doc.Root()
	yamlx.Set(root, "at", timestamp(at), orderNote)
	yamlx.Set(root, "author", yamlx.Str(author.id), orderNote)
	yamlx.Set(root, "type", yamlx.Str(typ), orderNote)
	yamlx.Set(root, "minutes", yamlx.Int(int64(mins)), orderNote)
	client := &s.members[0]
	if client.interpreter && typ != "collateral" && typ != "message" {
		used := chance(rng, 0.9)
		yamlx.Set(yamlx.Get(root, "interpreter"), "used", yamlx.Bool(used), nil)
		if used {
			yamlx.Set(yamlx.Get(root, "interpreter"), "language", yamlx.Str(client.lang), nil)
		}
	} else {
		yamlx.Delete(root, "interpreter")
	}
	if len(s.goals) > 0 && typ != "message" && chance(rng, 0.6) {
		var ids []string
		for _, k := range rng.Perm(len(s.goals))[:1+rng.IntN(min(2, len(s.goals)))] {
			ids = append(ids, s.goals[k].id)
		}
		slices.SortFunc(ids, cmpNumbered)
		yamlx.Set(root, "goals", yamlx.StrSeq(ids), orderNote)
	}
	if typ == "service" {
		svc := [2]string{"", pick(rng, []string{"transport", "household-goods", "application-help", "accompaniment"})}
		if len(s.referrals) > 0 && chance(rng, 0.5) {
			r := pick(rng, s.referrals)
			svc = [2]string{r.provider, r.service}
			yamlx.Set(root, "referral", yamlx.Str(r.id), orderNote)
		}
		yamlx.Set(root, "service", yamlx.Map("provider", optStr(svc[0]), "service", yamlx.Str(svc[1])), orderNote)
		s.servicesStarted = true
	} else if typ == "collateral" && len(s.referrals) > 0 && chance(rng, 0.5) {
		yamlx.Set(root, "referral", yamlx.Str(pick(rng, s.referrals).id), orderNote)
	}
	if (typ == "office-visit" || typ == "home-visit") && chance(rng, 0.1) {
		yamlx.Set(root, "feedback", yamlx.Map("structured", yamlx.Bool(true), "satisfaction", yamlx.Int(int64(pickIndex(rng, []float64{2, 4, 14, 40, 40})+1))), orderNote)
	}
	text := pick(rng, noteTexts[typ])
	summary := typ + " note " + noteID
	if len(s.noteIDs) > 0 && chance(rng, 0.015) {
		text = correctionText
		yamlx.Set(root, "corrects", yamlx.Str(s.noteIDs[len(s.noteIDs)-1]), orderNote)
	}
	yamlx.Set(root, "text", yamlx.Str(text), orderNote)
	if typ == "incident" && chance(rng, 0.4) || chance(rng, 0.02) {
		yamlx.Set(root, "confidential", yamlx.Bool(true), orderNote)
	}
	yamlx.Prune(doc.Node)
	written := s.workTime(at.Add(time.Duration(mins+5+rng.IntN(90)) * time.Minute))
	if !s.emit(written, author, "note", summary, docRef{doc, casefile.KindNote}) {
		return
	}
	s.noteIDs = append(s.noteIDs, noteID)
	if casefile.IsContact(typ) {
		s.lastContact = at
	}
	s.scheduleContact(at)
}

// cmpNumbered orders ids like g2 < g10.
func cmpNumbered(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// answerNode writes an answer as YAML.
func answerNode(v any) *yaml.Node {
	switch x := v.(type) {
	case int64:
		return yamlx.Int(x)
	case float64:
		return yamlx.Float(x)
	case bool:
		return yamlx.Bool(x)
	case string:
		return yamlx.Str(x)
	case []any:
		var items []string
		for _, it := range x {
			items = append(items, it.(string))
		}
		return yamlx.StrSeq(items)
	}
	return yamlx.Str("")
}

// domainPoints adds up an assessment's points by domain.
func domainPoints(in *casefile.Instrument, answers casefile.Answers) map[string]float64 {
	out := map[string]float64{}
	for _, id := range slices.Sorted(maps.Keys(answers)) {
		if q := in.Question(id); q != nil {
			out[q.Domain] += answerPoints(in, q, answers[id])
		}
	}
	return out
}

// topDomains are the n domains with the most points: what the member
// names as most pressing.
func topDomains(in *casefile.Instrument, answers casefile.Answers, n int) []string {
	pts := domainPoints(in, answers)
	var ds []string
	for d, p := range pts {
		if p > 0 {
			ds = append(ds, d)
		}
	}
	slices.SortFunc(ds, func(a, b string) int {
		if pts[a] != pts[b] {
			if pts[a] > pts[b] {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	return ds[:min(n, len(ds))]
}

func asciiName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case strings.ContainsRune("áàâä", r):
			b.WriteByte('a')
		case strings.ContainsRune("éèêë", r):
			b.WriteByte('e')
		case strings.ContainsRune("íì", r):
			b.WriteByte('i')
		case strings.ContainsRune("óòôÓ", r):
			b.WriteByte('o')
		case strings.ContainsRune("úù", r):
			b.WriteByte('u')
		case r == 'ñ':
			b.WriteByte('n')
		}
	}
	if b.Len() == 0 {
		return "client"
	}
	return b.String()
}
