package casefile

import (
	"errors"
	"slices"
	"time"

	"github.com/casesproject/cases/casefile/yamlx"
	"go.yaml.in/yaml/v3"
)

// Instrument is instruments/<id>.yaml: a standardized needs assessment.
type Instrument struct {
	ID          string       `yaml:"id"`
	Version     int          `yaml:"version"`
	Name        string       `yaml:"name"`
	Description string       `yaml:"description"`
	Scale       []ScalePoint `yaml:"scale"`
	Domains     []Domain     `yaml:"domains"`
	Questions   []Question   `yaml:"questions"`
}

// ScalePoint is one labelled point of a scale.
type ScalePoint struct {
	Value       int     `yaml:"value"`
	Label       string  `yaml:"label"`
	Description string  `yaml:"description"`
	Points      float64 `yaml:"points"`
}

// Domain is a life domain of an instrument.
type Domain struct {
	ID          string `yaml:"id"`
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
}

// Question is one question of an instrument.
type Question struct {
	ID             string       `yaml:"id"`
	Domain         string       `yaml:"domain"`
	Prompt         string       `yaml:"prompt"`
	Help           string       `yaml:"help"`
	Type           string       `yaml:"type"` // scale, single, multiple, yes-no, number, date, text
	Required       bool         `yaml:"required"`
	MinAge         *int         `yaml:"min-age"`
	Scale          []ScalePoint `yaml:"scale"`
	Options        []Option     `yaml:"options"`
	YesPoints      float64      `yaml:"yes-points"`
	NoPoints       float64      `yaml:"no-points"`
	Min            *float64     `yaml:"min"`
	Max            *float64     `yaml:"max"`
	RedFlagAnswers Values       `yaml:"red-flag-answers"`
}

// Option is one choice of a single or multiple choice question.
type Option struct {
	ID     string  `yaml:"id"`
	Label  string  `yaml:"label"`
	Points float64 `yaml:"points"`
}

// Question returns the question with the id, or nil.
func (in *Instrument) Question(id string) *Question {
	for i := range in.Questions {
		if in.Questions[i].ID == id {
			return &in.Questions[i]
		}
	}
	return nil
}

// Domain returns the domain with the id, or nil.
func (in *Instrument) Domain(id string) *Domain {
	for i := range in.Domains {
		if in.Domains[i].ID == id {
			return &in.Domains[i]
		}
	}
	return nil
}

// ScaleOf returns the scale a scale question uses: its own, or the
// instrument's.
func (in *Instrument) ScaleOf(q *Question) []ScalePoint {
	if len(q.Scale) > 0 {
		return q.Scale
	}
	return in.Scale
}

// Option returns the option with the id, or nil.
func (q *Question) Option(id string) *Option {
	for i := range q.Options {
		if q.Options[i].ID == id {
			return &q.Options[i]
		}
	}
	return nil
}

// AppliesAt reports whether the question is asked of a member of the given
// age in years (age < 0 means unknown: every question applies).
func (q *Question) AppliesAt(age int) bool {
	return q.MinAge == nil || age < 0 || age >= *q.MinAge
}

// AnswerProblem is an answer that does not fit its instrument, named by
// question id (instrument data, never the answer itself).
type AnswerProblem struct {
	Question string
	Rule     string // answer-unknown-question, answer-fit or answer-required
	Message  string
}

// Rule names for answers.
const (
	RuleAnswerUnknown  = "answer-unknown-question"
	RuleAnswerFit      = "answer-fit"
	RuleAnswerRequired = "answer-required"
)

