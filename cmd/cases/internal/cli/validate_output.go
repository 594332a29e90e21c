package cli

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/check"
	"github.com/casesproject/cases/casefile/diag"
)

// problemWriter prints validate's results in one format as they stream in
// (files arrive in path order), then closes the output.
type problemWriter interface {
	file(check.File) error
	finish(check.Summary) error
}

// newProblemWriter makes the writer of a format. On a terminal the text
// lines are flushed file by file, after clear has erased the progress
// line, so the two never mix.
func newProblemWriter(format string, s *Streams, clear func()) problemWriter {
	out := bufio.NewWriter(s.Out)
	switch format {
	case "json":
		return &jsonWriter{w: out}
	case "github":
		return &githubWriter{w: out, log: s.ErrOut}
	case "junit":
		return &junitWriter{w: out}
	}
	t := &textWriter{w: out}
	if s.outTTY {
		t.clear = clear
	}
	return t
}

// displayPath shows a path as it is, or quoted Go-style when it holds
// control or other unprintable characters: a file name with a newline must
// not break the one-line-per-problem format.
func displayPath(p string) string {
	if strings.IndexFunc(p, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return strconv.Quote(p)
	}
	return p
}

// problemLine is path:line:column: rule: message.
func problemLine(p diag.Problem) string {
	p.Path = displayPath(p.Path)
	return p.String()
}

type textWriter struct {
	w     *bufio.Writer
	clear func() // set on a terminal
}

func (t *textWriter) file(f check.File) error {
	if len(f.Problems) == 0 {
		return nil
	}
	if t.clear != nil {
		t.clear()
	}
	for _, p := range f.Problems {
		t.w.WriteString(problemLine(p))
		t.w.WriteByte('\n')
	}
	if t.clear != nil {
		return t.w.Flush()
	}
	return nil
}

func (t *textWriter) finish(check.Summary) error { return t.w.Flush() }

// jsonWriter streams one object: {"problems": [...], "summary": {...}}.
type jsonWriter struct {
	w *bufio.Writer
	n int
}

// problemJSON is the stable shape of one problem.
type problemJSON struct {
	Path     string `json:"path"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
	Severity string `json:"severity"`
}

type summaryJSON struct {
	Files    int `json:"files"`
	Cases    int `json:"cases"`
	Problems int `json:"problems"`
	Failed   int `json:"files_with_problems"`
}

func (j *jsonWriter) file(f check.File) error {
	for _, p := range f.Problems {
		if j.n == 0 {
			j.w.WriteString("{\n  \"problems\": [\n    ")
		} else {
			j.w.WriteString(",\n    ")
		}
		j.n++
		b, err := json.Marshal(problemJSON{p.Path, max(p.Line, 1), max(p.Col, 1), p.Rule, p.Message, p.Severity.String()})
		if err != nil {
			return err
		}
		j.w.Write(b)
	}
	return nil
}

func (j *jsonWriter) finish(s check.Summary) error {
	if j.n == 0 {
		j.w.WriteString("{\n  \"problems\": [],\n")
	} else {
		j.w.WriteString("\n  ],\n")
	}
	b, err := json.Marshal(summaryJSON{s.Files, s.Cases, s.Problems, s.Failed})
	if err != nil {
		return err
	}
	fmt.Fprintf(j.w, "  \"summary\": %s\n}\n", b)
	return j.w.Flush()
}

// githubWriter prints workflow commands that GitHub Actions turns into
// annotations on the files, escaped by GitHub's rules so that nothing in a
// path or a message can end the command early or start another one; the
// plain lines go to the log as well, since GitHub shows only the first
// annotations of a step.
type githubWriter struct {
	w   *bufio.Writer
	log io.Writer
}

// escapeData escapes a workflow command's message (after the "::").
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

func (g *githubWriter) file(f check.File) error {
	for _, p := range f.Problems {
		level := "error"
		if p.Severity == diag.Notice {
			level = "notice"
		}
		fmt.Fprintf(g.w, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", level,
			escapeProperty(p.Path), max(p.Line, 1), max(p.Col, 1), escapeProperty("cases "+p.Rule), escapeData(p.Message))
		fmt.Fprintln(g.log, problemLine(p))
	}
	return nil
}

func (g *githubWriter) finish(check.Summary) error { return g.w.Flush() }

// junitWriter writes JUnit XML, one test case per document, one test suite
// per case folder (streamed as each folder completes) and one for the
// repository's own files (written last).
type junitWriter struct {
	w       *bufio.Writer
	started bool
	suite   *junitSuite // the case folder being gathered
	repo    junitSuite
}

type junitSuite struct {
	XMLName  xml.Name    `xml:"testsuite"`
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func (j *junitWriter) file(f check.File) error {
	if !j.started {
		j.w.WriteString(xml.Header + "<testsuites name=\"cases validate\">\n")
		j.started = true
	}
	class := string(f.Kind)
	if class == "" {
		class = "file"
	}
	tc := junitCase{Name: f.Path, Classname: "cases." + class}
	if n := diag.Errors(f.Problems); n > 0 {
		var lines []string
		for _, p := range f.Problems {
			lines = append(lines, problemLine(p))
		}
		first := f.Problems[0]
		msg := first.Rule + ": " + first.Message
		if n > 1 {
			msg += fmt.Sprintf(" (and %d more)", n-1)
		}
		tc.Failure = &junitFailure{Message: msg, Type: first.Rule, Text: strings.Join(lines, "\n")}
	}
	loc := casefile.Locate(f.Path)
	if loc.CaseID == "" {
		j.repo.add(tc)
		return nil
	}
	name := casefile.CaseDir(loc.CaseID)
	if j.suite != nil && j.suite.Name != name {
		if err := j.flush(j.suite); err != nil {
			return err
		}
		j.suite = nil
	}
	if j.suite == nil {
		j.suite = &junitSuite{Name: name}
	}
	j.suite.add(tc)
	return nil
}

func (s *junitSuite) add(tc junitCase) {
	s.Cases = append(s.Cases, tc)
	s.Tests++
	if tc.Failure != nil {
		s.Failures++
	}
}

func (j *junitWriter) flush(s *junitSuite) error {
	b, err := xml.MarshalIndent(s, "  ", "  ")
	if err != nil {
		return err
	}
	j.w.Write(b)
	j.w.WriteByte('\n')
	return nil
}

func (j *junitWriter) finish(check.Summary) error {
	if !j.started {
		j.w.WriteString(xml.Header + "<testsuites name=\"cases validate\">\n")
	}
	if j.suite != nil {
		if err := j.flush(j.suite); err != nil {
			return err
		}
	}
	j.repo.Name = "repository"
	if err := j.flush(&j.repo); err != nil {
		return err
	}
	j.w.WriteString("</testsuites>\n")
	return j.w.Flush()
}
