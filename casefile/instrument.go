package casefile

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
	RedFlagAnswers []any        `yaml:"red-flag-answers"`
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
