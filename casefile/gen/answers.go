package gen

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/casesproject/cases/casefile"
)

// Answers are drawn from the instrument the repository holds, whatever its
// questions: each answer is one the question accepts (a point of its
// scale, one of its options, a number in its range), aiming for a share f
// of the points the question can carry, so a household's score lands near
// the level the case was meant to have. Red-flag answers are given only
// when the case is meant to raise one.

// answerCandidate is one possible answer and the points it carries.
type answerCandidate struct {
	v   any
	pts float64
}

// needDomains are the instrument domains an urgent need at intake bears on.
var needDomains = map[string]string{"housing": "housing", "food": "food", "safety": "safety", "medical": "physical-health"}

// drawAnswers answers the questions that apply at the member's age: every
// required one, most optional ones. redFlag names a question to answer
// with one of its red-flag answers ("" for none). It returns the answers
// and their question ids in the instrument's order.
func drawAnswers(rng *rand.Rand, cfg *casefile.Config, in *casefile.Instrument, age int, f float64, needs []string, redFlag string, on time.Time) (casefile.Answers, []string) {
	answers := casefile.Answers{}
	var order []string
	boost := map[string]bool{}
	for _, n := range needs {
		boost[needDomains[n]] = true
	}
	for i := range in.Questions {
		q := &in.Questions[i]
		if !q.AppliesAt(age) || (!q.Required && !chance(rng, 0.7)) {
			continue
		}
		target := f
		if boost[q.Domain] {
			target = math.Min(1, f+0.35)
		}
		v, ok := drawAnswer(rng, cfg, in, q, target, q.ID == redFlag, on)
		if !ok {
			continue
		}
		answers[q.ID] = v
		order = append(order, q.ID)
	}
	return answers, order
}

// redFlagQuestions lists the questions that have red-flag answers.
func redFlagQuestions(cfg *casefile.Config, in *casefile.Instrument) []string {
	var out []string
	for _, q := range in.Questions {
		if len(q.RedFlagAnswers) > 0 || len(extraFlags(cfg, q.ID)) > 0 {
			out = append(out, q.ID)
		}
	}
	return out
}

func drawAnswer(rng *rand.Rand, cfg *casefile.Config, in *casefile.Instrument, q *casefile.Question, f float64, flag bool, on time.Time) (any, bool) {
	extra := extraFlags(cfg, q.ID)
	if flag {
		for _, a := range append(slices.Clone([]any(q.RedFlagAnswers)), extra...) {
			v := normalize(a)
			if q.Type == "multiple" {
				v = []any{v}
			}
			if fits(in, q, v) {
				return v, true
			}
		}
	}
	var cands []answerCandidate
	keep := func(v any) {
		if !q.IsRedFlag(v, extra) {
			cands = append(cands, answerCandidate{v, answerPoints(in, q, v)})
		}
	}
	switch q.Type {
	case "scale":
		for _, p := range in.ScaleOf(q) {
			keep(int64(p.Value))
		}
	case "single":
		for _, o := range q.Options {
			keep(o.ID)
		}
	case "yes-no":
		keep(true)
		keep(false)
	case "multiple":
		var plain, alone []string
		for _, o := range q.Options {
			if o.ID == "none" || o.ID == "no-one" {
				alone = append(alone, o.ID)
			} else {
				plain = append(plain, o.ID)
			}
		}
		for _, id := range alone {
			keep([]any{id})
		}
		for range 6 {
			if len(plain) == 0 {
				break
			}
			k := between(rng, 1, min(3, len(plain)))
			perm := rng.Perm(len(plain))[:k]
			slices.Sort(perm)
			var v []any
			for _, i := range perm {
				v = append(v, plain[i])
			}
			keep(v)
		}
	case "number":
		lo, hi := 0.0, 10.0
		if q.Min != nil {
			lo = *q.Min
		}
		if q.Max != nil {
			hi = *q.Max
		}
		if lo == math.Trunc(lo) && hi == math.Trunc(hi) {
			return int64(lo) + rng.Int64N(int64(hi-lo)+1), true
		}
		return lo + rng.Float64()*(hi-lo), true
	case "date":
		return on.AddDate(0, 0, -rng.IntN(5*365)).Format(time.DateOnly), true
	case "text":
		return pick(rng, clientViews), true
	default:
		return nil, false
	}
	if len(cands) == 0 {
		return nil, false
	}
	target := f * maxPoints(in, q)
	sigma := math.Max(0.6, 0.25*maxPoints(in, q))
	ws := make([]float64, len(cands))
	for i, c := range cands {
		d := (c.pts - target) / sigma
		ws[i] = math.Exp(-d * d / 2)
	}
	return cands[pickIndex(rng, ws)].v, true
}

// normalize turns a red-flag answer from a typed view (int, float64) into
// the value the reader gives back (int64).
func normalize(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case float64:
		if x == math.Trunc(x) {
			return int64(x)
		}
	}
	return v
}

// fits reports whether v is an answer the question accepts.
func fits(in *casefile.Instrument, q *casefile.Question, v any) bool {
	for _, p := range in.CheckAnswers(casefile.Answers{q.ID: v}, -1) {
		if p.Question == q.ID && p.Rule != casefile.RuleAnswerRequired {
			return false
		}
	}
	return true
}
