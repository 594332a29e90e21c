package walker

import (
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/templates"
)

func instrument(t *testing.T) *casefile.Instrument {
	t.Helper()
	data, _ := fs.ReadFile(templates.FS, "instruments/needs.yaml")
	d, problems := casefile.ParseDoc[casefile.Instrument]("instruments/needs.yaml", casefile.KindInstrument, data)
	if d == nil || len(problems) > 0 {
		t.Fatal(problems)
	}
	return &d.Data
}

// script builds the typed lines of a walk: for each question asked at the
// age, the lines special gives it, else a plain answer.
func script(ins *casefile.Instrument, age int, before []string, special map[string][]string, after ...string) string {
	lines := append([]string{}, before...)
	for _, q := range ins.Questions {
		if !q.AppliesAt(age) {
			continue
		}
		if s, ok := special[q.ID]; ok {
			lines = append(lines, s...)
			continue
		}
		switch q.Type {
		case "scale":
			lines = append(lines, "3")
		case "yes-no":
			lines = append(lines, "n")
		case "single", "multiple":
			lines = append(lines, "1")
		default:
			lines = append(lines, "")
		}
	}
	return strings.Join(append(lines, after...), "\n") + "\n"
}

func TestWalkAChild(t *testing.T) {
	ins := instrument(t)
	in := script(ins, 11,
		[]string{"not a tag!", "ar"},
		map[string][]string{
			"housing-status":     {"9", "Vulnerable"},     // off the scale, then a label
			"housing-situation":  {"with-others"},         // an option id
			"safety-status":      {"", "4"},               // a required question cannot be skipped
			"safety-violence":    {"b", "", "maybe", "n"}, // back, keep the answer shown, a bad yes-no
			"food-skipped-meals": {""},                    // optional: skipped
			"support-sources":    {"family, 2, family"},   // id and number, repeats dropped
			"language-status":    {"2"},
		},
		"Speaks Arabic and French", "Loves drawing", "",
		"education, 1",
		"Wants to go back to school.",
		"b", "", // back from the confirmation to the client's view, and keep it
		"y")
	var out strings.Builder
	res, err := Walk(strings.NewReader(in), &out, Options{Instrument: ins, Member: "m3", Relationship: "child", Age: 11, Date: "2026-11-24"})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	want := casefile.Answers{
		"housing-status": int64(2), "housing-situation": "with-others",
		"safety-status": int64(4), "safety-violence": false, "safety-child": false,
		"physical-health-status": int64(3), "health-coverage": false, "health-emergency": false,
		"mental-health-status": int64(3), "mental-health-suicidal": false,
		"education-status":      int64(3),
		"food-status":           int64(3),
		"support-system-status": int64(3), "support-sources": []any{"family", "friends"},
		"language-status": int64(2), "language-interpreter": false,
	}
	if !reflect.DeepEqual(res.Answers, want) {
		t.Errorf("answers\n got %v\nwant %v", res.Answers, want)
	}
	if p := ins.CheckAnswers(res.Answers, 11); len(p) != 0 {
		t.Errorf("the walk's answers do not pass the instrument: %v", p)
	}
	if !reflect.DeepEqual(res.Strengths, []string{"Speaks Arabic and French", "Loves drawing"}) ||
		!reflect.DeepEqual(res.Priorities, []string{"education", "housing"}) ||
		res.ClientView != "Wants to go back to school." ||
		res.Interpreter == nil || !res.Interpreter.Used || res.Interpreter.Language != "ar" {
		t.Errorf("strengths %q priorities %q view %q interpreter %+v", res.Strengths, res.Priorities, res.ClientView, res.Interpreter)
	}
	shown := out.String()
	asked := 0
	for _, q := range ins.Questions {
		if q.AppliesAt(11) {
			asked++
		}
	}
	for _, s := range []string{
		fmt.Sprintf("Assessment of m3, child, age 11 on 2026-11-24 with Household needs assessment (needs version 1): %d questions.", asked),
		fmt.Sprintf("[1/%d] Housing · housing-status (required)\nHow secure is the member's housing today?\n  1  In crisis   ", asked),
		"  5  Thriving    Safe, adequate housing the household can afford on its own.",
		"Not an answer to this question: answer is not a point on the question's scale.",
		"This question is required: answer it, or b to go back.",
		"Now: 4 Building",
		"Type y or n.",
		"Type a language tag such as ar, n for none, or Enter.",
		"(Ask directly and calmly.",
		"  y  yes\n  n  no\n",
		"  6  No one (no-one)",
		"Now: Wants to go back to school.",
		fmt.Sprintf("%d answered, %d skipped; interpreter: ar; 2 strengths, 2 priorities.", asked-1, 1),
	} {
		if !strings.Contains(shown, s) {
			t.Errorf("the walk did not show %q", s)
		}
	}
	// Questions for older members are not asked of a child.
	if strings.Contains(shown, "employment-status") || strings.Contains(shown, "substance-use-status") {
		t.Error("asked a child a question for adults")
	}
}

func TestWalkQuits(t *testing.T) {
	ins := instrument(t)
	for name, in := range map[string]string{
		"quit":            "\n3\nq\n",
		"end of input":    "\n3\n",
		"quit at the end": script(ins, 30, []string{""}, nil, "", "", "", "q"),
	} {
		var out strings.Builder
		_, err := Walk(strings.NewReader(in), &out, Options{Instrument: ins, Member: "m1", Age: 30, Date: "2026-11-24"})
		if !errors.Is(err, ErrQuit) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// Starting from answers already given, Enter keeps each one.
func TestWalkStartsFromAnswers(t *testing.T) {
	ins := instrument(t)
	first, err := Walk(strings.NewReader(script(ins, -1, []string{"n"}, nil, "", "", "", "y")), &strings.Builder{}, Options{Instrument: ins, Member: "m1", Age: -1, Date: "2026-11-24"})
	if err != nil {
		t.Fatal(err)
	}
	var keep []string
	for range ins.Questions {
		keep = append(keep, "")
	}
	in := strings.Join(append(append([]string{""}, keep...), "", "", "", "y"), "\n") + "\n"
	again, err := Walk(strings.NewReader(in), &strings.Builder{}, Options{Instrument: ins, Member: "m1", Age: -1, Date: "2026-11-24", Start: first})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, again) {
		t.Errorf("keeping every answer changed them:\n%+v\n%+v", first, again)
	}
}
