package gitstore

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/zlib"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// Importer writes the whole history of a new repository in one pass, for
// the caseload generator: blobs, trees and commits go straight into one
// packfile (trees as deltas against their previous version, as git gc
// would store them), and the index is written once at the end. A
// repository made by an Importer is identical, commit for commit, to one
// made by calling [Repo.Apply] with the same changes, messages and authors:
// both encode trees and commits with the same functions.
//
// [PrepareBlob] is safe for concurrent use; Blob, StoreBlob, Commit and
// Finish are called from one goroutine at a time. The caller writes the
// final content of every file into the working tree itself (in any order,
// from any goroutine); Finish checks each one against the last commit
// before it writes the index.
type Importer struct {
	root   string   // absolute working-tree root
	gitDir string   // root/.git
	wt     *os.Root // the working tree, for Finish's checks
	ref    string   // the branch HEAD points at, "refs/heads/<name>"

	mu   sync.Mutex // guards pack
	pack *packWriter

	top     *dirNode // the tree of the last commit, as it is being edited
	tip     plumbing.Hash
	commits int
	done    bool
}

// ImportFile sets a path to a blob already stored with [Importer.Blob].
type ImportFile struct {
	Path string
	Blob plumbing.Hash
}

const (
	// importDepth is the longest chain of deltas a tree is stored with:
	// git's own default (pack.depth), so reading a tree applies at most
	// this many small deltas.
	importDepth = 50
	// importDeltaMin is the size from which a tree is stored as a delta.
	// Smaller trees are stored whole.
	importDeltaMin = 512
)

// NewImporter creates a repository in dir (see [Init]) whose branch has no
// commit yet, ready to import a history into.
func NewImporter(dir, branch string) (*Importer, error) {
	r, err := Init(dir, branch)
	if err != nil {
		return nil, err
	}
	head, err := r.readHead()
	if err == nil && !head.tip.IsZero() {
		err = fmt.Errorf("import into %s: the branch already has commits", dir)
	}
	if err == nil && !head.symbolic {
		err = fmt.Errorf("import into %s: HEAD is detached", dir)
	}
	if err == nil {
		if _, serr := os.Lstat(filepath.Join(r.gitDir, "index")); serr == nil {
			err = fmt.Errorf("import into %s: the repository already has an index", dir)
		}
	}
	root, gitDir := r.root, r.gitDir
	if cerr := r.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	pw, err := newPackWriter(filepath.Join(gitDir, "objects", "pack"))
	if err != nil {
		return nil, err
	}
	wt, err := os.OpenRoot(root)
	if err != nil {
		pw.abort()
		return nil, err
	}
	return &Importer{root: root, gitDir: gitDir, wt: wt, ref: head.ref, pack: pw, top: &dirNode{}}, nil
}

// Blob stores data as a blob (once, however often it is given) and returns
// its id. Blobs are stored in the order Blob is called; a caller that
// wants the same pack from the same input calls it from one goroutine
// (PrepareBlob does the costly part, concurrently).
func (im *Importer) Blob(data []byte) (plumbing.Hash, error) {
	b := PrepareBlob(data)
	return b.Hash, im.StoreBlob(b)
}

// PreparedBlob is a blob's id and compressed content, ready to store.
type PreparedBlob struct {
	Hash plumbing.Hash
	size int
	z    []byte
}

// PrepareBlob hashes and compresses data as a blob. It is safe for
// concurrent use.
func PrepareBlob(data []byte) PreparedBlob {
	return PreparedBlob{Hash: objectHash(plumbing.BlobObject, data), size: len(data), z: deflate(data, zlib.BestSpeed)}
}

// StoreBlob stores a prepared blob unless the pack holds it already.
func (im *Importer) StoreBlob(b PreparedBlob) error {
	if b.z == nil {
		return errors.New("import: blob not prepared")
	}
	im.mu.Lock()
	defer im.mu.Unlock()
	_, _, err := im.pack.add(b.Hash, plumbing.BlobObject, b.size, b.z, 0)
	return err
}

