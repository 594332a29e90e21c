package risk

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/yamlx"
	"github.com/casesproject/cases/templates"
)

// defaults are the shipped instrument and risk model.
func defaults(t testing.TB) (*casefile.Instrument, *casefile.RiskModel) {
	t.Helper()
	data, _ := fs.ReadFile(templates.FS, "instruments/needs.yaml")
	in, problems := casefile.ParseDoc[casefile.Instrument]("instruments/needs.yaml", casefile.KindInstrument, data)
	if in == nil || len(problems) > 0 {
		t.Fatal(problems)
	}
	data, _ = fs.ReadFile(templates.FS, "cases.yaml")
	cfg, problems := casefile.ParseDoc[casefile.Config]("cases.yaml", casefile.KindConfig, data)
	if cfg == nil || len(problems) > 0 {
		t.Fatal(problems)
	}
	return &in.Data, &cfg.Data.Risk
}

func household(ids ...string) *casefile.Intake {
	in := &casefile.Intake{Date: "2026-11-01"}
	for i, id := range ids {
		rel := "child"
		if i == 0 {
			rel = "self"
		}
		in.Household = append(in.Household, casefile.Member{ID: id, Relationship: rel})
	}
	return in
}

// calm answers every required question of an adult with the best answer.
func calm(in *casefile.Instrument) casefile.Answers {
	a := casefile.Answers{}
	for _, q := range in.Questions {
		if !q.Required {
			continue
		}
		switch q.Type {
		case "scale":
			a[q.ID] = int64(5)
		case "yes-no":
			a[q.ID] = !(q.YesPoints > q.NoPoints) // the answer earning fewer points
		case "single":
			a[q.ID] = q.Options[0].ID
		}
	}
	return a
}

