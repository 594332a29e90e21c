package gitstore

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// CommittedFile is a file as HEAD holds it.
type CommittedFile struct {
	Path string // slash-separated, relative to the working tree
	Hash plumbing.Hash
}

// BlobHash is the git object id of a file with the given content: equal to
// a CommittedFile's Hash exactly when the content is what was committed.
func BlobHash(data []byte) plumbing.Hash {
	// crypto/sha1 rather than go-git's collision-detecting hasher: this only
	// compares a file with what was committed, and is run on every note.
	h := sha1.New()
	h.Write([]byte("blob " + strconv.Itoa(len(data)) + "\x00"))
	h.Write(data)
	return plumbing.Hash(h.Sum(nil))
}

// Committed lists what HEAD holds under a series of folders visited in
// path order, so that a whole-repository check (cases validate) can compare
// the working tree with the last commit without reading every file twice
// and without holding the index or HEAD's trees in memory.
//
// Unless the pass is sparse, the index is read as a stream, in step with
// the folders asked for. For
// each folder the tree hash of its index entries is computed and compared
// with HEAD's tree hash for that folder (found in the parent trees, which
// are read once per parent); when they are equal the index entries are
// exactly HEAD's files and no object is read. Only a folder whose index
// differs from HEAD (staged changes, conflicts, a split or sparse index)
// costs a walk of HEAD's trees below it.
type Committed struct {
	r     *Repo
	root  plumbing.Hash // HEAD's tree; zero when the branch is unborn
	idx   *indexStream  // nil when there is no index
	stack []cachedTree  // trees of the last folder's ancestors, root first
	last  string
}

type cachedTree struct {
	path    string
	entries []treeEntry
}