// Commit records a commit on top of the previous one (the first has no
// parent) that sets the given paths to their blobs, exactly as Apply would
// commit the same changes.
func (im *Importer) Commit(files []ImportFile, opts CommitOptions) (plumbing.Hash, error) {
	if im.done {
		return plumbing.ZeroHash, errors.New("import: already finished")
	}
	if len(files) == 0 {
		return plumbing.ZeroHash, errors.New("import: a commit needs at least one file")
	}
	if err := checkMessage(opts.Message); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := opts.Author.check(); err != nil {
		return plumbing.ZeroHash, err
	}
	seen := make(map[string]bool, len(files))
	for _, f := range files {
		if err := checkPath(f.Path); err != nil {
			return plumbing.ZeroHash, err
		}
		if seen[f.Path] {
			return plumbing.ZeroHash, fmt.Errorf("import %s: path given twice", f.Path)
		}
		seen[f.Path] = true
		if f.Blob.IsZero() {
			return plumbing.ZeroHash, fmt.Errorf("import %s: no blob", f.Path)
		}
	}
	for _, f := range files {
		if err := im.top.set(f.Path, f.Blob); err != nil {
			return plumbing.ZeroHash, err
		}
	}
	tree, err := im.writeTree(im.top)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	data := encodeCommit(tree, im.tip, opts.Author, opts.Message)
	h := objectHash(plumbing.CommitObject, data)
	im.mu.Lock()
	_, _, err = im.pack.add(h, plumbing.CommitObject, len(data), deflate(data, zlib.BestSpeed), 0)
	im.mu.Unlock()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	im.tip = h
	im.commits++
	return h, nil
}

// Finish writes the packfile and its index into .git/objects/pack, checks
// every file of the last commit against the working tree, writes the git
// index (with a valid tree cache, so git's next commit rewrites only the
// trees it touches) and points the branch at the last commit, which it
// returns.
func (im *Importer) Finish() (plumbing.Hash, error) {
	if im.done {
		return plumbing.ZeroHash, errors.New("import: already finished")
	}
	im.done = true
	defer im.wt.Close()
	if im.tip.IsZero() {
		im.pack.abort()
		return plumbing.ZeroHash, errors.New("import: no commit to finish")
	}
	if err := im.pack.finish(); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := im.writeIndex(); err != nil {
		return plumbing.ZeroHash, err
	}
	l, err := createLock(filepath.Join(im.gitDir, filepath.FromSlash(im.ref)))
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("import: lock %s: %w", im.ref, err)
	}
	defer l.release()
	if _, err := l.f.WriteString(im.tip.String() + "\n"); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := l.commit(); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("import: update %s: %w", im.ref, err)
	}
	return im.tip, nil
}

// Abort removes what an unfinished import wrote into .git (the working
// tree is the caller's).
func (im *Importer) Abort() {
	if !im.done {
		im.done = true
		im.pack.abort()
		im.wt.Close()
	}
}

// Commits is the number of commits recorded so far.
func (im *Importer) Commits() int { return im.commits }

// dirNode is one folder of the tree being built: its entries in git's
// order, the folders below it, and what its last stored version was (for
// the next delta).
type dirNode struct {
	entries []nodeEntry
	dirty   bool
	hash    plumbing.Hash // of the last stored version
	files   int           // files below it, for the index's tree cache

	last    []byte // the last stored version, kept for large trees only
	lastOff uint64 // its offset in the pack
	depth   int    // length of the delta chain ending in it
}

type nodeEntry struct {
	name string
	hash plumbing.Hash // a blob, or the folder's last hash
	kid  *dirNode      // nil for a file
}

// cmpEntry orders entries the way git orders a tree: names compared as
// bytes, with a trailing "/" on folders.
func cmpEntry(aName string, aDir bool, bName string, bDir bool) int {
	n := min(len(aName), len(bName))
	if c := strings.Compare(aName[:n], bName[:n]); c != 0 {
		return c
	}
	at, bt := byte(0), byte(0)
	if len(aName) > n {
		at = aName[n]
	} else if aDir {
		at = '/'
	}
	if len(bName) > n {
		bt = bName[n]
	} else if bDir {
		bt = '/'
	}
	return cmp.Compare(at, bt)
}

// lookup finds the entry named name, or where it would go.
func (n *dirNode) lookup(name string, dir bool) (int, bool) {
	i, found := slices.BinarySearchFunc(n.entries, name, func(e nodeEntry, name string) int {
		return cmpEntry(e.name, e.kid != nil, name, dir)
	})
	return i, found
}

