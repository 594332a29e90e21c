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
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// packReader reads objects straight from a repository's pack and loose
// object files, for history walks that read tens of thousands of commits
// and trees once each. go-git, for the same reads, builds a reverse index
// of every pack (offset to id: 26 ms for a pack of 240,000 objects, paid by
// every process) and hashes every object it caches; here a pack's .idx is
// searched as it is on disk, delta bases are found by offset, and nothing
// is hashed. What it cannot read (objects in alternates, packs of another
// index version) is left to go-git.
type packReader struct {
	dir   string // .git/objects
	packs []*mappedPack
	bases map[packBaseKey]packBase // delta bases by pack and offset
	size  int                      // bytes held in bases
	zr    io.ReadCloser            // a zlib reader, reset for each object
	src   bytes.Reader             // what it reads
}

type mappedPack struct {
	pack    []byte // the whole .pack, mapped
	unmap   []func() error
	idx     []byte // the whole .idx (version 2), mapped
	count   int
	fanout  []byte // 256 big-endian counts
	names   []byte // count ids, sorted
	offsets []byte // count 4-byte offsets
	large   []byte // 8-byte offsets for packs over 2 GiB
}

type packBaseKey struct {
	pack   int
	offset int64
}

type packBase struct {
	typ  plumbing.ObjectType
	data []byte
}

// maxPackBases bounds the memory held by the delta-base cache.
const maxPackBases = 64 << 20

func newPackReader(gitDir string) (*packReader, error) {
	o := &packReader{dir: filepath.Join(gitDir, "objects"), bases: map[packBaseKey]packBase{}}
	entries, err := os.ReadDir(filepath.Join(o.dir, "pack"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".idx")
		if !ok {
			continue
		}
		p, err := openMappedPack(filepath.Join(o.dir, "pack", name))
		if err != nil {
			o.close()
			return nil, err
		}
		if p != nil {
			o.packs = append(o.packs, p)
		}
	}
	return o, nil
}

// openMappedPack reads a version 2 .idx and opens its pack; another version is
// left to go-git (nil, nil).
func openMappedPack(base string) (*mappedPack, error) {
	p := &mappedPack{}
	idx, err := p.mapReadOnly(base + ".idx")
	if err != nil {
		return nil, err
	}
	if len(idx) < 8+256*4 || !bytes.Equal(idx[:8], []byte{0xff, 't', 'O', 'c', 0, 0, 0, 2}) {
		p.close()
		return nil, nil
	}
	p.idx, p.fanout = idx, idx[8:8+256*4]
	p.count = int(binary.BigEndian.Uint32(p.fanout[255*4:]))
	n := p.count
	namesAt := 8 + 256*4
	offsetsAt := namesAt + 20*n + 4*n // names, then CRCs
	largeAt := offsetsAt + 4*n
	if len(idx) < largeAt+40 {
		p.close()
		return nil, fmt.Errorf("read %s.idx: truncated", base)
	}
	p.names = idx[namesAt : namesAt+20*n]
	p.offsets = idx[offsetsAt:largeAt]
	p.large = idx[largeAt : len(idx)-40]
	if p.pack, err = p.mapReadOnly(base + ".pack"); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

func (p *mappedPack) mapReadOnly(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, unmap, err := mapReadOnly(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	p.unmap = append(p.unmap, unmap)
	return data, nil
}

func (p *mappedPack) close() {
	for _, u := range p.unmap {
		u()
	}
	p.unmap, p.pack, p.idx = nil, nil, nil
}

func (o *packReader) close() {
	for _, p := range o.packs {
		p.close()
	}
	o.packs = nil
}

// find returns the offset of an object in the pack, or -1.
func (p *mappedPack) find(h plumbing.Hash) int64 {
	lo := 0
	if h[0] > 0 {
		lo = int(binary.BigEndian.Uint32(p.fanout[(int(h[0])-1)*4:]))
	}
	hi := int(binary.BigEndian.Uint32(p.fanout[int(h[0])*4:]))
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch c := bytes.Compare(p.names[m*20:m*20+20], h[:]); {
		case c == 0:
			return p.offset(m)
		case c < 0:
			lo = m + 1
		default:
			hi = m
		}
	}
	return -1
}

func (p *mappedPack) offset(i int) int64 {
	off := binary.BigEndian.Uint32(p.offsets[i*4:])
	if off&0x80000000 == 0 {
		return int64(off)
	}
	j := int(off &^ 0x80000000)
	if (j+1)*8 > len(p.large) {
		return -1
	}
	return int64(binary.BigEndian.Uint64(p.large[j*8:]))
}

// errNotInPacks means the object is not in a pack or loose file this reader
// knows: go-git may still find it (in an alternate object store).
var errNotInPacks = errors.New("object not found by the pack reader")

// read returns an object's type and content.
func (o *packReader) read(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	for i, p := range o.packs {
		if off := p.find(h); off >= 0 {
			return o.packed(i, off)
		}
	}
	return o.loose(h)
}

func (o *packReader) loose(h plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	hex := h.String()
	f, err := os.Open(filepath.Join(o.dir, hex[:2], hex[2:]))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil, errNotInPacks
	}
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	zr, err := zlib.NewReader(bufio.NewReader(f))
	if err != nil {
		return 0, nil, err
	}
	data, err := io.ReadAll(io.LimitReader(zr, 1<<30))
	if err != nil {
		return 0, nil, err
	}
	header, body, ok := bytes.Cut(data, []byte{0})
	typ, size, ok2 := strings.Cut(string(header), " ")
	if !ok || !ok2 {
		return 0, nil, fmt.Errorf("object %s: malformed", hex)
	}
	t, err := plumbing.ParseObjectType(typ)
	if err != nil {
		return 0, nil, fmt.Errorf("object %s: %w", hex, err)
	}
	if n, err := strconv.Atoi(size); err != nil || n != len(body) {
		return 0, nil, fmt.Errorf("object %s: wrong size", hex)
	}
	return t, body, nil
}

