// Package assess records needs assessments: one household member, one
// instrument, one date, in assessments/<date>-<member>.yaml. It reads the
// answers a script or a person gave (a YAML mapping of question id to
// answer, with the member's strengths, priorities, the client's own view
// and the interpreter), checks them against the instrument for the member's
// age, refuses what cannot be recorded, and builds the document from the
// commented template by editing its node tree. Compare lines up a member's
// assessments domain by domain.
//
// Like all of casefile, it never prints: problems name the question or the
// member and the rule, never an answer.
package assess

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/casefile/yamlx"
	"go.yaml.in/yaml/v3"
)

// Rule names of refusals (the cross-document ones are check's).
const (
	RuleExists     = "assessment-exists"
	RuleClosed     = "closed-case"
	RuleMember     = "ref-member"
	RuleDateOrder  = "date-order"
	RuleDateFuture = "date-future"
	RuleInput      = "assessment-input"
	RulePriority   = "assessment-priority"
)

// Reserved keys of an answers file: everything else is a question id.
var Reserved = []string{"strengths", "priorities", "interpreter", "client-view"}

// Input is what was said in one assessment besides who, when and with
// which instrument.
type Input struct {
	Answers     casefile.Answers
	Strengths   []string
	Priorities  []string
	Interpreter *casefile.Interpreter // nil when not said
	ClientView  string

	doc *yamlx.Doc // the answers file, to locate problems
}

var languageRE = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// ValidLanguage reports whether s is a language tag such as ar or fa-AF.
func ValidLanguage(s string) bool { return languageRE.MatchString(s) }

// ParseInput reads an answers file named display through the strict
// reader. Its shape is checked here (a mapping; strengths a list of text;
// priorities a list of ids; interpreter a language tag, false, or a mapping
// of used and language; client-view text); the answers are checked against
// the instrument by Check.
func ParseInput(display string, data []byte) (*Input, error) {
	doc, problems := yamlx.Parse(display, data)
	if doc == nil || len(problems) > 0 {
		return nil, diag.Invalid(problems)
	}
	root := doc.Root()
	in := &Input{Answers: casefile.Answers{}, doc: doc}
	var ps []diag.Problem
	bad := func(n *yaml.Node, msg string) {
		line, col := yamlx.Line(n)
		ps = append(ps, diag.Problem{Path: display, Line: line, Col: col, Rule: RuleInput, Message: msg})
	}
	if root.Kind != yaml.MappingNode {
		bad(root, "answers are a mapping of question id to answer")
		return nil, diag.Invalid(ps)
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		var ok bool
		switch k.Value {
		case "strengths":
			if in.Strengths, ok = texts(v); !ok {
				bad(v, "strengths: a list of short texts")
			}
		case "priorities":
			if in.Priorities, ok = texts(v); !ok {
				bad(v, "priorities: a list of domain ids, most pressing first")
			}
		case "client-view":
			if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
				bad(v, "client-view: text")
			} else {
				in.ClientView = v.Value
			}
		case "interpreter":
			it, ok := interpreter(v)
			if !ok {
				bad(v, "interpreter: a language tag such as ar, false for none, or {used: true, language: ar}")
			}
			in.Interpreter = it
		default:
			if !casefile.ValidSlug(k.Value) {
				bad(k, "not a question id: ids are lower-case kebab-case")
				continue
			}
			in.Answers[k.Value] = yamlx.Value(v)
		}
	}
	if len(ps) > 0 {
		return nil, diag.Invalid(ps)
	}
	return in, nil
}

func texts(n *yaml.Node) ([]string, bool) {
	if n.Kind != yaml.SequenceNode {
		return nil, false
	}
	out := []string{}
	for _, it := range n.Content {
		if it.Kind != yaml.ScalarNode || it.ShortTag() != "!!str" {
			return nil, false
		}
		out = append(out, it.Value)
	}
	return out, true
}

