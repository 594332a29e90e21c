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

// Message says what to do about the conflict in file, in case terms: for
// a field, keep one of the two versions; for a history both sides added
// to (stage-history, level-history, a referral's history), keep both new
// entries.
func (c *Conflict) Message(file string) string {
	var fields, histories []string
	for _, f := range c.Fields {
		if m := historyRE.FindStringSubmatch(f); m != nil {
			if !slices.Contains(histories, m[1]) {
				histories = append(histories, m[1])
			}
			continue
		}
		fields = append(fields, f)
	}
	var what []string
	if len(fields) > 0 {
		what = append(what, "keep one of the two versions of "+list(fields))
	}
	if len(histories) > 0 {
		what = append(what, "keep the new entries of "+list(histories)+" from both sides, in time order")
	}
	if len(what) == 0 {
		what = append(what, "keep one of the two versions of the conflicting lines")
	}
	return "unresolved merge conflict in " + path.Base(file) + ": " + strings.Join(what, "; ") +
		"; delete the lines <<<<<<<, ======= and >>>>>>>, then commit"
}

var historyRE = regexp.MustCompile(`^(.*history)\[[0-9]+\]`)

func list(xs []string) string {
	switch n := len(xs); {
	case n == 1:
		return xs[0]
	case n <= 4:
		return strings.Join(xs[:n-1], ", ") + " and " + xs[n-1]
	default:
		return strings.Join(xs[:3], ", ") + " and " + strconv.Itoa(n-3) + " more fields"
	}
}
