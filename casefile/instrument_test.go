package casefile

import (
	"io/fs"
	"testing"

	"github.com/casesproject/cases/templates"
)

func defaultInstrument(t *testing.T) *Instrument {
	t.Helper()
	data, _ := fs.ReadFile(templates.FS, "instruments/needs.yaml")
	d, problems := ParseDoc[Instrument]("instruments/needs.yaml", KindInstrument, data)
	if d == nil || len(problems) > 0 {
		t.Fatal(problems)
	}
	return &d.Data
}

func TestAnswersKeepTheirTypes(t *testing.T) {
	src := KindAssessment.SchemaLine() + "\nmember: m1\ninstrument: needs\ninstrument-version: 1\ndate: 2026-11-24\nassessor: ana\nanswers:\n  housing-status: 2\n  moved-in: 2026-01-02\n  safety-violence: false\n"
	d, problems := ParseDoc[Assessment]("a.yaml", KindAssessment, []byte(src))
	if d == nil || len(problems) > 0 {
		t.Fatal(problems)
	}
	if v, ok := d.Data.Answers["moved-in"].(string); !ok || v != "2026-01-02" {
		t.Errorf("date answer = %#v, want the text 2026-01-02", d.Data.Answers["moved-in"])
	}
	if v, ok := d.Data.Answers["housing-status"].(int64); !ok || v != 2 {
		t.Errorf("scale answer = %#v", d.Data.Answers["housing-status"])
	}
}

func TestCheckAnswers(t *testing.T) {
	in := defaultInstrument(t)
	full := Answers{}
	for _, q := range in.Questions {
		switch q.Type {
		case "scale":
			full[q.ID] = int64(3)
		case "yes-no":
			full[q.ID] = false
		case "single":
			full[q.ID] = q.Options[0].ID
		case "multiple":
			full[q.ID] = []any{q.Options[0].ID}
		}
	}
	if p := in.CheckAnswers(full, 40); len(p) != 0 {
		t.Fatalf("a full set of fitting answers: %v", p)
	}
	bad := Answers{}
	for k, v := range full {
		bad[k] = v
	}
	bad["housing-status"] = int64(9)
	bad["safety-violence"] = "yes"
	bad["housing-situation"] = "castle"
	bad["no-such-question"] = int64(1)
	delete(bad, "food-status")
	want := map[string]string{"housing-status": RuleAnswerFit, "safety-violence": RuleAnswerFit, "housing-situation": RuleAnswerFit, "no-such-question": RuleAnswerUnknown, "food-status": RuleAnswerRequired}
	got := map[string]string{}
	for _, p := range in.CheckAnswers(bad, 40) {
		got[p.Question] = p.Rule
	}
	for q, rule := range want {
		if got[q] != rule {
			t.Errorf("%s: got %q, want %q", q, got[q], rule)
		}
	}
	// Questions with a minimum age are not required of a child.
	child := Answers{}
	for k, v := range full {
		if q := in.Question(k); q.MinAge == nil {
			child[k] = v
		}
	}
	if p := in.CheckAnswers(child, 4); len(p) != 0 {
		t.Errorf("a four-year-old: %v", p)
	}
}

func TestRedFlags(t *testing.T) {
	in := defaultInstrument(t)
	if !in.Question("safety-violence").IsRedFlag(true, nil) || in.Question("safety-violence").IsRedFlag(false, nil) {
		t.Error("safety-violence")
	}
	if !in.Question("housing-situation").IsRedFlag("unsheltered", nil) {
		t.Error("unsheltered")
	}
	if !in.Question("housing-status").IsRedFlag(int64(1), []any{1}) {
		t.Error("an extra red flag from the risk model")
	}
}