// set records that file p is the blob, creating the folders on its way and
// marking them to be written.
func (n *dirNode) set(p string, blob plumbing.Hash) error {
	n.dirty = true
	dir, rest, isDir := strings.Cut(p, "/")
	if !isDir {
		if i, found := n.lookup(dir, true); found && n.entries[i].kid != nil {
			return fmt.Errorf("%w %q: it is a folder", ErrInvalidPath, p)
		}
		i, found := n.lookup(dir, false)
		if found {
			n.entries[i].hash = blob
			return nil
		}
		n.entries = slices.Insert(n.entries, i, nodeEntry{name: dir, hash: blob})
		return nil
	}
	if _, found := n.lookup(dir, false); found {
		return fmt.Errorf("%w %q: %s is a file", ErrInvalidPath, p, dir)
	}
	i, found := n.lookup(dir, true)
	if !found {
		n.entries = slices.Insert(n.entries, i, nodeEntry{name: dir, kid: &dirNode{}})
	}
	return n.entries[i].kid.set(rest, blob)
}

// encode writes the node as a git tree object, exactly as encodeTree does.
func (n *dirNode) encode(buf []byte) []byte {
	for _, e := range n.entries {
		if e.kid != nil {
			buf = append(buf, "40000 "...)
		} else {
			buf = append(buf, "100644 "...)
		}
		buf = append(buf, e.name...)
		buf = append(buf, 0)
		buf = append(buf, e.hash[:]...)
	}
	return buf
}

// writeTree stores the dirty folders below n, then n, and returns n's hash.
func (im *Importer) writeTree(n *dirNode) (plumbing.Hash, error) {
	for i := range n.entries {
		if kid := n.entries[i].kid; kid != nil && kid.dirty {
			h, err := im.writeTree(kid)
			if err != nil {
				return plumbing.ZeroHash, err
			}
			n.entries[i].hash = h
		}
	}
	data := n.encode(make([]byte, 0, 64*len(n.entries)))
	h := objectHash(plumbing.TreeObject, data)
	var off uint64
	var dup bool
	var err error
	im.mu.Lock()
	if n.last != nil && len(data) >= importDeltaMin && n.depth < importDepth {
		d := makeDelta(n.last, data)
		off, dup, err = im.pack.add(h, plumbing.OFSDeltaObject, len(d), deflate(d, zlib.NoCompression), n.lastOff)
		n.depth++
	} else {
		off, dup, err = im.pack.add(h, plumbing.TreeObject, len(data), deflate(data, zlib.NoCompression), 0)
		n.depth = 0
	}
	im.mu.Unlock()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	n.last, n.lastOff = nil, off
	if len(data) >= importDeltaMin && !dup {
		n.last = data
	}
	n.hash, n.dirty = h, false
	return h, nil
}

// objectHash is the git object id of data of type t.
func objectHash(t plumbing.ObjectType, data []byte) plumbing.Hash {
	h := sha1.New()
	h.Write([]byte(t.String() + " " + strconv.Itoa(len(data)) + "\x00"))
	h.Write(data)
	var out plumbing.Hash
	h.Sum(out[:0])
	return out
}

// Trees are mostly object ids, which do not compress, and their deltas are
// a few dozen bytes: they are stored without compression (still as zlib
// streams, as a pack requires), which is many times faster than deflating
// millions of small objects. Blobs and commits are text and are deflated.
var zlibWriters = map[int]*sync.Pool{}

func init() {
	for _, level := range []int{zlib.NoCompression, zlib.BestSpeed} {
		zlibWriters[level] = &sync.Pool{New: func() any {
			w, _ := zlib.NewWriterLevel(nil, level)
			return w
		}}
	}
}

// deflate compresses data as a pack stores it.
func deflate(data []byte, level int) []byte {
	var b bytes.Buffer
	b.Grow(len(data)/2 + 64)
	pool := zlibWriters[level]
	w := pool.Get().(*zlib.Writer)
	w.Reset(&b)
	w.Write(data)
	w.Close()
	pool.Put(w)
	return b.Bytes()
}

// makeDelta encodes target as a git delta against base: copy the common
// prefix, insert the bytes that differ, copy the common suffix. A tree
// changed by one commit differs from its last version in one entry, so
// this is as small as git's own delta.
func makeDelta(base, target []byte) []byte {
	pre := 0
	for pre+8 <= len(base) && pre+8 <= len(target) && binary.LittleEndian.Uint64(base[pre:]) == binary.LittleEndian.Uint64(target[pre:]) {
		pre += 8
	}
	for pre < len(base) && pre < len(target) && base[pre] == target[pre] {
		pre++
	}
	suf := 0
	for suf < len(base)-pre && suf < len(target)-pre && base[len(base)-1-suf] == target[len(target)-1-suf] {
		suf++
	}
	d := appendSize(nil, len(base))
	d = appendSize(d, len(target))
	d = appendCopy(d, 0, pre)
	mid := target[pre : len(target)-suf]
	for len(mid) > 0 {
		k := min(len(mid), 0x7f)
		d = append(d, byte(k))
		d = append(d, mid[:k]...)
		mid = mid[k:]
	}
	return appendCopy(d, len(base)-suf, suf)
}

