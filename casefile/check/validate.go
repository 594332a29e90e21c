package check

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/casefile/gitstore"
	"github.com/go-git/go-git/v5/plumbing"
)

// Options say what Validate checks.
type Options struct {
	// Paths limits the check to these repository-relative, slash-separated
	// paths: case folders, documents, month folders, configuration files.
	// The configuration they depend on (cases.yaml, providers.yaml and the
	// instruments used) is always checked. Empty checks everything.
	Paths []string
	// Progress, when set, is called after each case folder with the number
	// of case folders done and the total.
	Progress func(done, total int)
}

// File is what Validate found in one file or folder of the repository:
// every document checked, and anything else that has problems.
type File struct {
	Path     string
	Kind     casefile.Kind // "" for what is not a document
	Problems []diag.Problem

	hash   plumbing.Hash // a note's blob id as read, when hashed
	hashed bool
}

// Summary counts what Validate saw.
type Summary struct {
	Files    int // files and folders reported
	Cases    int // case folders checked
	Problems int // problems that fail (diag.Error)
	Failed   int // files with such problems
}

// PathError says a path given to Validate is not in the repository.
type PathError struct{ Path string }

func (e *PathError) Error() string {
	return e.Path + ": no such file or folder in the case repository"
}

// Validate checks a case repository (or the paths opts names, with the
// configuration they depend on) and calls emit for every file, in path
// order, with its problems sorted. Case folders are read with every core
// and checked one by one as they arrive; nothing of a folder is kept once
// it is emitted, so memory stays flat however large the caseload.
//
// It returns an error only when the check could not run (an unreadable
// folder, a failing emit); problems in documents are never errors.
func Validate(ctx context.Context, r *casefile.Repo, opts Options, emit func(File) error) (Summary, error) {
	v := &run{r: r, c: New(r), emit: emit, opts: opts}
	for _, p := range opts.Paths {
		if err := casefile.CheckRelPath(p); err != nil {
			return Summary{}, &PathError{Path: p}
		}
		if _, err := os.Lstat(r.Abs(p)); err != nil {
			return Summary{}, &PathError{Path: p}
		}
	}
	v.scope = scope{paths: opts.Paths}
	// Outside git (an exported copy) there is no commit to compare notes
	// with; a repository git cannot read is an error.
	g, err := gitstore.Open(r.Root)
	switch {
	case errors.Is(err, gitstore.ErrNotRepository):
	case err != nil:
		return Summary{}, err
	default:
		defer g.Close()
		v.git = g
		// A few case folders are looked up in HEAD's trees; a whole
		// caseload is compared through the index, streamed.
		if v.committed, err = g.Committed(len(opts.Paths) > 0); err != nil {
			return Summary{}, err
		}
		defer v.committed.Close()
	}
	if err := v.scan(); err != nil {
		return Summary{}, err
	}
	if err := v.dropIgnored(); err != nil {
		return Summary{}, err
	}
	slices.SortFunc(v.items, func(a, b item) int { return strings.Compare(a.path, b.path) })
	v.pending = map[string][]File{}
	if len(v.ids) > 0 { // Walk given no ids would read them all
		if err := r.Walk(ctx, v.ids, casefile.Select{}, v.folder); err != nil {
			return v.sum, err
		}
	}
	if err := v.emitItems(""); err != nil {
		return v.sum, err
	}
	return v.sum, nil
}

// run is one Validate call.
type run struct {
	r         *casefile.Repo
	c         *Checker
	opts      Options
	scope     scope
	emit      func(File) error
	git       *gitstore.Repo
	committed *gitstore.Committed

	items   []item   // outside the case folders, sorted by path once scanned
	ids     []string // case folders to check, sorted
	next    int      // index in ids of the next folder to emit
	pending map[string][]File
	sum     Summary
}

func (v *run) top(it item) { v.items = append(v.items, it) }

// scope is the set of paths asked for.
type scope struct{ paths []string }

// has reports whether p is asked for (it or a folder above it).
func (s scope) has(p string) bool {
	if len(s.paths) == 0 {
		return true
	}
	p = strings.TrimSuffix(p, "/")
	for _, q := range s.paths {
		if p == q || strings.HasPrefix(p, q+"/") {
			return true
		}
	}
	return false
}

// touches reports whether p is asked for or holds something asked for.
func (s scope) touches(p string) bool {
	if s.has(p) {
		return true
	}
	for _, q := range s.paths {
		if strings.HasPrefix(q, p+"/") {
			return true
		}
	}
	return false
}

