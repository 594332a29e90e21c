package risk

import (
	"fmt"
	"slices"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/casefile/yamlx"
)

// CheckModel returns what keeps the risk model from scoring the instrument:
// a weight or red flag naming a question the instrument lacks or that earns
// no points, a red-flag answer that does not fit its question, thresholds
// that do not ascend, a risk level mapped to no level of case management.
// Problems are located in cases.yaml when doc (its parsed document) is
// given, else at its first line.
func CheckModel(m *casefile.RiskModel, ins *casefile.Instrument) []diag.Problem {
	return CheckModelDoc(nil, m, ins)
}

// CheckModelDoc is CheckModel with problems located in doc.
func CheckModelDoc(doc *yamlx.Doc, m *casefile.RiskModel, ins *casefile.Instrument) []diag.Problem {
	var out []diag.Problem
	add := func(msg string, path ...string) {
		p := diag.Problem{Path: casefile.ConfigPath, Line: 1, Col: 1, Rule: RuleModel, Message: msg}
		if doc != nil {
			k, n, _ := yamlx.Find(doc.Node, append([]string{"risk"}, path...))
			if k != nil {
				n = k
			}
			p.Line, p.Col = yamlx.Line(n)
		}
		out = append(out, p)
	}
	if m.Instrument != ins.ID {
		add(fmt.Sprintf("risk.instrument is %s but the instrument given is %s", m.Instrument, ins.ID), "instrument")
	}
	for _, id := range sortedKeys(m.Weights) {
		q := ins.Question(id)
		switch {
		case q == nil:
			add(fmt.Sprintf("risk.weights names %s, a question the instrument %s does not have", id, ins.ID), "weights", id)
		case !scored(q.Type):
			add(fmt.Sprintf("risk.weights names %s, a %s question, which earns no points", id, q.Type), "weights", id)
		}
	}
	for i, rf := range m.RedFlags {
		idx := fmt.Sprint(i)
		q := ins.Question(rf.Question)
		if q == nil {
			add(fmt.Sprintf("risk.red-flags[%d] names %s, a question the instrument %s does not have", i, rf.Question, ins.ID), "red-flags", idx, "question")
			continue
		}
		for j, a := range rf.Answers {
			for _, p := range ins.CheckAnswers(casefile.Answers{q.ID: a}, -1) {
				if p.Question == q.ID && p.Rule == casefile.RuleAnswerFit {
					add(fmt.Sprintf("risk.red-flags[%d].answers[%d] is not an answer %s can have", i, j, q.ID), "red-flags", idx, "answers", fmt.Sprint(j))
				}
			}
		}
	}
	t := m.Thresholds
	if !(t.Moderate < t.High && t.High < t.Critical) {
		add("risk.thresholds must ascend: moderate below high below critical", "thresholds")
	}
	for _, l := range Levels {
		if !slices.Contains(casefile.Levels, m.Levels[l]) {
			add(fmt.Sprintf("risk.levels.%s must name a level of case management (%v)", l, casefile.Levels), "levels")
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
