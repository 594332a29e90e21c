package gen

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"math"
	"slices"

	"github.com/casesproject/cases/casefile"
)

// memberAnswers is one member's latest assessment, as the risk model reads
// it.
type memberAnswers struct {
	Member  string           `json:"member"`
	Date    string           `json:"date"`
	Answers casefile.Answers `json:"answers"`
}

// riskRecord is what cases risk --record writes into case.yaml.
type riskRecord struct {
	score    float64
	level    string
	redFlags []string
	digest   string
}

// scoreRisk is the risk model, in one place so it can follow the risk
// command when that lands: each member's score is the sum over their
// answers of the answer's points (the instrument's scale, option, yes and
// no points) times the question's weight in cases.yaml (default 1); the
// household's score is the highest member score plus the points of each
// urgent need recorded at intake. Any red-flag answer (the instrument's own,
// or cases.yaml's) forces the critical level; otherwise the thresholds in
// cases.yaml decide. The digest covers every input, so the same inputs
// always give the same record.
func scoreRisk(cfg *casefile.Config, in *casefile.Instrument, needs []string, members []memberAnswers) riskRecord {
	best := 0.0
	var flags []string
	for _, m := range members {
		score := 0.0
		for _, id := range slices.Sorted(maps.Keys(m.Answers)) {
			v := m.Answers[id]
			q := in.Question(id)
			if q == nil {
				continue
			}
			w, ok := cfg.Risk.Weights[id]
			if !ok {
				w = 1
			}
			score += answerPoints(in, q, v) * w
			if q.IsRedFlag(v, extraFlags(cfg, id)) {
				flags = append(flags, id)
			}
		}
		best = max(best, score)
	}
	for _, n := range needs {
		best += cfg.Risk.IntakeNeeds[n]
	}
	best = math.Round(best*100) / 100
	slices.Sort(flags)
	flags = slices.Compact(flags)
	t := cfg.Risk.Thresholds
	level := "low"
	switch {
	case len(flags) > 0 || best >= t.Critical:
		level = "critical"
	case best >= t.High:
		level = "high"
	case best >= t.Moderate:
		level = "moderate"
	}
	inputs, _ := json.Marshal(struct {
		Model      string          `json:"model"`
		Instrument string          `json:"instrument"`
		Version    int             `json:"instrument-version"`
		Needs      []string        `json:"needs"`
		Members    []memberAnswers `json:"members"`
	}{cfg.Risk.Version, in.ID, in.Version, slices.Sorted(slices.Values(needs)), members})
	sum := sha256.Sum256(inputs)
	return riskRecord{score: best, level: level, redFlags: flags, digest: "sha256:" + hex.EncodeToString(sum[:])}
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

// answerPoints are the points an answer carries.
func answerPoints(in *casefile.Instrument, q *casefile.Question, v any) float64 {
	switch q.Type {
	case "scale":
		n, _ := v.(int64)
		for _, p := range in.ScaleOf(q) {
			if int64(p.Value) == n {
				return p.Points
			}
		}
	case "single":
		s, _ := v.(string)
		if o := q.Option(s); o != nil {
			return o.Points
		}
	case "multiple":
		list, _ := v.([]any)
		total := 0.0
		for _, it := range list {
			s, _ := it.(string)
			if o := q.Option(s); o != nil {
				total += o.Points
			}
		}
		return total
	case "yes-no":
		if b, _ := v.(bool); b {
			return q.YesPoints
		}
		return q.NoPoints
	}
	return 0
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
