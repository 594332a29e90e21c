package report

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/due"
	"github.com/casesproject/cases/casefile/scan"
)

// Aggregator adds up cases one at a time. It keeps only counts and
// histograms (and, for an explanation, the case ids of one report's bins).
type Aggregator struct {
	cfg         *casefile.Config
	opts        Options
	loc         *time.Location
	from, to    string
	asOf        string // the day states are measured on: the period's end, or today if earlier
	months      []string
	trendKeys   [][3]string // caseload.trend.MONTH.new, .closed, .open
	instrument  func(id string) *casefile.Instrument
	b           *bins
	cases       int
	unreadable  int
	want        map[string]bool
	instruments map[string]*casefile.Instrument
}

// NewAggregator starts a report. instrument looks an instrument up by id
// (nil when there is none).
func NewAggregator(cfg *casefile.Config, opts Options, instrument func(id string) *casefile.Instrument) *Aggregator {
	return newAggregator(cfg, opts, instrument)
}

func newAggregator(cfg *casefile.Config, opts Options, instrument func(id string) *casefile.Instrument) *Aggregator {
	if len(opts.Reports) == 0 {
		opts.Reports = Names
	}
	loc := opts.Today.Location()
	a := &Aggregator{cfg: cfg, opts: opts, loc: loc, from: opts.From, to: opts.To, instrument: instrument,
		want: map[string]bool{}, instruments: map[string]*casefile.Instrument{}}
	a.asOf = min(opts.To, opts.Today.Format(time.DateOnly))
	for _, r := range opts.Reports {
		a.want[r] = true
	}
	collect := ""
	if opts.Explain != "" {
		collect = prefixOf(opts.Explain)
	}
	a.b = newBins(collect)
	if f, err := time.Parse(time.DateOnly, a.from); err == nil {
		if t, err := time.Parse(time.DateOnly, a.to); err == nil {
			for m := time.Date(f.Year(), f.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(t); m = m.AddDate(0, 1, 0) {
				month := m.Format("2006-01")
				a.months = append(a.months, month)
				p := "caseload.trend." + month + "."
				a.trendKeys = append(a.trendKeys, [3]string{p + "new", p + "closed", p + "open"})
			}
		}
	}
	return a
}

// day turns an RFC 3339 timestamp into its date in the organization's
// zone ("" when it is not a timestamp).
func (a *Aggregator) day(ts string) string {
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return ""
	}
	return t.In(a.loc).Format(time.DateOnly)
}

func (a *Aggregator) inPeriod(date string) bool { return date != "" && date >= a.from && date <= a.to }

// daysBetween counts days from one date to another (ok false when either
// is not a date).
func daysBetween(from, to string) (int, bool) {
	f, err1 := time.Parse(time.DateOnly, from)
	t, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return int(t.Sub(f).Hours() / 24), true
}

func addDays(date string, n int) string {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return ""
	}
	return d.AddDate(0, 0, n).Format(time.DateOnly)
}

// stageAt is the case's stage at the end of a day ("" before it opened).
// A case recorded after the fact (opened on an earlier date than its first
// stage move) is in its first stage from the day it opened.
func (a *Aggregator) stageAt(c *casefile.Case, day string) string {
	stage := ""
	for _, m := range c.StageHistory {
		if d := a.day(m.At); d != "" && d <= day {
			stage = m.To
		}
	}
	if stage == "" && c.Opened != "" && c.Opened <= day && len(c.StageHistory) > 0 {
		stage = c.StageHistory[0].To
	}
	return stage
}

// lastMove is the date of the last stage move on or before a day.
func (a *Aggregator) lastMove(c *casefile.Case, day string) string {
	last := ""
	for _, m := range c.StageHistory {
		if d := a.day(m.At); d != "" && d <= day {
			last = max(last, d)
		}
	}
	return last
}

// levelAt is the case's level of case management at the end of a day.
func (a *Aggregator) levelAt(c *casefile.Case, day string) string {
	if len(c.LevelHistory) == 0 {
		return c.Level
	}
	level := ""
	for _, l := range c.LevelHistory {
		if d := a.day(l.At); d != "" && d <= day {
			level = l.Level
		}
	}
	return level
}

