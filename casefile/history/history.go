// Package history reads a case repository's git history the way case
// tools need it: which commits touched a case, what a case folder held at a
// commit, which cases changed between two commits, and the commits of a
// range.
//
// It never uses go-git's path-filtered Log (which diffs whole trees at
// every commit: hundreds of times slower than the git CLI on a case
// repository, see shared/GIT-PERFORMANCE.md). It reads commit objects and
// only the trees on the paths it needs; the folders are sharded by month,
// so comparing the subtree of one case between two commits reads a handful
// of small trees. Which cases each commit touched is cached under
// .git/cases/ (see cache.go), keyed by commit id, so the cache can never be
// stale.
package history

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/gitstore"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// Hash is a commit, tree or blob id.
type Hash = plumbing.Hash

// History reads the history of one repository. It is not safe for
// concurrent use.
type History struct {
	git     *gitstore.Reader
	shallow map[Hash]bool

	commits map[Hash]*gitstore.CommitInfo // read during this run
	trees   map[Hash][]gitstore.TreeEntry // a bounded memo of parsed trees
	cache   *touchCache                   // loaded on first use
}

// Open opens the history of the repository whose working tree is root.
func Open(root string) (*History, error) {
	g, err := gitstore.OpenReader(root)
	if err != nil {
		return nil, err
	}
	shallow, err := g.Shallow()
	if err != nil {
		g.Close()
		return nil, err
	}
	return &History{git: g, shallow: shallow, commits: map[Hash]*gitstore.CommitInfo{}, trees: map[Hash][]gitstore.TreeEntry{}}, nil
}

// Close releases the repository's files.
func (h *History) Close() error { return h.git.Close() }

// Head is the commit HEAD points at (zero on an unborn branch).
func (h *History) Head() (Hash, error) { return h.git.Head() }

// RevisionError says a revision could not be resolved.
type RevisionError struct{ Rev string }

func (e *RevisionError) Error() string {
	return fmt.Sprintf("unknown revision %q (a branch, a tag, a commit id, HEAD~2, origin/main, ...)", e.Rev)
}

// Resolve turns a revision (branch, tag, commit id, HEAD~2, origin/main)
// into a commit id.
func (h *History) Resolve(rev string) (Hash, error) {
	c, err := h.git.Resolve(rev)
	if err != nil {
		return plumbing.ZeroHash, &RevisionError{Rev: rev}
	}
	return c, nil
}

// Commit reads a commit (memoized for this run).
func (h *History) Commit(c Hash) (*gitstore.CommitInfo, error) {
	if ci, ok := h.commits[c]; ok {
		return ci, nil
	}
	ci, err := h.git.ReadCommit(c)
	if err != nil {
		if errors.Is(err, gitstore.ErrObjectMissing) {
			return nil, &MissingError{Commit: c}
		}
		return nil, err
	}
	if h.shallow[c] {
		ci.Parents = nil // git treats a shallow commit as a root
	}
	if len(h.commits) > 1<<16 {
		clear(h.commits)
	}
	h.commits[c] = ci
	return ci, nil
}

// MissingError says history needed a commit the clone does not hold.
type MissingError struct{ Commit Hash }

func (e *MissingError) Error() string {
	return fmt.Sprintf("commit %s is not in this clone (a shallow clone? fetch the whole history: git fetch --unshallow, or fetch-depth: 0 in CI)", e.Commit.String()[:12])
}

// Blob reads a file's content.
func (h *History) Blob(b Hash) ([]byte, error) { return h.git.ReadBlob(b) }

// tree reads a tree, memoized; the zero hash is the empty tree.
func (h *History) tree(t Hash) ([]gitstore.TreeEntry, error) {
	if t.IsZero() {
		return nil, nil
	}
	if es, ok := h.trees[t]; ok {
		return es, nil
	}
	es, err := h.git.ReadTree(t)
	if err != nil {
		return nil, err
	}
	if len(h.trees) > 4096 {
		clear(h.trees)
	}
	h.trees[t] = es
	return es, nil
}

