package casefile

import (
	"crypto/rand"
	"fmt"
	"io"
	"time"
)

// Ids are made without a shared counter so that two caseworkers in two
// clones never pick the same one in practice: a case id is the month of
// opening plus five random characters (30^5, about 24 million per month), a
// note's name is its UTC timestamp plus five random characters. Neither
// carries personal data.

// RandomSuffix returns n characters from Alphabet read from r (crypto/rand
// when r is nil).
func RandomSuffix(r io.Reader, n int) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	b := make([]byte, n)
	out := make([]byte, n)
	// Reject bytes beyond the largest multiple of len(Alphabet) so every
	// character is equally likely.
	limit := byte(256 - 256%len(Alphabet))
	for i := 0; i < n; {
		if _, err := io.ReadFull(r, b[:1]); err != nil {
			return "", fmt.Errorf("random suffix: %w", err)
		}
		if b[0] >= limit {
			continue
		}
		out[i] = Alphabet[int(b[0])%len(Alphabet)]
		i++
	}
	return string(out), nil
}

// NewCaseID returns a fresh case id for a case opened at t; exists reports
// ids already taken in this repository, which are skipped.
func NewCaseID(t time.Time, r io.Reader, exists func(string) bool) (string, error) {
	for range 100 {
		s, err := RandomSuffix(r, 5)
		if err != nil {
			return "", err
		}
		id := t.Format("2006-01") + "-" + s
		if exists == nil || !exists(id) {
			return id, nil
		}
	}
	return "", fmt.Errorf("could not find a free case id")
}

// NoteID returns the name (without .yaml) of a note written at t.
func NoteID(t time.Time, r io.Reader) (string, error) {
	s, err := RandomSuffix(r, 5)
	if err != nil {
		return "", err
	}
	return t.UTC().Format("20060102T150405Z") + "-" + s, nil
}

// NotePath is the repository-relative path of a note.
func NotePath(caseID, noteID string) string {
	return CaseDir(caseID) + "/notes/" + noteID + ".yaml"
}

// AssessmentPath is the repository-relative path of an assessment.
func AssessmentPath(caseID, date, member string) string {
	return CaseDir(caseID) + "/assessments/" + date + "-" + member + ".yaml"
}

// DocPath is the repository-relative path of a case document of a fixed
// name (case, intake, plan, closure).
func DocPath(caseID string, k Kind) string {
	return CaseDir(caseID) + "/" + string(k) + ".yaml"
}