// riskAt is the case's recorded risk if it was recorded by the end of a
// day.
func (a *Aggregator) riskAt(c *casefile.Case, day string) *casefile.RiskRecord {
	if c.Risk == nil {
		return nil
	}
	if d := a.day(c.Risk.At); d == "" || d > day {
		return nil
	}
	return c.Risk
}

// scope says whether a case is in the report: of the program and worker
// asked for, and served in the period (opened by its end and not already
// closed before it began). It returns the case's stage at the period's end.
func (a *Aggregator) scope(c *casefile.Case) (string, bool) {
	if (a.opts.Program != "" && c.Program != a.opts.Program) || (a.opts.Worker != "" && c.Worker != a.opts.Worker) {
		return "", false
	}
	if c.Opened == "" || c.Opened > a.to {
		return "", false
	}
	end := a.stageAt(c, a.to)
	if end == "" || (end == "closed" && a.lastMove(c, a.to) < a.from) {
		return "", false
	}
	return end, true
}

// Load reads the notes and assessments the reports need of a case that
// Walk loaded without them: the first and last assessment of each member
// assessed twice or more (outcomes), the notes dated in the period
// (services), and the latest contact note (equity). Out of scope cases
// need nothing more.
func (a *Aggregator) Load(r *casefile.Repo, f *casefile.Folder) error {
	if f.Case == nil {
		return nil
	}
	end, ok := a.scope(&f.Case.Data)
	if !ok {
		return nil
	}
	var notes []string
	byMember := map[string][]string{}
	for _, p := range f.Files {
		switch loc := casefile.Locate(p); loc.Kind {
		case casefile.KindNote:
			notes = append(notes, p)
		case casefile.KindAssessment:
			if loc.Name[0] <= a.to {
				byMember[loc.Name[1]] = append(byMember[loc.Name[1]], p)
			}
		}
	}
	if a.want["outcomes"] {
		for _, paths := range byMember {
			if len(paths) < 2 {
				continue
			}
			for _, p := range []string{paths[0], paths[len(paths)-1]} {
				if _, err := scan.LoadAssessment(r, f, p); err != nil {
					return err
				}
			}
		}
	}
	if a.want["services"] {
		// Note names carry UTC timestamps: a day of slack each side covers
		// any zone; Add counts by the note's own time.
		lo, hi := compact(addDays(a.from, -1)), compact(addDays(a.to, 1))+"T999999Z"
		for _, p := range notes {
			if ts := p[len(p)-len("20261124T101500Z-ABCDE.yaml"):]; ts >= lo && ts <= hi {
				if _, err := scan.LoadNote(r, f, p); err != nil {
					return err
				}
			}
		}
	}
	if a.want["equity"] && casefile.OpenStage(end) {
		return due.LoadLastContact(r, f, a.asOf, a.loc)
	}
	return nil
}

func compact(date string) string { return strings.ReplaceAll(date, "-", "") }

// Add adds one case. Cases outside the program, worker or period asked
// for are left out; a case whose case.yaml could not be read is counted
// as unreadable. The case may be fully loaded, or loaded by Walk without
// its notes and assessments and completed by Load.
func (a *Aggregator) Add(f *casefile.Folder) {
	if f.Case == nil {
		a.unreadable++
		return
	}
	c := &f.Case.Data
	end, ok := a.scope(c)
	if !ok {
		return
	}
	a.cases++
	cs := &caseFacts{a: a, f: f, c: c, end: end}
	cs.compute()
	if a.want["caseload"] {
		cs.caseload()
	}
	if a.want["outcomes"] {
		cs.outcomes()
	}
	if a.want["equity"] {
		cs.equity()
	}
	if a.want["services"] {
		cs.services()
	}
}