// entry finds one name in a tree.
func entry(es []gitstore.TreeEntry, name string) (gitstore.TreeEntry, bool) {
	i := slices.IndexFunc(es, func(e gitstore.TreeEntry) bool { return e.Name == name })
	if i < 0 {
		return gitstore.TreeEntry{}, false
	}
	return es[i], true
}

// lookup finds the entry at a slash path below tree t.
func (h *History) lookup(t Hash, p string) (gitstore.TreeEntry, bool, error) {
	e := gitstore.TreeEntry{Mode: filemode.Dir, Hash: t}
	for c := range strings.SplitSeq(p, "/") {
		if !e.IsDir() {
			return gitstore.TreeEntry{}, false, nil
		}
		es, err := h.tree(e.Hash)
		if err != nil {
			return gitstore.TreeEntry{}, false, err
		}
		var ok bool
		if e, ok = entry(es, c); !ok {
			return gitstore.TreeEntry{}, false, nil
		}
	}
	return e, true, nil
}

// File is one file of a snapshot.
type File struct {
	Path string // repository-relative, slash-separated
	Mode filemode.FileMode
	Hash Hash
}

// IsRegular reports whether the file is a regular file (not a symlink or a
// submodule).
func (f File) IsRegular() bool { return gitstore.TreeEntry{Mode: f.Mode}.IsRegular() }

// Files lists every file under dir (a folder path, "" for the whole
// tree) in the tree of commit c, sorted by path. A missing folder has no
// files.
func (h *History) Files(c Hash, dir string) ([]File, error) {
	if c.IsZero() {
		return nil, nil
	}
	ci, err := h.Commit(c)
	if err != nil {
		return nil, err
	}
	return h.TreeFiles(ci.Tree, dir)
}