// Committed starts a pass over HEAD; close it when done. A pass over a few
// folders (sparse) reads HEAD's trees down to each of them and nothing of
// the index: that costs the depth of the folders, where streaming the
// index costs its whole length up to the last folder.
func (r *Repo) Committed(sparse bool) (*Committed, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	head, err := r.readHead()
	if err != nil {
		return nil, err
	}
	root, err := r.commitTree(head.tip)
	if err != nil {
		return nil, err
	}
	c := &Committed{r: r, root: root}
	if root.IsZero() || sparse {
		return c, nil
	}
	c.idx, err = openIndexStream(filepath.Join(r.gitDir, "index"))
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Close releases the index file.
func (c *Committed) Close() error {
	if c.idx == nil {
		return nil
	}
	return c.idx.f.Close()
}

// Folder returns the files HEAD holds at or below folder dir, sorted by
// path (nil when HEAD has no such folder). Calls must name folders in
// increasing path order, none inside another asked for before.
func (c *Committed) Folder(dir string) ([]CommittedFile, error) {
	if err := checkPath(dir); err != nil {
		return nil, err
	}
	if c.last != "" && (dir <= c.last || strings.HasPrefix(dir, c.last+"/")) {
		return nil, fmt.Errorf("gitstore: Committed.Folder(%q) after %q: folders must come in increasing path order", dir, c.last)
	}
	c.last = dir
	if c.root.IsZero() {
		return nil, nil
	}
	var staged []streamEntry
	if c.idx != nil {
		var err error
		if staged, err = c.idx.under(dir + "/"); err != nil {
			return nil, err
		}
	}
	c.r.mu.Lock()
	defer c.r.mu.Unlock()
	e, ok, err := c.headEntry(dir)
	if err != nil || !ok || e.mode != filemode.Dir {
		return nil, err
	}
	if h, ok := indexTreeHash(staged, len(dir)+1); ok && c.idx != nil && h == e.hash {
		out := make([]CommittedFile, len(staged))
		for i, s := range staged {
			out[i] = CommittedFile{Path: s.name, Hash: s.hash}
		}
		return out, nil
	}
	var out []CommittedFile
	err = c.r.walkTree(e, dir, func(p string, e treeEntry) {
		if isRegular(e.mode) || e.mode == filemode.Symlink {
			out = append(out, CommittedFile{Path: p, Hash: e.hash})
		}
	})
	slices.SortFunc(out, func(a, b CommittedFile) int { return strings.Compare(a.Path, b.Path) })
	return out, err
}

// headEntry finds dir's entry in HEAD, reading each ancestor tree once for
// all the folders below it. The caller holds r.mu.
func (c *Committed) headEntry(dir string) (treeEntry, bool, error) {
	parts := strings.Split(dir, "/")
	if len(c.stack) == 0 {
		entries, err := c.r.readTree(c.root)
		if err != nil {
			return treeEntry{}, false, err
		}
		c.stack = []cachedTree{{"", entries}}
	}
	for i := range parts {
		parent := strings.Join(parts[:i], "/")
		if i >= len(c.stack) || c.stack[i].path != parent {
			// Read the parent from its own parent, cached at depth i-1.
			prev := c.stack[i-1]
			j := slices.IndexFunc(prev.entries, func(x treeEntry) bool { return x.name == parts[i-1] })
			if j < 0 || prev.entries[j].mode != filemode.Dir {
				return treeEntry{}, false, nil
			}
			entries, err := c.r.readTree(prev.entries[j].hash)
			if err != nil {
				return treeEntry{}, false, err
			}
			c.stack = append(c.stack[:i], cachedTree{parent, entries})
		}
	}
	entries := c.stack[len(parts)-1].entries
	j := slices.IndexFunc(entries, func(x treeEntry) bool { return x.name == parts[len(parts)-1] })
	if j < 0 {
		return treeEntry{}, false, nil
	}
	return entries[j], true, nil
}

// indexTreeHash computes the tree object id git would write for the index
// entries below a folder (names relative from offset base). ok is false
// when the entries cannot stand for a tree: conflicts, intent-to-add or
// skip-worktree entries, folder entries of a sparse index.
func indexTreeHash(entries []streamEntry, base int) (plumbing.Hash, bool) {
	var tree []treeEntry
	for i := 0; i < len(entries); {
		e := entries[i]
		rel := e.name[base:]
		if e.stage != 0 || e.xflags&(xflagITA|xflagSkipWT) != 0 {
			return plumbing.ZeroHash, false
		}
		name, _, isDir := strings.Cut(rel, "/")
		if !isDir {
			m := filemode.FileMode(e.mode)
			if !isRegular(m) && m != filemode.Symlink && m != filemode.Submodule {
				return plumbing.ZeroHash, false
			}
			tree = append(tree, treeEntry{name: name, mode: m, hash: e.hash})
			i++
			continue
		}
		j := i
		for j < len(entries) && strings.HasPrefix(entries[j].name[base:], name+"/") {
			j++
		}
		h, ok := indexTreeHash(entries[i:j], base+len(name)+1)
		if !ok {
			return plumbing.ZeroHash, false
		}
		tree = append(tree, treeEntry{name: name, mode: filemode.Dir, hash: h})
		i = j
	}
	slices.SortFunc(tree, func(a, b treeEntry) int { return strings.Compare(a.sortKey(), b.sortKey()) })
	return plumbing.ComputeHash(plumbing.TreeObject, encodeTree(tree)), true
}

// indexStream reads index entries one at a time, in order, without holding
// the file in memory and without allocating for the entries it skips.
type indexStream struct {
	f       *os.File
	br      *bufio.Reader
	version uint32
	left    int  // entries not yet read
	have    bool // cur holds an entry read but not yet consumed
	cur     rawEntry
}

// rawEntry is the entry being read; name is reused from entry to entry
// (version 4 builds each name from the one before).
type rawEntry struct {
	name   []byte
	mode   uint32
	hash   plumbing.Hash
	stage  int
	xflags uint16
}

type streamEntry struct {
	name   string
	mode   uint32
	hash   plumbing.Hash
	stage  int
	xflags uint16
}

func openIndexStream(path string) (*indexStream, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read git index: %w", err)
	}
	s := &indexStream{f: f, br: bufio.NewReaderSize(f, 1<<16)}
	var hdr [indexHeaderLen]byte
	if _, err := io.ReadFull(s.br, hdr[:]); err != nil || string(hdr[:4]) != "DIRC" {
		f.Close()
		return nil, corrupt("bad header")
	}
	s.version = binary.BigEndian.Uint32(hdr[4:])
	if s.version < 2 || s.version > 4 {
		f.Close()
		return nil, fmt.Errorf("%w: version %d", ErrUnsupportedIndex, s.version)
	}
	s.left = int(binary.BigEndian.Uint32(hdr[8:]))
	return s, nil
}

