// Package risk scores a case: a transparent model (weights, thresholds,
// red flags and the mapping from risk level to level of case management,
// kept in cases.yaml under risk:) applied to the latest assessment of each
// household member and to the urgent needs recorded at intake.
//
// How a score is made:
//
//   - Every answer to a scored question (scale, yes-no, single or multiple
//     choice) earns the points the instrument gives that answer; number, date
//     and text answers earn nothing.
//   - Each answer's points are multiplied by the model's weight for the
//     question (1 when the model names none). A member's score is the sum.
//   - The case score is the highest member score plus the points of each
//     urgent need recorded at intake, counted once for the household.
//     The highest, not the sum, because the level of case management
//     follows the most acute situation in the household: a sum would rank a
//     large household as high risk for its size alone, and an average would
//     hide a member in crisis behind relatives who are doing well.
//   - Any red-flag answer (the instrument's own, or one the model adds)
//     forces the critical level whatever the score; otherwise the score is
//     compared with the thresholds.
//   - The model maps the risk level to a level of case management, whose
//     contact frequency cases.yaml sets under levels:.
//
// Score is a pure function: the same inputs always give the same result,
// including the digest of the inputs that --record writes. It never reads
// the clock.
package risk

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/casesproject/cases/casefile"
)

// Rule names of refusals.
const (
	// RuleModel: the risk model in cases.yaml does not fit its instrument.
	RuleModel = "risk-model"
	// RuleInstrumentVersion: an assessment made with another version of the
	// instrument has answers the current version cannot score.
	RuleInstrumentVersion = "instrument-version"
	// RuleAnswers: a scored assessment has answers that do not fit.
	RuleAnswers = "risk-answers"
	// RuleInputs: something the score needs is missing (an intake, a
	// household member an assessment names).
	RuleInputs = "risk-inputs"
)

// Levels are the risk levels, lowest first.
var Levels = casefile.RiskLevels

// Inputs are everything a score is made from.
type Inputs struct {
	Instrument *casefile.Instrument
	Model      *casefile.RiskModel
	Intake     *casefile.Intake
	// Latest holds the latest assessment of each member with the model's
	// instrument, at most one per member (see Latest).
	Latest []casefile.Assessment
}

// Contribution is what one answer (or one urgent need) adds to a score.
type Contribution struct {
	Member   string  // "" for an urgent need recorded at intake
	Question string  // question id, or the urgent need (food, housing, ...)
	Domain   string  // the question's domain ("" for an urgent need)
	Answer   any     // the answer as recorded (personal data: print with care)
	Points   float64 // points the instrument gives the answer
	Weight   float64 // the model's weight for the question
	Score    float64 // Points × Weight
	RedFlag  bool    // the answer is a red flag
}

// MemberScore is one member's part of the score.
type MemberScore struct {
	Member            string
	Date              string // date of the assessment scored
	InstrumentVersion int    // version the assessment was made with
	Score             float64
	Contributions     []Contribution // every scored answer, in instrument order
	Unanswered        []string       // required questions of the scoring version left unanswered
}

// RedFlag is a red-flag answer: which member, which question.
type RedFlag struct {
	Member   string
	Question string
}

// Result is a scored case.
type Result struct {
	ModelVersion      string
	Instrument        string
	InstrumentVersion int // the version the answers were scored with

	Members    []MemberScore // by member id
	Unassessed []string      // household members without an assessment
	Intake     []Contribution
	// Highest is the member whose score counts ("" when none is assessed).
	Highest     string
	MemberScore float64 // the highest member score
	IntakeScore float64
	Score       float64 // MemberScore + IntakeScore

	RedFlags []RedFlag // by member, then instrument order
	Level    string    // low, moderate, high or critical
	// CaseLevel is the level of case management the model recommends.
	CaseLevel  string
	Thresholds casefile.Thresholds
	// VersionNotes say which members were assessed with another version of
	// the instrument than the one that scored them.
	VersionNotes []string
	// Digest is sha256:<hex> over the canonical encoding of exactly the
	// inputs used (see Digest).
	Digest string
}

