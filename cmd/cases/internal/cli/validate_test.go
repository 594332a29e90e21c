package cli

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// brokenRepo writes the valid fixture, commits it, then breaks it in ways
// that exercise the formats: problems in several files, a crafted value
// holding a newline and "::", a stray file whose name holds a comma, a
// colon and a percent sign.
func brokenRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	a, err := txtar.ParseFile("../../../../casefile/check/testdata/valid.txtar")
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, data string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range a.Files {
		write(f.Name, string(f.Data))
	}
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"commit", "-q", "-m", "import"}} {
		cmd := exec.Command("git", append([]string{"-c", "user.name=T", "-c", "user.email=t@example.org"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write("cases/2026-10/2026-10-D4E5F/notes/20261120T150000Z-H2J3K.yaml", `# yaml-language-server: $schema=note.schema.json
at: 2026-11-20T15:00:00Z
author: "mariam\n::error file=x::pwned"
type: phone
text: Safe text.
`)
	write("cases/2026-09/2026-09-A2B3C/a,b:c%d.txt", "stray\n")
	write("cases/2026-11/2026-11-K7Q3M/case.yaml", "stage: [unclosed\n")
	t.Setenv("CASES_NOW", "2026-11-24T10:00:00Z")
	return dir
}

func runValidate(t *testing.T, dir, format string) (stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run([]string{"validate", "--repo", dir, "--format", format}, NewStreams(&bytes.Buffer{}, &out, &errOut))
	if code != exitInvalid {
		t.Fatalf("validate --format %s: exit %d, want 1\n%s", format, code, errOut.String())
	}
	return out.String(), errOut.String()
}

type problemOut struct {
	Path    string `json:"path"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

func problemsJSON(t *testing.T, dir string) ([]problemOut, summaryJSON) {
	t.Helper()
	out, _ := runValidate(t, dir, "json")
	var v struct {
		Problems []problemOut `json:"problems"`
		Summary  summaryJSON  `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("json output does not parse: %v\n%s", err, out)
	}
	return v.Problems, v.Summary
}

// The JUnit report parses as XML and says what the other formats say: one
// test case per file, a failure for each file with problems, its text the
// problem lines.
func TestValidateJUnitParses(t *testing.T) {
	dir := brokenRepo(t)
	problems, sum := problemsJSON(t, dir)
	out, _ := runValidate(t, dir, "junit")
	var report struct {
		XMLName xml.Name `xml:"testsuites"`
		Suites  []struct {
			Name     string `xml:"name,attr"`
			Tests    int    `xml:"tests,attr"`
			Failures int    `xml:"failures,attr"`
			Cases    []struct {
				Name      string `xml:"name,attr"`
				Classname string `xml:"classname,attr"`
				Failure   *struct {
					Message string `xml:"message,attr"`
					Type    string `xml:"type,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("junit output does not parse: %v\n%s", err, out)
	}
	tests, failures := 0, 0
	lines := map[string][]string{}
	for _, p := range problems {
		lines[p.Path] = append(lines[p.Path], p.Path+":"+strconv.Itoa(p.Line)+":"+strconv.Itoa(p.Column)+": "+p.Rule+": "+p.Message)
	}
	for _, s := range report.Suites {
		n, f := 0, 0
		for _, c := range s.Cases {
			n++
			if c.Failure == nil {
				if len(lines[c.Name]) > 0 {
					t.Errorf("%s: no failure, but %d problems", c.Name, len(lines[c.Name]))
				}
				continue
			}
			f++
			if got, want := c.Failure.Text, strings.Join(lines[c.Name], "\n"); got != want {
				t.Errorf("%s: failure text\n%s\nwant\n%s", c.Name, got, want)
			}
			if !strings.HasPrefix(c.Failure.Message, c.Failure.Type+": ") {
				t.Errorf("%s: failure message %q does not start with its type %q", c.Name, c.Failure.Message, c.Failure.Type)
			}
		}
		if n != s.Tests || f != s.Failures {
			t.Errorf("suite %s says tests=%d failures=%d, holds %d and %d", s.Name, s.Tests, s.Failures, n, f)
		}
		tests += n
		failures += f
	}
	if tests != sum.Files || failures != sum.Failed || failures == 0 {
		t.Errorf("junit: %d tests, %d failures; json summary: %+v", tests, failures, sum)
	}
}

// Every line of --format github is a workflow command GitHub parses as
// one annotation: properties escaped (no raw comma, colon, newline or
// percent), the message escaped (no raw newline or percent), and
// unescaping gives back the problem exactly.
func TestValidateGitHubAnnotations(t *testing.T) {
	dir := brokenRepo(t)
	problems, _ := problemsJSON(t, dir)
	out, log := runValidate(t, dir, "github")
	cmdRE := regexp.MustCompile(`^::(error|warning|notice) file=([^,:\r\n]*),line=([0-9]+),col=([0-9]+),title=([^,:\r\n]*)::([^\r\n]*)$`)
	unescape := strings.NewReplacer("%25", "%", "%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",").Replace
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(problems) {
		t.Fatalf("%d annotations for %d problems:\n%s", len(lines), len(problems), out)
	}
	for i, l := range lines {
		m := cmdRE.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("not a well-formed workflow command: %q", l)
			continue
		}
		for _, v := range []string{m[2], m[5], m[6]} {
			if regexp.MustCompile(`%(?:[^2013]|2[^5C]|0[^DA]|3[^A])`).MatchString(v + "  ") {
				t.Errorf("raw %% in %q", v)
			}
		}
		p := problems[i]
		if unescape(m[2]) != p.Path || m[3] != strconv.Itoa(p.Line) || m[4] != strconv.Itoa(p.Column) || unescape(m[5]) != "cases "+p.Rule || unescape(m[6]) != p.Message {
			t.Errorf("annotation %q does not give back %+v", l, p)
		}
		if strings.Contains(l, "pwned") {
			t.Errorf("a document's value reached an annotation: %q", l)
		}
	}
	if !strings.Contains(out, "file=cases/2026-09/2026-09-A2B3C/a%2Cb%3Ac%25d.txt,") {
		t.Errorf("the stray file's name is not escaped as a property:\n%s", out)
	}
	if strings.Count(log, "\n") != len(problems)+1 {
		t.Errorf("the log should hold every problem line and the summary:\n%s", log)
	}
}

func TestWorkflowCommandEscaping(t *testing.T) {
	for _, tt := range []struct{ in, data, prop string }{
		{"plain text", "plain text", "plain text"},
		{"100% sure", "100%25 sure", "100%25 sure"},
		{"a\r\n::error::x", "a%0D%0A::error::x", "a%0D%0A%3A%3Aerror%3A%3Ax"},
		{"k=v,w:x", "k=v,w:x", "k=v%2Cw%3Ax"},
		{"%0A", "%250A", "%250A"},
	} {
		if got := escapeData(tt.in); got != tt.data {
			t.Errorf("escapeData(%q) = %q, want %q", tt.in, got, tt.data)
		}
		if got := escapeProperty(tt.in); got != tt.prop {
			t.Errorf("escapeProperty(%q) = %q, want %q", tt.in, got, tt.prop)
		}
	}
}