func TestScoreByHand(t *testing.T) {
	ins, model := defaults(t)
	m1 := calm(ins)
	m1["housing-status"] = int64(2)       // 3 points × 1.5
	m1["safety-status"] = int64(3)        // 1 point × 2
	m1["health-coverage"] = false         // 2 points
	m1["income-benefits"] = []any{"none"} // 1 point
	m2 := calm(ins)
	m2["food-status"] = int64(1) // 6 points
	intake := household("m1", "m2", "m3")
	intake.UrgentNeeds = []string{"housing", "food"}
	res, err := Score(Inputs{Instrument: ins, Model: model, Intake: intake, Latest: []casefile.Assessment{
		{Member: "m2", Instrument: "needs", InstrumentVersion: 1, Date: "2026-11-20", Answers: m2},
		{Member: "m1", Instrument: "needs", InstrumentVersion: 1, Date: "2026-11-20", Answers: m1},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Members[0]; got.Member != "m1" || got.Score != 4.5+2+2+1 {
		t.Errorf("m1 = %s %v, want 9.5", got.Member, got.Score)
	}
	if res.Members[1].Score != 6 {
		t.Errorf("m2 = %v, want 6", res.Members[1].Score)
	}
	if res.Highest != "m1" || res.MemberScore != 9.5 || res.IntakeScore != 5 || res.Score != 14.5 {
		t.Errorf("highest %s %v + intake %v = %v, want m1 9.5 + 5 = 14.5", res.Highest, res.MemberScore, res.IntakeScore, res.Score)
	}
	if res.Level != "low" || res.CaseLevel != "self-directed" {
		t.Errorf("level %s/%s, want low/self-directed", res.Level, res.CaseLevel)
	}
	if !slices.Equal(res.Unassessed, []string{"m3"}) {
		t.Errorf("unassessed %v", res.Unassessed)
	}
	if len(res.Intake) != 2 || res.Intake[0].Question != "food" || res.Intake[1].Question != "housing" {
		t.Errorf("intake contributions %+v", res.Intake)
	}
	var housing Contribution
	for _, c := range res.Members[0].Contributions {
		if c.Question == "housing-status" {
			housing = c
		}
	}
	if housing.Points != 3 || housing.Weight != 1.5 || housing.Score != 4.5 || housing.Domain != "housing" {
		t.Errorf("housing-status contribution %+v", housing)
	}
	m1["food-status"] = int64(1)
	res, _ = Score(Inputs{Instrument: ins, Model: model, Intake: intake, Latest: []casefile.Assessment{
		{Member: "m1", Instrument: "needs", InstrumentVersion: 1, Date: "2026-11-20", Answers: m1}}})
	if res.Score != 9.5+6+5 || res.Level != "moderate" || res.CaseLevel != "supportive" {
		t.Errorf("with a food crisis: %v %s %s", res.Score, res.Level, res.CaseLevel)
	}
}

// randomAnswers answers every required question and some optional ones
// with a random answer that fits.
func randomAnswers(rng *rand.Rand, in *casefile.Instrument) casefile.Answers {
	a := casefile.Answers{}
	for _, q := range in.Questions {
		if !q.Required && rng.IntN(2) == 0 {
			continue
		}
		a[q.ID] = randomAnswer(rng, in, &q)
	}
	return a
}

func randomAnswer(rng *rand.Rand, in *casefile.Instrument, q *casefile.Question) any {
	switch q.Type {
	case "scale":
		s := in.ScaleOf(q)
		return int64(s[rng.IntN(len(s))].Value)
	case "yes-no":
		return rng.IntN(2) == 0
	case "single":
		return q.Options[rng.IntN(len(q.Options))].ID
	case "multiple":
		var out []any
		for _, o := range q.Options {
			if rng.IntN(3) == 0 {
				out = append(out, o.ID)
			}
		}
		if len(out) == 0 {
			out = append(out, q.Options[0].ID)
		}
		return out
	case "number":
		return int64(rng.IntN(100))
	case "date":
		return "2026-01-02"
	}
	return "some words"
}

func randomCase(rng *rand.Rand, in *casefile.Instrument) Inputs {
	n := 1 + rng.IntN(4)
	ids := []string{"m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10"}[:n+rng.IntN(2)]
	intake := household(ids...)
	for _, need := range []string{"food", "housing", "safety", "medical"} {
		if rng.IntN(3) == 0 {
			intake.UrgentNeeds = append(intake.UrgentNeeds, need)
		}
	}
	var latest []casefile.Assessment
	for _, id := range ids[:n] {
		latest = append(latest, casefile.Assessment{Member: id, Instrument: in.ID, InstrumentVersion: in.Version, Date: "2026-11-20", Answers: randomAnswers(rng, in)})
	}
	return Inputs{Instrument: in, Intake: intake, Latest: latest}
}

func cloneInputs(in Inputs) Inputs {
	out := in
	intake := *in.Intake
	intake.Household = slices.Clone(in.Intake.Household)
	intake.UrgentNeeds = slices.Clone(in.Intake.UrgentNeeds)
	out.Intake = &intake
	out.Latest = nil
	for _, a := range in.Latest {
		b := a
		b.Answers = casefile.Answers{}
		for k, v := range a.Answers {
			if list, ok := v.([]any); ok {
				v = slices.Clone(list)
			}
			b.Answers[k] = v
		}
		out.Latest = append(out.Latest, b)
	}
	return out
}

const trials = 500

// The same inputs give the same result, whatever order members, urgent
// needs and multiple-choice options come in.
func TestScoreIsDeterministic(t *testing.T) {
	ins, model := defaults(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for range trials {
		in := randomCase(rng, ins)
		in.Model = model
		first, err := Score(in)
		if err != nil {
			t.Fatal(err)
		}
		again := cloneInputs(in)
		rng.Shuffle(len(again.Latest), func(i, j int) { again.Latest[i], again.Latest[j] = again.Latest[j], again.Latest[i] })
		slices.Reverse(again.Intake.UrgentNeeds)
		for _, a := range again.Latest {
			for _, v := range a.Answers {
				if list, ok := v.([]any); ok {
					slices.Reverse(list)
				}
			}
		}
		second, err := Score(again)
		if err != nil {
			t.Fatal(err)
		}
		if first.Digest != second.Digest || first.Score != second.Score || first.Level != second.Level {
			t.Fatalf("same inputs, different results: %v %s %s / %v %s %s", first.Score, first.Level, first.Digest, second.Score, second.Level, second.Digest)
		}
		third, _ := Score(in)
		if !reflect.DeepEqual(first, third) {
			t.Fatal("scoring the same inputs twice gave different results")
		}
	}
}

// worse returns another answer to q that earns at least as many points, and
// whether one exists.
func worse(rng *rand.Rand, in *casefile.Instrument, q *casefile.Question, v any) (any, bool) {
	if q.Type == "multiple" {
		// Choosing one more option is never better.
		list := slices.Clone(v.([]any))
		for _, o := range q.Options {
			if !slices.Contains(list, any(o.ID)) {
				return append(list, o.ID), true
			}
		}
		return nil, false
	}
	var candidates []any
	for range 20 {
		w := randomAnswer(rng, in, q)
		if AnswerPoints(in, q, w) >= AnswerPoints(in, q, v) {
			candidates = append(candidates, w)
		}
	}
	if len(candidates) == 0 {
		return nil, false
	}
	return candidates[rng.IntN(len(candidates))], true
}

// A worse answer to any question (one the instrument gives at least as many
// points) never lowers the score, and never lowers the level.
func TestWorseAnswerNeverLowersTheScore(t *testing.T) {
	ins, model := defaults(t)
	rng := rand.New(rand.NewPCG(3, 4))
	rank := func(level string) int { return slices.Index(Levels, level) }
	checked := 0
	for range trials {
		in := randomCase(rng, ins)
		in.Model = model
		before, err := Score(in)
		if err != nil {
			t.Fatal(err)
		}
		after := cloneInputs(in)
		a := after.Latest[rng.IntN(len(after.Latest))]
		q := &ins.Questions[rng.IntN(len(ins.Questions))]
		cur, ok := a.Answers[q.ID]
		if !ok {
			cur = nil
		}
		var w any
		if cur == nil {
			// Answering a skipped question never lowers the score either.
			w, ok = randomAnswer(rng, ins, q), true
		} else {
			w, ok = worse(rng, ins, q, cur)
		}
		if !ok {
			continue
		}
		a.Answers[q.ID] = w
		got, err := Score(after)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		if got.Score < before.Score || rank(got.Level) < rank(before.Level) {
			t.Fatalf("%s: %v -> %v lowered the score %v -> %v (level %s -> %s)", q.ID, cur, w, before.Score, got.Score, before.Level, got.Level)
		}
	}
	if checked < trials/2 {
		t.Fatalf("only %d of %d trials changed an answer", checked, trials)
	}
}

// On the shipped instrument, a lower point of a scale is a worse answer: it
// never earns fewer points, so "worse" means the same to a person reading
// the scale and to the score.
func TestScalesRankCrisisWorst(t *testing.T) {
	ins, _ := defaults(t)
	for i := range ins.Questions {
		q := &ins.Questions[i]
		if q.Type != "scale" {
			continue
		}
		s := slices.Clone(ins.ScaleOf(q))
		slices.SortFunc(s, func(a, b casefile.ScalePoint) int { return a.Value - b.Value })
		for j := 1; j < len(s); j++ {
			if s[j].Points > s[j-1].Points {
				t.Errorf("%s: point %d earns more than point %d", q.ID, s[j].Value, s[j-1].Value)
			}
		}
		if len(s) != 5 || s[0].Label != "In crisis" || s[4].Label != "Thriving" {
			t.Errorf("%s: not the five-point scale from in crisis to thriving", q.ID)
		}
	}
}

// Any red flag yields critical, whatever else was answered.
func TestAnyRedFlagIsCritical(t *testing.T) {
	ins, model := defaults(t)
	var flagged []*casefile.Question
	for i := range ins.Questions {
		if len(ins.Questions[i].RedFlagAnswers) > 0 {
			flagged = append(flagged, &ins.Questions[i])
		}
	}
	if len(flagged) < 5 {
		t.Fatalf("the default instrument has %d red-flag questions; it should flag suicidal thoughts, violence, child safety, unsheltered homelessness and medical emergencies", len(flagged))
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for range trials {
		in := randomCase(rng, ins)
		in.Model = model
		q := flagged[rng.IntN(len(flagged))]
		a := in.Latest[rng.IntN(len(in.Latest))]
		a.Answers[q.ID] = q.RedFlagAnswers[rng.IntN(len(q.RedFlagAnswers))]
		res, err := Score(in)
		if err != nil {
			t.Fatal(err)
		}
		if res.Level != "critical" || res.CaseLevel != "intensive" {
			t.Fatalf("a red flag on %s gave %s", q.ID, res.Level)
		}
		if !slices.Contains(res.RedFlagQuestions(), q.ID) {
			t.Fatalf("red flags %v miss %s", res.RedFlagQuestions(), q.ID)
		}
	}
	// A red flag the model adds works the same way.
	m := *model
	m.RedFlags = []casefile.RedFlagRule{{Question: "food-status", Answers: casefile.Values{int64(1)}}}
	a := calm(ins)
	a["food-status"] = int64(1)
	res, err := Score(Inputs{Instrument: ins, Model: &m, Intake: household("m1"), Latest: []casefile.Assessment{{Member: "m1", Instrument: "needs", InstrumentVersion: 1, Answers: a}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Level != "critical" || len(res.RedFlags) != 1 || res.RedFlags[0] != (RedFlag{"m1", "food-status"}) {
		t.Errorf("model red flag: %s %v", res.Level, res.RedFlags)
	}
}

// The digest covers exactly the inputs used: free text, names and the
// assessor do not change it; a scored answer, an urgent need or the model do.
func TestDigestCoversExactlyTheInputs(t *testing.T) {
	ins, model := defaults(t)
	base := func() Inputs {
		a := calm(ins)
		return Inputs{Instrument: ins, Model: model, Intake: household("m1", "m2"), Latest: []casefile.Assessment{
			{Member: "m1", Instrument: "needs", InstrumentVersion: 1, Date: "2026-11-20", Assessor: "ana", Answers: a}}}
	}
	d0 := Digest(base())
	same := []func(*Inputs){
		func(in *Inputs) { in.Latest[0].Assessor = "ben" },
		func(in *Inputs) { in.Latest[0].Strengths = []string{"speaks three languages"} },
		func(in *Inputs) { in.Latest[0].ClientView = "wants work first" },
		func(in *Inputs) { in.Intake.Household[0].Name.Given = "Someone" },
		func(in *Inputs) { in.Intake.Household[0].DOB = "1980-01-01" },
		func(in *Inputs) { in.Intake.Date = "2026-11-02" },
	}
	for i, change := range same {
		in := base()
		change(&in)
		if Digest(in) != d0 {
			t.Errorf("change %d is not an input but changed the digest", i)
		}
	}
	differ := []func(*Inputs){
		func(in *Inputs) { in.Latest[0].Answers["food-status"] = int64(4) },
		func(in *Inputs) { in.Latest[0].Date = "2026-11-21" },
		func(in *Inputs) { in.Latest[0].InstrumentVersion = 2 },
		func(in *Inputs) { in.Intake.UrgentNeeds = []string{"food"} },
		func(in *Inputs) { in.Intake.Household = in.Intake.Household[:1] },
		func(in *Inputs) { m := *in.Model; m.Version = "2026.2"; in.Model = &m },
		func(in *Inputs) {
			m := *in.Model
			m.Thresholds.High = 31
			in.Model = &m
		},
	}
	for i, change := range differ {
		in := base()
		change(&in)
		if Digest(in) == d0 {
			t.Errorf("change %d is an input but left the digest alone", i)
		}
	}
	if !strings.HasPrefix(d0, "sha256:") || len(d0) != len("sha256:")+64 {
		t.Errorf("digest %q", d0)
	}
}

func TestInstrumentVersions(t *testing.T) {
	ins, model := defaults(t)
	v2 := *ins
	v2.Version = 2
	old := calm(ins)
	in := Inputs{Instrument: &v2, Model: model, Intake: household("m1"), Latest: []casefile.Assessment{
		{Member: "m1", Instrument: "needs", InstrumentVersion: 1, Date: "2026-11-20", Answers: old}}}
	res, err := Score(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.VersionNotes) != 1 || !strings.Contains(res.VersionNotes[0], "m1 was assessed with needs version 1 and is scored with version 2") {
		t.Errorf("notes %v", res.VersionNotes)
	}
	// Version 2 drops a question the old assessment answered: refused.
	v2.Questions = slices.DeleteFunc(slices.Clone(ins.Questions), func(q casefile.Question) bool { return q.ID == "food-status" })
	_, err = Score(in)
	var refused *casefile.RefusedError
	if !errors.As(err, &refused) || refused.Rule != RuleInstrumentVersion || !strings.Contains(refused.Msg, "food-status") || !strings.Contains(refused.Msg, "reassess m1") {
		t.Errorf("err = %v", err)
	}
	// The same answers in an assessment that claims the current version are
	// a broken document, not a version change.
	in.Latest[0].InstrumentVersion = 2
	if _, err = Score(in); !errors.As(err, &refused) || refused.Rule != RuleAnswers {
		t.Errorf("err = %v", err)
	}
}

func TestScoreRefuses(t *testing.T) {
	ins, model := defaults(t)
	ok := casefile.Assessment{Member: "m1", Instrument: "needs", InstrumentVersion: 1, Answers: calm(ins)}
	for name, tt := range map[string]struct {
		in   Inputs
		rule string
	}{
		"no intake":      {Inputs{Instrument: ins, Model: model, Latest: []casefile.Assessment{ok}}, RuleInputs},
		"not in house":   {Inputs{Instrument: ins, Model: model, Intake: household("m2"), Latest: []casefile.Assessment{ok}}, RuleInputs},
		"bad thresholds": {Inputs{Instrument: ins, Model: &casefile.RiskModel{Version: "x", Instrument: "needs", Thresholds: casefile.Thresholds{Moderate: 5, High: 5, Critical: 9}, Levels: model.Levels}, Intake: household("m1")}, RuleModel},
	} {
		_, err := Score(tt.in)
		var refused *casefile.RefusedError
		if !errors.As(err, &refused) || refused.Rule != tt.rule {
			t.Errorf("%s: err = %v, want rule %s", name, err, tt.rule)
		}
	}
}

func TestCheckModel(t *testing.T) {
	ins, model := defaults(t)
	if ps := CheckModel(model, ins); len(ps) != 0 {
		t.Fatalf("the shipped model: %v", ps)
	}
	bad := *model
	bad.Weights = map[string]float64{"housing-stabilty": 2, "housing-status": 1}
	bad.RedFlags = []casefile.RedFlagRule{{Question: "food-status", Answers: casefile.Values{int64(9)}}, {Question: "no-such", Answers: casefile.Values{true}}}
	bad.Thresholds = casefile.Thresholds{Moderate: 30, High: 15, Critical: 45}
	bad.Levels = map[string]string{"low": "self-directed", "moderate": "supportive", "high": "targeted"}
	var msgs []string
	for _, p := range CheckModel(&bad, ins) {
		msgs = append(msgs, p.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"risk.weights names housing-stabilty", "risk.red-flags[0].answers[0]", "risk.red-flags[1] names no-such", "thresholds must ascend", "risk.levels.critical"} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in\n%s", want, all)
		}
	}
}

const caseYAML = `# yaml-language-server: $schema=https://raw.githubusercontent.com/casesproject/cases/main/schema/case.schema.json
# The case header.

id: 2026-11-K7Q3M
program: general
worker: ana
opened: 2026-11-24
stage: assessment
# Every stage move.
stage-history:
  - to: intake
    at: 2026-11-24T10:00:00Z
    by: ana
`

func parseCase(t *testing.T, src string) (*yamlx.Doc, *casefile.Case) {
	t.Helper()
	d, problems := casefile.ParseDoc[casefile.Case]("cases/2026-11/2026-11-K7Q3M/case.yaml", casefile.KindCase, []byte(src))
	if d == nil || len(problems) > 0 {
		t.Fatalf("%v\n%s", problems, src)
	}
	return d.Doc, &d.Data
}

func encode(t *testing.T, doc *yamlx.Doc) string {
	t.Helper()
	out, err := casefile.EncodeDoc(doc, casefile.KindCase)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestRecordAndOverride(t *testing.T) {
	at := time.Date(2026, 11, 24, 11, 0, 0, 0, time.UTC)
	res := &Result{Score: 32.5, Level: "high", CaseLevel: "targeted", ModelVersion: "2026.1", Digest: "sha256:" + strings.Repeat("ab", 32)}
	doc, c := parseCase(t, caseYAML)
	rec := Record(doc, c, res, at, "ana", false)
	if !rec.Changed || !rec.HistoryAdded || rec.Level != "targeted" {
		t.Errorf("first record: %+v", rec)
	}
	out := encode(t, doc)
	want := `stage-history:
  - to: intake
    at: 2026-11-24T10:00:00Z
    by: ana
level: targeted
level-history:
  - level: targeted
    at: 2026-11-24T11:00:00Z
    by: ana
    source: risk
    risk-level: high
risk:
  score: 32.5
  level: high
  model-version: "2026.1"
  inputs-digest: sha256:abab`
	if !strings.Contains(out, want) || !strings.Contains(out, "# Every stage move.") {
		t.Fatalf("recorded case.yaml:\n%s", out)
	}
	// Recording the same result again changes nothing but the time.
	doc, c = parseCase(t, out)
	if rec := Record(doc, c, res, at.Add(time.Hour), "ben", false); rec.Changed || rec.HistoryAdded {
		t.Errorf("same result again: %+v", rec)
	}
	// An override stays when risk is recorded again, unless reset.
	doc, c = parseCase(t, out)
	SetOverride(doc, c, "intensive", "the worker knows more", at.Add(time.Hour), "ben")
	out = encode(t, doc)
	if !strings.Contains(out, "level: intensive\n") || !strings.Contains(out, "    source: override\n    risk-level: high\n    reason: the worker knows more\n") {
		t.Fatalf("override:\n%s", out)
	}
	doc, c = parseCase(t, out)
	if Override(c) == nil {
		t.Fatal("no override in force")
	}
	res2 := *res
	res2.Score, res2.Level, res2.CaseLevel, res2.RedFlags = 20, "critical", "intensive", []RedFlag{{"m1", "safety-child"}}
	rec = Record(doc, c, &res2, at.Add(2*time.Hour), "ana", false)
	if !rec.Changed || rec.HistoryAdded || rec.Kept == nil || rec.Level != "intensive" {
		t.Errorf("record under an override: %+v", rec)
	}
	out = encode(t, doc)
	if !strings.Contains(out, "\nlevel: intensive\n") || !strings.Contains(out, "  red-flags: [safety-child]\n") {
		t.Errorf("under an override:\n%s", out)
	}
	doc, c = parseCase(t, out)
	rec = Record(doc, c, &res2, at.Add(3*time.Hour), "ana", true)
	if !rec.HistoryAdded || rec.Level != "intensive" {
		t.Errorf("reset: %+v", rec)
	}
	out = encode(t, doc)
	_, c = parseCase(t, out)
	if Override(c) != nil || c.Level != "intensive" || len(c.LevelHistory) != 3 || c.LevelHistory[2].Source != SourceRisk {
		t.Errorf("after reset: %s %v", c.Level, c.LevelHistory)
	}
}

// Questions are required by the member's age on the assessment date: a
// child's assessment leaves no required question unanswered.
func TestUnansweredFollowsAge(t *testing.T) {
	ins, model := defaults(t)
	child := casefile.Answers{}
	for k, v := range calm(ins) {
		if q := ins.Question(k); q.AppliesAt(11) && (q.MinAge == nil || *q.MinAge <= 11) {
			child[k] = v
		}
	}
	intake := household("m1", "m2")
	intake.Household[1].DOB = "2015-04-02"
	a := casefile.Assessment{Member: "m2", Instrument: "needs", InstrumentVersion: 1, Date: "2026-11-24", Answers: child}
	res, err := Score(Inputs{Instrument: ins, Model: model, Intake: intake, Latest: []casefile.Assessment{a}})
	if err != nil {
		t.Fatal(err)
	}
	if u := res.Members[0].Unanswered; len(u) != 0 {
		t.Errorf("an eleven-year-old left %v unanswered", u)
	}
	intake.Household[1].DOB = ""
	res, _ = Score(Inputs{Instrument: ins, Model: model, Intake: intake, Latest: []casefile.Assessment{a}})
	if u := res.Members[0].Unanswered; !slices.Contains(u, "employment-status") {
		t.Errorf("with no date of birth every required question applies; unanswered %v", u)
	}
}