// caseFacts are what one case contributes, computed once.
type caseFacts struct {
	a   *Aggregator
	f   *casefile.Folder
	c   *casefile.Case
	end string // stage at the end of the period

	closure       *casefile.Closure // nil without closure.yaml
	closedIn      bool              // closed within the period
	enrolled      bool              // opened within the period
	firstAssessed map[string]string // member -> first assessment date (by the period's end)
	planSigned    string            // the later of the two signatures, "" unless both (by the period's end)
}

func (cs *caseFacts) compute() {
	a := cs.a
	if cs.f.Closure != nil {
		cs.closure = &cs.f.Closure.Data
		cs.closedIn = a.inPeriod(cs.closure.Date)
	}
	cs.enrolled = a.inPeriod(cs.c.Opened)
	cs.firstAssessed = map[string]string{}
	for m, dates := range due.AssessmentDates(cs.f, a.to) {
		cs.firstAssessed[m] = dates[0]
	}
	if cs.f.Plan != nil && cs.f.Plan.Data.Agreement != nil {
		s := cs.f.Plan.Data.Agreement.Signed
		if s.Both() {
			if last := max(s.Client, s.Worker); last <= a.to {
				cs.planSigned = last
			}
		}
	}
}

func (cs *caseFacts) count(table, row string) {
	cs.a.b.seen(table, row)
	cs.a.b.count(table+"."+row, 1, cs.c.ID)
}

func (cs *caseFacts) caseload() {
	a, c := cs.a, cs.c
	if casefile.OpenStage(cs.end) {
		cs.count("caseload.open.stage", cs.end)
		cs.count("caseload.open.level", orNone(a.levelAt(c, a.to)))
		risk := ""
		if r := a.riskAt(c, a.to); r != nil {
			risk = r.Level
		}
		cs.count("caseload.open.risk", orNone(risk))
		cs.count("caseload.open.worker", c.Worker)
	}
	if cs.end == "follow-up" {
		cs.count("caseload.period", "follow-up")
	}
	if cs.enrolled {
		cs.count("caseload.period", "new")
	}
	if cs.closedIn {
		cs.count("caseload.period", "closed")
	}
	// The stage at each month's end, from the stage history read once.
	type move struct{ day, to string }
	moves := make([]move, 0, len(c.StageHistory))
	for _, m := range c.StageHistory {
		if d := a.day(m.At); d != "" {
			moves = append(moves, move{d, m.To})
		}
	}
	for i, m := range a.months {
		keys := &a.trendKeys[i]
		if strings.HasPrefix(c.Opened, m) {
			a.b.count(keys[0], 1, c.ID)
		}
		if cs.closure != nil && strings.HasPrefix(cs.closure.Date, m) {
			a.b.count(keys[1], 1, c.ID)
		}
		monthEnd, stage := min(lastDay(m), a.to), ""
		for _, mv := range moves {
			if mv.day <= monthEnd {
				stage = mv.to
			}
		}
		if stage == "" && len(moves) > 0 && c.Opened <= monthEnd {
			stage = moves[0].to
		}
		if c.Opened <= monthEnd && stage != "" && casefile.OpenStage(stage) {
			a.b.count(keys[2], 1, c.ID)
		}
	}
}

// lastDay is the last date of a month (YYYY-MM).
func lastDay(month string) string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return month
	}
	return t.AddDate(0, 1, -1).Format(time.DateOnly)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func (cs *caseFacts) outcomes() {
	c, b := cs.c, cs.a.b
	if cs.closedIn {
		for _, g := range cs.closure.Goals {
			if g.Result != "" {
				cs.count("outcomes.goals", g.Result)
				b.count("outcomes.goals.total", 1, c.ID)
			}
		}
		cs.count("outcomes.closures", orNone(cs.closure.Reason))
		if d, ok := daysBetween(c.Opened, cs.closure.Date); ok {
			b.day("outcomes.days.closure", d, c.ID)
		}
	}
	if cs.enrolled {
		first := ""
		for _, d := range cs.firstAssessed {
			if first == "" || d < first {
				first = d
			}
		}
		if d, ok := daysBetween(c.Opened, first); ok {
			b.day("outcomes.days.first-assessment", d, c.ID)
		}
		if d, ok := daysBetween(c.Opened, cs.planSigned); ok {
			b.day("outcomes.days.plan-signed", d, c.ID)
		}
	}
	cs.domainChange()
}