func appendSize(d []byte, n int) []byte {
	for n >= 0x80 {
		d = append(d, byte(n)|0x80)
		n >>= 7
	}
	return append(d, byte(n))
}

// appendCopy adds copy instructions for base[off:off+size].
func appendCopy(d []byte, off, size int) []byte {
	for size > 0 {
		k := min(size, 0xffff)
		op := byte(0x80)
		var args []byte
		for i := range 4 {
			if b := byte(off >> (8 * i)); b != 0 {
				op |= 1 << i
				args = append(args, b)
			}
		}
		for i := range 2 {
			if b := byte(k >> (8 * i)); b != 0 {
				op |= 0x10 << i
				args = append(args, b)
			}
		}
		d = append(append(d, op), args...)
		off += k
		size -= k
	}
	return d
}

// packWriter writes one packfile (format version 2) and its index.
type packWriter struct {
	dir     string
	f       *os.File
	w       *bufio.Writer
	off     uint64
	entries [][]packEntry // in chunks of entryChunk: a large pack holds millions, and one slice would be copied whole each time it grew
	n       int           // objects in the pack
	slots   []int32       // open-addressing set over entries: index+1, 0 empty
	err     error
}

const entryChunk = 1 << 16

func (p *packWriter) entry(i int) *packEntry { return &p.entries[i/entryChunk][i%entryChunk] }

// packEntry is one object of the pack, for its index: 32 bytes, since a
// large history holds millions.
type packEntry struct {
	hash plumbing.Hash
	crc  uint32
	off  uint64
}

func newPackWriter(dir string) (*packWriter, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(dir, "tmp_pack_")
	if err != nil {
		return nil, err
	}
	p := &packWriter{dir: dir, f: f, w: bufio.NewWriterSize(f, 1<<20), slots: make([]int32, 1<<16)}
	p.w.Write([]byte("PACK\x00\x00\x00\x02\x00\x00\x00\x00")) // the count is filled in by finish
	p.off = 12
	return p, nil
}

func (p *packWriter) slot(h plumbing.Hash) uint64 {
	return binary.LittleEndian.Uint64(h[:8]) & uint64(len(p.slots)-1)
}

// find returns the offset of an object already in the pack.
func (p *packWriter) find(h plumbing.Hash) (uint64, bool) {
	for s := p.slot(h); ; s = (s + 1) & uint64(len(p.slots)-1) {
		i := p.slots[s]
		if i == 0 {
			return 0, false
		}
		if e := p.entry(int(i) - 1); e.hash == h {
			return e.off, true
		}
	}
}

func (p *packWriter) insert(i int) {
	s := p.slot(p.entry(i).hash)
	for p.slots[s] != 0 {
		s = (s + 1) & uint64(len(p.slots)-1)
	}
	p.slots[s] = int32(i + 1)
}

// add appends an object (its zlib-compressed content z of uncompressed
// size) unless the pack holds it already; dup says which. A delta names
// its base's offset.
func (p *packWriter) add(h plumbing.Hash, t plumbing.ObjectType, size int, z []byte, base uint64) (off uint64, dup bool, err error) {
	if p.err != nil {
		return 0, false, p.err
	}
	if off, ok := p.find(h); ok {
		return off, true, nil
	}
	var hdr [32]byte
	n := 0
	c := byte(t)<<4 | byte(size&0x0f)
	size >>= 4
	for size > 0 {
		hdr[n] = c | 0x80
		n++
		c = byte(size & 0x7f)
		size >>= 7
	}
	hdr[n] = c
	n++
	if t == plumbing.OFSDeltaObject {
		// The distance back to the base, big-endian base 128 with an
		// offset of one added at each continuation (git's encoding).
		rel := p.off - base
		var tmp [10]byte
		k := len(tmp) - 1
		tmp[k] = byte(rel & 0x7f)
		for rel >>= 7; rel > 0; rel >>= 7 {
			rel--
			k--
			tmp[k] = 0x80 | byte(rel&0x7f)
		}
		n += copy(hdr[n:], tmp[k:])
	}
	crc := crc32.Update(crc32.ChecksumIEEE(hdr[:n]), crc32.IEEETable, z)
	if _, err := p.w.Write(hdr[:n]); err != nil {
		p.err = err
		return 0, false, err
	}
	if _, err := p.w.Write(z); err != nil {
		p.err = err
		return 0, false, err
	}
	off = p.off
	p.off += uint64(n + len(z))
	if p.n%entryChunk == 0 {
		p.entries = append(p.entries, make([]packEntry, 0, entryChunk))
	}
	last := &p.entries[len(p.entries)-1]
	*last = append(*last, packEntry{hash: h, crc: crc, off: off})
	p.n++
	if 4*p.n > 3*len(p.slots) { // linear probing stays quick below three quarters full
		p.slots = make([]int32, 2*len(p.slots))
		for i := range p.n {
			p.insert(i)
		}
	} else {
		p.insert(p.n - 1)
	}
	return off, false, nil
}

