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
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// The index file format: https://git-scm.com/docs/index-format.
const (
	entryFixed     = 62     // stat data, hash and flags of an entry
	flagExtended   = 0x4000 // the entry has a second flags word (v3+)
	flagStage      = 0x3000
	nameMask       = 0x0fff
	xflagITA       = 1 << 13 // intent to add (git add -N)
	xflagSkipWT    = 1 << 14 // skip-worktree (sparse checkout)
	indexHeaderLen = 12
)

// gitIndex is an index file held as its bytes. Entries are located by one
// sequential pass over their fixed headers (names of version 4 are
// rebuilt); nothing else is decoded until asked for.
type gitIndex struct {
	raw       []byte // the whole file
	version   uint32
	offs      []int    // start of each entry, then the end of the entries
	names     []string // version 4 only: full names
	exts      []indexExt
	conflicts bool      // some entry has a stage > 0
	mtime     time.Time // of the file, for racy-git checks; zero if absent
}

type indexExt struct {
	sig     string
	payload []byte
}

// fileStat is the stat data git caches per index entry.
type fileStat struct {
	ctimeS, ctimeN, mtimeS, mtimeN uint32
	dev, ino, mode, uid, gid, size uint32
}

// indexEntry is a decoded index entry.
type indexEntry struct {
	fileStat
	hash   plumbing.Hash
	flags  uint16
	xflags uint16
}

func statOf(fi fs.FileInfo, mode filemode.FileMode) fileStat {
	mt := fi.ModTime()
	s := fileStat{mtimeS: uint32(mt.Unix()), mtimeN: uint32(mt.Nanosecond()), mode: uint32(mode), size: uint32(fi.Size())}
	sysStat(fi, &s)
	return s
}

func corrupt(format string, a ...any) error {
	return fmt.Errorf("git index is corrupt: "+format, a...)
}

// readIndex reads and parses .git/index; a missing file is an empty
// version 2 index. With verify, the trailing checksum is checked as git
// does (a zero checksum, written under index.skipHash, is accepted).
func readIndex(path string, verify bool) (*gitIndex, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &gitIndex{raw: []byte("DIRC\x00\x00\x00\x02\x00\x00\x00\x00"), version: 2, offs: []int{indexHeaderLen}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read git index: %w", err)
	}
	x := &gitIndex{raw: raw}
	if fi, err := os.Stat(path); err == nil {
		x.mtime = fi.ModTime()
	}
	if err := x.parse(verify); err != nil {
		return nil, err
	}
	return x, nil
}

func (x *gitIndex) parse(verify bool) error {
	raw := x.raw
	if len(raw) < indexHeaderLen+sha1.Size || string(raw[:4]) != "DIRC" {
		return corrupt("bad header")
	}
	x.version = binary.BigEndian.Uint32(raw[4:])
	if x.version < 2 || x.version > 4 {
		return fmt.Errorf("%w: version %d", ErrUnsupportedIndex, x.version)
	}
	n := int(binary.BigEndian.Uint32(raw[8:]))
	body := len(raw) - sha1.Size
	if n > body/entryFixed {
		return corrupt("%d entries do not fit", n)
	}
	if verify {
		sum := raw[body:]
		if !bytes.Equal(sum, make([]byte, sha1.Size)) {
			if got := sha1.Sum(raw[:body]); !bytes.Equal(got[:], sum) {
				return corrupt("checksum mismatch")
			}
		}
	}
	x.offs = make([]int, 0, n+1)
	if x.version == 4 {
		x.names = make([]string, 0, n)
	}
	off, prev := indexHeaderLen, ""
	for i := 0; i < n; i++ {
		if off+entryFixed > body {
			return corrupt("entry %d truncated", i)
		}
		x.offs = append(x.offs, off)
		flags := binary.BigEndian.Uint16(raw[off+60:])
		x.conflicts = x.conflicts || flags&flagStage != 0
		p := off + entryFixed
		if flags&flagExtended != 0 {
			if x.version < 3 {
				return corrupt("extended flags in a version 2 index")
			}
			p += 2
		}
		if p > body {
			return corrupt("entry %d truncated", i)
		}
		if x.version == 4 {
			strip, k := varint(raw[p:body])
			end := bytes.IndexByte(raw[p+k:body], 0)
			if k == 0 || end < 0 || strip > len(prev) {
				return corrupt("entry %d name", i)
			}
			prev = prev[:len(prev)-strip] + string(raw[p+k:p+k+end])
			x.names = append(x.names, prev)
			off = p + k + end + 1
			continue
		}
		nl := int(flags & nameMask)
		if nl == nameMask {
			nl = bytes.IndexByte(raw[p:body], 0)
		}
		next := off + (p-off+nl+8)&^7
		if nl < 0 || next > body {
			return corrupt("entry %d name", i)
		}
		off = next
	}
	x.offs = append(x.offs, off)
	for off < body {
		if off+8 > body {
			return corrupt("extension header truncated")
		}
		sig, size := string(raw[off:off+4]), int(binary.BigEndian.Uint32(raw[off+4:]))
		if size > body-off-8 {
			return corrupt("extension %q truncated", sig)
		}
		x.exts = append(x.exts, indexExt{sig: sig, payload: raw[off+8 : off+8+size]})
		off += 8 + size
	}
	return nil
}

