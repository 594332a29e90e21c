package review

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/check"
	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/casefile/docdiff"
	"github.com/casesproject/cases/casefile/history"
	"github.com/casesproject/cases/casefile/lifecycle"
	"github.com/casesproject/cases/casefile/yamlx"
)

// File is one file the review looked at, with its problems (sorted).
type File struct {
	Path     string
	Kind     casefile.Kind // "" for what is not a document
	Problems []diag.Problem
}

// Summary counts what the review saw.
type Summary struct {
	Commits  int // commits in the range
	Cases    int // case folders the range changed
	Files    int // files reported
	Problems int // problems that fail (diag.Error)
	Notices  int // notices for a human
	Failed   int // files with problems that fail
}

// Result is a review: every file looked at, in path order.
type Result struct {
	Range   *history.Range
	Files   []File
	Summary Summary
}

// Problems lists every problem of the result, in path order.
func (r *Result) Problems() []diag.Problem {
	var out []diag.Problem
	for _, f := range r.Files {
		out = append(out, f.Problems...)
	}
	return out
}

// RangeError says the range cannot be reviewed as given.
type RangeError struct{ Msg string }

func (e *RangeError) Error() string { return e.Msg }

// ParseRange splits "BASE..HEAD" (an empty side is HEAD).
func ParseRange(s string) (base, head string, err error) {
	base, head, ok := strings.Cut(s, "..")
	if !ok || strings.HasPrefix(head, ".") {
		return "", "", &RangeError{fmt.Sprintf("%q is not a range: give BASE..HEAD, such as origin/main..HEAD", s)}
	}
	if base == "" {
		base = "HEAD"
	}
	if head == "" {
		head = "HEAD"
	}
	return base, head, nil
}

type reviewer struct {
	r   *casefile.Repo
	h   *history.History
	rg  *history.Range
	src *source
	out map[string]*File
}

// Review reviews the commits of BASE..HEAD in the repository r: the cases
// they change, compared between the commit where HEAD's history meets
// BASE's (their merge base, as git diff BASE...HEAD compares) and HEAD.
// It reads what HEAD's commits hold (see materialize.go). It returns an
// error only when the review cannot run.
func Review(ctx context.Context, r *casefile.Repo, base, head string) (*Result, error) {
	h, err := history.Open(r.Root)
	if err != nil {
		return nil, err
	}
	defer h.Close()
	b, err := h.Resolve(base)
	if err != nil {
		return nil, err
	}
	hd, err := h.Resolve(head)
	if err != nil {
		return nil, err
	}
	rg, err := h.Range(b, hd)
	if err != nil {
		return nil, err
	}
	if rg.MergeBase.IsZero() {
		return nil, &RangeError{fmt.Sprintf("%s and %s share no history; review a range of one branch's history", base, head)}
	}
	v := &reviewer{r: r, h: h, rg: rg, out: map[string]*File{}}
	return v.run(ctx)
}

// caseChange is what the range did to one case folder.
type caseChange struct {
	id    string
	files []history.FileChange
}