// finish fills in the object count, appends the pack's checksum, writes the
// pack index (version 2) and moves both into place.
func (p *packWriter) finish() (err error) {
	defer func() {
		if err != nil {
			p.abort()
			err = fmt.Errorf("import: write pack: %w", err)
		}
	}()
	if p.err != nil {
		return p.err
	}
	if err := p.w.Flush(); err != nil {
		return err
	}
	var count [4]byte
	binary.BigEndian.PutUint32(count[:], uint32(p.n))
	if _, err := p.f.WriteAt(count[:], 8); err != nil {
		return err
	}
	if _, err := p.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	sum := sha1.New()
	if _, err := io.Copy(sum, bufio.NewReaderSize(p.f, 1<<20)); err != nil {
		return err
	}
	packSum := sum.Sum(nil)
	if _, err := p.f.Write(packSum); err != nil {
		return err
	}
	if err := p.f.Sync(); err != nil {
		return err
	}
	if err := p.f.Close(); err != nil {
		return err
	}
	idx, err := os.CreateTemp(p.dir, "tmp_idx_")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			idx.Close()
			os.Remove(idx.Name())
		}
	}()
	if err := p.writeIndex(idx, packSum); err != nil {
		return err
	}
	if err := idx.Sync(); err != nil {
		return err
	}
	if err := idx.Close(); err != nil {
		return err
	}
	base := filepath.Join(p.dir, fmt.Sprintf("pack-%x", packSum))
	if err := os.Rename(p.f.Name(), base+".pack"); err != nil {
		return err
	}
	p.f = nil
	return os.Rename(idx.Name(), base+".idx")
}

// writeIndex writes the .idx file: fan-out table, sorted ids, CRCs,
// offsets (large ones in a table of their own), the pack's checksum and
// its own.
func (p *packWriter) writeIndex(f *os.File, packSum []byte) error {
	order := make([]uint32, p.n)
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(a, b uint32) int { return bytes.Compare(p.entry(int(a)).hash[:], p.entry(int(b)).hash[:]) })
	for i := 1; i < len(order); i++ {
		if h := p.entry(int(order[i])).hash; h == p.entry(int(order[i-1])).hash {
			return fmt.Errorf("object %s stored twice", h)
		}
	}
	sum := sha1.New()
	w := bufio.NewWriterSize(io.MultiWriter(f, sum), 1<<20)
	w.Write([]byte{0xff, 't', 'O', 'c', 0, 0, 0, 2})
	var b4 [4]byte
	var b8 [8]byte
	k := 0
	for i := range 256 {
		for k < len(order) && int(p.entry(int(order[k])).hash[0]) <= i {
			k++
		}
		binary.BigEndian.PutUint32(b4[:], uint32(k))
		w.Write(b4[:])
	}
	for _, i := range order {
		w.Write(p.entry(int(i)).hash[:])
	}
	for _, i := range order {
		binary.BigEndian.PutUint32(b4[:], p.entry(int(i)).crc)
		w.Write(b4[:])
	}
	var large []uint64
	for _, i := range order {
		e := p.entry(int(i))
		v := uint32(e.off)
		if e.off >= 1<<31 {
			v = 1<<31 | uint32(len(large))
			large = append(large, e.off)
		}
		binary.BigEndian.PutUint32(b4[:], v)
		w.Write(b4[:])
	}
	for _, off := range large {
		binary.BigEndian.PutUint64(b8[:], off)
		w.Write(b8[:])
	}
	w.Write(packSum)
	if err := w.Flush(); err != nil {
		return err
	}
	_, err := f.Write(sum.Sum(nil))
	return err
}