// Pack object types.
const (
	packCommit   = 1
	packTree     = 2
	packBlob     = 3
	packTag      = 4
	packOFSDelta = 6
	packREFDelta = 7
)

// packed reads the object at an offset of pack i, applying its chain of
// deltas.
func (o *packReader) packed(i int, off int64) (plumbing.ObjectType, []byte, error) {
	type delta struct {
		key  packBaseKey
		data []byte
	}
	var chain []delta
	var base packBase
	for {
		key := packBaseKey{i, off}
		if b, ok := o.bases[key]; ok {
			base = b
			break
		}
		typ, baseOff, baseRef, size, dataAt, err := o.header(i, off)
		if err != nil {
			return 0, nil, err
		}
		data, err := o.inflate(i, dataAt, size)
		if err != nil {
			return 0, nil, err
		}
		if typ >= packCommit && typ <= packTag {
			base = packBase{typ: plumbing.ObjectType(typ), data: data}
			if len(chain) > 0 {
				o.keep(key, base)
			}
			break
		}
		chain = append(chain, delta{key, data})
		if len(chain) > 10000 {
			return 0, nil, errors.New("delta chain too long")
		}
		switch typ {
		case packOFSDelta:
			off = baseOff
		case packREFDelta:
			j, boff := -1, int64(-1)
			for k, p := range o.packs {
				if boff = p.find(baseRef); boff >= 0 {
					j = k
					break
				}
			}
			if j < 0 {
				return 0, nil, errNotInPacks
			}
			i, off = j, boff
		default:
			return 0, nil, fmt.Errorf("pack object of unknown type %d", typ)
		}
	}
	for k := len(chain) - 1; k >= 0; k-- {
		data, err := applyPackDelta(base.data, chain[k].data)
		if err != nil {
			return 0, nil, err
		}
		base = packBase{typ: base.typ, data: data}
		if k > 0 {
			o.keep(chain[k].key, base) // a base of the next delta
		}
	}
	return base.typ, base.data, nil
}

// keep caches a delta base, dropping everything when the cache is full:
// walks read neighbouring objects, whose chains share their bases.
func (o *packReader) keep(k packBaseKey, b packBase) {
	if o.size+len(b.data) > maxPackBases {
		clear(o.bases)
		o.size = 0
	}
	if _, ok := o.bases[k]; !ok {
		o.bases[k] = b
		o.size += len(b.data)
	}
}