// domainChange compares each member's baseline (first) assessment with
// their latest, domain by domain, over the scale questions of the
// instrument: a domain improved when its scale points rose in sum.
func (cs *caseFacts) domainChange() {
	a := cs.a
	type pair struct{ first, last *casefile.Assessment }
	byMember := map[string]*pair{}
	for _, d := range cs.f.Assessments {
		as := &d.Data
		if as.Date == "" || as.Date > a.to {
			continue
		}
		p := byMember[as.Member]
		if p == nil {
			byMember[as.Member] = &pair{as, as}
			continue
		}
		if as.Date < p.first.Date {
			p.first = as
		}
		if as.Date >= p.last.Date {
			p.last = as
		}
	}
	members := make([]string, 0, len(byMember))
	for m := range byMember {
		members = append(members, m)
	}
	slices.Sort(members)
	for _, m := range members {
		p := byMember[m]
		if p.first == p.last || p.first.Date == p.last.Date || p.first.Instrument != p.last.Instrument {
			continue
		}
		ins := a.lookup(p.first.Instrument)
		if ins == nil {
			continue
		}
		change := map[string]int{}
		var domains []string
		for i := range ins.Questions {
			q := &ins.Questions[i]
			if q.Type != "scale" {
				continue
			}
			v0, ok0 := scalePoint(p.first.Answers[q.ID])
			v1, ok1 := scalePoint(p.last.Answers[q.ID])
			if !ok0 || !ok1 {
				continue
			}
			if _, ok := change[q.Domain]; !ok {
				domains = append(domains, q.Domain)
			}
			change[q.Domain] += v1 - v0
		}
		for _, d := range domains {
			dir := "same"
			switch {
			case change[d] > 0:
				dir = "improved"
			case change[d] < 0:
				dir = "worse"
			}
			cs.a.b.seen("outcomes.change", d)
			cs.a.b.count("outcomes.change."+d+"."+dir, 1, cs.c.ID)
		}
	}
}

func (a *Aggregator) lookup(id string) *casefile.Instrument {
	if ins, ok := a.instruments[id]; ok {
		return ins
	}
	var ins *casefile.Instrument
	if a.instrument != nil {
		ins = a.instrument(id)
	}
	a.instruments[id] = ins
	return ins
}

func scalePoint(v any) (int, bool) {
	switch x := v.(type) {
	case int64:
		return int(x), true
	case int:
		return x, true
	case float64:
		return int(x), x == float64(int(x))
	}
	return 0, false
}

// Demographic fields of the equity report, in order.
var Fields = []string{"age-band", "gender", "race-ethnicity", "language", "interpreter", "disability"}

// Measures of the equity report: each is a yes or no per case, over a
// population of cases.
var Measures = []struct{ ID, Title, Population string }{
	{"assessed-on-time", "Every member assessed on time", "cases enrolled in the period whose assessment deadline has passed or whose household is all assessed; yes when every member's first assessment came within deadlines.assessment-days of enrollment"},
	{"plan-on-time", "Plan signed on time", "cases enrolled in the period whose plan deadline has passed or whose plan is signed, less those closed before the deadline without one; yes when client and worker both signed within deadlines.plan-days of enrollment"},
	{"contact-on-schedule", "Contact on schedule", "cases open at the end of the period; yes when the last contact with the client (or enrollment) is no older than the interval cases due holds the case to (its level's contact days, the high-risk contact days for a high or critical risk, the shortest interval while no level is set)"},
	{"goals-met", "Closed with every goal met", "cases closed in the period with at least one goal reviewed; yes when every reviewed goal was met"},
}

const (
	notRecorded = "not-recorded"
	otherGroup  = "other"
)

