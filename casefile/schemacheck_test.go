package casefile

import (
	"encoding/json"
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"github.com/casesproject/cases/casefile/yamlx"
	"github.com/casesproject/cases/schema"
	"github.com/casesproject/cases/templates"
)

func TestSchemasCompile(t *testing.T) {
	if _, err := schemas(); err != nil {
		t.Fatal(err)
	}
}

// The schemas are self-contained so editors can use each alone; a shared
// definition must stay identical in every file that has it.
func TestSchemaDefsAgree(t *testing.T) {
	seen := map[string]any{}
	from := map[string]string{}
	for _, k := range Kinds {
		data, err := fs.ReadFile(schema.FS, k.SchemaFile())
		if err != nil {
			t.Fatal(err)
		}
		var s struct {
			ID   string         `json:"$id"`
			Defs map[string]any `json:"$defs"`
		}
		if err := json.Unmarshal(data, &s); err != nil {
			t.Fatalf("%s: %v", k.SchemaFile(), err)
		}
		if s.ID != k.SchemaURL() {
			t.Errorf("%s: $id %q, want %q", k.SchemaFile(), s.ID, k.SchemaURL())
		}
		for name, def := range s.Defs {
			if prev, ok := seen[name]; ok && !reflect.DeepEqual(prev, def) {
				t.Errorf("$defs/%s differs between %s and %s", name, from[name], k.SchemaFile())
			}
			seen[name], from[name] = def, k.SchemaFile()
		}
	}
}

// Templates are written the way the encoder writes, so the first rewrite of
// a new document changes nothing but what the command set.
func TestTemplatesAreCanonical(t *testing.T) {
	err := fs.WalkDir(templates.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		data, _ := fs.ReadFile(templates.FS, p)
		doc, problems := yamlx.Parse(p, data)
		if len(problems) > 0 {
			t.Errorf("%s: %v", p, problems)
			return nil
		}
		out, err := yamlx.Encode(doc.Node)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != string(data) {
			t.Errorf("%s is not in canonical form; the encoder writes:\n%s", p, out)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRepositoryTemplatesValidate(t *testing.T) {
	for name, k := range map[string]Kind{"cases.yaml": KindConfig, "providers.yaml": KindProviders, "instruments/needs.yaml": KindInstrument, "maturity.yaml": KindMaturity} {
		data, _ := fs.ReadFile(templates.FS, name)
		if _, problems := Check(name, k, data); len(problems) > 0 {
			t.Errorf("%s: %v", name, problems)
		}
	}
}

func TestSchemaProblems(t *testing.T) {
	line := KindCase.SchemaLine() + "\n"
	tests := []struct {
		name, src, rule, where, mustNot string
	}{
		{"typo", "id: 2026-11-K7Q3M\nprogram: general\nworker: ana\nopened: 2026-11-24\nstauts: intake\nstage: intake\nstage-history: [{to: intake, at: 2026-11-24T10:00:00Z, by: ana}]\n", RuleSchemaUnknown, "x.yaml:6:1", ""},
		{"enum", "id: 2026-11-K7Q3M\nprogram: general\nworker: ana\nopened: 2026-11-24\nstage: secretstage\nstage-history: [{to: intake, at: 2026-11-24T10:00:00Z, by: ana}]\n", RuleSchemaEnum, "x.yaml:6:8", "secretstage"},
		{"no zone", "id: 2026-11-K7Q3M\nprogram: general\nworker: ana\nopened: 2026-11-24\nstage: intake\nstage-history: [{to: intake, at: 2025-01-02T03:04:05, by: ana}]\n", RuleSchemaFormat, "x.yaml:7:34", "03:04:05"},
		{"bad date", "id: 2026-11-K7Q3M\nprogram: general\nworker: ana\nopened: 2026-02-30\nstage: intake\nstage-history: [{to: intake, at: 2026-11-24T10:00:00Z, by: ana}]\n", RuleSchemaFormat, "x.yaml:5:9", "02-30"},
		{"required", "id: 2026-11-K7Q3M\nprogram: general\nopened: 2026-11-24\nstage: intake\nstage-history: [{to: intake, at: 2026-11-24T10:00:00Z, by: ana}]\n", RuleSchemaRequired, "x.yaml:2:1", ""},
		{"type", "id: 2026-11-K7Q3M\nprogram: general\nworker: 12345\nopened: 2026-11-24\nstage: intake\nstage-history: [{to: intake, at: 2026-11-24T10:00:00Z, by: ana}]\n", RuleSchemaType, "x.yaml:4:9", "12345"},
		{"pattern", "id: 2026-11-lower\nprogram: general\nworker: ana\nopened: 2026-11-24\nstage: intake\nstage-history: [{to: intake, at: 2026-11-24T10:00:00Z, by: ana}]\n", RuleSchemaPattern, "x.yaml:2:5", "lower"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, problems := Check("x.yaml", KindCase, []byte(line+tt.src))
			for _, p := range problems {
				if p.Rule == tt.rule {
					if got := p.String(); !strings.HasPrefix(got, tt.where+":") {
						t.Errorf("got %s, want at %s", got, tt.where)
					}
					if tt.mustNot != "" && strings.Contains(p.Message, tt.mustNot) {
						t.Errorf("message quotes the value: %s", p.Message)
					}
					return
				}
			}
			t.Fatalf("no %s problem in %v", tt.rule, problems)
		})
	}
}

func TestDidYouMean(t *testing.T) {
	if got := didYouMean("stauts"); got != "; did you mean status?" {
		t.Errorf("didYouMean(stauts) = %q", got)
	}
}

func TestSchemaLine(t *testing.T) {
	if p := CheckSchemaLine("x", KindNote, []byte("at: 1\n")); len(p) != 1 {
		t.Errorf("missing line: %v", p)
	}
	if p := CheckSchemaLine("x", KindNote, []byte(KindCase.SchemaLine()+"\n")); len(p) != 1 {
		t.Errorf("wrong schema: %v", p)
	}
	if p := CheckSchemaLine("x", KindNote, []byte("# yaml-language-server: $schema=../../schema/note.schema.json\n")); len(p) != 0 {
		t.Errorf("local copy refused: %v", p)
	}
}

func TestLocate(t *testing.T) {
	for p, want := range map[string]Location{
		"cases.yaml":                            {Kind: KindConfig},
		"instruments/needs.yaml":                {Kind: KindInstrument, Name: [2]string{"needs"}},
		"cases/2026-11/2026-11-K7Q3M/case.yaml": {Kind: KindCase, CaseID: "2026-11-K7Q3M", InCase: true},
		"cases/2026-11/2026-11-K7Q3M/assessments/2026-11-30-m2.yaml":    {Kind: KindAssessment, CaseID: "2026-11-K7Q3M", InCase: true, Name: [2]string{"2026-11-30", "m2"}},
		"cases/2026-11/2026-11-K7Q3M/notes/20261124T101500Z-ABCDE.yaml": {Kind: KindNote, CaseID: "2026-11-K7Q3M", InCase: true, Name: [2]string{"20261124T101500Z"}},
		"cases/2026-11/2026-11-K7Q3M/notes/draft.txt":                   {CaseID: "2026-11-K7Q3M", InCase: true},
		"cases/2026-10/2026-11-K7Q3M/case.yaml":                         {},
		"cases/2026-11/2026-11-K7Q3M":                                   {},
	} {
		if got := Locate(p); got != want {
			t.Errorf("Locate(%s) = %+v, want %+v", p, got, want)
		}
	}
}