// dropIgnored leaves out stray files git ignores (an editor's swap file,
// a .DS_Store): they are not part of the repository.
func (v *run) dropIgnored() error {
	var strays []string
	for _, it := range v.items {
		if it.stray {
			strays = append(strays, it.path)
		}
	}
	ignored, err := v.ignored(strays)
	if err != nil {
		return err
	}
	v.items = slices.DeleteFunc(v.items, func(it item) bool { return ignored[it.path] })
	return nil
}

func (v *run) ignored(paths []string) (map[string]bool, error) {
	if v.git == nil || len(paths) == 0 {
		return nil, nil
	}
	return v.git.Ignored(paths)
}

// folder receives the case folders from Walk in any order and emits them
// in path order. Walk hands out folders in order to every core, so the
// few that arrive early wait briefly.
func (v *run) folder(f *casefile.Folder) error {
	files, err := v.check(f)
	if err != nil {
		return err
	}
	v.pending[f.ID] = files
	for v.next < len(v.ids) {
		id := v.ids[v.next]
		files, ok := v.pending[id]
		if !ok {
			break
		}
		delete(v.pending, id)
		v.next++
		if err := v.emitItems(casefile.CaseDir(id) + "/"); err != nil {
			return err
		}
		if err := v.committedNotes(id, &files); err != nil {
			return err
		}
		for _, file := range files {
			if !v.scope.has(file.Path) {
				continue
			}
			if err := v.send(file); err != nil {
				return err
			}
		}
		v.sum.Cases++
		if v.opts.Progress != nil {
			v.opts.Progress(v.next, len(v.ids))
		}
	}
	return nil
}

// check runs every rule on a case folder and groups the problems by file.
func (v *run) check(f *casefile.Folder) ([]File, error) {
	ps := v.c.Folder(f)
	strays := caseStrays(f)
	var paths []string
	for _, p := range strays {
		paths = append(paths, p.Path)
	}
	ignored, err := v.ignored(paths)
	if err != nil {
		return nil, err
	}
	for _, p := range strays {
		if !ignored[p.Path] {
			ps = append(ps, p)
		}
	}
	// Every document read, with its kind; documents that could not be read
	// and anything else with problems are placed by their path.
	kinds := make(map[string]casefile.Kind, len(f.Files))
	add := func(p string, k casefile.Kind) { kinds[p] = k }
	if f.Case != nil {
		add(f.Case.Path, casefile.KindCase)
	}
	if f.Intake != nil {
		add(f.Intake.Path, casefile.KindIntake)
	}
	if f.Plan != nil {
		add(f.Plan.Path, casefile.KindPlan)
	}
	if f.Closure != nil {
		add(f.Closure.Path, casefile.KindClosure)
	}
	for _, a := range f.Assessments {
		add(a.Path, casefile.KindAssessment)
	}
	for _, n := range f.Notes {
		add(n.Path, casefile.KindNote)
	}
	byPath := map[string][]diag.Problem{}
	for _, p := range ps {
		byPath[p.Path] = append(byPath[p.Path], p)
	}
	for p := range kinds {
		if _, ok := byPath[p]; !ok {
			byPath[p] = nil
		}
	}
	files := make([]File, 0, len(byPath))
	for p, probs := range byPath {
		k, ok := kinds[p]
		if !ok {
			k = casefile.Locate(p).Kind
		}
		files = append(files, File{Path: p, Kind: k, Problems: probs})
	}
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	// Hashes of the notes as read, for note-edited once the folder's turn
	// comes (the index is read in path order).
	if v.committed != nil {
		for _, n := range f.Notes {
			i, _ := slices.BinarySearchFunc(files, n.Path, func(x File, p string) int { return strings.Compare(x.Path, p) })
			files[i].hash = gitstore.BlobHash(n.Raw)
			files[i].hashed = true
		}
	}
	return files, nil
}