// groups classifies a case by its client's demographics (the household
// member with relationship self).
func (cs *caseFacts) groups() map[string]string {
	g := map[string]string{}
	for _, f := range Fields {
		g[f] = notRecorded
	}
	if cs.f.Intake == nil {
		return g
	}
	m := cs.f.Intake.Data.Client()
	if m == nil {
		return g
	}
	if m.DOB != "" {
		if on, err := time.Parse(time.DateOnly, cs.c.Opened); err == nil {
			if age := casefile.Age(m.DOB, on); age >= 0 {
				g["age-band"] = AgeBand(age, cs.a.cfg.Reports.AgeBands)
			}
		}
	}
	if m.Gender != "" {
		g["gender"] = m.Gender
	}
	switch races := m.RaceEthnicity; {
	case len(races) == 1:
		g["race-ethnicity"] = races[0]
	case len(races) > 1:
		g["race-ethnicity"] = "multiple"
	}
	if m.Language != "" {
		g["language"] = strings.ToLower(m.Language)
	}
	g["interpreter"] = yesNo(m.InterpreterNeeded)
	g["disability"] = yesNo(m.Disability)
	return g
}

func yesNo(b *bool) string {
	switch {
	case b == nil:
		return notRecorded
	case *b:
		return "yes"
	}
	return "no"
}

// AgeBand names the band an age falls in: bands start at the given ages
// (ascending), e.g. [0 18 25 45 65] gives 0-17, 18-24, 25-44, 45-64, 65+.
func AgeBand(age int, starts []int) string {
	for i := len(starts) - 1; i >= 0; i-- {
		if age >= starts[i] {
			if i == len(starts)-1 {
				return strconv.Itoa(starts[i]) + "+"
			}
			return strconv.Itoa(starts[i]) + "-" + strconv.Itoa(starts[i+1]-1)
		}
	}
	return notRecorded
}

// AgeBands lists the bands in order.
func AgeBands(starts []int) []string {
	var out []string
	for _, s := range starts {
		out = append(out, AgeBand(s, starts))
	}
	return out
}

func (cs *caseFacts) equity() {
	a, c := cs.a, cs.c
	groups := cs.groups()
	dl := a.cfg.Deadlines
	// assessed-on-time
	if cs.enrolled && cs.f.Intake != nil {
		deadline := addDays(c.Opened, dl.AssessmentDays)
		all, last := len(cs.f.Intake.Data.Household) > 0, ""
		for _, m := range cs.f.Intake.Data.Household {
			d := cs.firstAssessed[m.ID]
			if d == "" {
				all = false
			}
			last = max(last, d)
		}
		switch {
		case all:
			cs.rate("assessed-on-time", groups, last <= deadline)
		case deadline < a.asOf && !cs.closedBefore(deadline):
			cs.rate("assessed-on-time", groups, false)
		}
	}
	// plan-on-time
	if cs.enrolled {
		deadline := addDays(c.Opened, dl.PlanDays)
		switch {
		case cs.planSigned != "":
			cs.rate("plan-on-time", groups, cs.planSigned <= deadline)
		case deadline < a.asOf && !cs.closedBefore(deadline):
			cs.rate("plan-on-time", groups, false)
		}
	}
	// contact-on-schedule
	if casefile.OpenStage(cs.end) {
		from := c.Opened
		for _, n := range cs.f.Notes {
			if casefile.IsContact(n.Data.Type) {
				if d := a.day(n.Data.At); d != "" && d <= a.asOf {
					from = max(from, d)
				}
			}
		}
		risk := ""
		if r := a.riskAt(c, a.to); r != nil {
			risk = r.Level
		}
		_, days, _ := due.ContactInterval(a.cfg, a.levelAt(c, a.to), risk)
		if since, ok := daysBetween(from, a.asOf); ok {
			cs.rate("contact-on-schedule", groups, since <= days)
		}
	}
	// goals-met
	if cs.closedIn && len(cs.closure.Goals) > 0 {
		met := true
		for _, g := range cs.closure.Goals {
			met = met && g.Result == "met"
		}
		cs.rate("goals-met", groups, met)
	}
	// Distributions of recorded risk and of the level of case management.
	if r := a.riskAt(c, a.to); r != nil {
		for _, f := range Fields {
			a.b.seen("equity.risk-level."+f, groups[f])
			a.b.count("equity.risk-level."+f+"."+groups[f]+"."+r.Level, 1, c.ID)
			a.b.seen("equity.risk-score."+f, groups[f])
			a.b.score("equity.risk-score."+f+"."+groups[f], r.Score, c.ID)
		}
		a.b.count("equity.risk-level.overall."+r.Level, 1, c.ID)
		a.b.score("equity.risk-score.overall", r.Score, c.ID)
	}
	if level := a.levelAt(c, a.to); level != "" {
		for _, f := range Fields {
			a.b.seen("equity.case-level."+f, groups[f])
			a.b.count("equity.case-level."+f+"."+groups[f]+"."+level, 1, c.ID)
		}
		a.b.count("equity.case-level.overall."+level, 1, c.ID)
	}
}

