package history

import (
	"slices"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/gitstore"
)

// Trailers reads the trailers of a commit message: "Key: value" lines in
// its last paragraph. Keys keep their spelling; values are trimmed.
func Trailers(msg string) map[string][]string {
	msg = strings.TrimRight(msg, "\n ")
	i := strings.LastIndex(msg, "\n\n")
	if i < 0 {
		return nil
	}
	out := map[string][]string{}
	for line := range strings.SplitSeq(msg[i+2:], "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			return nil // not a trailer block
		}
		out[k] = append(out[k], strings.TrimSpace(v))
	}
	return out
}

// Verb is the cases command that made a commit (its Cases-Command
// trailer), or "".
func Verb(msg string) string {
	if v := Trailers(msg)["Cases-Command"]; len(v) == 1 && casefile.ValidSlug(v[0]) {
		return v[0]
	}
	return ""
}

// Subject is the first line of a commit message.
func Subject(msg string) string {
	s, _, _ := strings.Cut(strings.TrimLeft(msg, "\n"), "\n")
	return strings.TrimSpace(s)
}

// Summary is the part of a cases commit subject after "<verb> <case>: ",
// or the whole subject of any other commit.
func Summary(msg string) string {
	s := Subject(msg)
	verb := Verb(msg)
	if verb == "" {
		return s
	}
	rest, ok := strings.CutPrefix(s, verb)
	if !ok {
		return s
	}
	if c := Trailers(msg)["Case"]; len(c) == 1 {
		rest = strings.TrimPrefix(rest, " "+c[0])
	}
	if r, ok := strings.CutPrefix(rest, ": "); ok {
		return r
	}
	if strings.TrimSpace(rest) == "" {
		return ""
	}
	return s
}

// toolCase recognizes a commit exactly as a cases command writes it
// (casefile.CommitMessage): one parent, the subject "<verb> <case>: ...",
// and a last paragraph holding only the trailers Case and Cases-Command.
// Such a commit touched only its case folder (or, without a Case trailer,
// no case), so history takes it at its word instead of comparing trees. A
// commit amended by hand with other changes would be misattributed; review
// never relies on trailers.
func toolCase(ci *gitstore.CommitInfo) (caseID string, ok bool) {
	if len(ci.Parents) != 1 {
		return "", false
	}
	msg := strings.TrimRight(ci.Message, "\n")
	i := strings.LastIndex(msg, "\n\n")
	if i < 0 {
		return "", false
	}
	subject, block := msg[:i], msg[i+2:]
	if strings.Contains(subject, "\n") {
		return "", false
	}
	lines := strings.Split(block, "\n")
	var verb string
	switch len(lines) {
	case 1:
		v, ok := strings.CutPrefix(lines[0], "Cases-Command: ")
		if !ok || !casefile.ValidSlug(v) || (subject != v && !strings.HasPrefix(subject, v+": ")) {
			return "", false
		}
		return "", true
	case 2:
		id, ok1 := strings.CutPrefix(lines[0], "Case: ")
		v, ok2 := strings.CutPrefix(lines[1], "Cases-Command: ")
		if !ok1 || !ok2 || !casefile.ValidCaseID(id) || !casefile.ValidSlug(v) {
			return "", false
		}
		verb, caseID = v, id
	default:
		return "", false
	}
	if subject != verb+" "+caseID && !strings.HasPrefix(subject, verb+" "+caseID+": ") {
		return "", false
	}
	return caseID, true
}

// touched lists the cases a commit changed: for a commit written by cases,
// its Case trailer; for any other, the case folders whose subtree differs
// from its parent (for a merge, from every parent: a clean merge touched
// nothing itself; for a root commit, every case it holds). cacheable is
// false for a commit whose parents this clone does not hold.
func (h *History) touched(c Hash) (cases []string, cacheable bool, err error) {
	ci, err := h.Commit(c)
	if err != nil {
		return nil, false, err
	}
	if h.shallow[c] {
		ch, err := h.Changed(zero, ci.Tree)
		return ch.Cases, false, err
	}
	if id, ok := toolCase(ci); ok {
		if id == "" {
			return nil, true, nil
		}
		return []string{id}, true, nil
	}
	if len(ci.Parents) == 0 {
		ch, err := h.Changed(zero, ci.Tree)
		return ch.Cases, true, err
	}
	for i, p := range ci.Parents {
		pt, err := h.CommitTree(p)
		if err != nil {
			return nil, false, err
		}
		ch, err := h.Changed(pt, ci.Tree)
		if err != nil {
			return nil, false, err
		}
		if i == 0 {
			cases = ch.Cases
		} else {
			cases = slices.DeleteFunc(cases, func(id string) bool { _, found := slices.BinarySearch(ch.Cases, id); return !found })
		}
		if len(cases) == 0 {
			break
		}
	}
	return cases, true, nil
}