// committedNotes adds note-edited problems to a folder's files: a note
// HEAD holds that is gone from the working tree or differs from HEAD.
func (v *run) committedNotes(id string, files *[]File) error {
	if v.committed == nil {
		return nil
	}
	head, err := v.committed.Folder(casefile.CaseDir(id))
	if err != nil {
		return err
	}
	for _, h := range head {
		if !strings.Contains(h.Path[len(casefile.CaseDir(id)):], "/notes/") || casefile.Locate(h.Path).Kind != casefile.KindNote {
			continue
		}
		i, found := slices.BinarySearchFunc(*files, h.Path, func(x File, p string) int { return strings.Compare(x.Path, p) })
		if !found {
			if _, err := os.Lstat(v.r.Abs(h.Path)); !errors.Is(err, fs.ErrNotExist) {
				continue // there, but not a regular file: reported as such
			}
			*files = slices.Insert(*files, i, File{Path: h.Path, Kind: casefile.KindNote, Problems: []diag.Problem{{
				Path: h.Path, Line: 1, Col: 1, Rule: NoteEdited,
				Message: "a committed note was deleted; notes are append-only: restore it with git checkout HEAD -- <file>"}}})
			continue
		}
		file := &(*files)[i]
		hash := file.hash
		if !file.hashed {
			data, err := v.r.ReadFile(h.Path)
			if err != nil {
				continue
			}
			hash = gitstore.BlobHash(data)
		}
		if hash != h.Hash {
			file.Problems = append(file.Problems, diag.Problem{Path: h.Path, Line: 1, Col: 1, Rule: NoteEdited,
				Message: "the note differs from its committed version; notes are append-only: restore it with git checkout HEAD -- <file> and write a new note that corrects it"})
		}
	}
	return nil
}

// emitItems emits the items outside case folders that sort before limit
// ("" for all that are left).
func (v *run) emitItems(limit string) error {
	for len(v.items) > 0 && (limit == "" || v.items[0].path < limit) {
		it := v.items[0]
		v.items = v.items[1:]
		if !v.scope.has(it.path) && !v.usedConfig(it) {
			continue
		}
		ps := it.problems
		switch {
		case it.kind == casefile.KindConfig && ps == nil:
			ps = v.c.Config()
		case it.kind == casefile.KindProviders && ps == nil:
			ps = v.c.Providers()
		case it.kind == casefile.KindInstrument && ps == nil:
			ps = v.c.Instrument(it.inst)
		case it.kind == casefile.KindMaturity && ps == nil:
			ps = v.c.Maturity()
		case strings.HasPrefix(it.path, "templates/") && ps == nil:
			ps = v.c.Template(it.path)
		}
		if err := v.send(File{Path: it.path, Kind: it.kind, Problems: ps}); err != nil {
			return err
		}
	}
	return nil
}

// usedConfig reports whether an item outside the asked-for paths is
// configuration the checked cases depend on: cases.yaml, providers.yaml,
// and the instruments the risk model and the checked assessments use.
func (v *run) usedConfig(it item) bool {
	switch {
	case !it.config && it.inst == "":
		return false
	case it.inst == "":
		return true
	case it.inst == v.c.Cfg.Risk.Instrument:
		return true
	}
	v.c.mu.Lock()
	defer v.c.mu.Unlock()
	return v.c.used[it.inst]
}

// send emits one file, collapsing repeated reader problems, and counts.
func (v *run) send(f File) error {
	f.Problems = collapse(diag.Sort(f.Problems))
	v.sum.Files++
	if n := diag.Errors(f.Problems); n > 0 {
		v.sum.Problems += n
		v.sum.Failed++
	}
	f.hash, f.hashed = plumbing.ZeroHash, false
	return v.emit(f)
}

// collapse makes a file the strict reader refused one clear problem per
// reader rule: nothing else about a file that cannot be read is reliable,
// and an alias bomb or a file full of tabs must not print thousands of
// lines. The first problem of each rule stays, counting the rest.
func collapse(ps []diag.Problem) []diag.Problem {
	count := map[string]int{}
	for _, p := range ps {
		if strings.HasPrefix(p.Rule, "yaml-") {
			count[p.Rule]++
		}
	}
	if len(count) == 0 {
		return ps
	}
	out := ps[:0]
	for _, p := range ps {
		switch n := count[p.Rule]; {
		case n > 0:
			if n > 1 {
				p.Message += " (and " + strconv.Itoa(n-1) + " more " + p.Rule + " problems in this file)"
			}
			out = append(out, p)
			count[p.Rule] = 0
		}
	}
	return out
}

// String is used by tests: path, then its problems one per line.
func (f File) String() string {
	var b strings.Builder
	b.WriteString(f.Path)
	for _, p := range f.Problems {
		fmt.Fprintf(&b, "\n  %s", p)
	}
	return b.String()
}
