package gitstore

import (
	"bufio"
	"bytes"
	"compress/zlib"
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
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
)

// objectReader reads git objects the way git itself does: a loose object
// from its file, a packed one by a binary search of each pack's index, read
// in place a few bytes at a time, then the object at its offset, deltas
// resolved against their bases.
//
// go-git's storage, by contrast, loads every pack index whole and, to read
// any packed object, builds a map from offset to id of every object in the
// pack. A case repository with a few years of history packs millions of
// objects (10,000 cases: 1.7 million, a 47 MB index), so that cost 300-400
// ms in every command that read a packed tree, more than git add and git
// commit together. Here a read costs a few dozen small reads, whatever the
// size of the history.
type objectReader struct {
	dirs []string // the objects folder, then its alternates

	mu    sync.Mutex
	packs []*packFile // opened on the first miss of a loose read
	open  bool
	bases map[baseKey][]byte // recently read delta bases
	size  int
}

type baseKey struct {
	pack *packFile
	off  int64
}

type packObject struct {
	typ  plumbing.ObjectType
	data []byte
}

// maxBaseCache bounds the bytes of delta bases kept between reads.
const maxBaseCache = 8 << 20

func newObjectReader(objectsDir string) *objectReader {
	o := &objectReader{dirs: []string{objectsDir}, bases: map[baseKey][]byte{}}
	if data, err := os.ReadFile(filepath.Join(objectsDir, "info", "alternates")); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			if !filepath.IsAbs(line) {
				line = filepath.Join(objectsDir, line)
			}
			o.dirs = append(o.dirs, line)
		}
	}
	return o
}

func (o *objectReader) close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.closePacks()
}

func (o *objectReader) closePacks() error {
	var errs []error
	for _, p := range o.packs {
		errs = append(errs, p.idx.Close(), p.pack.Close())
	}
	o.packs, o.open = nil, false
	clear(o.bases)
	o.size = 0
	return errors.Join(errs...)
}

