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
// and parsed here (go-git's object decoders are not needed, and its
// path-filtered Log is far too slow on a case repository: see
// shared/GIT-PERFORMANCE.md). Callers walk history themselves, touching
// only the trees on the paths they care about.

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

// ReadCommit reads and parses a commit object.
func (r *Repo) ReadCommit(h plumbing.Hash) (*CommitInfo, error) {
	r.mu.Lock()
	data, err := r.readObject(plumbing.CommitObject, h)
	r.mu.Unlock()
	if err != nil {
		return nil, missing(err)
	}
	c, err := ParseCommit(data)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", h, err)
	}
	c.Hash = h
	return c, nil
}

func missing(err error) error {
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return fmt.Errorf("%w: %w", ErrObjectMissing, err)
	}
	return err
}

// ParseCommit parses the content of a commit object (without its hash).
func ParseCommit(data []byte) (*CommitInfo, error) {
	c := &CommitInfo{}
	header, msg, _ := bytes.Cut(data, []byte("\n\n"))
	c.Message = string(msg)
	inSig := false // continuation lines (a gpgsig) follow their header
	for line := range bytes.SplitSeq(header, []byte("\n")) {
		if len(line) > 0 && line[0] == ' ' {
			if !inSig {
				return nil, errors.New("malformed header")
			}
			continue
		}
		key, val, _ := bytes.Cut(line, []byte(" "))
		inSig = false
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
		default:
			inSig = true
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
func (r *Repo) ReadTree(h plumbing.Hash) ([]TreeEntry, error) {
	r.mu.Lock()
	entries, err := r.readTree(h)
	r.mu.Unlock()
	if err != nil {
		return nil, missing(err)
	}
	out := make([]TreeEntry, len(entries))
	for i, e := range entries {
		out[i] = TreeEntry{Name: e.name, Mode: e.mode, Hash: e.hash}
	}
	return out, nil
}

// ReadBlob reads a blob's content.
func (r *Repo) ReadBlob(h plumbing.Hash) ([]byte, error) {
	r.mu.Lock()
	data, err := r.readObject(plumbing.BlobObject, h)
	r.mu.Unlock()
	return data, missing(err)
}

// Resolve turns a revision as git understands most of them (a branch, a
// tag, a remote branch such as origin/main, HEAD, a full or abbreviated
// commit id, with ~N and ^N suffixes) into a commit id.
func (r *Repo) Resolve(rev string) (plumbing.Hash, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	repo, err := gogit.Open(r.st, nil)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	h, err := repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("unknown revision %q", rev)
	}
	return *h, nil
}

// Shallow lists the commits git marks as shallow (.git/shallow): the
// repository holds them but not their parents.
func (r *Repo) Shallow() (map[plumbing.Hash]bool, error) {
	f, err := os.Open(filepath.Join(r.gitDir, "shallow"))
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

// GitDir is the repository's .git folder.
func (r *Repo) GitDir() string { return r.gitDir }