// TreeFiles lists every file under dir in tree t.
func (h *History) TreeFiles(t Hash, dir string) ([]File, error) {
	root := gitstore.TreeEntry{Mode: filemode.Dir, Hash: t}
	if dir != "" {
		e, ok, err := h.lookup(t, dir)
		if err != nil || !ok {
			return nil, err
		}
		root = e
	}
	var out []File
	var walk func(e gitstore.TreeEntry, p string) error
	walk = func(e gitstore.TreeEntry, p string) error {
		if !e.IsDir() {
			out = append(out, File{Path: p, Mode: e.Mode, Hash: e.Hash})
			return nil
		}
		es, err := h.tree(e.Hash)
		if err != nil {
			return err
		}
		for _, c := range es {
			if err := walk(c, join(p, c.Name)); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(root, dir); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return path.Join(dir, name)
}

// Changes is what differs between two trees, in case terms.
type Changes struct {
	Cases []string // case folders whose content differs, sorted
	Other []string // other files that differ (configuration, strays), sorted
}

// Changed compares two trees (zero for an empty tree) and lists the case
// folders and the other files that differ. Only trees on differing paths
// are read: equal subtrees are skipped by their hash.
func (h *History) Changed(a, b Hash) (Changes, error) {
	var ch Changes
	err := h.diffTrees(a, b, "", func(p string, isCase bool) {
		if isCase {
			ch.Cases = append(ch.Cases, path.Base(p))
		} else {
			ch.Other = append(ch.Other, p)
		}
	})
	slices.Sort(ch.Cases)
	slices.Sort(ch.Other)
	return ch, err
}

// diffTrees reports each case folder (isCase) or other file that differs
// between trees a and b below dir.
func (h *History) diffTrees(a, b Hash, dir string, report func(p string, isCase bool)) error {
	if a == b {
		return nil
	}
	ea, err := h.tree(a)
	if err != nil {
		return err
	}
	eb, err := h.tree(b)
	if err != nil {
		return err
	}
	depth := 0
	if dir != "" {
		depth = strings.Count(dir, "/") + 1
	}
	visit := func(name string, x, y gitstore.TreeEntry, hasX, hasY bool) error {
		if hasX && hasY && x.Hash == y.Hash && x.Mode == y.Mode {
			return nil
		}
		p := join(dir, name)
		// A case folder: cases/<month>/<id>.
		if depth == 2 && strings.HasPrefix(dir, casefile.CasesDir+"/") && casefile.ValidCaseID(name) && name[:7] == path.Base(dir) {
			if (hasX && x.IsDir()) || (hasY && y.IsDir()) {
				report(p, true)
				return nil
			}
		}
		xd, yd := hasX && x.IsDir(), hasY && y.IsDir()
		if !xd && !yd {
			report(p, false)
			return nil
		}
		var ta, tb Hash
		if xd {
			ta = x.Hash
		} else if hasX {
			report(p, false) // a file became a folder
		}
		if yd {
			tb = y.Hash
		} else if hasY {
			report(p, false)
		}
		return h.diffTrees(ta, tb, p, report)
	}
	// Entries are in git's order: names as bytes, folders as if they ended
	// in "/". A name that is a file on one side and a folder on the other
	// is two entries.
	key := func(e gitstore.TreeEntry) string {
		if e.IsDir() {
			return e.Name + "/"
		}
		return e.Name
	}
	i, j := 0, 0
	for i < len(ea) || j < len(eb) {
		switch {
		case j >= len(eb) || (i < len(ea) && key(ea[i]) < key(eb[j])):
			if err := visit(ea[i].Name, ea[i], gitstore.TreeEntry{}, true, false); err != nil {
				return err
			}
			i++
		case i >= len(ea) || key(eb[j]) < key(ea[i]):
			if err := visit(eb[j].Name, gitstore.TreeEntry{}, eb[j], false, true); err != nil {
				return err
			}
			j++
		default:
			if err := visit(ea[i].Name, ea[i], eb[j], true, true); err != nil {
				return err
			}
			i++
			j++
		}
	}
	return nil
}

// CommitTree is the tree of a commit (zero for the zero commit).
func (h *History) CommitTree(c Hash) (Hash, error) {
	if c.IsZero() {
		return plumbing.ZeroHash, nil
	}
	ci, err := h.Commit(c)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return ci.Tree, nil
}

// FileChange is a file that differs between two trees.
type FileChange struct {
	Path     string
	Old, New File // Hash zero on the side where the file does not exist
}

// DiffFiles lists every file that differs between trees a and b (zero for
// an empty tree), in path order, reading only the trees on differing
// paths.
func (h *History) DiffFiles(a, b Hash) ([]FileChange, error) {
	var out []FileChange
	var walk func(a, b Hash, dir string) error
	walk = func(a, b Hash, dir string) error {
		if a == b {
			return nil
		}
		ea, err := h.tree(a)
		if err != nil {
			return err
		}
		eb, err := h.tree(b)
		if err != nil {
			return err
		}
		side := func(e gitstore.TreeEntry, p string) (File, Hash) {
			if e.IsDir() {
				return File{}, e.Hash
			}
			return File{Path: p, Mode: e.Mode, Hash: e.Hash}, zero
		}
		ma := make(map[string]gitstore.TreeEntry, len(ea))
		for _, e := range ea {
			ma[e.Name] = e
		}
		mb := make(map[string]gitstore.TreeEntry, len(eb))
		names := make([]string, 0, len(ea)+len(eb))
		for _, e := range eb {
			mb[e.Name] = e
			names = append(names, e.Name)
		}
		for _, e := range ea {
			if _, ok := mb[e.Name]; !ok {
				names = append(names, e.Name)
			}
		}
		slices.Sort(names)
		for _, n := range names {
			p := join(dir, n)
			x, hasX := ma[n]
			y, hasY := mb[n]
			if hasX && hasY && x.Hash == y.Hash && x.Mode == y.Mode {
				continue
			}
			var fx, fy File
			var dx, dy Hash
			if hasX {
				fx, dx = side(x, p)
			}
			if hasY {
				fy, dy = side(y, p)
			}
			if !fx.Hash.IsZero() || !fy.Hash.IsZero() {
				out = append(out, FileChange{Path: p, Old: fx, New: fy})
			}
			if !dx.IsZero() || !dy.IsZero() {
				if err := walk(dx, dy, p); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk(a, b, ""); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(x, y FileChange) int { return strings.Compare(x.Path, y.Path) })
	return out, nil
}
