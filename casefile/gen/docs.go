package gen

import (
	"io"
	"math/rand/v2"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/yamlx"
	"go.yaml.in/yaml/v3"
)

// Key orders of new mappings, following the JSON Schemas, so generated
// documents read like the ones commands write.
var (
	orderCase       = []string{"id", "program", "worker", "opened", "stage", "stage-history", "level", "level-history", "risk"}
	orderMove       = []string{"from", "to", "at", "by", "forced", "guards", "reason"}
	orderIntake     = []string{"date", "worker", "referral-source", "household", "contact", "urgent-needs", "history", "eligibility", "consent", "orientation"}
	orderMember     = []string{"id", "relationship", "name", "dob", "gender", "race-ethnicity", "language", "interpreter-needed", "disability", "veteran"}
	orderPlan       = []string{"meeting", "goals", "tasks", "referrals", "supports", "agreement"}
	orderNote       = []string{"at", "author", "type", "minutes", "interpreter", "goals", "referral", "service", "follow-up", "feedback", "text", "corrects", "confidential"}
	orderClosure    = []string{"date", "reason", "reason-note", "destination", "goals", "interview", "resources-given", "referrals-out", "continuing-services", "future-contact", "follow-up"}
	orderAssessment = []string{"member", "instrument", "instrument-version", "date", "assessor", "interpreter", "answers", "strengths", "priorities", "client-view"}
)

// cloneNode deep-copies a node tree, so one parsed template serves every
// new document.
func cloneNode(n *yaml.Node) *yaml.Node {
	c := *n
	if n.Content != nil {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, k := range n.Content {
			c.Content[i] = cloneNode(k)
		}
	}
	return &c
}

// newDoc starts a document of a kind from the repository's template.
func (w *world) newDoc(path string, k casefile.Kind) *yamlx.Doc {
	return &yamlx.Doc{Path: path, Node: cloneNode(w.tmpl[k].Node)}
}

func date(t time.Time) *yaml.Node      { return yamlx.Plain(t.Format(time.DateOnly)) }
func timestamp(t time.Time) *yaml.Node { return yamlx.Plain(t.Format(time.RFC3339)) }

func optBool(b *bool) *yaml.Node {
	if b == nil {
		return nil
	}
	return yamlx.Bool(*b)
}

func optStr(s string) *yaml.Node {
	if s == "" {
		return nil
	}
	return yamlx.Str(s)
}

func optSeq(items []string) *yaml.Node {
	if len(items) == 0 {
		return nil
	}
	return yamlx.StrSeq(items)
}

// memberNode is one household member of intake.yaml.
func memberNode(p *person) *yaml.Node {
	return yamlx.Map("id", yamlx.Str(p.id), "relationship", yamlx.Str(p.relationship),
		"name", yamlx.Map("given", yamlx.Str(p.given), "family", yamlx.Str(p.family), "preferred", optStr(p.preferred)),
		"dob", date(p.dob), "gender", yamlx.Str(p.gender), "race-ethnicity", optSeq(p.race), "language", yamlx.Str(p.lang),
		"interpreter-needed", yamlx.Bool(p.interpreter), "disability", optBool(p.disability), "veteran", optBool(p.veteran))
}

// fillMember writes a member into the template's first household entry,
// keeping the template's comments on its fields.
func fillMember(m *yaml.Node, p *person) {
	src := memberNode(p)
	for i := 0; i+1 < len(src.Content); i += 2 {
		key, v := src.Content[i].Value, src.Content[i+1]
		if key == "name" {
			name := yamlx.Get(m, "name")
			for j := 0; j+1 < len(v.Content); j += 2 {
				yamlx.Set(name, v.Content[j].Value, v.Content[j+1], nil)
			}
			continue
		}
		yamlx.Set(m, key, v, orderMember)
	}
}

// rngReader reads random bytes from a seeded source, for the random parts
// of ids (casefile.NoteID).
type rngReader struct{ r *rand.Rand }

func (r rngReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r.r.Uint32())
	}
	return len(p), nil
}

var _ io.Reader = rngReader{}
