package risk

import (
	"slices"
	"strconv"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/yamlx"
	"go.yaml.in/yaml/v3"
)

// Key orders of what this package writes into case.yaml.
var (
	orderCase = []string{"id", "program", "worker", "opened", "stage", "stage-history", "level", "level-history", "risk"}
	orderRisk = []string{"score", "level", "red-flags", "model-version", "inputs-digest", "at", "by"}
)

// Level-history sources.
const (
	SourceRisk     = "risk"
	SourceOverride = "override"
)

// Override returns the entry of the level history that sets the level in
// force when a worker override is in force (the latest entry is an
// override), else nil. Recording risk keeps such a level unless reset.
func Override(c *casefile.Case) *casefile.LevelChange {
	if n := len(c.LevelHistory); n > 0 && c.LevelHistory[n-1].Source == SourceOverride {
		return &c.LevelHistory[n-1]
	}
	return nil
}

// Recorded says what recording a result changes in case.yaml.
type Recorded struct {
	Changed     bool   // anything but the time and author of the record changed
	LevelBefore string // "" when no level was set
	Level       string // the level in force afterwards
	Kept        *casefile.LevelChange
	// HistoryAdded: a level-history entry was appended.
	HistoryAdded bool
}

// Current reports whether the recorded risk already says what res says:
// same score, level, red flags, model version and inputs digest.
func Current(c *casefile.Case, res *Result) bool {
	r := c.Risk
	return r != nil && r.Score == res.Score && r.Level == res.Level && r.ModelVersion == res.ModelVersion &&
		r.InputsDigest == res.Digest && slices.Equal(nonEmpty(r.RedFlags), nonEmpty(res.RedFlagQuestions()))
}

func nonEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Record writes a result into case.yaml's node tree (doc, whose typed view
// is c): the risk block (score, level, red flags, model version, inputs
// digest, when and by whom), and the recommended level of case management
// with a level-history entry of source risk, unless a worker override is in
// force and reset is false (then the override stays). A history entry is
// added only when the level or the risk level it follows changes. Comments
// and key order of the document are kept.
func Record(doc *yamlx.Doc, c *casefile.Case, res *Result, at time.Time, by string, reset bool) Recorded {
	out := Recorded{LevelBefore: c.Level, Level: c.Level}
	out.Changed = !Current(c, res)
	root := doc.Root()
	block := yamlx.Map(
		"score", Number(res.Score),
		"level", yamlx.Str(res.Level),
		"red-flags", flags(res.RedFlagQuestions()),
		"model-version", yamlx.Str(res.ModelVersion),
		"inputs-digest", yamlx.Str(res.Digest),
		"at", yamlx.Plain(at.Format(time.RFC3339)),
		"by", yamlx.Str(by),
	)
	if old := yamlx.Get(root, "risk"); old != nil && old.Kind == yaml.MappingNode {
		// Keep the person's comments on fields that stay.
		for i := 0; i+1 < len(block.Content); i += 2 {
			yamlx.Set(old, block.Content[i].Value, block.Content[i+1], orderRisk)
		}
		if yamlx.Get(block, "red-flags") == nil {
			yamlx.Delete(old, "red-flags")
		}
	} else {
		yamlx.Set(root, "risk", block, orderCase)
	}
	if ov := Override(c); ov != nil && !reset {
		out.Kept = ov
		return out
	}
	last := casefile.LevelChange{}
	if n := len(c.LevelHistory); n > 0 {
		last = c.LevelHistory[n-1]
	}
	if c.Level == res.CaseLevel && last.Source == SourceRisk && last.Level == res.CaseLevel && last.RiskLevel == res.Level {
		return out
	}
	out.Changed, out.Level, out.HistoryAdded = true, res.CaseLevel, true
	yamlx.Set(root, "level", yamlx.Str(res.CaseLevel), orderCase)
	hist := yamlx.EnsureSeq(root, "level-history", orderCase)
	hist.Content = append(hist.Content, yamlx.Map(
		"level", yamlx.Str(res.CaseLevel),
		"at", yamlx.Plain(at.Format(time.RFC3339)),
		"by", yamlx.Str(by),
		"source", yamlx.Str(SourceRisk),
		"risk-level", yamlx.Str(res.Level),
	))
	return out
}

// SetOverride writes a worker's override of the level of case management
// into case.yaml's node tree: the level, and a level-history entry of
// source override with the reason and, when risk is recorded, the risk
// level it departs from.
func SetOverride(doc *yamlx.Doc, c *casefile.Case, level, reason string, at time.Time, by string) {
	root := doc.Root()
	yamlx.Set(root, "level", yamlx.Str(level), orderCase)
	var riskLevel *yaml.Node
	if c.Risk != nil && c.Risk.Level != "" {
		riskLevel = yamlx.Str(c.Risk.Level)
	}
	hist := yamlx.EnsureSeq(root, "level-history", orderCase)
	hist.Content = append(hist.Content, yamlx.Map(
		"level", yamlx.Str(level),
		"at", yamlx.Plain(at.Format(time.RFC3339)),
		"by", yamlx.Str(by),
		"source", yamlx.Str(SourceOverride),
		"risk-level", riskLevel,
		"reason", yamlx.Str(reason),
	))
}

func flags(qs []string) *yaml.Node {
	if len(qs) == 0 {
		return nil
	}
	return yamlx.StrSeq(qs)
}

// Number writes a score as YAML: an integer when it is whole (the encoder
// would otherwise tag a whole float), else its shortest decimal.
func Number(f float64) *yaml.Node {
	if f == float64(int64(f)) {
		return yamlx.Int(int64(f))
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: strconv.FormatFloat(f, 'f', -1, 64)}
}
