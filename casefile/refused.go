package casefile

import (
	"slices"

	"github.com/casesproject/cases/casefile/diag"
)

// RefusedError is a rule refusing a command: a lifecycle guard, an edit to
// a closed case, a change to a committed note. Commands exit 1 for it.
type RefusedError struct {
	Rule string // stable name of the rule that refused
	Msg  string // what is missing and which file to fix
}

func (e *RefusedError) Error() string { return e.Rule + ": " + e.Msg }

// Refused marks the error as a refusal (exit status 1).
func (e *RefusedError) Refused() bool { return true }

// Tracked reports whether a file is committed at HEAD.
func (r *Repo) Tracked(rel string) (bool, error) {
	st, err := r.git()
	if err != nil {
		return false, err
	}
	_, ok, err := st.ReadHead(rel)
	return ok, err
}

// Replace returns a copy of the folder with the document at rel replaced by
// data (parsed and checked like any other), for checking an edit before it
// is written.
func (f *Folder) Replace(rel string, k Kind, data []byte) *Folder {
	g := *f
	g.Problems = slices.DeleteFunc(slices.Clone(f.Problems), func(p diag.Problem) bool { return p.Path == rel })
	if !slices.Contains(g.Files, rel) {
		g.Files = append(slices.Clone(g.Files), rel)
		slices.Sort(g.Files)
	}
	switch k {
	case KindCase:
		g.Case = load[Case](&g, rel, k, data)
	case KindIntake:
		g.Intake = load[Intake](&g, rel, k, data)
	case KindPlan:
		g.Plan = load[Plan](&g, rel, k, data)
	case KindClosure:
		g.Closure = load[Closure](&g, rel, k, data)
	case KindAssessment:
		g.Assessments = replaceDoc(f.Assessments, load[Assessment](&g, rel, k, data), rel)
	case KindNote:
		g.Notes = replaceDoc(f.Notes, load[Note](&g, rel, k, data), rel)
	}
	return &g
}

func replaceDoc[T any](docs []*Doc[T], d *Doc[T], rel string) []*Doc[T] {
	out := slices.DeleteFunc(slices.Clone(docs), func(x *Doc[T]) bool { return x.Path == rel })
	if d != nil {
		out = append(out, d)
		slices.SortFunc(out, func(a, b *Doc[T]) int {
			if a.Path < b.Path {
				return -1
			}
			return 1
		})
	}
	return out
}
