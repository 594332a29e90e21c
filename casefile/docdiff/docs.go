package docdiff

import (
	"bytes"
	"slices"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/yamlx"
	"go.yaml.in/yaml/v3"
)

// Doc is what happened to one file of a case folder.
type Doc struct {
	Path    string
	Kind    casefile.Kind // "" for a file that is not a document of the layout
	Op      Op
	Changes []Change // field by field; empty when only comments or layout changed
	// Unreadable is set when a version cannot be read by the strict reader:
	// its first problem (rule and message, never a value).
	Unreadable string
	// Conflict is set when the new version holds git's conflict markers.
	Conflict *Conflict
}

// Docs compares two snapshots of a case folder (path to content; a path
// missing from a map is absent there) document by document, in path order.
// Identical files are left out.
func Docs(old, new map[string][]byte) []Doc {
	var paths []string
	for p := range old {
		paths = append(paths, p)
	}
	for p := range new {
		if _, ok := old[p]; !ok {
			paths = append(paths, p)
		}
	}
	slices.SortFunc(paths, comparePaths)
	var out []Doc
	for _, p := range paths {
		a, inOld := old[p]
		b, inNew := new[p]
		if inOld && inNew && bytes.Equal(a, b) {
			continue
		}
		d := Doc{Path: p, Kind: casefile.Locate(p).Kind, Op: Changed}
		switch {
		case !inOld:
			d.Op = Added
		case !inNew:
			d.Op = Removed
		}
		if inNew {
			d.Conflict = FindConflict(b)
		}
		if d.Kind != "" && d.Conflict == nil {
			var na, nb *yaml.Node
			var bad string
			if inOld {
				na, bad = parse(p, a)
			}
			if inNew && bad == "" {
				nb, bad = parse(p, b)
			}
			if bad != "" {
				d.Unreadable = bad
			} else if d.Op != Removed {
				d.Changes = Diff(na, nb)
			}
		}
		out = append(out, d)
	}
	return out
}

// comparePaths puts a case's fixed documents first, in the order a case
// is worked (case, intake, assessments, plan, notes, closure), then the
// rest by name.
func comparePaths(a, b string) int {
	rank := func(p string) int {
		switch {
		case strings.HasSuffix(p, "/case.yaml"):
			return 0
		case strings.HasSuffix(p, "/intake.yaml"):
			return 1
		case strings.Contains(p, "/assessments/"):
			return 2
		case strings.HasSuffix(p, "/plan.yaml"):
			return 3
		case strings.Contains(p, "/notes/"):
			return 4
		case strings.HasSuffix(p, "/closure.yaml"):
			return 5
		}
		return 6
	}
	if ra, rb := rank(a), rank(b); ra != rb {
		return ra - rb
	}
	return strings.Compare(a, b)
}

func parse(p string, data []byte) (*yaml.Node, string) {
	doc, problems := yamlx.Parse(p, data)
	if len(problems) > 0 {
		return nil, problems[0].Rule + ": " + problems[0].Message
	}
	if doc == nil {
		return nil, "the file holds no document"
	}
	return doc.Root(), ""
}
