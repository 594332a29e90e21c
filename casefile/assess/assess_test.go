package assess

import (
	"errors"
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/diag"
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

func TestParseInput(t *testing.T) {
	for _, tt := range []struct {
		src  string
		want *casefile.Interpreter
	}{
		{"interpreter: ar\n", &casefile.Interpreter{Used: true, Language: "ar"}},
		{"interpreter: false\n", &casefile.Interpreter{Used: false}},
		{"interpreter: {used: true, language: fa-AF}\n", &casefile.Interpreter{Used: true, Language: "fa-AF"}},
		{"food-status: 3\n", nil},
	} {
		in, err := ParseInput("a.yaml", []byte(tt.src))
		if err != nil {
			t.Fatalf("%q: %v", tt.src, err)
		}
		if !reflect.DeepEqual(in.Interpreter, tt.want) {
			t.Errorf("%q: interpreter %+v, want %+v", tt.src, in.Interpreter, tt.want)
		}
	}
	in, err := ParseInput("a.yaml", []byte("food-status: 3\nincome-benefits: [none]\nstrengths: [Patient, Kind]\npriorities: [food]\nclient-view: Needs work.\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in.Answers, casefile.Answers{"food-status": int64(3), "income-benefits": []any{"none"}}) ||
		!reflect.DeepEqual(in.Strengths, []string{"Patient", "Kind"}) || in.ClientView != "Needs work." {
		t.Errorf("%+v", in)
	}
	for _, bad := range []string{"- a list\n", "strengths: text\n", "interpreter: {used: maybe}\n", "interpreter: {language: ar}\n", "Food_Status: 3\n", "client-view: [a]\n"} {
		_, err := ParseInput("a.yaml", []byte(bad))
		var inv *diag.InvalidError
		if !errors.As(err, &inv) {
			t.Errorf("%q: err = %v, want problems", bad, err)
			continue
		}
		for _, p := range inv.Problems {
			if strings.Contains(p.Message, "maybe") || strings.Contains(p.Message, "Food_Status") {
				t.Errorf("%q: a problem repeats the input: %s", bad, p)
			}
		}
	}
}

func assessment(member, date string, answers casefile.Answers) *casefile.Doc[casefile.Assessment] {
	return &casefile.Doc[casefile.Assessment]{Data: casefile.Assessment{Member: member, Instrument: "needs", InstrumentVersion: 1, Date: date, Answers: answers}}
}

func TestCompare(t *testing.T) {
	ins := instrument(t)
	f := &casefile.Folder{ID: "2026-11-K7Q3M",
		Intake: &casefile.Doc[casefile.Intake]{Data: casefile.Intake{Household: []casefile.Member{{ID: "m1"}, {ID: "m2"}, {ID: "m3"}}}},
		Assessments: []*casefile.Doc[casefile.Assessment]{
			assessment("m1", "2026-11-20", casefile.Answers{"housing-status": int64(3), "food-status": int64(3)}),
			assessment("m1", "2026-11-02", casefile.Answers{"housing-status": int64(1), "food-status": int64(2)}),
			assessment("m1", "2026-11-10", casefile.Answers{"housing-status": int64(2)}),
			assessment("m2", "2026-11-02", casefile.Answers{"housing-status": int64(4)}),
			assessment("m2", "2026-11-12", casefile.Answers{"food-status": int64(4)}),
		}}
	got := Compare(f, ins, "")
	if len(got) != 2 || got[0].Member != "m1" || got[1].Member != "m2" {
		t.Fatalf("members %+v", got)
	}
	m1 := got[0]
	if m1.Baseline != "2026-11-02" || m1.Previous != "2026-11-10" || m1.Latest != "2026-11-20" {
		t.Errorf("m1 dates %+v", m1)
	}
	rows := map[string]Row{}
	for _, r := range m1.Rows {
		rows[r.Question] = r
	}
	h := rows["housing-status"]
	if h.Baseline.Value != 1 || h.Previous.Value != 2 || h.Latest.Value != 3 || *h.Change != 2 || h.Latest.Label != "Stable" {
		t.Errorf("housing %+v", h)
	}
	if fo := rows["food-status"]; fo.Previous != nil || *fo.Change != 1 {
		t.Errorf("food %+v", fo)
	}
	if _, ok := rows["safety-status"]; ok {
		t.Error("a question never answered has a row")
	}
	// Two assessments: no previous; an answer missing at one end, no change.
	m2 := got[1]
	if m2.Previous != "" || m2.Latest != "2026-11-12" {
		t.Errorf("m2 dates %+v", m2)
	}
	for _, r := range m2.Rows {
		if r.Change != nil {
			t.Errorf("m2 %s has a change without both ends", r.Question)
		}
	}
	if only := Compare(f, ins, "m2"); len(only) != 1 || only[0].Member != "m2" {
		t.Errorf("--member m2: %+v", only)
	}
}
