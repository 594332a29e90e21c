package history

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/gofrs/flock"
)

// The touch cache: which cases each commit touched, with the commit's time
// and parents, so that the history of one case is a walk over this file
// instead of over commit and tree objects.
//
// It lives in .git/cases/touched (never committed, never pushed). Every
// record is keyed by a commit id, and a commit id fixes the commit's
// parents and trees, so a record can never be stale: nothing is ever
// invalidated. Records are only added:
//
//   - A walk (cases log) reads the file, then walks from HEAD; commits it
//     finds in the file cost a map lookup, others are read from git, their
//     touched cases worked out (touched.go), and appended to the file in one
//     write at the end, under an exclusive flock on .git/cases/touched.lock
//     (a walk that finds the lock taken simply does not save).
//   - History rewrites (rebase, amend, filter-repo) make new commit ids:
//     their records are added like any others, and the old ones are left
//     unreachable. When the file holds more than twice the records the walk
//     reached, plus 1,024, it is rewritten with only those (a temporary file
//     renamed over it), which also drops a torn or damaged tail.
//   - Shallow commits (.git/shallow) are never recorded: their parents are
//     unknown here and may arrive later with git fetch --unshallow.
//
// Format: the line "cases touched v1\n", then records. A record is its
// payload's length (uvarint), the payload, and the payload's CRC-32C
// (4 bytes, little-endian). The payload is the commit id (20 bytes), its
// committer time (varint, Unix seconds), the number of parents (uvarint)
// and their ids (20 bytes each), the number of cases touched (uvarint) and
// their ids (13 bytes each: ids are ASCII of fixed length). Reading stops
// at the first record that does not check out; a file with another first
// line is ignored and rewritten.
const cacheMagic = "cases touched v1\n"

var crcTable = crc32.MakeTable(crc32.Castagnoli)

type touchEntry struct {
	time    int64
	parents []Hash
	cases   []string
}

type touchCache struct {
	path    string
	entries map[Hash]*touchEntry
	records int    // records in the file
	damaged bool   // the file did not read to its end cleanly
	added   []Hash // records to append
	// uncached are entries worked out this run that must not be saved
	// (shallow commits).
	uncached map[Hash]bool
}

func (h *History) cachePath() string { return filepath.Join(h.git.GitDir(), "cases", "touched") }

// loadCache reads the touch cache once. A missing or unreadable file is an
// empty cache.
func (h *History) loadCache() *touchCache {
	if h.cache != nil {
		return h.cache
	}
	c := &touchCache{path: h.cachePath(), entries: map[Hash]*touchEntry{}}
	h.cache = c
	data, err := os.ReadFile(c.path)
	if err != nil {
		return c
	}
	rest, ok := bytes.CutPrefix(data, []byte(cacheMagic))
	if !ok {
		c.damaged = true
		return c
	}
	for len(rest) > 0 {
		n, k := binary.Uvarint(rest)
		if k <= 0 || uint64(len(rest)-k) < n+4 {
			c.damaged = true
			break
		}
		payload := rest[k : k+int(n)]
		sum := binary.LittleEndian.Uint32(rest[k+int(n):])
		rest = rest[k+int(n)+4:]
		if crc32.Checksum(payload, crcTable) != sum {
			c.damaged = true
			break
		}
		id, e, ok := decodeEntry(payload)
		if !ok {
			c.damaged = true
			break
		}
		c.entries[id] = e
		c.records++
	}
	return c
}

func decodeEntry(p []byte) (Hash, *touchEntry, bool) {
	var id Hash
	if len(p) < 20 {
		return id, nil, false
	}
	copy(id[:], p)
	p = p[20:]
	t, k := binary.Varint(p)
	if k <= 0 {
		return id, nil, false
	}
	p = p[k:]
	e := &touchEntry{time: t}
	np, k := binary.Uvarint(p)
	if k <= 0 || uint64(len(p)-k) < np*20 {
		return id, nil, false
	}
	p = p[k:]
	for range np {
		var ph Hash
		copy(ph[:], p)
		e.parents = append(e.parents, ph)
		p = p[20:]
	}
	nc, k := binary.Uvarint(p)
	if k <= 0 || uint64(len(p)-k) != nc*13 {
		return id, nil, false
	}
	p = p[k:]
	e.cases = make([]string, 0, nc)
	for range nc {
		if !caseIDShape(p[:13]) {
			return id, nil, false
		}
		e.cases = append(e.cases, string(p[:13]))
		p = p[13:]
	}
	return id, e, true
}