func interpreter(n *yaml.Node) (*casefile.Interpreter, bool) {
	switch {
	case n.Kind == yaml.ScalarNode && n.ShortTag() == "!!bool":
		if n.Value == "true" {
			return &casefile.Interpreter{Used: true}, true
		}
		return &casefile.Interpreter{Used: false}, true
	case n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str":
		return &casefile.Interpreter{Used: true, Language: n.Value}, ValidLanguage(n.Value)
	case n.Kind == yaml.MappingNode:
		it := &casefile.Interpreter{}
		seen := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i].Value, n.Content[i+1]
			switch {
			case k == "used" && v.ShortTag() == "!!bool":
				it.Used, seen = v.Value == "true", true
			case k == "language" && v.ShortTag() == "!!str" && ValidLanguage(v.Value):
				it.Language = v.Value
			default:
				return nil, false
			}
		}
		return it, seen
	}
	return nil, false
}

// Check checks an input against the instrument for a member of the given
// age (-1 when unknown): every answer names a question and fits it, every
// required question that applies at that age is answered, every priority
// is a domain of the instrument. Problems name the question (or the
// priority's place), never the answer, and are located in the answers file
// when the input came from one.
func Check(ins *casefile.Instrument, in *Input, age int, display string) []diag.Problem {
	var ps []diag.Problem
	// at locates a key of the answers file, or its value.
	at := func(key string, value bool) (int, int) {
		if in.doc == nil {
			return 1, 1
		}
		k, v, found := yamlx.Find(in.doc.Node, []string{key})
		if !found || k == nil {
			return 1, 1
		}
		if value {
			return yamlx.Line(v)
		}
		return yamlx.Line(k)
	}
	for _, p := range ins.CheckAnswers(in.Answers, age) {
		line, col := 1, 1 // a required answer that is missing has no place
		switch p.Rule {
		case casefile.RuleAnswerFit:
			line, col = at(p.Question, true)
		case casefile.RuleAnswerUnknown:
			line, col = at(p.Question, false)
		}
		ps = append(ps, diag.Problem{Path: display, Line: line, Col: col, Rule: p.Rule, Message: p.Question + ": " + p.Message})
	}
	seen := map[string]bool{}
	for i, d := range in.Priorities {
		line, col := at("priorities", true)
		if in.doc != nil {
			if _, n, found := yamlx.Find(in.doc.Node, []string{"priorities", fmt.Sprint(i)}); found {
				line, col = yamlx.Line(n)
			}
		}
		switch {
		case ins.Domain(d) == nil:
			ps = append(ps, diag.Problem{Path: display, Line: line, Col: col, Rule: RulePriority, Message: fmt.Sprintf("priorities[%d] is not a domain of the instrument %s", i, ins.ID)})
		case seen[d]:
			ps = append(ps, diag.Problem{Path: display, Line: line, Col: col, Rule: RulePriority, Message: fmt.Sprintf("priorities[%d] repeats a domain", i)})
		}
		seen[d] = true
	}
	if in.Interpreter != nil && in.Interpreter.Language != "" && !ValidLanguage(in.Interpreter.Language) {
		line, col := at("interpreter", true)
		ps = append(ps, diag.Problem{Path: display, Line: line, Col: col, Rule: RuleInput, Message: "interpreter: not a language tag such as ar or fa-AF"})
	}
	return diag.Sort(ps)
}

// Request is one assessment to record.
type Request struct {
	Folder     *casefile.Folder
	Instrument *casefile.Instrument
	Member     string
	Date       string // YYYY-MM-DD
	Today      string // YYYY-MM-DD in the organization's time zone
	Assessor   string // staff id
	Input      *Input
	Display    string // name of the answers' source in problems
}

// Refusal checks what would make the assessment impossible to record
// whatever the answers: a closed case, a member not in the household, a
// date before the intake or after today, an assessment of that member on
// that date already on file.
func Refusal(req Request) error {
	f := req.Folder
	if f.Case != nil && f.Case.Data.Stage == "closed" {
		return &casefile.RefusedError{Rule: RuleClosed, Msg: "case " + f.ID + " is closed; reopen it first (cases reopen ID --reason TEXT)"}
	}
	if f.Intake == nil {
		return &casefile.RefusedError{Rule: RuleMember, Msg: "case " + f.ID + " has no intake.yaml naming its household"}
	}
	if f.Intake.Data.Member(req.Member) == nil {
		var ids []string
		for _, m := range f.Intake.Data.Household {
			ids = append(ids, m.ID)
		}
		return &casefile.RefusedError{Rule: RuleMember, Msg: fmt.Sprintf("%s is not a member of the household of case %s (members: %s)", req.Member, f.ID, strings.Join(ids, ", "))}
	}
	if req.Date < f.Intake.Data.Date {
		return &casefile.RefusedError{Rule: RuleDateOrder, Msg: "the assessment date " + req.Date + " is before the case's intake date; an assessment follows the intake"}
	}
	if req.Date > req.Today {
		return &casefile.RefusedError{Rule: RuleDateFuture, Msg: "the assessment date " + req.Date + " is in the future; record an assessment on or after the day it is done"}
	}
	rel := casefile.AssessmentPath(f.ID, req.Date, req.Member)
	if slices.Contains(f.Files, rel) {
		return &casefile.RefusedError{Rule: RuleExists, Msg: fmt.Sprintf("%s already has an assessment dated %s; change it with cases edit %s %s-%s", req.Member, req.Date, f.ID, req.Date, req.Member)}
	}
	return nil
}