func (p *packWriter) abort() {
	if p.f != nil {
		p.f.Close()
		os.Remove(p.f.Name())
		p.f = nil
	}
}

// indexFile is one file of the last commit, for the git index.
type indexFile struct {
	path string
	hash plumbing.Hash
	stat fileStat
	err  error
}

// writeIndex writes .git/index for the last commit: every file is checked
// against the working tree (it must be a regular file with the committed
// content) and its stat data recorded, with a tree cache (TREE extension)
// covering every folder.
func (im *Importer) writeIndex() error {
	var files []indexFile
	var collect func(n *dirNode, dir string) int
	collect = func(n *dirNode, dir string) int {
		count := 0
		for _, e := range n.entries {
			p := join(dir, e.name)
			if e.kid != nil {
				count += collect(e.kid, p)
			} else {
				files = append(files, indexFile{path: p, hash: e.hash})
				count++
			}
		}
		n.files = count
		return count
	}
	collect(im.top, "")
	// Tree order and index order agree: a folder name with a trailing "/"
	// sorts where its paths do.
	var wg sync.WaitGroup
	next := make(chan int, 256)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f := &files[i]
				f.stat, f.err = im.checkFile(f.path, f.hash)
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, f := range files {
		if f.err != nil {
			return f.err
		}
	}

	l, err := createLock(filepath.Join(im.gitDir, "index"))
	if err != nil {
		return fmt.Errorf("import: lock the git index: %w", err)
	}
	defer l.release()
	sum := sha1.New()
	w := bufio.NewWriterSize(io.MultiWriter(l.f, sum), 1<<20)
	var hdr [indexHeaderLen]byte
	copy(hdr[:], "DIRC")
	binary.BigEndian.PutUint32(hdr[4:], 2)
	binary.BigEndian.PutUint32(hdr[8:], uint32(len(files)))
	w.Write(hdr[:])
	for _, f := range files {
		w.Write(encodeEntry(staged{path: f.path, hash: f.hash, stat: f.stat}))
	}
	var tree bytes.Buffer
	writeTreeCache(&tree, im.top, "")
	var eh [8]byte
	copy(eh[:], "TREE")
	binary.BigEndian.PutUint32(eh[4:], uint32(tree.Len()))
	w.Write(eh[:])
	w.Write(tree.Bytes())
	if err := w.Flush(); err != nil {
		return err
	}
	if _, err := l.f.Write(sum.Sum(nil)); err != nil {
		return err
	}
	return l.commit()
}

// checkFile reads a working-tree file and checks it holds the committed
// blob; it returns the file's stat data.
func (im *Importer) checkFile(p string, want plumbing.Hash) (fileStat, error) {
	fi, err := im.wt.Lstat(p)
	if err != nil {
		return fileStat{}, fmt.Errorf("import: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return fileStat{}, fmt.Errorf("import: %s is not a regular file", p)
	}
	data, err := fs.ReadFile(im.wt.FS(), p)
	if err != nil {
		return fileStat{}, fmt.Errorf("import: %w", err)
	}
	if objectHash(plumbing.BlobObject, data) != want {
		return fileStat{}, fmt.Errorf("import: %s in the working tree is not the content of the last commit", p)
	}
	return statOf(fi, filemode.Regular), nil
}

// writeTreeCache writes the TREE extension for n and the folders below it:
// path component, number of index entries covered, number of subtrees,
// the tree id; subtrees in git's order (shorter names first).
func writeTreeCache(b *bytes.Buffer, n *dirNode, name string) {
	var kids []nodeEntry
	for _, e := range n.entries {
		if e.kid != nil {
			kids = append(kids, e)
		}
	}
	slices.SortFunc(kids, func(a, b nodeEntry) int {
		return cmp.Or(cmp.Compare(len(a.name), len(b.name)), strings.Compare(a.name, b.name))
	})
	b.WriteString(name)
	b.WriteByte(0)
	b.WriteString(strconv.Itoa(n.files) + " " + strconv.Itoa(len(kids)) + "\n")
	b.Write(n.hash[:])
	for _, k := range kids {
		writeTreeCache(b, k.kid, k.name)
	}
}