// RedFlagQuestions lists the questions that raised a red flag, sorted and
// without repeats: what case.yaml records.
func (r *Result) RedFlagQuestions() []string {
	var out []string
	for _, f := range r.RedFlags {
		out = append(out, f.Question)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Latest picks the latest assessment of each member made with the
// instrument (by date; the file name breaks no tie because there is one
// file per member and date), in member order.
func Latest(f *casefile.Folder, instrument string) []casefile.Assessment {
	latest := map[string]casefile.Assessment{}
	for _, d := range f.Assessments {
		a := d.Data
		if a.Instrument != instrument {
			continue
		}
		if prev, ok := latest[a.Member]; !ok || a.Date > prev.Date {
			latest[a.Member] = a
		}
	}
	out := make([]casefile.Assessment, 0, len(latest))
	for _, a := range latest {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b casefile.Assessment) int { return compareMembers(a.Member, b.Member) })
	return out
}

// compareMembers orders member ids m1, m2, ..., m10 numerically.
func compareMembers(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// Score scores a case. It refuses (a *casefile.RefusedError) a model that
// does not fit the instrument, an assessment that names a member not in the
// household or has answers the instrument cannot score, and a missing
// intake.
func Score(in Inputs) (*Result, error) {
	ins, model := in.Instrument, in.Model
	if ins == nil || model == nil {
		return nil, &casefile.RefusedError{Rule: RuleInputs, Msg: "no instrument or no risk model to score with"}
	}
	if ps := CheckModel(model, ins); len(ps) > 0 {
		return nil, &casefile.RefusedError{Rule: RuleModel, Msg: ps[0].Message + " (fix cases.yaml)"}
	}
	if in.Intake == nil {
		return nil, &casefile.RefusedError{Rule: RuleInputs, Msg: "the case has no intake.yaml, which names the household and its urgent needs"}
	}
	res := &Result{ModelVersion: model.Version, Instrument: ins.ID, InstrumentVersion: ins.Version, Thresholds: model.Thresholds}
	extra := map[string][]any{}
	for _, rf := range model.RedFlags {
		extra[rf.Question] = append(extra[rf.Question], rf.Answers...)
	}
	assessed := map[string]bool{}
	for _, a := range in.Latest {
		if a.Instrument != ins.ID {
			return nil, &casefile.RefusedError{Rule: RuleInputs, Msg: fmt.Sprintf("%s's assessment of %s used instrument %s; the model scores %s", a.Member, a.Date, a.Instrument, ins.ID)}
		}
		if in.Intake.Member(a.Member) == nil {
			return nil, &casefile.RefusedError{Rule: RuleInputs, Msg: fmt.Sprintf("an assessment names %s, who is not in the intake's household", a.Member)}
		}
		if assessed[a.Member] {
			return nil, &casefile.RefusedError{Rule: RuleInputs, Msg: fmt.Sprintf("more than one latest assessment of %s", a.Member)}
		}
		assessed[a.Member] = true
		ms, err := scoreMember(ins, model, extra, a, ageOn(in.Intake.Member(a.Member), a.Date))
		if err != nil {
			return nil, err
		}
		if a.InstrumentVersion != ins.Version {
			res.VersionNotes = append(res.VersionNotes, fmt.Sprintf("%s was assessed with %s version %d and is scored with version %d, whose questions its answers still fit", a.Member, ins.ID, a.InstrumentVersion, ins.Version))
		}
		for _, c := range ms.Contributions {
			if c.RedFlag {
				res.RedFlags = append(res.RedFlags, RedFlag{Member: a.Member, Question: c.Question})
			}
		}
		res.Members = append(res.Members, ms)
	}
	slices.SortFunc(res.Members, func(a, b MemberScore) int { return compareMembers(a.Member, b.Member) })
	slices.SortStableFunc(res.RedFlags, func(a, b RedFlag) int { return compareMembers(a.Member, b.Member) })
	for _, m := range in.Intake.Household {
		if !assessed[m.ID] {
			res.Unassessed = append(res.Unassessed, m.ID)
		}
	}
	for _, m := range res.Members {
		if res.Highest == "" || m.Score > res.MemberScore {
			res.Highest, res.MemberScore = m.Member, m.Score
		}
	}
	needs := slices.Clone(in.Intake.UrgentNeeds)
	slices.Sort(needs)
	needs = slices.Compact(needs)
	for _, n := range needs {
		p := model.IntakeNeeds[n]
		res.Intake = append(res.Intake, Contribution{Question: n, Answer: true, Points: p, Weight: 1, Score: p})
		res.IntakeScore += p
	}
	res.IntakeScore = round(res.IntakeScore)
	res.Score = round(res.MemberScore + res.IntakeScore)
	res.Level = LevelFor(res.Score, model.Thresholds, len(res.RedFlags) > 0)
	res.CaseLevel = model.Levels[res.Level]
	res.Digest = Digest(in)
	return res, nil
}

// LevelFor maps a score to a risk level: critical whenever a red flag was
// raised, otherwise the highest level whose threshold the score reaches.
func LevelFor(score float64, t casefile.Thresholds, redFlag bool) string {
	switch {
	case redFlag || score >= t.Critical:
		return "critical"
	case score >= t.High:
		return "high"
	case score >= t.Moderate:
		return "moderate"
	}
	return "low"
}

// ageOn is a member's age in whole years on a date, -1 when unknown.
func ageOn(m *casefile.Member, date string) int {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return -1
	}
	return casefile.Age(m.DOB, d)
}

func scoreMember(ins *casefile.Instrument, model *casefile.RiskModel, extra map[string][]any, a casefile.Assessment, age int) (MemberScore, error) {
	ms := MemberScore{Member: a.Member, Date: a.Date, InstrumentVersion: a.InstrumentVersion}
	for _, p := range ins.CheckAnswers(a.Answers, age) {
		switch {
		case p.Rule == casefile.RuleAnswerRequired:
			ms.Unanswered = append(ms.Unanswered, p.Question)
		case a.InstrumentVersion != ins.Version:
			what := "answers question " + p.Question + ", which version " + fmt.Sprint(ins.Version) + " does not have"
			if p.Rule == casefile.RuleAnswerFit {
				what = "has an answer to " + p.Question + " that version " + fmt.Sprint(ins.Version) + " cannot score"
			}
			return ms, &casefile.RefusedError{Rule: RuleInstrumentVersion, Msg: fmt.Sprintf(
				"%s's latest assessment (%s) was made with %s version %d and %s; reassess %s with the current version",
				a.Member, a.Date, ins.ID, a.InstrumentVersion, what, a.Member)}
		default:
			return ms, &casefile.RefusedError{Rule: RuleAnswers, Msg: fmt.Sprintf(
				"%s's assessment of %s: %s: %s; cases validate shows where", a.Member, a.Date, p.Question, p.Message)}
		}
	}
	var total float64
	for i := range ins.Questions {
		q := &ins.Questions[i]
		v, ok := a.Answers[q.ID]
		if !ok || !scored(q.Type) {
			continue
		}
		points := AnswerPoints(ins, q, v)
		w := weight(model, q.ID)
		c := Contribution{Member: a.Member, Question: q.ID, Domain: q.Domain, Answer: v, Points: points, Weight: w,
			Score: round(points * w), RedFlag: q.IsRedFlag(v, extra[q.ID])}
		total += c.Score
		ms.Contributions = append(ms.Contributions, c)
	}
	ms.Score = round(total)
	return ms, nil
}

func scored(typ string) bool {
	return typ == "scale" || typ == "yes-no" || typ == "single" || typ == "multiple"
}

func weight(m *casefile.RiskModel, q string) float64 {
	if w, ok := m.Weights[q]; ok {
		return w
	}
	return 1
}

// AnswerPoints are the points the instrument gives an answer that fits its
// question: the scale point's, the option's (the sum of the chosen options'
// for multiple choice, each counted once), or yes-points and no-points.
func AnswerPoints(ins *casefile.Instrument, q *casefile.Question, v any) float64 {
	switch q.Type {
	case "scale":
		n, _ := scaleValue(v)
		for _, p := range ins.ScaleOf(q) {
			if p.Value == n {
				return p.Points
			}
		}
	case "yes-no":
		if b, _ := v.(bool); b {
			return q.YesPoints
		}
		return q.NoPoints
	case "single":
		if s, ok := v.(string); ok {
			if o := q.Option(s); o != nil {
				return o.Points
			}
		}
	case "multiple":
		var sum float64
		for _, id := range optionSet(v) {
			if o := q.Option(id); o != nil {
				sum += o.Points
			}
		}
		return sum
	}
	return 0
}

func scaleValue(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case int64:
		return int(x), true
	case float64:
		if x == math.Trunc(x) {
			return int(x), true
		}
	}
	return 0, false
}

