// Package diag holds the problem type every check in cases reports.
//
// A Problem names where something is wrong (a repository-relative path and a
// 1-based line and column), the stable name of the rule it breaks, and a
// message built from the rule and the location. Messages never quote a
// document's values: those are personal data, and a value printed into a CI
// log could also inject workflow commands.
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity says whether a problem fails a check.
type Severity int

const (
	// Error fails validation (exit 1).
	Error Severity = iota
	// Notice is listed for a human but does not fail (for example a forced
	// stage move in a review).
	Notice
)

func (s Severity) String() string {
	if s == Notice {
		return "notice"
	}
	return "error"
}

// Problem is one finding at one place.
type Problem struct {
	Path     string   `json:"path"`
	Line     int      `json:"line"`
	Col      int      `json:"column"`
	Rule     string   `json:"rule"`
	Message  string   `json:"message"`
	Severity Severity `json:"-"`
}

// String formats the problem as path:line:column: rule: message.
func (p Problem) String() string {
	line, col := p.Line, p.Col
	if line < 1 {
		line = 1
	}
	if col < 1 {
		col = 1
	}
	return fmt.Sprintf("%s:%d:%d: %s: %s", p.Path, line, col, p.Rule, p.Message)
}

// Compare orders problems by path, line, column, rule and message.
func Compare(a, b Problem) int {
	return cmp.Or(
		strings.Compare(a.Path, b.Path),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Col, b.Col),
		strings.Compare(a.Rule, b.Rule),
		strings.Compare(a.Message, b.Message),
	)
}

// Sort sorts problems in place and drops exact duplicates.
func Sort(ps []Problem) []Problem {
	slices.SortFunc(ps, Compare)
	return slices.CompactFunc(ps, func(a, b Problem) bool { return Compare(a, b) == 0 && a.Severity == b.Severity })
}

// Errors counts the problems that fail a check.
func Errors(ps []Problem) int {
	n := 0
	for _, p := range ps {
		if p.Severity == Error {
			n++
		}
	}
	return n
}

// InvalidError is returned by domain operations that refuse because documents
// are invalid. Commands map it to exit status 1.
type InvalidError struct {
	Problems []Problem
}

func (e *InvalidError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// Invalid wraps problems as an error, or returns nil when there are none that
// fail.
func Invalid(ps []Problem) error {
	if Errors(ps) == 0 {
		return nil
	}
	return &InvalidError{Problems: Sort(ps)}
}

// WithPath returns the problems with Path set where it is empty.
func WithPath(path string, ps []Problem) []Problem {
	for i := range ps {
		if ps[i].Path == "" {
			ps[i].Path = path
		}
	}
	return ps
}