// Age is the member's age in whole years on the assessment date (-1 when
// the date of birth is not known).
func Age(f *casefile.Folder, member, date string) int {
	if f.Intake == nil {
		return -1
	}
	m := f.Intake.Data.Member(member)
	if m == nil {
		return -1
	}
	d, err := casefile.ParseDate(date, time.UTC)
	if err != nil {
		return -1
	}
	return casefile.Age(m.DOB, d)
}

var orderAssessment = []string{"member", "instrument", "instrument-version", "date", "assessor", "interpreter", "answers", "strengths", "priorities", "client-view"}

// Build makes the assessment document from the repository's template: the
// member, the instrument and the version it is at now (old assessments
// keep the version they were made with), the date, the assessor, and the
// input, answers in the instrument's question order. Fields not given are
// left out.
func Build(r *casefile.Repo, req Request) (*yamlx.Doc, error) {
	rel := casefile.AssessmentPath(req.Folder.ID, req.Date, req.Member)
	doc, err := r.NewDoc(rel, casefile.KindAssessment)
	if err != nil {
		return nil, err
	}
	root := doc.Root()
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("template %s is not a mapping", casefile.KindAssessment.Template())
	}
	in := req.Input
	yamlx.Set(root, "member", yamlx.Str(req.Member), orderAssessment)
	yamlx.Set(root, "instrument", yamlx.Str(req.Instrument.ID), orderAssessment)
	yamlx.Set(root, "instrument-version", yamlx.Int(int64(req.Instrument.Version)), orderAssessment)
	yamlx.Set(root, "date", yamlx.Plain(req.Date), orderAssessment)
	yamlx.Set(root, "assessor", yamlx.Str(req.Assessor), orderAssessment)
	if in.Interpreter == nil {
		yamlx.Delete(root, "interpreter")
	} else {
		lang := (*yaml.Node)(nil)
		if in.Interpreter.Language != "" {
			lang = yamlx.Str(in.Interpreter.Language)
		}
		yamlx.Set(root, "interpreter", yamlx.Map("used", yamlx.Bool(in.Interpreter.Used), "language", lang), orderAssessment)
	}
	answers := yamlx.Map()
	for _, q := range req.Instrument.Questions {
		if v, ok := in.Answers[q.ID]; ok {
			answers.Content = append(answers.Content, yamlx.Str(q.ID), answerNode(v))
		}
	}
	yamlx.Set(root, "answers", answers, orderAssessment)
	if len(in.Strengths) > 0 {
		s := yamlx.Seq()
		for _, it := range in.Strengths {
			s.Content = append(s.Content, yamlx.Str(it))
		}
		yamlx.Set(root, "strengths", s, orderAssessment)
	}
	if len(in.Priorities) > 0 {
		yamlx.Set(root, "priorities", yamlx.StrSeq(in.Priorities), orderAssessment)
	}
	if in.ClientView != "" {
		yamlx.Set(root, "client-view", yamlx.Str(in.ClientView), orderAssessment)
	}
	yamlx.Prune(doc.Node)
	return doc, nil
}

// answerNode writes an answer; a list of option ids as a flow list.
func answerNode(v any) *yaml.Node {
	if list, ok := v.([]any); ok {
		s := yamlx.Seq()
		s.Style = yaml.FlowStyle
		for _, it := range list {
			s.Content = append(s.Content, yamlx.FromValue(it, nil))
		}
		return s
	}
	if f, ok := v.(float64); ok && f == float64(int64(f)) {
		return yamlx.Int(int64(f))
	}
	return yamlx.FromValue(v, nil)
}
