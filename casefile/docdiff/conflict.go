package docdiff

import (
	"bytes"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/casesproject/cases/casefile/yamlx"
)

// Conflict describes the conflict markers git left in a document when two
// people changed the same lines and the merge could not choose:
//
//	<<<<<<< HEAD
//	    status: met
//	=======
//	    status: dropped
//	>>>>>>> theirs
//
// The strict reader refuses such a file (it is not YAML any more);
// FindConflict reads both versions out of it and names the fields they
// disagree on, so the person resolving it knows what to choose.
type Conflict struct {
	Line   int      // the first marker's line
	Fields []string // the fields the two versions disagree on (empty when a version cannot be read)
}

// FindConflict returns the merge conflict in a file, or nil if it has no
// conflict markers.
func FindConflict(data []byte) *Conflict {
	var ours, theirs bytes.Buffer
	const (
		normal = iota
		inOurs
		inBase
		inTheirs
	)
	state, first, broken := normal, 0, false
	for i, line := range bytes.SplitAfter(data, []byte("\n")) {
		switch {
		case marker(line, "<<<<<<<"):
			if first == 0 {
				first = i + 1
			}
			broken = broken || state != normal
			state = inOurs
		case marker(line, "|||||||") && state == inOurs:
			state = inBase
		case marker(line, "=======") && (state == inOurs || state == inBase):
			state = inTheirs
		case marker(line, ">>>>>>>") && state == inTheirs:
			state = normal
		default:
			switch state {
			case normal:
				ours.Write(line)
				theirs.Write(line)
			case inOurs:
				ours.Write(line)
			case inTheirs:
				theirs.Write(line)
			}
		}
	}
	if first == 0 {
		return nil
	}
	c := &Conflict{Line: first}
	if broken || state != normal {
		return c
	}
	a, pa := yamlx.Parse("ours", ours.Bytes())
	b, pb := yamlx.Parse("theirs", theirs.Bytes())
	if a == nil || b == nil || len(pa) > 0 || len(pb) > 0 {
		return c
	}
	for _, ch := range Diff(a.Root(), b.Root()) {
		// Field paths go into messages: only the shapes the schemas allow.
		if safePathRE.MatchString(ch.Path) && !slices.Contains(c.Fields, ch.Path) {
			c.Fields = append(c.Fields, ch.Path)
		}
	}
	return c
}

var safePathRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*(\[[A-Za-z0-9-]{1,40}\])*(\.[a-z0-9][a-z0-9-]*(\[[A-Za-z0-9-]{1,40}\])*)*$`)

func marker(line []byte, m string) bool {
	rest, ok := bytes.CutPrefix(line, []byte(m))
	return ok && (len(rest) == 0 || rest[0] == ' ' || rest[0] == '\n' || rest[0] == '\r')
}

// Message says what to do about the conflict in file, in case terms.
func (c *Conflict) Message(file string) string {
	name := path.Base(file)
	what := "the conflicting lines"
	switch n := len(c.Fields); {
	case n == 1:
		what = c.Fields[0]
	case n > 1 && n <= 4:
		what = strings.Join(c.Fields[:n-1], ", ") + " and " + c.Fields[n-1]
	case n > 4:
		what = strings.Join(c.Fields[:3], ", ") + " and " + strconv.Itoa(n-3) + " more fields"
	}
	return "unresolved merge conflict in " + name + ": keep one of the two versions of " + what +
		", delete the lines <<<<<<<, ======= and >>>>>>>, then commit"
}
