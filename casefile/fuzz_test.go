package casefile

import (
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/casesproject/cases/templates"
	"github.com/rogpeppe/go-internal/txtar"
)

// FuzzCheck feeds arbitrary bytes to the whole document loader (strict
// reader, schema line, schema, typed view) as every kind of document. It
// must never panic; every problem must be one well-formed line: a rule, a
// position, a message without line breaks (a message is printed as one
// line and as a GitHub annotation); and a document that fits its schema
// must decode the same from its plain value as from its node tree. Run by
// make fuzz.
func FuzzCheck(f *testing.F) {
	for i, k := range Kinds {
		name := k.Template()
		if k == KindInstrument {
			name = "instruments/needs.yaml"
		}
		data, err := fs.ReadFile(templates.FS, name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(i), stripComments(data))
	}
	if a, err := txtar.ParseFile("check/testdata/valid.txtar"); err == nil {
		for _, file := range a.Files {
			if i := slices.Index(Kinds, Locate(file.Name).Kind); i >= 0 {
				f.Add(uint8(i), file.Data)
			}
		}
	}
	f.Add(uint8(4), []byte("# yaml-language-server: $schema=case.schema.json\nid: 2026-11-K7Q3M\nstage: [x\n"))
	f.Add(uint8(6), []byte("# yaml-language-server: $schema=assessment.schema.json\nanswers: {q: {a: [1, true, null]}}\n"))
	f.Add(uint8(8), []byte("# yaml-language-server: $schema=note.schema.json\nat: 2026-11-24T10:00:00\n\"a\\nb::c\": 1\n"))
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		k := Kinds[int(kind)%len(Kinds)]
		path := "cases/2026-11/2026-11-K7Q3M/" + string(k) + ".yaml"
		_, problems := Check(path, k, data)
		for _, p := range problems {
			if p.Path != path || p.Line < 1 || p.Col < 1 || p.Rule == "" || p.Message == "" || strings.ContainsAny(p.Message+p.Rule, "\r\n") {
				t.Fatalf("bad problem %+v", p)
			}
		}
		// A document that fits its schema decodes the same from its value
		// as from its node tree.
		decodeAnyKind(t, path, data, k)
		switch k {
		case KindConfig:
			ParseDoc[Config](path, k, data)
		case KindProviders:
			ParseDoc[Providers](path, k, data)
		case KindInstrument:
			if d, _ := ParseDoc[Instrument](path, k, data); d != nil {
				for i := range d.Data.Questions {
					q := &d.Data.Questions[i]
					d.Data.CheckAnswers(Answers{q.ID: q.RedFlagAnswers}, 30)
				}
			}
		case KindMaturity:
			ParseDoc[Attestations](path, k, data)
		case KindCase:
			ParseDoc[Case](path, k, data)
		case KindIntake:
			ParseDoc[Intake](path, k, data)
		case KindAssessment:
			ParseDoc[Assessment](path, k, data)
		case KindPlan:
			ParseDoc[Plan](path, k, data)
		case KindNote:
			ParseDoc[Note](path, k, data)
		case KindClosure:
			ParseDoc[Closure](path, k, data)
		}
	})
}

// stripComments keeps a seed small, so that minimizing what the fuzzer
// finds stays quick: the schema line stays, other comments go.
func stripComments(data []byte) []byte {
	var out []string
	for i, l := range strings.Split(string(data), "\n") {
		if t := strings.TrimSpace(l); i > 0 && (t == "" || strings.HasPrefix(t, "#")) {
			continue
		}
		out = append(out, l)
	}
	return []byte(strings.Join(out, "\n"))
}
