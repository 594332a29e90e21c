package gitstore

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// The read side of history: commits, trees and blobs read as raw objects
// and parsed here. go-git's object decoders are not needed, and its
// path-filtered Log is far too slow on a case repository (see
// shared/GIT-PERFORMANCE.md): callers walk history themselves, touching
// only the trees on the paths they care about.

// Reader reads a repository's history: commits, trees and blobs by id,
// and revisions. It reads pack and loose object files itself (see
// packread.go), falling back to go-git for what it cannot read. It is not
// safe for concurrent use.
type Reader struct {
	repo *Repo
	objs *packReader
}

// OpenReader opens the history of the repository whose working tree is
// dir.
func OpenReader(dir string) (*Reader, error) {
	r, err := Open(dir)
	if err != nil {
		return nil, err
	}
	objs, err := newPackReader(r.gitDir)
	if err != nil {
		r.Close()
		return nil, err
	}
	return &Reader{repo: r, objs: objs}, nil
}

// Close releases the repository's files.
func (r *Reader) Close() error {
	r.objs.close()
	return r.repo.Close()
}

// GitDir is the repository's .git folder.
func (r *Reader) GitDir() string { return r.repo.gitDir }

// Head returns the commit HEAD points to (zero on an unborn branch).
func (r *Reader) Head() (plumbing.Hash, error) { return r.repo.Head() }

// CommitInfo is a commit object as stored.
type CommitInfo struct {
	Hash      plumbing.Hash
	Tree      plumbing.Hash
	Parents   []plumbing.Hash
	Author    Signature
	Committer Signature
	Message   string
}

// TreeEntry is one entry of a tree object.
type TreeEntry struct {
	Name string
	Mode filemode.FileMode
	Hash plumbing.Hash
}

// IsDir reports whether the entry is a folder.
func (e TreeEntry) IsDir() bool { return e.Mode == filemode.Dir }

// IsRegular reports whether the entry is a regular (possibly executable)
// file; symlinks and submodules are not.
func (e TreeEntry) IsRegular() bool { return isRegular(e.Mode) }

// ErrObjectMissing wraps a read of an object the repository does not hold
// (a shallow or partial clone).
var ErrObjectMissing = errors.New("object not in the repository")

// object reads an object of the given type.
func (r *Reader) object(t plumbing.ObjectType, h plumbing.Hash) ([]byte, error) {
	typ, data, err := r.objs.read(h)
	if errors.Is(err, errNotInPacks) {
		r.repo.mu.Lock()
		data, err = r.repo.readObject(t, h)
		r.repo.mu.Unlock()
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			return nil, fmt.Errorf("%w: %s %s", ErrObjectMissing, t, h)
		}
		return data, err
	}
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", t, h, err)
	}
	if typ != t {
		return nil, fmt.Errorf("read %s %s: it is a %s", t, h, typ)
	}
	return data, nil
}

// ReadCommit reads and parses a commit object.
func (r *Reader) ReadCommit(h plumbing.Hash) (*CommitInfo, error) {
	data, err := r.object(plumbing.CommitObject, h)
	if err != nil {
		return nil, err
	}
	c, err := ParseCommit(data)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", h, err)
	}
	c.Hash = h
	return c, nil
}

// ParseCommit parses the content of a commit object (without its hash).
func ParseCommit(data []byte) (*CommitInfo, error) {
	c := &CommitInfo{}
	header, msg, _ := bytes.Cut(data, []byte("\n\n"))
	c.Message = string(msg)
	for line := range bytes.SplitSeq(header, []byte("\n")) {
		if len(line) > 0 && line[0] == ' ' {
			continue // a continuation line of a multi-line header (gpgsig)
		}
		key, val, _ := bytes.Cut(line, []byte(" "))
		switch string(key) {
		case "tree":
			if !plumbing.IsHash(string(val)) {
				return nil, errors.New("malformed tree line")
			}
			c.Tree = plumbing.NewHash(string(val))
		case "parent":
			if !plumbing.IsHash(string(val)) {
				return nil, errors.New("malformed parent line")
			}
			c.Parents = append(c.Parents, plumbing.NewHash(string(val)))
		case "author":
			c.Author = parseSignature(string(val))
		case "committer":
			c.Committer = parseSignature(string(val))
		}
	}
	if c.Tree.IsZero() {
		return nil, errors.New("no tree")
	}
	return c, nil
}

// parseSignature reads "Name <email> 1700000000 +0100"; what it cannot read
// stays empty.
func parseSignature(s string) Signature {
	var sig Signature
	lt, gt := strings.LastIndexByte(s, '<'), strings.LastIndexByte(s, '>')
	if lt < 0 || gt < lt {
		sig.Name = strings.TrimSpace(s)
		return sig
	}
	sig.Name = strings.TrimSpace(s[:lt])
	sig.Email = s[lt+1 : gt]
	fields := strings.Fields(s[gt+1:])
	if len(fields) >= 1 {
		if sec, err := strconv.ParseInt(fields[0], 10, 64); err == nil {
			loc := time.UTC
			if len(fields) >= 2 && len(fields[1]) == 5 {
				if off, err := strconv.Atoi(fields[1][1:]); err == nil {
					secs := (off/100)*3600 + (off%100)*60
					if fields[1][0] == '-' {
						secs = -secs
					}
					loc = time.FixedZone("", secs)
				}
			}
			sig.When = time.Unix(sec, 0).In(loc)
		}
	}
	return sig
}

// ReadTree reads a tree object's entries, in git's order.
func (r *Reader) ReadTree(h plumbing.Hash) ([]TreeEntry, error) {
	data, err := r.object(plumbing.TreeObject, h)
	if err != nil {
		return nil, err
	}
	var out []TreeEntry
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		nul := bytes.IndexByte(data, 0)
		if sp <= 0 || nul < sp || len(data) < nul+21 {
			return nil, fmt.Errorf("read tree %s: malformed", h)
		}
		mode, err := strconv.ParseUint(string(data[:sp]), 8, 32)
		if err != nil {
			return nil, fmt.Errorf("read tree %s: malformed mode", h)
		}
		out = append(out, TreeEntry{Name: string(data[sp+1 : nul]), Mode: filemode.FileMode(mode), Hash: plumbing.Hash(data[nul+1 : nul+21])})
		data = data[nul+21:]
	}
	return out, nil
}

// ReadBlob reads a blob's content.
func (r *Reader) ReadBlob(h plumbing.Hash) ([]byte, error) {
	return r.object(plumbing.BlobObject, h)
}

// Shallow lists the commits git marks as shallow (.git/shallow): the
// repository holds them but not their parents.
func (r *Reader) Shallow() (map[plumbing.Hash]bool, error) {
	f, err := os.Open(filepath.Join(r.repo.gitDir, "shallow"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[plumbing.Hash]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); plumbing.IsHash(s) {
			out[plumbing.NewHash(s)] = true
		}
	}
	return out, sc.Err()
}

// Resolve turns a revision into a commit id: a branch, a tag, a remote
// branch such as origin/main, HEAD, a full or abbreviated commit id, each
// with ~N and ^N suffixes. Anything else git understands is left to
// go-git's resolver.
func (r *Reader) Resolve(rev string) (plumbing.Hash, error) {
	if h, err := r.resolve(rev); err == nil {
		return h, nil
	}
	r.repo.mu.Lock()
	defer r.repo.mu.Unlock()
	repo, err := gogit.Open(r.repo.st, nil)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	h, err := repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("unknown revision %q", rev)
	}
	return *h, nil
}
