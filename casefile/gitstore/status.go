package gitstore

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
)

// pathState is one path as HEAD, the index and the working tree see it.
type pathState struct {
	head    *treeEntry
	entry   *indexEntry
	disk    fs.FileInfo
	ignored bool // untracked files only: matched by an ignore rule
}

// Dirty lists the files under the given folders or files (slash-separated,
// relative) whose working-tree content or index entry differs from HEAD:
// modified, staged, deleted, and untracked files that no ignore rule
// (.gitignore files, .git/info/exclude, core.excludesFile) matches. The
// list is sorted.
//
// Only the HEAD trees, index entries and folders under the prefixes are
// read; the one pass over the whole index is a sequential scan of its
// entry headers.
func (r *Repo) Dirty(prefixes ...string) ([]string, error) {
	for _, p := range prefixes {
		if err := checkPath(p); err != nil {
			return nil, err
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	cfg, idx, tree, err := r.readState()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, prefix := range prefixes {
		states := map[string]*pathState{}
		get := func(p string) *pathState {
			s := states[p]
			if s == nil {
				s = &pathState{}
				states[p] = s
			}
			return s
		}
		if e, ok, err := r.lookup(tree, prefix); err != nil {
			return nil, err
		} else if ok {
			err := r.walkTree(e, prefix, func(p string, e treeEntry) { get(p).head = &e })
			if err != nil {
				return nil, err
			}
		}
		for _, i := range idx.under(prefix) {
			e := idx.entry(i)
			get(idx.name(i)).entry = &e
		}
		err := r.walkDisk(cfg, idx, prefix, func(p string, fi fs.FileInfo, ignored bool) {
			s := get(p)
			s.disk, s.ignored = fi, ignored
		})
		if err != nil {
			return nil, err
		}
		for p, s := range states {
			d, err := r.isDirty(cfg, idx, p, s)
			if err != nil {
				return nil, err
			}
			if d {
				out = append(out, p)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Unstaged lists those of the given paths whose working-tree file differs
// from its index entry, is absent from the index while present on disk
// (whatever the ignore rules say), or is in the index but gone from disk.
func (r *Repo) Unstaged(paths ...string) ([]string, error) {
	for _, p := range paths {
		if err := checkPath(p); err != nil {
			return nil, err
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	cfg, err := r.config()
	if err != nil {
		return nil, err
	}
	idx, err := readIndex(filepath.Join(r.gitDir, "index"), false)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range paths {
		s := &pathState{}
		if i, ok := idx.search(p); ok {
			e := idx.entry(i)
			s.entry = &e
		}
		if s.disk, _, err = r.lstatNoFollow(p); err != nil {
			return nil, err
		}
		if d, err := r.differsFromIndex(cfg, idx, p, s); err != nil {
			return nil, err
		} else if d {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func (r *Repo) readState() (gitConfig, *gitIndex, plumbing.Hash, error) {
	cfg, err := r.config()
	if err != nil {
		return nil, nil, plumbing.ZeroHash, err
	}
	head, err := r.readHead()
	if err != nil {
		return nil, nil, plumbing.ZeroHash, err
	}
	tree, err := r.commitTree(head.tip)
	if err != nil {
		return nil, nil, plumbing.ZeroHash, err
	}
	idx, err := readIndex(filepath.Join(r.gitDir, "index"), false)
	return cfg, idx, tree, err
}

// walkTree calls fn for every non-folder entry at or below e (at path p).
func (r *Repo) walkTree(e treeEntry, p string, fn func(string, treeEntry)) error {
	if e.mode != filemode.Dir {
		fn(p, e)
		return nil
	}
	entries, err := r.readTree(e.hash)
	if err != nil {
		return err
	}
	for _, k := range entries {
		if err := r.walkTree(k, p+"/"+k.name, fn); err != nil {
			return err
		}
	}
	return nil
}

// walkDisk calls fn for every non-folder at or below prefix in the working
// tree, without following symlinks, telling whether ignore rules match it.
// Ignored folders are skipped unless the index tracks files inside them.
func (r *Repo) walkDisk(cfg gitConfig, idx *gitIndex, prefix string, fn func(string, fs.FileInfo, bool)) error {
	fi, _, err := r.lstatNoFollow(prefix)
	if fi == nil || err != nil {
		return err
	}
	ign := r.ignoreBase(cfg)
	ignored := false
	for _, a := range append([]string{""}, ancestors(prefix)...) {
		ign = append(ign, r.readIgnore(a)...)
		if a != "" && matches(ign, a, true) {
			ignored = true
		}
	}
	if !fi.IsDir() {
		fn(prefix, fi, ignored || matches(ign, prefix, false))
		return nil
	}
	// ignoredDirs holds the folders found ignored during the walk.
	ignoredDirs := map[string]bool{}
	return fs.WalkDir(r.wt.FS(), prefix, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		parentIgnored := ignored || ignoredDirs[path.Dir(p)]
		if d.IsDir() {
			if d.Name() == ".git" && p != prefix {
				return fs.SkipDir // a nested repository's own folder
			}
			ign = append(ign, r.readIgnore(p)...)
			if parentIgnored || matches(ign, p, true) {
				if len(idx.under(p)) == 0 {
					return fs.SkipDir
				}
				ignoredDirs[p] = true
			}
			return nil
		}
		info, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil // removed while walking
		}
		if err != nil {
			return err
		}
		fn(p, info, parentIgnored || matches(ign, p, false))
		return nil
	})
}

func matches(ps []gitignore.Pattern, p string, isDir bool) bool {
	return gitignore.NewMatcher(ps).Match(strings.Split(p, "/"), isDir)
}

// ignoreBase returns the patterns of core.excludesFile (default
// $XDG_CONFIG_HOME/git/ignore) and .git/info/exclude, lowest priority first.
func (r *Repo) ignoreBase(cfg gitConfig) []gitignore.Pattern {
	global := cfg.get("core.excludesfile")
	if global == "" {
		if xdg := os.Getenv("XDG_CONFIG_HOME"); xdg != "" {
			global = filepath.Join(xdg, "git", "ignore")
		} else if home, err := os.UserHomeDir(); err == nil {
			global = filepath.Join(home, ".config", "git", "ignore")
		}
	} else if rest, ok := strings.CutPrefix(global, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			global = filepath.Join(home, rest)
		}
	}
	ps := readPatterns(global, nil)
	return append(ps, readPatterns(filepath.Join(r.gitDir, "info", "exclude"), nil)...)
}

// readIgnore reads the .gitignore of folder dir ("" for the root).
func (r *Repo) readIgnore(dir string) []gitignore.Pattern {
	var domain []string
	if dir != "" {
		domain = strings.Split(dir, "/")
	}
	return readPatterns(filepath.Join(r.root, filepath.FromSlash(dir), ".gitignore"), domain)
}

func readPatterns(file string, domain []string) []gitignore.Pattern {
	if file == "" {
		return nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil // absent or unreadable: git ignores it too
	}
	var ps []gitignore.Pattern
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if line != "" && !strings.HasPrefix(line, "#") {
			ps = append(ps, gitignore.ParsePattern(line, domain))
		}
	}
	return ps
}

// isDirty reports whether p differs between HEAD, the index and the
// working tree (untracked ignored files do not count).
func (r *Repo) isDirty(cfg gitConfig, idx *gitIndex, p string, s *pathState) (bool, error) {
	switch {
	case s.entry == nil && s.head == nil:
		return s.disk != nil && !s.ignored, nil
	case s.entry == nil || s.head == nil:
		return true, nil
	case s.entry.hash != s.head.hash || filemode.FileMode(s.entry.mode) != s.head.mode:
		return true, nil
	}
	return r.differsFromIndex(cfg, idx, p, s)
}

// differsFromIndex compares the working-tree file with the index entry,
// trusting the cached stat data as git does (unless the entry is racily
// clean), and hashing the file otherwise.
func (r *Repo) differsFromIndex(cfg gitConfig, idx *gitIndex, p string, s *pathState) (bool, error) {
	e, fi := s.entry, s.disk
	switch {
	case e == nil || fi == nil:
		return e != nil || fi != nil, nil
	case e.xflags&xflagSkipWT != 0:
		return false, nil // sparse checkout: not expected on disk
	case e.xflags&xflagITA != 0:
		return true, nil // git add -N: content not staged yet
	case e.mode == uint32(filemode.Submodule):
		return false, nil
	}
	var mode filemode.FileMode
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		mode = filemode.Symlink
	case !fi.Mode().IsRegular():
		return true, nil
	case !cfg.bool("core.filemode", true) && isRegular(filemode.FileMode(e.mode)):
		mode = filemode.FileMode(e.mode)
	case fi.Mode()&0o100 != 0:
		mode = filemode.Executable
	default:
		mode = filemode.Regular
	}
	if uint32(mode) != e.mode {
		return true, nil
	}
	st := statOf(fi, mode)
	if !cfg.bool("core.trustctime", true) {
		st.ctimeS, st.ctimeN = e.ctimeS, e.ctimeN
	}
	racy := !idx.mtime.IsZero() && int64(e.mtimeS)*1e9+int64(e.mtimeN) >= idx.mtime.UnixNano()
	if st == e.fileStat && !racy {
		return false, nil
	}
	var data []byte
	var err error
	if mode == filemode.Symlink {
		var target string
		target, err = r.wt.Readlink(p)
		data = []byte(target)
	} else {
		data, err = r.wt.ReadFile(p)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return plumbing.ComputeHash(plumbing.BlobObject, data) != e.hash, nil
}
