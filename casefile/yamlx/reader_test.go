package yamlx

import (
	"bytes"
	"strings"
	"testing"

	"github.com/casesproject/cases/casefile/diag"
)

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name, src      string
		rule           string
		line, col      int
		mustNotMention string // a value that must not appear in the message
	}{
		{"octal zip", "zip: 012345\n", RuleNumber, 1, 6, "012345"},
		{"phone with leading zero", "name: x\nphone: 0123\n", RuleNumber, 2, 8, "0123"},
		{"phone with plus", "phone: +15551234567\n", RuleNumber, 1, 8, "5551234567"},
		{"hex", "n: 0x1F\n", RuleNumber, 1, 4, "0x1F"},
		{"octal 0o", "n: 0o17\n", RuleNumber, 1, 4, "0o17"},
		{"underscores", "n: 1_000\n", RuleNumber, 1, 4, "1_000"},
		{"nan", "n: .nan\n", RuleNumber, 1, 4, ".nan"},
		{"infinity", "n: -.inf\n", RuleNumber, 1, 4, ".inf"},
		{"too large", "n: 99999999999999999999\n", RuleNumber, 1, 4, "9999"},
		{"alias", "a: &x secret\nb: *x\n", RuleAlias, 1, 4, "secret"},
		{"merge key", "base: {a: 1}\nother:\n  <<: {a: 2}\n", RuleMergeKey, 3, 3, ""},
		{"custom tag", "a: !custom secret\n", RuleTag, 1, 4, "secret"},
		{"str tag", "a: !!str 012\n", RuleTag, 1, 4, "012"},
		{"second document", "a: 1\n---\nb: secret\n", RuleMultiDoc, 2, 1, "secret"},
		{"int key", "1: a\n", RuleKey, 1, 1, ""},
		{"bool key", "true: a\n", RuleKey, 1, 1, ""},
		{"null key", "~: a\n", RuleKey, 1, 1, ""},
		{"complex key", "? [a, b]\n: c\n", RuleKey, 1, 3, ""},
		{"duplicate key", "stage: intake\nworker: a\nstage: closed\n", RuleDuplicate, 3, 1, "closed"},
		{"empty", "", RuleEmpty, 1, 1, ""},
		{"only comments", "# nothing here\n", RuleEmpty, 1, 1, ""},
		{"invalid utf-8", "name: ok\nb: \xff\xfe\n", RuleEncoding, 2, 4, ""},
		{"binary", "\x00\x01\x02ELF", RuleEncoding, 1, 1, ""},
		{"syntax", "a: [1, 2\nb: 3\n", RuleSyntax, 1, 1, ""},
		{"syntax without line", "a: b: secret\n", RuleSyntax, 1, 1, "secret"},
		{"tab indent", "a:\n\tb: 1\n", RuleSyntax, 2, 2, ""},
		{"unknown anchor", "a: *secret\n", RuleSyntax, 1, 1, "secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, problems := Parse("x.yaml", []byte(tt.src))
			var got *diag.Problem
			for i := range problems {
				if problems[i].Rule == tt.rule {
					got = &problems[i]
					break
				}
			}
			if got == nil {
				t.Fatalf("no %s problem; got %v", tt.rule, problems)
			}
			if got.Line != tt.line || got.Col != tt.col {
				t.Errorf("position %d:%d, want %d:%d (%v)", got.Line, got.Col, tt.line, tt.col, got)
			}
			if got.Path != "x.yaml" {
				t.Errorf("path %q", got.Path)
			}
			if tt.mustNotMention != "" && strings.Contains(got.Message, tt.mustNotMention) {
				t.Errorf("message quotes the value: %q", got.Message)
			}
		})
	}
}

func TestParseAccepts(t *testing.T) {
	src := "# yaml-language-server: $schema=x\nid: 2026-11-K7Q3M\nzip: \"012345\"\nphone: '+1 555 0100'\ncount: 0\nminus: -12\nratio: 0.5\ndate: 2026-11-24\nat: 2026-11-24T10:00:00-06:00\nok: true\nnone: ~\nlist: [a, b]\nyes: no\ntext: |\n  two\n  lines\n"
	doc, problems := Parse("x.yaml", []byte(src))
	if len(problems) != 0 {
		t.Fatal(problems)
	}
	v := Value(doc.Node).(map[string]any)
	want := map[string]any{
		"id": "2026-11-K7Q3M", "zip": "012345", "phone": "+1 555 0100", "count": int64(0), "minus": int64(-12),
		"ratio": 0.5, "date": "2026-11-24", "at": "2026-11-24T10:00:00-06:00", "ok": true, "none": nil,
		"yes": "no", "text": "two\nlines\n",
	}
	for k, w := range want {
		if v[k] != w {
			t.Errorf("%s = %#v, want %#v", k, v[k], w)
		}
	}
	if l := v["list"].([]any); len(l) != 2 || l[0] != "a" {
		t.Errorf("list = %#v", l)
	}
}