func (v *reviewer) run(ctx context.Context) (*Result, error) {
	h := v.h
	baseTree, err := h.CommitTree(v.rg.MergeBase)
	if err != nil {
		return nil, err
	}
	headTree, err := h.CommitTree(v.rg.Head)
	if err != nil {
		return nil, err
	}
	diff, err := h.DiffFiles(baseTree, headTree)
	if err != nil {
		return nil, err
	}
	var cases []caseChange
	var other []string
	for _, fc := range diff {
		id := caseOf(fc.Path)
		switch {
		case id == "":
			other = append(other, fc.Path)
		case len(cases) > 0 && cases[len(cases)-1].id == id:
			cases[len(cases)-1].files = append(cases[len(cases)-1].files, fc)
		default:
			cases = append(cases, caseChange{id: id, files: []history.FileChange{fc}})
		}
	}
	ids := make([]string, len(cases))
	for i, c := range cases {
		ids[i] = c.id
	}
	files, err := v.headFiles(headTree, ids, other)
	if err != nil {
		return nil, err
	}
	v.src, err = v.open(files, ids)
	defer v.src.remove()
	if err != nil {
		return nil, err
	}
	if err := v.validate(ctx, ids, other); err != nil {
		return nil, err
	}
	for _, c := range cases {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := v.caseHistory(c); err != nil {
			return nil, err
		}
	}
	if err := v.authors(); err != nil {
		return nil, err
	}
	res := &Result{Range: v.rg}
	for _, f := range v.out {
		f.Problems = diag.Sort(f.Problems)
		res.Files = append(res.Files, *f)
	}
	slices.SortFunc(res.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	res.Summary = Summary{Commits: len(v.rg.Commits), Cases: len(cases), Files: len(res.Files)}
	for _, f := range res.Files {
		n := diag.Errors(f.Problems)
		res.Summary.Problems += n
		res.Summary.Notices += len(f.Problems) - n
		if n > 0 {
			res.Summary.Failed++
		}
	}
	return res, nil
}

// caseOf returns the case folder a path lies in ("" for none).
func caseOf(p string) string {
	parts := strings.SplitN(p, "/", 4)
	if len(parts) >= 3 && parts[0] == casefile.CasesDir && casefile.ValidCaseID(parts[2]) && parts[2][:7] == parts[1] {
		return parts[2]
	}
	return ""
}

// file returns the entry of a path, creating it.
func (v *reviewer) file(p string) *File {
	f := v.out[p]
	if f == nil {
		f = &File{Path: p, Kind: casefile.Locate(p).Kind}
		v.out[p] = f
	}
	return f
}

func (v *reviewer) add(p diag.Problem) {
	f := v.file(p.Path)
	f.Problems = append(f.Problems, p)
}

// validate runs validate's checks on the changed cases and files at HEAD,
// and the configuration they depend on. A file holding conflict markers
// is reported as one merge-conflict problem instead of the reader's.
func (v *reviewer) validate(ctx context.Context, ids, other []string) error {
	rh := v.src.repo
	var problems []diag.Problem
	c := check.New(rh)
	// The cases HEAD holds (a folder left empty in the working tree after
	// its files were deleted is not one: git keeps no folders).
	held := map[string]bool{}
	for p := range v.src.files {
		if id := caseOf(p); id != "" {
			held[id] = true
		}
	}
	var present []string
	for _, id := range ids {
		if held[id] && rh.Exists(id) {
			present = append(present, id)
		}
	}
	if len(present) > 0 {
		err := rh.Walk(ctx, present, casefile.Select{}, func(f *casefile.Folder) error {
			for _, p := range f.Files {
				v.file(p)
			}
			problems = append(problems, c.Folder(f)...)
			return nil
		})
		if err != nil {
			return err
		}
	}
	v.file(casefile.ConfigPath)
	problems = append(problems, rh.ConfigProblems...)
	for _, p := range other {
		if _, ok := v.src.files[p]; ok {
			v.file(p)
		}
	}
	conflicted := map[string]bool{}
	for p := range v.out {
		data, ok := v.src.files[p]
		if !ok || !bytes.Contains(data, []byte("=======")) {
			continue
		}
		if cf := docdiff.FindConflict(data); cf != nil {
			conflicted[p] = true
			v.add(diag.Problem{Path: p, Line: cf.Line, Col: 1, Rule: MergeConflict, Message: cf.Message(p)})
		}
	}
	for _, p := range problems {
		if conflicted[p.Path] && strings.HasPrefix(p.Rule, "yaml-") {
			continue
		}
		v.add(p)
	}
	return nil
}

// caseDoc is a case.yaml as read at one end of the range.
type caseDoc struct {
	doc  *yamlx.Doc
	data casefile.Case
}

func parseCase(p string, data []byte) *caseDoc {
	d, _ := casefile.ParseDoc[casefile.Case](p, casefile.KindCase, data)
	if d == nil {
		return nil
	}
	return &caseDoc{doc: d.Doc, data: d.Data}
}

// caseHistory applies the rules that compare a case at BASE with HEAD.
func (v *reviewer) caseHistory(c caseChange) error {
	id := c.id
	casePath := casefile.DocPath(id, casefile.KindCase)
	var before, after *caseDoc
	if data, ok := v.src.files[casePath]; ok {
		after = parseCase(casePath, data)
	}
	// Unchanged in the range, case.yaml at BASE is the one at HEAD.
	before = after
	for _, fc := range c.files {
		if fc.Path != casePath {
			continue
		}
		before = nil
		if !fc.Old.Hash.IsZero() && fc.Old.IsRegular() {
			data, err := v.h.Blob(fc.Old.Hash)
			if err != nil {
				return err
			}
			before = parseCase(casePath, data)
		}
	}
	moves := v.stageHistory(before, after)
	reopened := slices.ContainsFunc(moves, func(m casefile.StageMove) bool { return m.From == "closed" || m.From == "follow-up" })
	_, folderLeft := v.src.files[casePath]
	if !folderLeft {
		folderLeft = slices.ContainsFunc(c.files, func(fc history.FileChange) bool { return !fc.New.Hash.IsZero() })
	}

	for _, fc := range c.files {
		loc := casefile.Locate(fc.Path)
		gone := fc.New.Hash.IsZero()
		switch {
		case fc.Old.Hash.IsZero():
			// Added in the range.
		case loc.Kind == casefile.KindNote && gone:
			v.add(diag.Problem{Path: fc.Path, Line: 1, Col: 1, Rule: NoteEdited,
				Message: "a note committed before the range was deleted; notes are append-only: restore it and write a new note that corrects it"})
		case loc.Kind == casefile.KindNote:
			v.add(diag.Problem{Path: fc.Path, Line: 1, Col: 1, Rule: NoteEdited,
				Message: "a note committed before the range was changed; notes are append-only: restore it and write a new note that corrects it"})
		case loc.Kind == casefile.KindClosure && gone && reopened:
			// A reopen removes closure.yaml; git keeps the old one.
		case loc.Kind != "" && gone:
			msg := string(loc.Kind) + " document was deleted; correct documents instead of deleting them (git keeps the old version: restore it)"
			if !folderLeft {
				msg = string(loc.Kind) + " document was deleted with the whole case folder; cases are closed, never deleted"
			}
			v.add(diag.Problem{Path: fc.Path, Line: 1, Col: 1, Rule: DocumentDeleted, Message: msg})
		}
	}

	// A case closed at BASE must be reopened before it changes.
	if before != nil && before.data.Stage == "closed" && !reopened {
		for _, fc := range c.files {
			if fc.New.Hash.IsZero() && casefile.Locate(fc.Path).Kind != "" {
				continue // reported as deleted already
			}
			v.add(diag.Problem{Path: fc.Path, Line: 1, Col: 1, Rule: ClosedCaseEdited,
				Message: "case " + id + " was closed before the range and is changed without being reopened; reopen it first (cases reopen ID --reason TEXT)"})
		}
	}

	if before != nil && after != nil && before.data.ID != after.data.ID && casefile.ValidCaseID(before.data.ID) {
		v.add(at(after.doc, CaseIDChanged, "the case id changed in the range; a case never changes its id: restore id "+before.data.ID, "id"))
	}
	return nil
}

// at locates a problem at a path of keys in a document.
func at(d *yamlx.Doc, rule, msg string, keys ...string) diag.Problem {
	_, n, _ := yamlx.Find(d.Node, keys)
	line, col := yamlx.Line(n)
	sev := diag.Error
	if r, ok := RuleByName(rule); ok {
		sev = r.Severity
	}
	return diag.Problem{Path: d.Path, Line: line, Col: col, Rule: rule, Message: msg, Severity: sev}
}

// stage returns s when it is a stage of the lifecycle, for messages; a
// value that is not is never repeated.
func stage(s string) string {
	if slices.Contains(casefile.Stages, s) {
		return s
	}
	return "an unknown stage"
}

// stageHistory checks the stage history at HEAD against BASE's: the old
// entries kept as they were, each new entry a move the lifecycle allows
// from the stage before it (or forced), and the stage field agreeing with
// the last entry. It returns the moves added in the range.
func (v *reviewer) stageHistory(before, after *caseDoc) []casefile.StageMove {
	if after == nil || before == after {
		return nil
	}
	hist := after.data.StageHistory
	start := 0
	prev := ""
	if before != nil {
		old := before.data.StageHistory
		oldNodes := yamlx.GetPath(before.doc.Root(), "stage-history")
		newNodes := yamlx.GetPath(after.doc.Root(), "stage-history")
		for i := range old {
			if i >= len(hist) || newNodes == nil || oldNodes == nil || i >= len(newNodes.Content) ||
				!reflect.DeepEqual(yamlx.Value(oldNodes.Content[i]), yamlx.Value(newNodes.Content[i])) {
				keys := []string{"stage-history"}
				what := "removed"
				if i < len(hist) {
					keys, what = append(keys, strconv.Itoa(i)), "changed"
				}
				v.add(at(after.doc, StageHistoryRewritten, fmt.Sprintf("stage-history[%d] was %s in the range; earlier moves are kept as they were and new moves appended", i, what), keys...))
				return nil
			}
		}
		start = len(old)
		prev = before.data.Stage
		if len(old) > 0 {
			prev = old[len(old)-1].To
		}
	}
	added := hist[start:]
	for i, m := range added {
		idx := strconv.Itoa(start + i)
		from := m.From
		if from == "" && start+i > 0 {
			from = prev
		}
		move := stage(from) + " -> " + stage(m.To)
		switch {
		case m.Forced:
			var guards []string
			for _, g := range m.Guards {
				if _, ok := lifecycle.GuardByName(g); ok {
					guards = append(guards, g)
				}
			}
			over := "no guard named"
			if len(guards) > 0 {
				over = strings.Join(guards, ", ")
			}
			v.add(at(after.doc, ForcedMove, fmt.Sprintf("stage-history[%s]: %s was forced (over %s); read its reason", idx, move, over), "stage-history", idx))
		case start+i == 0 && m.From == "":
			// The first entry of a new case.
		case prev != "" && from != prev:
			v.add(at(after.doc, StageSkip, fmt.Sprintf("stage-history[%s] moves from %s, but the case was in %s; a move starts where the last one ended", idx, stage(from), stage(prev)), "stage-history", idx))
		default:
			if _, ok := lifecycle.Find(from, m.To); !ok {
				v.add(at(after.doc, StageSkip, fmt.Sprintf("stage-history[%s]: %s is not a move the lifecycle allows, and it is not recorded as forced", idx, move), "stage-history", idx))
			}
		}
		prev = m.To
	}
	last := ""
	if len(hist) > 0 {
		last = hist[len(hist)-1].To
	}
	if after.data.Stage != "" && last != "" && after.data.Stage != last {
		v.add(at(after.doc, StageSkip, fmt.Sprintf("stage is %s but the last stage-history entry moves to %s; every stage change needs its entry", stage(after.data.Stage), stage(last)), "stage"))
	}
	return added
}

// authors checks that every commit of the range is by someone on the staff
// list at HEAD.
func (v *reviewer) authors() error {
	for _, p := range v.src.repo.ConfigProblems {
		if strings.HasPrefix(p.Rule, "yaml-") {
			return nil // no staff list to check against; the problem is reported
		}
	}
	for _, c := range v.rg.Commits {
		ci, err := v.h.Commit(c)
		if err != nil {
			return err
		}
		if _, ok := v.src.repo.Config.StaffByEmail(ci.Author.Email); ok {
			continue
		}
		p := diag.Problem{Path: casefile.ConfigPath, Line: 1, Col: 1, Rule: AuthorNotStaff,
			Message: "commit " + c.String()[:7] + " is authored by an email that is not on the staff list; add the person to staff, or have a staff member make the change"}
		if doc := v.src.repo.ConfigDoc; doc != nil {
			if k, _, ok := yamlx.Find(doc.Node, []string{"staff"}); ok && k != nil {
				p.Line, p.Col = yamlx.Line(k)
			}
		}
		v.add(p)
	}
	return nil
}