// header reads an object's header at off: its pack type, where its delta
// base is, its inflated size and where its data starts.
func (o *packReader) header(i int, off int64) (typ int, baseOff int64, baseRef plumbing.Hash, size int64, dataAt int64, err error) {
	pack := o.packs[i].pack
	if off < 12 || off >= int64(len(pack)) {
		return 0, 0, baseRef, 0, 0, fmt.Errorf("pack offset %d out of range", off)
	}
	b := pack[off:min(off+64, int64(len(pack)))]
	c := b[0]
	typ = int(c>>4) & 7
	size = int64(c & 15)
	shift := 4
	k := 1
	for c&0x80 != 0 {
		if k >= len(b) {
			return 0, 0, baseRef, 0, 0, errors.New("malformed pack header")
		}
		c = b[k]
		k++
		size |= int64(c&0x7f) << shift
		shift += 7
	}
	switch typ {
	case packOFSDelta:
		c = b[k]
		k++
		rel := int64(c & 0x7f)
		for c&0x80 != 0 {
			if k >= len(b) {
				return 0, 0, baseRef, 0, 0, errors.New("malformed delta offset")
			}
			c = b[k]
			k++
			rel = ((rel + 1) << 7) | int64(c&0x7f)
		}
		baseOff = off - rel
		if baseOff < 0 {
			return 0, 0, baseRef, 0, 0, errors.New("malformed delta offset")
		}
	case packREFDelta:
		if k+20 > len(b) {
			return 0, 0, baseRef, 0, 0, errors.New("malformed delta reference")
		}
		copy(baseRef[:], b[k:k+20])
		k += 20
	}
	return typ, baseOff, baseRef, size, off + int64(k), nil
}

// inflate reads size bytes of zlib data starting at off in pack i.
func (o *packReader) inflate(i int, off, size int64) ([]byte, error) {
	if size > 1<<30 {
		return nil, errors.New("object too large")
	}
	o.src.Reset(o.packs[i].pack[off:])
	var err error
	if o.zr == nil {
		o.zr, err = zlib.NewReader(&o.src)
	} else {
		err = o.zr.(zlib.Resetter).Reset(&o.src, nil)
	}
	if err != nil {
		return nil, err
	}
	data := make([]byte, size)
	if _, err := io.ReadFull(o.zr, data); err != nil {
		return nil, fmt.Errorf("inflate pack object: %w", err)
	}
	return data, nil
}

// applyPackDelta applies a git delta to its base.
func applyPackDelta(base, delta []byte) ([]byte, error) {
	bad := errors.New("malformed delta")
	varint := func() (int, bool) {
		v, shift := 0, 0
		for {
			if len(delta) == 0 || shift > 56 {
				return 0, false
			}
			c := delta[0]
			delta = delta[1:]
			v |= int(c&0x7f) << shift
			shift += 7
			if c&0x80 == 0 {
				return v, true
			}
		}
	}
	srcSize, ok1 := varint()
	dstSize, ok2 := varint()
	if !ok1 || !ok2 || srcSize != len(base) || dstSize > 1<<30 {
		return nil, bad
	}
	out := make([]byte, 0, dstSize)
	for len(delta) > 0 {
		op := delta[0]
		delta = delta[1:]
		switch {
		case op&0x80 != 0:
			var off, n int
			for bit := range 4 {
				if op&(1<<bit) != 0 {
					if len(delta) == 0 {
						return nil, bad
					}
					off |= int(delta[0]) << (8 * bit)
					delta = delta[1:]
				}
			}
			for bit := range 3 {
				if op&(0x10<<bit) != 0 {
					if len(delta) == 0 {
						return nil, bad
					}
					n |= int(delta[0]) << (8 * bit)
					delta = delta[1:]
				}
			}
			if n == 0 {
				n = 0x10000
			}
			if off+n > len(base) || off+n < off {
				return nil, bad
			}
			out = append(out, base[off:off+n]...)
		case op != 0:
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
