package gitstore

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

var errRevision = errors.New("not a revision this resolver reads")

// resolve handles the usual revisions without go-git (whose resolver reads
// every object through its own pack index: tens of milliseconds on a large
// repository before the first object).
func (r *Reader) resolve(rev string) (plumbing.Hash, error) {
	base, ops := rev, ""
	if i := strings.IndexAny(rev, "~^"); i >= 0 {
		base, ops = rev[:i], rev[i:]
	}
	h, err := r.resolveBase(base)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if h, err = r.peel(h); err != nil {
		return plumbing.ZeroHash, err
	}
	for ops != "" {
		op := ops[0]
		ops = ops[1:]
		j := 0
		for j < len(ops) && ops[j] >= '0' && ops[j] <= '9' {
			j++
		}
		n := 1
		if j > 0 {
			if n, err = strconv.Atoi(ops[:j]); err != nil || n > 1<<20 {
				return plumbing.ZeroHash, errRevision
			}
		}
		ops = ops[j:]
		switch op {
		case '~':
			for range n {
				c, err := r.ReadCommit(h)
				if err != nil {
					return plumbing.ZeroHash, err
				}
				if len(c.Parents) == 0 {
					return plumbing.ZeroHash, fmt.Errorf("%w: %s has no parent", errRevision, h)
				}
				h = c.Parents[0]
			}
		case '^':
			if n == 0 {
				continue
			}
			c, err := r.ReadCommit(h)
			if err != nil {
				return plumbing.ZeroHash, err
			}
			if n > len(c.Parents) {
				return plumbing.ZeroHash, fmt.Errorf("%w: %s has no parent %d", errRevision, h, n)
			}
			h = c.Parents[n-1]
		}
	}
	if _, err := r.ReadCommit(h); err != nil {
		return plumbing.ZeroHash, err
	}
	return h, nil
}

// resolveBase finds what a name points at, in git's order: a full id, a
// ref (as given, then under refs/, refs/tags/, refs/heads/, refs/remotes/,
// and refs/remotes/<name>/HEAD), then an abbreviated id.
func (r *Reader) resolveBase(name string) (plumbing.Hash, error) {
	switch {
	case name == "" || name == "@" || name == "HEAD":
		h, err := r.repo.Head()
		if err == nil && h.IsZero() {
			err = errRevision
		}
		return h, err
	case plumbing.IsHash(name):
		return plumbing.NewHash(name), nil
	case strings.ContainsAny(name, ":@{}\\ \t") || strings.Contains(name, ".."):
		return plumbing.ZeroHash, errRevision
	}
	for _, ref := range []string{name, "refs/" + name, "refs/tags/" + name, "refs/heads/" + name, "refs/remotes/" + name, "refs/remotes/" + name + "/HEAD"} {
		if !strings.HasPrefix(ref, "refs/") {
			continue
		}
		if h, ok, err := r.ref(ref, 5); err != nil {
			return plumbing.ZeroHash, err
		} else if ok {
			return h, nil
		}
	}
	return r.abbreviated(name)
}

// ref reads a ref: its loose file (following a symbolic ref), else
// packed-refs.
func (r *Reader) ref(name string, depth int) (plumbing.Hash, bool, error) {
	if plumbing.ReferenceName(name).Validate() != nil || depth == 0 {
		return plumbing.ZeroHash, false, nil
	}
	data, err := os.ReadFile(filepath.Join(r.repo.gitDir, filepath.FromSlash(name)))
	if err == nil {
		s := strings.TrimSpace(string(data))
		if target, ok := strings.CutPrefix(s, "ref: "); ok {
			return r.ref(strings.TrimSpace(target), depth-1)
		}
		if !plumbing.IsHash(s) {
			return plumbing.ZeroHash, false, nil
		}
		return plumbing.NewHash(s), true, nil
	}
	// No loose file (or a folder of that name): packed-refs.
	f, err := os.Open(filepath.Join(r.repo.gitDir, "packed-refs"))
	if errors.Is(err, fs.ErrNotExist) {
		return plumbing.ZeroHash, false, nil
	}
	if err != nil {
		return plumbing.ZeroHash, false, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if h, ref, ok := strings.Cut(sc.Text(), " "); ok && ref == name && plumbing.IsHash(h) {
			return plumbing.NewHash(h), true, nil
		}
	}
	return plumbing.ZeroHash, false, sc.Err()
}

// abbreviated finds the one object whose id starts with a hex prefix of
// at least four digits.
func (r *Reader) abbreviated(prefix string) (plumbing.Hash, error) {
	if len(prefix) < 4 || len(prefix) > 40 {
		return plumbing.ZeroHash, errRevision
	}
	if _, err := hex.DecodeString(prefix[:len(prefix)&^1]); err != nil || strings.ToLower(prefix) != prefix {
		return plumbing.ZeroHash, errRevision
	}
	var found []plumbing.Hash
	add := func(h plumbing.Hash) {
		for _, f := range found {
			if f == h {
				return
			}
		}
		found = append(found, h)
	}
	even, _ := hex.DecodeString(prefix[:len(prefix)&^1])
	for _, p := range r.objs.packs {
		lo, hi := 0, p.count
		for lo < hi { // the first name not below the prefix
			m := int(uint(lo+hi) >> 1)
			if bytes.Compare(p.names[m*20:m*20+len(even)], even) < 0 {
				lo = m + 1
			} else {
				hi = m
			}
		}
		for i := lo; i < p.count && bytes.Equal(p.names[i*20:i*20+len(even)], even); i++ {
			var h plumbing.Hash
			copy(h[:], p.names[i*20:i*20+20])
			if strings.HasPrefix(h.String(), prefix) {
				add(h)
			}
		}
	}
	entries, _ := os.ReadDir(filepath.Join(r.objs.dir, prefix[:2]))
	for _, e := range entries {
		if full := prefix[:2] + e.Name(); plumbing.IsHash(full) && strings.HasPrefix(full, prefix) {
			add(plumbing.NewHash(full))
		}
	}
	if len(found) != 1 {
		return plumbing.ZeroHash, errRevision
	}
	return found[0], nil
}

// peel follows annotated tags to what they point at.
func (r *Reader) peel(h plumbing.Hash) (plumbing.Hash, error) {
	for range 10 {
		typ, data, err := r.objs.read(h)
		if errors.Is(err, errNotInPacks) {
			return h, nil // go-git will say
		}
		if err != nil || typ != plumbing.TagObject {
			return h, err
		}
		line, _, _ := bytes.Cut(data, []byte("\n"))
		obj, ok := bytes.CutPrefix(line, []byte("object "))
		if !ok || !plumbing.IsHash(string(obj)) {
			return plumbing.ZeroHash, errRevision
		}
		h = plumbing.NewHash(string(obj))
	}
	return plumbing.ZeroHash, errRevision
}