// read returns the type and content of an object.
func (o *objectReader) read(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	for _, dir := range o.dirs {
		t, data, err := readLoose(filepath.Join(dir, h.String()[:2], h.String()[2:]))
		if err == nil {
			return t, data, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return 0, nil, fmt.Errorf("read object %s: %w", h, err)
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.open {
		if err := o.openPacks(); err != nil {
			return 0, nil, err
		}
	}
	for rescan := range 2 {
		if rescan == 1 {
			// A git gc may have packed the object since the packs were
			// listed: list them again, once.
			o.closePacks()
			if err := o.openPacks(); err != nil {
				return 0, nil, err
			}
		}
		for _, p := range o.packs {
			off, ok, err := p.find(h)
			if err != nil {
				return 0, nil, err
			}
			if ok {
				obj, err := o.readPacked(p, off, 0)
				if err != nil {
					return 0, nil, fmt.Errorf("read object %s: %w", h, err)
				}
				return obj.typ, obj.data, nil
			}
		}
	}
	return 0, nil, fmt.Errorf("read object %s: %w", h, plumbing.ErrObjectNotFound)
}

func readLoose(path string) (plumbing.ObjectType, []byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	zr, err := zlib.NewReader(bufio.NewReader(f))
	if err != nil {
		return 0, nil, err
	}
	defer zr.Close()
	raw, err := io.ReadAll(zr)
	if err != nil {
		return 0, nil, err
	}
	hdr, data, ok := bytes.Cut(raw, []byte{0})
	typ, size, ok2 := strings.Cut(string(hdr), " ")
	n, err := strconv.Atoi(size)
	if !ok || !ok2 || err != nil || n != len(data) {
		return 0, nil, errors.New("malformed loose object")
	}
	t, err := plumbing.ParseObjectType(typ)
	if err != nil {
		return 0, nil, err
	}
	return t, data, nil
}

// openPacks opens every pack of every objects folder.
func (o *objectReader) openPacks() error {
	for _, dir := range o.dirs {
		idxs, err := filepath.Glob(filepath.Join(dir, "pack", "pack-*.idx"))
		if err != nil {
			return err
		}
		slices.Sort(idxs)
		for _, idx := range idxs {
			p, err := openPack(idx)
			if errors.Is(err, fs.ErrNotExist) {
				continue // an index whose pack is gone (git gc at work)
			}
			if err != nil {
				return err
			}
			o.packs = append(o.packs, p)
		}
	}
	o.open = true
	return nil
}

// packFile is one pack and its index (version 2), read in place.
type packFile struct {
	idx, pack *os.File
	fanout    [256]uint32
	n         int64
	packSize  int64
}

func openPack(idxPath string) (*packFile, error) {
	idx, err := os.Open(idxPath)
	if err != nil {
		return nil, err
	}
	pack, err := os.Open(strings.TrimSuffix(idxPath, ".idx") + ".pack")
	if err != nil {
		idx.Close()
		return nil, err
	}
	p := &packFile{idx: idx, pack: pack}
	var hdr [8 + 256*4]byte
	if _, err := idx.ReadAt(hdr[:], 0); err != nil {
		p.idx.Close()
		p.pack.Close()
		return nil, fmt.Errorf("read %s: %w", idxPath, err)
	}
	if !bytes.Equal(hdr[:8], []byte{0xff, 't', 'O', 'c', 0, 0, 0, 2}) {
		p.idx.Close()
		p.pack.Close()
		return nil, fmt.Errorf("read %s: not a version 2 pack index", idxPath)
	}
	for i := range p.fanout {
		p.fanout[i] = binary.BigEndian.Uint32(hdr[8+4*i:])
	}
	p.n = int64(p.fanout[255])
	if fi, err := pack.Stat(); err == nil {
		p.packSize = fi.Size()
	}
	return p, nil
}

const idxNames = 8 + 256*4 // where the sorted ids start

// find returns the offset of an object in the pack.
func (p *packFile) find(h plumbing.Hash) (int64, bool, error) {
	lo := int64(0)
	if h[0] > 0 {
		lo = int64(p.fanout[h[0]-1])
	}
	hi := int64(p.fanout[h[0]])
	var name [20]byte
	for lo < hi {
		mid := lo + (hi-lo)/2
		if _, err := p.idx.ReadAt(name[:], idxNames+20*mid); err != nil {
			return 0, false, fmt.Errorf("read pack index: %w", err)
		}
		switch c := bytes.Compare(name[:], h[:]); {
		case c == 0:
			return p.offset(mid)
		case c < 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return 0, false, nil
}

func (p *packFile) offset(i int64) (int64, bool, error) {
	var b [8]byte
	if _, err := p.idx.ReadAt(b[:4], idxNames+24*p.n+4*i); err != nil {
		return 0, false, fmt.Errorf("read pack index: %w", err)
	}
	v := binary.BigEndian.Uint32(b[:4])
	if v&(1<<31) == 0 {
		return int64(v), true, nil
	}
	if _, err := p.idx.ReadAt(b[:], idxNames+28*p.n+8*int64(v&^(1<<31))); err != nil {
		return 0, false, fmt.Errorf("read pack index: %w", err)
	}
	return int64(binary.BigEndian.Uint64(b[:])), true, nil
}

// maxDeltaDepth stops a malformed pack from recursing without end.
const maxDeltaDepth = 10000

// readPacked reads the object at an offset of a pack, resolving deltas.
func (o *objectReader) readPacked(p *packFile, off int64, depth int) (packObject, error) {
	if depth > maxDeltaDepth {
		return packObject{}, errors.New("delta chain too long")
	}
	var hdr [32]byte
	n, err := p.pack.ReadAt(hdr[:], off)
	if err != nil && !(errors.Is(err, io.EOF) && n > 0) {
		return packObject{}, err
	}
	b := hdr[:n]
	if len(b) == 0 {
		return packObject{}, errors.New("truncated pack")
	}
	typ := plumbing.ObjectType(b[0] >> 4 & 7)
	size := int64(b[0] & 0x0f)
	i, shift := 1, 4
	for b[i-1]&0x80 != 0 {
		if i >= len(b) || shift > 56 {
			return packObject{}, errors.New("malformed pack object header")
		}
		size |= int64(b[i]&0x7f) << shift
		shift += 7
		i++
	}
	var base packObject
	switch typ {
	case plumbing.OFSDeltaObject:
		if i >= len(b) {
			return packObject{}, errors.New("malformed delta header")
		}
		rel := int64(b[i] & 0x7f)
		for b[i]&0x80 != 0 {
			i++
			if i >= len(b) || rel > 1<<50 {
				return packObject{}, errors.New("malformed delta offset")
			}
			rel = (rel+1)<<7 | int64(b[i]&0x7f)
		}
		i++
		if rel <= 0 || rel > off {
			return packObject{}, errors.New("delta base outside the pack")
		}
		if base, err = o.base(p, off-rel, depth); err != nil {
			return packObject{}, err
		}
	case plumbing.REFDeltaObject:
		if i+20 > len(b) {
			return packObject{}, errors.New("malformed delta header")
		}
		var bh plumbing.Hash
		copy(bh[:], b[i:i+20])
		i += 20
		bt, bd, err := o.readUnlocked(bh, depth)
		if err != nil {
			return packObject{}, err
		}
		base = packObject{bt, bd}
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
	default:
		return packObject{}, fmt.Errorf("unknown pack object type %d", typ)
	}
	if size > p.packSize*64+1<<20 {
		return packObject{}, errors.New("pack object size out of range")
	}
	zr, err := zlib.NewReader(bufio.NewReader(io.NewSectionReader(p.pack, off+int64(i), p.packSize-off-int64(i))))
	if err != nil {
		return packObject{}, err
	}
	defer zr.Close()
	data := make([]byte, size)
	if _, err := io.ReadFull(zr, data); err != nil {
		return packObject{}, err
	}
	if base.data == nil && base.typ == 0 {
		return packObject{typ, data}, nil
	}
	out, err := applyDelta(base.data, data)
	if err != nil {
		return packObject{}, err
	}
	return packObject{base.typ, out}, nil
}

// base reads a delta base, keeping it for the next delta that needs it
// (trees are stored as chains of deltas on one base).
func (o *objectReader) base(p *packFile, off int64, depth int) (packObject, error) {
	k := baseKey{p, off}
	if data, ok := o.bases[k]; ok {
		return packObject{plumbing.ObjectType(data[0]), data[1:]}, nil
	}
	obj, err := o.readPacked(p, off, depth+1)
	if err != nil {
		return packObject{}, err
	}
	if o.size+len(obj.data) > maxBaseCache {
		clear(o.bases)
		o.size = 0
	}
	o.bases[k] = append([]byte{byte(obj.typ)}, obj.data...)
	o.size += len(obj.data) + 1
	return obj, nil
}

// readUnlocked reads a REF_DELTA's base while o.mu is held.
func (o *objectReader) readUnlocked(h plumbing.Hash, depth int) (plumbing.ObjectType, []byte, error) {
	for _, dir := range o.dirs {
		t, data, err := readLoose(filepath.Join(dir, h.String()[:2], h.String()[2:]))
		if err == nil {
			return t, data, nil
		}
	}
	for _, p := range o.packs {
		off, ok, err := p.find(h)
		if err != nil {
			return 0, nil, err
		}
		if ok {
			obj, err := o.readPacked(p, off, depth+1)
			return obj.typ, obj.data, err
		}
	}
	return 0, nil, fmt.Errorf("delta base %s: %w", h, plumbing.ErrObjectNotFound)
}

// applyDelta rebuilds an object from its base and a git delta.
func applyDelta(base, delta []byte) ([]byte, error) {
	bad := errors.New("malformed delta")
	size := func() (int, bool) {
		v, shift := 0, 0
		for len(delta) > 0 && shift < 63 {
			c := delta[0]
			delta = delta[1:]
			v |= int(c&0x7f) << shift
			shift += 7
			if c&0x80 == 0 {
				return v, true
			}
		}
		return 0, false
	}
	srcSize, ok1 := size()
	dstSize, ok2 := size()
	if !ok1 || !ok2 || srcSize != len(base) || dstSize < 0 || dstSize > 1<<32 {
		return nil, bad
	}
	out := make([]byte, 0, dstSize)
	for len(delta) > 0 {
		op := delta[0]
		delta = delta[1:]
		switch {
		case op&0x80 != 0:
			var off, n int
			for k := range 4 {
				if op&(1<<k) != 0 {
					if len(delta) == 0 {
						return nil, bad
					}
					off |= int(delta[0]) << (8 * k)
					delta = delta[1:]
				}
			}
			for k := range 3 {
				if op&(0x10<<k) != 0 {
					if len(delta) == 0 {
						return nil, bad
					}
					n |= int(delta[0]) << (8 * k)
					delta = delta[1:]
				}
			}
			if n == 0 {
				n = 0x10000
			}
			if off+n > len(base) || off < 0 {
				return nil, bad
			}
			out = append(out, base[off:off+n]...)
		case op > 0:
			if int(op) > len(delta) {
				return nil, bad
			}
			out = append(out, delta[:op]...)
			delta = delta[op:]
		default:
			return nil, bad
		}
	}
	if len(out) != dstSize {
		return nil, bad
	}
	return out, nil
}
