package cli

// review's printers: text, json, github and junit, in the shapes validate
// uses. They live in this one file so that, once validate's printers are
// on main, review can use those instead (turn each review.File into a
// check.File and a review.Summary into a check.Summary) and this file can
// go.

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/casefile/review"
)

func writeReview(format string, s *Streams, res *review.Result) error {
	w := bufio.NewWriter(s.Out)
	var err error
	switch format {
	case "json":
		err = reviewJSON(w, res)
	case "github":
		err = reviewGitHub(w, s, res)
	case "junit":
		err = reviewJUnit(w, res)
	default:
		for _, p := range res.Problems() {
			fmt.Fprintln(w, reviewLine(p))
		}
	}
	if err != nil {
		return err
	}
	return w.Flush()
}

// reviewLine is path:line:column: rule: message, with a path holding
// unprintable characters quoted so it cannot break the line.
func reviewLine(p diag.Problem) string {
	if strings.IndexFunc(p.Path, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		p.Path = strconv.Quote(p.Path)
	}
	return p.String()
}

type reviewProblemJSON struct {
	Path     string `json:"path"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
	Severity string `json:"severity"`
}

type reviewSummaryJSON struct {
	Commits  int `json:"commits"`
	Cases    int `json:"cases"`
	Files    int `json:"files"`
	Problems int `json:"problems"`
	Notices  int `json:"notices"`
	Failed   int `json:"files_with_problems"`
}

type reviewRangeJSON struct {
	Base      string   `json:"base"`
	Head      string   `json:"head"`
	MergeBase string   `json:"merge_base"`
	Commits   []string `json:"commits"`
}

func reviewJSON(w *bufio.Writer, res *review.Result) error {
	out := struct {
		Range    reviewRangeJSON     `json:"range"`
		Problems []reviewProblemJSON `json:"problems"`
		Summary  reviewSummaryJSON   `json:"summary"`
	}{Problems: []reviewProblemJSON{}}
	rg := res.Range
	out.Range = reviewRangeJSON{Base: rg.Base.String(), Head: rg.Head.String(), MergeBase: rg.MergeBase.String(), Commits: []string{}}
	for _, c := range rg.Commits {
		out.Range.Commits = append(out.Range.Commits, c.String())
	}
	for _, p := range res.Problems() {
		out.Problems = append(out.Problems, reviewProblemJSON{p.Path, max(p.Line, 1), max(p.Col, 1), p.Rule, p.Message, p.Severity.String()})
	}
	s := res.Summary
	out.Summary = reviewSummaryJSON{s.Commits, s.Cases, s.Files, s.Problems, s.Notices, s.Failed}
	return writeJSON(w, out)
}

// reviewGitHub prints workflow commands GitHub Actions turns into
// annotations, escaped so nothing in a path or message can end a command
// or start another; the plain lines go to the log too.
func reviewGitHub(w *bufio.Writer, s *Streams, res *review.Result) error {
	data := strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	prop := strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
	for _, p := range res.Problems() {
		level := "error"
		if p.Severity == diag.Notice {
			level = "notice"
		}
		fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", level,
			prop.Replace(p.Path), max(p.Line, 1), max(p.Col, 1), prop.Replace("cases "+p.Rule), data.Replace(p.Message))
		fmt.Fprintln(s.ErrOut, reviewLine(p))
	}
	return nil
}

type reviewSuite struct {
	XMLName  xml.Name     `xml:"testsuite"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Cases    []reviewCase `xml:"testcase"`
}

type reviewCase struct {
	Name      string         `xml:"name,attr"`
	Classname string         `xml:"classname,attr"`
	Failure   *reviewFailure `xml:"failure,omitempty"`
	SystemOut string         `xml:"system-out,omitempty"`
}

type reviewFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// reviewJUnit writes one test suite per case folder and one for the
// repository's own files, one test case per file; notices go to the test
// case's output without failing it.
func reviewJUnit(w *bufio.Writer, res *review.Result) error {
	w.WriteString(xml.Header + "<testsuites name=\"cases review\">\n")
	suites := map[string]*reviewSuite{}
	var order []string
	for _, f := range res.Files {
		name := "repository"
		if loc := casefile.Locate(f.Path); loc.CaseID != "" {
			name = casefile.CaseDir(loc.CaseID)
		}
		s := suites[name]
		if s == nil {
			s = &reviewSuite{Name: name}
			suites[name] = s
			order = append(order, name)
		}
		class := string(f.Kind)
		if class == "" {
			class = "file"
		}
		tc := reviewCase{Name: f.Path, Classname: "cases." + class}
		var failing, notices []string
		var first *diag.Problem
		for i, p := range f.Problems {
			if p.Severity == diag.Notice {
				notices = append(notices, reviewLine(p))
				continue
			}
			if first == nil {
				first = &f.Problems[i]
			}
			failing = append(failing, reviewLine(p))
		}
		if first != nil {
			msg := first.Rule + ": " + first.Message
			if len(failing) > 1 {
				msg += fmt.Sprintf(" (and %d more)", len(failing)-1)
			}
			tc.Failure = &reviewFailure{Message: msg, Type: first.Rule, Text: strings.Join(failing, "\n")}
			s.Failures++
		}
		tc.SystemOut = strings.Join(notices, "\n")
		s.Cases = append(s.Cases, tc)
		s.Tests++
	}
	for _, name := range order {
		b, err := xml.MarshalIndent(suites[name], "  ", "  ")
		if err != nil {
			return err
		}
		w.Write(b)
		w.WriteByte('\n')
	}
	w.WriteString("</testsuites>\n")
	return nil
}