func TestParseLimits(t *testing.T) {
	big := bytes.Repeat([]byte("a: b\n"), MaxSize/5+1)
	if _, p := Parse("big.yaml", big); len(p) != 1 || p[0].Rule != RuleSize {
		t.Errorf("oversize: %v", p)
	}
	deep := strings.Repeat("[", MaxDepth+2) + strings.Repeat("]", MaxDepth+2)
	if _, p := Parse("deep.yaml", []byte("a: "+deep+"\n")); len(p) == 0 || p[0].Rule != RuleDepth {
		t.Errorf("deep: %v", p)
	}
	// A billion-laughs document is refused at its first anchor without
	// expanding anything.
	bomb := "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
	if _, p := Parse("bomb.yaml", []byte(bomb)); len(p) == 0 || p[0].Rule != RuleAlias {
		t.Errorf("bomb: %v", p)
	}
}

func TestFind(t *testing.T) {
	doc, p := Parse("x.yaml", []byte("a:\n  b:\n    - x\n    - y: 1\n"))
	if p != nil {
		t.Fatal(p)
	}
	k, v, ok := Find(doc.Node, []string{"a", "b", "1", "y"})
	if !ok || k.Line != 4 || v.Value != "1" {
		t.Fatalf("Find = %v %v %v", k, v, ok)
	}
	if _, v, ok := Find(doc.Node, []string{"a", "missing"}); ok || v.Line != 2 {
		t.Fatalf("Find missing = %v %v", v, ok)
	}
}

// A document a person wrote keeps its comments and key order through an edit.
func TestEditKeepsComments(t *testing.T) {
	src := "# yaml-language-server: $schema=x\n# header\n\nid: a # keep me\n# about the worker\nworker: ana\nstage: intake\n"
	doc, p := Parse("x.yaml", []byte(src))
	if p != nil {
		t.Fatal(p)
	}
	root := doc.Root()
	Set(root, "worker", Str("ben"), nil)
	Set(root, "program", Str("shelter"), []string{"id", "program", "worker", "stage"})
	Set(root, "phone", Str("0123"), nil)
	out, err := Encode(doc.Node)
	if err != nil {
		t.Fatal(err)
	}
	want := "# yaml-language-server: $schema=x\n# header\n\nid: a # keep me\nprogram: shelter\n# about the worker\nworker: ben\nstage: intake\nphone: \"0123\"\n"
	if string(out) != want {
		t.Fatalf("got:\n%s\nwant:\n%s", out, want)
	}
	if _, p := Parse("x.yaml", out); p != nil {
		t.Fatalf("re-read: %v", p)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"a: 1\n", "a: &x [1]\nb: *x\n", "- a\n- b: c\n", "a: |\n  x\n", "---\na: 1\n---\nb: 2\n",
		"a: {b: [c, {d: e}]}\n", "a: 012\n", "? a\n: b\n", "a: !!binary aGk=\n", "\ufeffa: 1\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, problems := Parse("f.yaml", data)
		for _, p := range problems {
			if p.Line < 1 || p.Col < 1 || p.Rule == "" || p.Message == "" {
				t.Fatalf("bad problem %+v", p)
			}
		}
		if len(problems) == 0 {
			if doc == nil {
				t.Fatal("no document and no problem")
			}
			_ = Value(doc.Node)
			out, err := Encode(doc.Node)
			if err != nil {
				return
			}
			// What we accept and write back reads back the same.
			doc2, p2 := Parse("f.yaml", out)
			if len(p2) == 0 && doc2 != nil && !equalValues(Value(doc.Node), Value(doc2.Node)) {
				t.Fatalf("round trip changed the value:\n%q\n%q", data, out)
			}
		}
	})
}

func equalValues(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k := range x {
			if !equalValues(x[k], y[k]) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equalValues(x[i], y[i]) {
				return false
			}
		}
		return true
	case float64:
		y, ok := b.(float64)
		return ok && (x == y || x != x && y != y)
	}
	return a == b
}