// varint decodes git's offset varint (used by index v4 name compression).
func varint(b []byte) (val, n int) {
	for n < len(b) && n < 9 {
		c := b[n]
		if n > 0 {
			val++
		}
		val = val<<7 | int(c&0x7f)
		n++
		if c&0x80 == 0 {
			return val, n
		}
	}
	return 0, 0
}

func (x *gitIndex) len() int { return len(x.offs) - 1 }

// rawName returns entry i's path as stored (versions 2 and 3).
func (x *gitIndex) rawName(i int) []byte {
	off := x.offs[i]
	p := off + entryFixed
	flags := binary.BigEndian.Uint16(x.raw[off+60:])
	if flags&flagExtended != 0 {
		p += 2
	}
	nl := int(flags & nameMask)
	if nl == nameMask {
		nl = bytes.IndexByte(x.raw[p:], 0)
	}
	return x.raw[p : p+nl]
}

// name returns entry i's path.
func (x *gitIndex) name(i int) string {
	if x.names != nil {
		return x.names[i]
	}
	return string(x.rawName(i))
}

// cmpName compares entry i's path with s.
func (x *gitIndex) cmpName(i int, s string) int {
	if x.names != nil {
		return strings.Compare(x.names[i], s)
	}
	return bytes.Compare(x.rawName(i), []byte(s))
}

// search returns the first entry whose name is >= s, and whether it is s.
func (x *gitIndex) search(s string) (int, bool) {
	i := sort.Search(x.len(), func(i int) bool { return x.cmpName(i, s) >= 0 })
	return i, i < x.len() && x.cmpName(i, s) == 0
}

// under returns the entries whose path is p or lies below folder p, in
// index order. "p/" sorts after names such as "p-x" and "p.y" and before
// "p0", so the folder's contents are one contiguous range.
func (x *gitIndex) under(p string) []int {
	var out []int
	if i, ok := x.search(p); ok {
		out = append(out, i)
	}
	lo, _ := x.search(p + "/")
	hi, _ := x.search(p + "0")
	for i := lo; i < hi; i++ {
		out = append(out, i)
	}
	return out
}

func (x *gitIndex) entry(i int) indexEntry {
	b := x.raw[x.offs[i]:]
	u := func(k int) uint32 { return binary.BigEndian.Uint32(b[4*k:]) }
	e := indexEntry{
		fileStat: fileStat{u(0), u(1), u(2), u(3), u(4), u(5), u(6), u(7), u(8), u(9)},
		hash:     plumbing.Hash(b[40:60]),
		flags:    binary.BigEndian.Uint16(b[60:]),
	}
	if e.flags&flagExtended != 0 {
		e.xflags = binary.BigEndian.Uint16(b[62:])
	}
	return e
}