// optionSet is a multiple-choice answer as a sorted set of option ids.
func optionSet(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, it := range list {
		if s, ok := it.(string); ok {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// round keeps four decimals, so weights such as 0.1 do not leave binary
// fractions (0.30000000000000004) in what is printed and recorded. It never
// lowers a larger value below a smaller one, so a worse answer still never
// lowers the score.
func round(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// Digest is sha256:<hex> over a canonical JSON encoding of exactly the
// inputs a score uses: the model, the scoring tables of the instrument
// (points and red flags of every scored question), the household's member
// ids, the urgent needs, and for each scored assessment its member, date,
// instrument version and scored answers (multiple-choice answers as sorted
// sets). Free-text, number and date answers, names, dates of birth, the
// clock and who asks are not inputs, so they never change it.
func Digest(in Inputs) string {
	b, err := json.Marshal(canonical(in))
	if err != nil { // plain values only: cannot happen
		panic(err)
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

type canonInputs struct {
	Format     string        `json:"format"`
	Model      canonModel    `json:"model"`
	Instrument canonInstr    `json:"instrument"`
	Household  []string      `json:"household"`
	Needs      []string      `json:"urgent-needs"`
	Members    []canonMember `json:"members"`
}

type canonModel struct {
	Version     string             `json:"version"`
	Instrument  string             `json:"instrument"`
	Weights     map[string]float64 `json:"weights"`
	IntakeNeeds map[string]float64 `json:"intake-needs"`
	RedFlags    []canonFlag        `json:"red-flags"`
	Thresholds  [3]float64         `json:"thresholds"`
	Levels      map[string]string  `json:"levels"`
}

type canonFlag struct {
	Question string `json:"question"`
	Answers  []any  `json:"answers"`
}

type canonInstr struct {
	ID        string          `json:"id"`
	Version   int             `json:"version"`
	Questions []canonQuestion `json:"questions"`
}

type canonQuestion struct {
	ID       string   `json:"id"`
	Type     string   `json:"type"`
	Points   [][2]any `json:"points"`
	RedFlags []any    `json:"red-flags"`
}

type canonMember struct {
	Member  string         `json:"member"`
	Date    string         `json:"date"`
	Version int            `json:"instrument-version"`
	Answers map[string]any `json:"answers"`
}

func canonical(in Inputs) canonInputs {
	m, ins := in.Model, in.Instrument
	c := canonInputs{Format: "cases-risk-inputs/1", Household: []string{}, Needs: []string{}, Members: []canonMember{}}
	c.Model = canonModel{Version: m.Version, Instrument: m.Instrument, Weights: nonNil(m.Weights), IntakeNeeds: nonNil(m.IntakeNeeds),
		RedFlags: []canonFlag{}, Thresholds: [3]float64{m.Thresholds.Moderate, m.Thresholds.High, m.Thresholds.Critical}, Levels: m.Levels}
	for _, rf := range m.RedFlags {
		c.Model.RedFlags = append(c.Model.RedFlags, canonFlag{rf.Question, canonValues(rf.Answers)})
	}
	c.Instrument = canonInstr{ID: ins.ID, Version: ins.Version, Questions: []canonQuestion{}}
	for i := range ins.Questions {
		q := &ins.Questions[i]
		if !scored(q.Type) {
			continue
		}
		cq := canonQuestion{ID: q.ID, Type: q.Type, Points: [][2]any{}, RedFlags: canonValues(q.RedFlagAnswers)}
		switch q.Type {
		case "scale":
			for _, p := range ins.ScaleOf(q) {
				cq.Points = append(cq.Points, [2]any{p.Value, p.Points})
			}
		case "yes-no":
			cq.Points = append(cq.Points, [2]any{true, q.YesPoints}, [2]any{false, q.NoPoints})
		default:
			for _, o := range q.Options {
				cq.Points = append(cq.Points, [2]any{o.ID, o.Points})
			}
		}
		c.Instrument.Questions = append(c.Instrument.Questions, cq)
	}
	if in.Intake != nil {
		for _, h := range in.Intake.Household {
			c.Household = append(c.Household, h.ID)
		}
		slices.SortFunc(c.Household, compareMembers)
		c.Needs = append(c.Needs, in.Intake.UrgentNeeds...)
		slices.Sort(c.Needs)
		c.Needs = slices.Compact(c.Needs)
	}
	latest := slices.Clone(in.Latest)
	slices.SortFunc(latest, func(a, b casefile.Assessment) int { return compareMembers(a.Member, b.Member) })
	for _, a := range latest {
		cm := canonMember{Member: a.Member, Date: a.Date, Version: a.InstrumentVersion, Answers: map[string]any{}}
		for id, v := range a.Answers {
			q := ins.Question(id)
			if q == nil || !scored(q.Type) {
				continue
			}
			cm.Answers[id] = canonAnswer(q.Type, v)
		}
		c.Members = append(c.Members, cm)
	}
	return c
}

func nonNil[V any](m map[string]V) map[string]V {
	if m == nil {
		return map[string]V{}
	}
	return m
}

// canonAnswer writes an answer one way only: a scale point as an integer, a
// multiple-choice answer as a sorted set.
func canonAnswer(typ string, v any) any {
	switch typ {
	case "scale":
		if n, ok := scaleValue(v); ok {
			return n
		}
	case "multiple":
		return optionSet(v)
	}
	return canonValue(v)
}

func canonValues(vs []any) []any {
	out := make([]any, 0, len(vs))
	for _, v := range vs {
		out = append(out, canonValue(v))
	}
	return out
}

// canonValue writes whole numbers as integers whatever their Go type.
func canonValue(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x)
		}
	}
	return v
}
