package gen

import (
	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/risk"
)

// memberAnswers is one member's latest assessment: the answers as drawn,
// and the document as cases reads it back, which is what the risk model
// scores.
type memberAnswers struct {
	Member  string
	Date    string
	Answers casefile.Answers
	Doc     casefile.Assessment
}

// answersScore is what one member's answers score in the risk model,
// before the household's urgent needs: casefile/risk's points times the
// model's weights. The generator aims answers at a risk band with it.
func answersScore(cfg *casefile.Config, in *casefile.Instrument, answers casefile.Answers) float64 {
	total := 0.0
	for id, v := range answers {
		q := in.Question(id)
		if q == nil {
			continue
		}
		w, ok := cfg.Risk.Weights[id]
		if !ok {
			w = 1
		}
		total += risk.AnswerPoints(in, q, v) * w
	}
	return total
}

// extraFlags are the red-flag answers cases.yaml adds to a question.
func extraFlags(cfg *casefile.Config, question string) []any {
	var out []any
	for _, r := range cfg.Risk.RedFlags {
		if r.Question == question {
			out = append(out, r.Answers...)
		}
	}
	return out
}

// answerPoints are the points an answer carries (casefile/risk's rule).
func answerPoints(in *casefile.Instrument, q *casefile.Question, v any) float64 {
	return risk.AnswerPoints(in, q, v)
}

// maxPoints is the most points a question's answers can carry.
func maxPoints(in *casefile.Instrument, q *casefile.Question) float64 {
	best := 0.0
	switch q.Type {
	case "scale":
		for _, p := range in.ScaleOf(q) {
			best = max(best, p.Points)
		}
	case "single":
		for _, o := range q.Options {
			best = max(best, o.Points)
		}
	case "multiple":
		for _, o := range q.Options {
			best += max(o.Points, 0)
		}
	case "yes-no":
		best = max(q.YesPoints, q.NoPoints)
	}
	return best
}