// checkWritable refuses what Apply must not write: conflicts, split and
// sparse indexes, and unknown required extensions.
func (x *gitIndex) checkWritable(cfg gitConfig) error {
	if x.conflicts {
		return ErrConflicts
	}
	if cfg.bool("core.splitindex", false) {
		return fmt.Errorf("%w: core.splitIndex is set (run: git update-index --no-split-index, and unset it)", ErrUnsupportedIndex)
	}
	for _, e := range x.exts {
		switch {
		case e.sig == "link":
			return fmt.Errorf("%w: split index (run: git update-index --no-split-index)", ErrUnsupportedIndex)
		case e.sig == "sdir":
			return fmt.Errorf("%w: sparse index (run: git sparse-checkout disable, or set index.sparse=false)", ErrUnsupportedIndex)
		case e.sig[0] < 'A' || e.sig[0] > 'Z':
			return fmt.Errorf("%w: unknown required extension %q", ErrUnsupportedIndex, e.sig)
		}
	}
	return nil
}

// staged is the new state of one touched path for the index.
type staged struct {
	path   string
	delete bool
	hash   plumbing.Hash
	stat   fileStat
}

// checkPaths refuses touched paths that would clash with an entry of the
// index: a file where a touched path needs a folder, or a folder's
// contents where a touched path is a file.
func (x *gitIndex) checkPaths(paths []string) error {
	for _, p := range paths {
		for _, a := range ancestors(p) {
			if _, ok := x.search(a); ok {
				return fmt.Errorf("%w %q: %s is a file in the index", ErrInvalidPath, p, a)
			}
		}
		if i, _ := x.search(p + "/"); i < x.len() && strings.HasPrefix(x.name(i), p+"/") {
			return fmt.Errorf("%w %q: it is a folder in the index", ErrInvalidPath, p)
		}
	}
	return nil
}