// closedBefore reports whether the case closed on or before a day.
func (cs *caseFacts) closedBefore(day string) bool {
	return cs.closure != nil && cs.closure.Date != "" && cs.closure.Date <= day
}

// rate adds a case's yes or no for a measure, under its group in every
// field and overall.
func (cs *caseFacts) rate(measure string, groups map[string]string, yes bool) {
	yn := "no"
	if yes {
		yn = "yes"
	}
	b := cs.a.b
	for _, f := range Fields {
		t := "equity." + measure + "." + f
		b.seen(t, groups[f])
		b.count(t+"."+groups[f]+"."+yn, 1, cs.c.ID)
	}
	b.count("equity."+measure+".overall."+yn, 1, cs.c.ID)
}

// Referral statuses, in the order of a referral's life.
var referralStatuses = []string{"sent", "accepted", "completed", "declined", "no-show"}

func (cs *caseFacts) services() {
	a, c, b := cs.a, cs.c, cs.a.b
	if cs.f.Plan != nil {
		for _, r := range cs.f.Plan.Data.Referrals {
			if !a.inPeriod(r.Sent) {
				continue
			}
			status, completed := r.Status, ""
			if len(r.History) > 0 {
				status = ""
				for _, h := range r.History {
					if h.Date <= a.to {
						status = h.Status
					}
					if h.Status == "completed" {
						completed = h.Date
					}
				}
				if status == "" {
					status = "sent"
				}
			}
			b.seen("services.referrals", r.Provider)
			b.count("services.referrals."+r.Provider+"."+status, 1, c.ID)
			b.count("services.loop.sent", 1, c.ID)
			if status == "completed" || status == "declined" || status == "no-show" {
				b.count("services.loop.closed", 1, c.ID)
			}
			if a.inPeriod(completed) {
				if d, ok := daysBetween(r.Sent, completed); ok {
					b.seen("services.completion", r.Provider)
					b.day("services.completion."+r.Provider, d, c.ID)
					b.day("services.completion.total", d, c.ID)
				}
			}
		}
	}
	var delivered []string
	for _, n := range cs.f.Notes {
		nd := &n.Data
		if nd.Type != "service" || nd.Service == nil || !a.inPeriod(a.day(nd.At)) {
			continue
		}
		label := nd.Service.Service
		if nd.Service.Provider != "" {
			label = nd.Service.Provider + "/" + label
		}
		b.seen("services.delivered", label)
		b.count("services.delivered."+label+".notes", 1, c.ID)
		b.count("services.delivered."+label+".minutes", nd.Minutes, c.ID)
		b.count("services.delivered.total.notes", 1, c.ID)
		b.count("services.delivered.total.minutes", nd.Minutes, c.ID)
		if !slices.Contains(delivered, label) {
			delivered = append(delivered, label)
			b.count("services.delivered."+label+".cases", 1, c.ID)
		}
	}
	if len(delivered) > 0 {
		b.count("services.delivered.total.cases", 1, c.ID)
	}
}