// under skips the entries before prefix and returns those starting with
// it (prefix ends in "/"). The first entry after them stays unconsumed.
func (s *indexStream) under(prefix string) ([]streamEntry, error) {
	var out []streamEntry
	for {
		if !s.have {
			if s.left == 0 {
				return out, nil
			}
			if err := s.read(); err != nil {
				return nil, err
			}
			s.have = true
		}
		c := &s.cur
		switch {
		case bytes.HasPrefix(c.name, []byte(prefix)):
			out = append(out, streamEntry{string(c.name), c.mode, c.hash, c.stage, c.xflags})
		case string(c.name) > prefix:
			return out, nil
		}
		s.have = false
	}
}

// read reads the next entry into s.cur.
func (s *indexStream) read() error {
	// Peek and Discard work in the reader's buffer: nothing is copied or
	// allocated for an entry that is skipped.
	fixed, err := s.br.Peek(entryFixed + 2)
	if len(fixed) < entryFixed {
		return corrupt("entry truncated")
	}
	s.left--
	c := &s.cur
	c.mode = binary.BigEndian.Uint32(fixed[24:])
	c.hash = plumbing.Hash(fixed[40:60])
	flags := binary.BigEndian.Uint16(fixed[60:])
	c.stage = int(flags&flagStage) >> 12
	c.xflags = 0
	n := entryFixed
	if flags&flagExtended != 0 {
		if s.version < 3 {
			return corrupt("extended flags in a version 2 index")
		}
		if err != nil {
			return corrupt("entry truncated")
		}
		c.xflags = binary.BigEndian.Uint16(fixed[entryFixed:])
		n += 2
	}
	if _, err := s.br.Discard(n); err != nil {
		return corrupt("entry truncated")
	}
	if s.version == 4 {
		strip, err := readVarint(s.br)
		if err != nil || strip > len(c.name) {
			return corrupt("entry name")
		}
		suffix, err := s.br.ReadSlice(0)
		if err != nil {
			return corrupt("entry name")
		}
		c.name = append(c.name[:len(c.name)-strip], suffix[:len(suffix)-1]...)
		return nil
	}
	name, err := s.br.ReadSlice(0)
	if err == bufio.ErrBufferFull { // a name longer than the buffer
		long := slices.Clone(name)
		rest, err := s.br.ReadBytes(0)
		if err != nil {
			return corrupt("entry name")
		}
		name = append(long, rest...)
	} else if err != nil {
		return corrupt("entry name")
	}
	c.name = append(c.name[:0], name[:len(name)-1]...)
	// Entries are padded with 1 to 8 NUL bytes to a multiple of 8; one was
	// read with the name.
	pad := (n+len(c.name)+8)&^7 - (n + len(c.name) + 1)
	if _, err := s.br.Discard(pad); err != nil {
		return corrupt("entry truncated")
	}
	return nil
}

// readVarint decodes git's offset varint from a reader.
func readVarint(br *bufio.Reader) (int, error) {
	var buf []byte
	for len(buf) < 9 {
		c, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		buf = append(buf, c)
		if c&0x80 == 0 {
			if v, n := varint(buf); n == len(buf) {
				return v, nil
			}
			break
		}
	}
	return 0, corrupt("varint")
}

// Ignored returns those of the paths (a trailing "/" marks a folder) that
// git ignores: absent from the index and matched by a .gitignore file on
// the way to them, .git/info/exclude or core.excludesFile. Files a person
// forced into the index are not ignored, as in git.
func (r *Repo) Ignored(paths []string) (map[string]bool, error) {
	for _, p := range paths {
		if err := checkPath(strings.TrimSuffix(p, "/")); err != nil {
			return nil, err
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	cfg, err := r.config()
	if err != nil {
		return nil, err
	}
	base := r.ignoreBase(cfg)
	out := map[string]bool{}
	for _, p := range paths {
		clean := strings.TrimSuffix(p, "/")
		ign := slices.Clone(base)
		ignored := false
		for _, a := range append([]string{""}, ancestors(clean)...) {
			ign = append(ign, r.readIgnore(a)...)
			if a != "" && matches(ign, a, true) {
				ignored = true
			}
		}
		if ignored || matches(ign, clean, strings.HasSuffix(p, "/")) {
			out[p] = true
		}
	}
	if len(out) == 0 {
		return out, nil
	}
	idx, err := readIndex(filepath.Join(r.gitDir, "index"), false)
	if err != nil {
		return nil, err
	}
	for p := range out {
		if len(idx.under(strings.TrimSuffix(p, "/"))) > 0 {
			delete(out, p)
		}
	}
	return out, nil
}