// writeSpliced writes the index with the entries of the touched paths
// replaced, inserted or removed, to w. Versions 2 and 3 are spliced: every
// other entry is copied byte for byte. Version 4 (prefix-compressed names)
// goes through go-git's decoder and encoder, which is slower and drops the
// optional extensions, but correct.
func (x *gitIndex) writeSpliced(w io.Writer, changes []staged) error {
	changes = slices.Clone(changes)
	slices.SortFunc(changes, func(a, b staged) int { return strings.Compare(a.path, b.path) })
	if x.version == 4 {
		return x.writeV4(w, changes)
	}
	h := sha1.New()
	bw := bufio.NewWriterSize(io.MultiWriter(w, h), 1<<16)

	n := x.len()
	for _, c := range changes {
		_, found := x.search(c.path)
		switch {
		case found && c.delete:
			n--
		case !found && !c.delete:
			n++
		}
	}
	var hdr [indexHeaderLen]byte
	copy(hdr[:], "DIRC")
	binary.BigEndian.PutUint32(hdr[4:], x.version)
	binary.BigEndian.PutUint32(hdr[8:], uint32(n))
	bw.Write(hdr[:])

	prev := x.offs[0]
	for _, c := range changes {
		i, found := x.search(c.path)
		bw.Write(x.raw[prev:x.offs[i]])
		prev = x.offs[i]
		if found {
			prev = x.offs[i+1]
		}
		if !c.delete {
			bw.Write(encodeEntry(c))
		}
	}
	bw.Write(x.raw[prev:x.offs[x.len()]])

	dirs := map[string]bool{"": true}
	for _, c := range changes {
		for _, a := range ancestors(c.path) {
			dirs[a] = true
		}
	}
	for _, e := range x.exts {
		payload := e.payload
		switch e.sig {
		case "TREE":
			// The cached tree stays valid for every folder off the touched
			// paths; the root and each folder above a touched path are
			// marked invalid, to be recomputed by git's next write-tree.
			var buf bytes.Buffer
			rest, err := invalidateTree(payload, "", dirs, &buf)
			if err != nil {
				return err
			}
			if len(rest) != 0 {
				return corrupt("TREE extension has trailing bytes")
			}
			payload = buf.Bytes()
		case "REUC":
			// Resolve-undo records (path, stage modes and hashes) stand on
			// their own, independent of entry positions; git add keeps them.
		default:
			// Dropped: UNTR (untracked cache) caches per-folder stat data and
			// lists of untracked names that the files written here change,
			// and proving each record still valid would mean redoing git's
			// work; git rebuilds it on the next status when
			// core.untrackedCache is on. FSMN, IEOT and EOIE hold entry
			// positions or byte offsets the splice shifts. Any other optional
			// extension is unknown here, hence unproven.
			continue
		}
		var eh [8]byte
		copy(eh[:], e.sig)
		binary.BigEndian.PutUint32(eh[4:], uint32(len(payload)))
		bw.Write(eh[:])
		bw.Write(payload)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	_, err := w.Write(h.Sum(nil))
	return err
}

// encodeEntry encodes a stage-0 entry for versions 2 and 3: fixed part,
// name, then 1 to 8 NUL bytes so the entry length is a multiple of 8.
func encodeEntry(c staged) []byte {
	b := make([]byte, (entryFixed+len(c.path)+8)&^7)
	s := c.stat
	for k, v := range []uint32{s.ctimeS, s.ctimeN, s.mtimeS, s.mtimeN, s.dev, s.ino, s.mode, s.uid, s.gid, s.size} {
		binary.BigEndian.PutUint32(b[4*k:], v)
	}
	copy(b[40:], c.hash[:])
	binary.BigEndian.PutUint16(b[60:], uint16(min(len(c.path), nameMask)))
	copy(b[entryFixed:], c.path)
	return b
}

// invalidateTree copies one node of the TREE extension (and its subtrees)
// from src to out, marking the nodes whose path is in dirs invalid
// (entry count -1, no hash). It returns the bytes after the node.
func invalidateTree(src []byte, parent string, dirs map[string]bool, out *bytes.Buffer) ([]byte, error) {
	nul := bytes.IndexByte(src, 0)
	if nul < 0 {
		return nil, corrupt("TREE extension")
	}
	path := join(parent, string(src[:nul])) // the root's name is ""
	sp := bytes.IndexByte(src[nul:], ' ')
	nl := bytes.IndexByte(src[nul:], '\n')
	if sp < 0 || nl < sp {
		return nil, corrupt("TREE extension")
	}
	count, err1 := strconv.Atoi(string(src[nul+1 : nul+sp]))
	subs, err2 := strconv.Atoi(string(src[nul+sp+1 : nul+nl]))
	if err1 != nil || err2 != nil || subs < 0 {
		return nil, corrupt("TREE extension")
	}
	end := nul + nl + 1
	if count >= 0 {
		end += sha1.Size
	}
	if end > len(src) {
		return nil, corrupt("TREE extension truncated")
	}
	if dirs[path] {
		out.Write(src[:nul+1])
		out.WriteString("-1 " + strconv.Itoa(subs) + "\n")
	} else {
		out.Write(src[:end])
	}
	rest := src[end:]
	for range subs {
		var err error
		if rest, err = invalidateTree(rest, path, dirs, out); err != nil {
			return nil, err
		}
	}
	return rest, nil
}

// writeV4 is the slow path for index version 4.
func (x *gitIndex) writeV4(w io.Writer, changes []staged) error {
	var idx index.Index
	if err := index.NewDecoder(bytes.NewReader(x.raw)).Decode(&idx); err != nil {
		return fmt.Errorf("decode git index: %w", err)
	}
	for _, c := range changes {
		i, found := slices.BinarySearchFunc(idx.Entries, c.path, func(e *index.Entry, p string) int { return strings.Compare(e.Name, p) })
		switch {
		case c.delete && found:
			idx.Entries = slices.Delete(idx.Entries, i, i+1)
		case c.delete:
		case found:
			idx.Entries[i] = v4Entry(c)
		default:
			idx.Entries = slices.Insert(idx.Entries, i, v4Entry(c))
		}
	}
	// The TREE extension would be stale; go-git's encoder writes none.
	idx.Cache, idx.ResolveUndo, idx.EndOfIndexEntry = nil, nil, nil
	if err := index.NewEncoder(w).Encode(&idx); err != nil {
		return fmt.Errorf("encode git index: %w", err)
	}
	return nil
}

func v4Entry(c staged) *index.Entry {
	s := c.stat
	return &index.Entry{
		Hash:       c.hash,
		Name:       c.path,
		CreatedAt:  time.Unix(int64(s.ctimeS), int64(s.ctimeN)),
		ModifiedAt: time.Unix(int64(s.mtimeS), int64(s.mtimeN)),
		Dev:        s.dev, Inode: s.ino, UID: s.uid, GID: s.gid, Size: s.size,
		Mode: filemode.FileMode(s.mode),
	}
}