// caseIDShape is a fast check that a record holds a case id
// (yyyy-mm-XXXXX from casefile.Alphabet); the CRC already guards against
// damage, this against a record that was never a cache record.
func caseIDShape(b []byte) bool {
	if len(b) != 13 || b[4] != '-' || b[7] != '-' {
		return false
	}
	for i, c := range b {
		switch {
		case i == 4 || i == 7:
		case i < 7:
			if c < '0' || c > '9' {
				return false
			}
		case strings.IndexByte(casefile.Alphabet, c) < 0:
			return false
		}
	}
	return true
}

func appendRecord(b []byte, id Hash, e *touchEntry) []byte {
	var p []byte
	p = append(p, id[:]...)
	p = binary.AppendVarint(p, e.time)
	p = binary.AppendUvarint(p, uint64(len(e.parents)))
	for _, ph := range e.parents {
		p = append(p, ph[:]...)
	}
	p = binary.AppendUvarint(p, uint64(len(e.cases)))
	for _, c := range e.cases {
		p = append(p, c...)
	}
	b = binary.AppendUvarint(b, uint64(len(p)))
	b = append(b, p...)
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(p, crcTable))
}

// touchedOf returns a commit's entry, working it out and queueing it for
// the file when the cache does not have it.
func (h *History) touchedOf(c Hash) (*touchEntry, error) {
	cache := h.loadCache()
	if e, ok := cache.entries[c]; ok {
		return e, nil
	}
	ci, err := h.Commit(c)
	if err != nil {
		return nil, err
	}
	cases, cacheable, err := h.touched(c)
	if err != nil {
		return nil, err
	}
	e := &touchEntry{time: ci.Committer.When.Unix(), parents: ci.Parents, cases: cases}
	cache.entries[c] = e
	if cacheable {
		cache.added = append(cache.added, c)
	} else {
		if cache.uncached == nil {
			cache.uncached = map[Hash]bool{}
		}
		cache.uncached[c] = true
	}
	return e, nil
}

// compactSlack is how many unreachable records the file may hold beyond
// as many as are reachable before it is rewritten.
var compactSlack = 1024

// saveCache appends what this run worked out, or rewrites the file with
// the reachable records when it has grown too large or is damaged. Errors
// are ignored: the cache only saves time.
func (h *History) saveCache(reachable map[Hash]bool) {
	c := h.cache
	if c == nil {
		return
	}
	rewrite := c.damaged || c.records+len(c.added) > 2*len(reachable)+compactSlack
	if len(c.added) == 0 && !rewrite {
		return
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return
	}
	lock := flock.New(c.path + ".lock")
	if ok, err := lock.TryLock(); err != nil || !ok {
		return
	}
	defer lock.Close()
	if rewrite {
		_ = c.rewrite(reachable)
		return
	}
	_ = c.append()
}

func (c *touchCache) append() error {
	var b []byte
	if fi, err := os.Stat(c.path); err != nil || fi.Size() == 0 {
		b = append(b, cacheMagic...)
	}
	for _, id := range c.added {
		b = appendRecord(b, id, c.entries[id])
	}
	f, err := os.OpenFile(c.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	c.records += len(c.added)
	c.added = nil
	return errors.Join(err, f.Close())
}

func (c *touchCache) rewrite(keep map[Hash]bool) error {
	b := []byte(cacheMagic)
	n := 0
	for id := range keep {
		if e, ok := c.entries[id]; ok && !c.uncached[id] {
			b = appendRecord(b, id, e)
			n++
		}
	}
	tmp := c.path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, c.path); err != nil {
		os.Remove(tmp)
		return err
	}
	c.records, c.added, c.damaged = n, nil, false
	return nil
}
