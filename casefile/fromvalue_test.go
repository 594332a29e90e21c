package casefile

import (
	"reflect"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// decodeBothWays fills a typed view from the plain value and from the node
// tree, and fails unless they agree (for a document that fits its schema).
func decodeBothWays[T any](t *testing.T, name string, data []byte, k Kind) {
	t.Helper()
	doc, value, problems := check(name, k, data)
	if doc == nil || len(problems) > 0 {
		return
	}
	var fast T
	if err := fromValue(reflect.ValueOf(&fast).Elem(), value); err != nil {
		t.Errorf("%s: fromValue: %v", name, err)
		return
	}
	slow, err := decode[T](doc.Root())
	if err != nil {
		t.Errorf("%s: decode: %v", name, err)
		return
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Errorf("%s: fromValue and the yaml decoder disagree:\n%#v\n%#v", name, fast, slow)
	}
}

func decodeAnyKind(t *testing.T, name string, data []byte, k Kind) {
	switch k {
	case KindConfig:
		decodeBothWays[Config](t, name, data, k)
	case KindProviders:
		decodeBothWays[Providers](t, name, data, k)
	case KindInstrument:
		decodeBothWays[Instrument](t, name, data, k)
	case KindMaturity:
		decodeBothWays[Attestations](t, name, data, k)
	case KindCase:
		decodeBothWays[Case](t, name, data, k)
	case KindIntake:
		decodeBothWays[Intake](t, name, data, k)
	case KindAssessment:
		decodeBothWays[Assessment](t, name, data, k)
	case KindPlan:
		decodeBothWays[Plan](t, name, data, k)
	case KindNote:
		decodeBothWays[Note](t, name, data, k)
	case KindClosure:
		decodeBothWays[Closure](t, name, data, k)
	}
}

// Every document of the valid fixture decodes the same both ways.
func TestFromValueAgreesWithTheDecoder(t *testing.T) {
	a, err := txtar.ParseFile("check/testdata/valid.txtar")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range a.Files {
		if k := Locate(f.Name).Kind; k != "" {
			decodeAnyKind(t, f.Name, f.Data, k)
			n++
		}
	}
	if n < 25 {
		t.Fatalf("only %d documents compared", n)
	}
	// Values the fixture does not hold: nulls, floats into ints, empty lists.
	decodeAnyKind(t, "n.yaml", []byte("# yaml-language-server: $schema=note.schema.json\nat: 2026-11-24T10:00:00Z\nauthor: ana\ntype: phone\nminutes: 30.0\ngoals: []\ninterpreter: {used: false}\ntext: x\n"), KindNote)
	var v struct{ X int }
	if err := fromValue(reflect.ValueOf(&v).Elem(), map[string]any{"x": 1.5}); err == nil {
		t.Error("1.5 went into an int")
	}
}
