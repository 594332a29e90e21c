package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/rogpeppe/go-internal/txtar"
)

// validateCmds are the script commands the validate stories use.
var validateCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"fixture": cmdFixture,
	"replace": cmdReplace,
	"mkbad":   cmdMkbad,
	"example": cmdExample,
}

// example NAME DEST copies examples/ci/NAME to DEST (executable), so the
// scripts run the very files the README tells people to install.
func cmdExample(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: example NAME DEST")
	}
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "ci", args[0]))
	ts.Check(err)
	dest := ts.MkAbs(args[1])
	ts.Check(os.MkdirAll(filepath.Dir(dest), 0o755))
	ts.Check(os.WriteFile(dest, data, 0o755))
}

// validFixture is the repository that must validate without a problem,
// shared with casefile/check's tests and benchmarks.
const validFixture = "../../casefile/check/testdata/valid.txtar"

// fixture DIR writes the valid case repository into DIR and commits it
// with git (as the script's git identity), so that scripts start from a
// clean, committed repository and break one thing.
func cmdFixture(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: fixture DIR")
	}
	a, err := txtar.ParseFile(validFixture)
	ts.Check(err)
	dir := ts.MkAbs(args[0])
	for _, f := range a.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		ts.Check(os.MkdirAll(filepath.Dir(p), 0o755))
		ts.Check(os.WriteFile(p, f.Data, 0o644))
	}
	for _, c := range [][]string{{"init", "-q"}, {"add", "-A"}, {"commit", "-q", "-m", "import"}} {
		ts.Check(ts.Exec("git", append([]string{"-C", dir}, c...)...))
	}
}

// replace FILE OLD NEW replaces the one occurrence of OLD in FILE with
// NEW; \n in either stands for a newline. It fails unless OLD occurs
// exactly once, so a script cannot silently stop breaking what it meant to.
func cmdReplace(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: replace FILE OLD NEW")
	}
	file := ts.MkAbs(args[0])
	data, err := os.ReadFile(file)
	ts.Check(err)
	unescape := strings.NewReplacer(`\n`, "\n", `\t`, "\t").Replace
	old, repl := unescape(args[1]), unescape(args[2])
	if n := bytes.Count(data, []byte(old)); n != 1 {
		ts.Fatalf("replace: %q occurs %d times in %s, want once", old, n, args[0])
	}
	ts.Check(os.WriteFile(file, bytes.Replace(data, []byte(old), []byte(repl), 1), 0o644))
}

// mkbad KIND FILE writes a hostile document: bomb (a YAML alias bomb),
// binary (bytes of a PNG), latin1 (text in ISO 8859-1, invalid UTF-8),
// empty, or huge:MB (that many megabytes of valid-looking YAML, made here
// rather than committed).
func cmdMkbad(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: mkbad bomb|binary|latin1|empty|huge:MB FILE")
	}
	var data []byte
	kind, arg, _ := strings.Cut(args[0], ":")
	switch kind {
	case "bomb":
		var b strings.Builder
		b.WriteString("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
		for i := 'b'; i <= 'i'; i++ {
			prev := string(i - 1)
			b.WriteString(string(i) + ": &" + string(i) + " [*" + strings.Repeat(prev+",*", 8) + prev + "]\n")
		}
		data = []byte(b.String())
	case "binary":
		data = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
	case "latin1":
		data = []byte("# yaml-language-server: $schema=note.schema.json\nat: 2026-11-20T10:00:00Z\ntext: Caf\xe9 with the client\n")
	case "empty":
	case "huge":
		mb, err := strconv.Atoi(arg)
		ts.Check(err)
		line := []byte("- filler text to make a very large document\n")
		data = make([]byte, 0, mb<<20)
		data = append(data, "notes:\n"...)
		for len(data)+len(line) <= mb<<20 {
			data = append(data, line...)
		}
	default:
		ts.Fatalf("mkbad: unknown kind %q", kind)
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), data, 0o644))
}