// CheckAnswers checks answers against the instrument for a member of the
// given age in years (-1 when unknown): every answer names a question, fits
// its type, scale, options or range, and every required question that
// applies at that age is answered.
func (in *Instrument) CheckAnswers(answers Answers, age int) []AnswerProblem {
	var out []AnswerProblem
	for _, id := range sortedKeys(answers) {
		q := in.Question(id)
		if q == nil {
			out = append(out, AnswerProblem{id, RuleAnswerUnknown, "answers a question the instrument " + in.ID + " does not have"})
			continue
		}
		if msg := in.fit(q, answers[id]); msg != "" {
			out = append(out, AnswerProblem{id, RuleAnswerFit, msg})
		}
	}
	for _, q := range in.Questions {
		if _, ok := answers[q.ID]; !ok && q.Required && q.AppliesAt(age) {
			out = append(out, AnswerProblem{q.ID, RuleAnswerRequired, "required question is not answered"})
		}
	}
	return out
}

// fit says why a value does not fit a question ("" when it fits).
func (in *Instrument) fit(q *Question, v any) string {
	switch q.Type {
	case "scale":
		n, ok := asInt(v)
		if !ok {
			return "a scale answer is a whole number"
		}
		for _, p := range in.ScaleOf(q) {
			if p.Value == n {
				return ""
			}
		}
		return "answer is not a point on the question's scale"
	case "yes-no":
		if _, ok := v.(bool); !ok {
			return "a yes-no answer is true or false"
		}
	case "single":
		s, ok := v.(string)
		if !ok {
			return "a single-choice answer is one option id"
		}
		if q.Option(s) == nil {
			return "answer is not one of the question's options"
		}
	case "multiple":
		list, ok := v.([]any)
		if !ok {
			return "a multiple-choice answer is a list of option ids"
		}
		for _, it := range list {
			s, ok := it.(string)
			if !ok || q.Option(s) == nil {
				return "a listed answer is not one of the question's options"
			}
		}
	case "number":
		f, ok := asFloat(v)
		if !ok {
			return "a number answer is a number"
		}
		if (q.Min != nil && f < *q.Min) || (q.Max != nil && f > *q.Max) {
			return "answer is outside the question's range"
		}
	case "date":
		s, ok := v.(string)
		if _, err := time.Parse(time.DateOnly, s); !ok || err != nil {
			return "a date answer is written YYYY-MM-DD"
		}
	case "text":
		if _, ok := v.(string); !ok {
			return "a text answer is text"
		}
	}
	return ""
}

// IsRedFlag reports whether an answer is one the question marks as a red
// flag (for a multiple-choice answer: any listed option is).
func (q *Question) IsRedFlag(v any, extra []any) bool {
	flags := append(slices.Clone(q.RedFlagAnswers), extra...)
	matches := func(x any) bool {
		for _, f := range flags {
			if sameAnswer(f, x) {
				return true
			}
		}
		return false
	}
	if list, ok := v.([]any); ok {
		for _, it := range list {
			if matches(it) {
				return true
			}
		}
		return false
	}
	return matches(v)
}

func sameAnswer(a, b any) bool {
	if x, ok := asFloat(a); ok {
		y, ok := asFloat(b)
		return ok && x == y
	}
	return a == b
}

func asInt(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case int64:
		return int(x), true
	case float64:
		if x == float64(int(x)) {
			return int(x), true
		}
	}
	return 0, false
}

func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Answers are an assessment's answers by question id. They decode through
// the strict reader's value conversion, so a date stays text and numbers are
// int64 or float64, exactly as validated.
type Answers map[string]any

// UnmarshalYAML implements yaml.Unmarshaler.
func (a *Answers) UnmarshalYAML(n *yaml.Node) error {
	m, ok := yamlx.Value(n).(map[string]any)
	if !ok && n.ShortTag() != "!!null" {
		return errors.New("answers must be a mapping")
	}
	*a = m
	return nil
}

// Values is a list of answers (red-flag answers), decoded like Answers.
type Values []any

// UnmarshalYAML implements yaml.Unmarshaler.
func (v *Values) UnmarshalYAML(n *yaml.Node) error {
	s, ok := yamlx.Value(n).([]any)
	if !ok && n.ShortTag() != "!!null" {
		return errors.New("must be a list")
	}
	*v = s
	return nil
}
