package gitstore

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// treeEntry is one entry of a git tree object, kept exactly as read (no
// mode canonicalisation, unlike go-git's decoder) so untouched entries are
// written back byte for byte.
type treeEntry struct {
	name string
	mode filemode.FileMode
	hash plumbing.Hash
}

// sortKey orders entries the way git does: names compared as bytes, with a
// trailing "/" on folders.
func (e treeEntry) sortKey() string {
	if e.mode == filemode.Dir {
		return e.name + "/"
	}
	return e.name
}

// readObject reads an object of the expected type through objectReader
// (not go-git's storage, whose first read of a packed object costs time in
// proportion to the whole history; see objread.go).
func (r *Repo) readObject(t plumbing.ObjectType, h plumbing.Hash) ([]byte, error) {
	typ, data, err := r.objs.read(h)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", t, err)
	}
	if typ != t {
		return nil, fmt.Errorf("read %s %s: %w (it is a %s)", t, h, plumbing.ErrObjectNotFound, typ)
	}
	return data, nil
}

func (r *Repo) writeObject(t plumbing.ObjectType, data []byte) (plumbing.Hash, error) {
	o := r.st.NewEncodedObject()
	o.SetType(t)
	w, err := o.Writer()
	if err == nil {
		_, err = w.Write(data)
	}
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("write %s: %w", t, err)
	}
	h, err := r.st.SetEncodedObject(o)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("write %s: %w", t, err)
	}
	return h, nil
}

func (r *Repo) readTree(h plumbing.Hash) ([]treeEntry, error) {
	data, err := r.readObject(plumbing.TreeObject, h)
	if err != nil {
		return nil, err
	}
	var out []treeEntry
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
		out = append(out, treeEntry{
			name: string(data[sp+1 : nul]),
			mode: filemode.FileMode(mode),
			hash: plumbing.Hash(data[nul+1 : nul+21]),
		})
		data = data[nul+21:]
	}
	return out, nil
}

func encodeTree(entries []treeEntry) []byte {
	var b bytes.Buffer
	for _, e := range entries {
		b.WriteString(strconv.FormatUint(uint64(e.mode), 8))
		b.WriteByte(' ')
		b.WriteString(e.name)
		b.WriteByte(0)
		b.Write(e.hash[:])
	}
	return b.Bytes()
}

// commitTree returns the tree of a commit (the zero hash for the zero commit).
func (r *Repo) commitTree(c plumbing.Hash) (plumbing.Hash, error) {
	if c.IsZero() {
		return plumbing.ZeroHash, nil
	}
	data, err := r.readObject(plumbing.CommitObject, c)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	line, _, _ := bytes.Cut(data, []byte("\n"))
	hex, ok := bytes.CutPrefix(line, []byte("tree "))
	if !ok || !plumbing.IsHash(string(hex)) {
		return plumbing.ZeroHash, fmt.Errorf("read commit %s: malformed", c)
	}
	return plumbing.NewHash(string(hex)), nil
}

// lookup finds the entry at a slash-separated path below tree t.
func (r *Repo) lookup(t plumbing.Hash, p string) (treeEntry, bool, error) {
	e := treeEntry{mode: filemode.Dir, hash: t}
	for _, c := range strings.Split(p, "/") {
		if e.mode != filemode.Dir || e.hash.IsZero() {
			return treeEntry{}, false, nil
		}
		entries, err := r.readTree(e.hash)
		if err != nil {
			return treeEntry{}, false, err
		}
		i := slices.IndexFunc(entries, func(x treeEntry) bool { return x.name == c })
		if i < 0 {
			return treeEntry{}, false, nil
		}
		e = entries[i]
	}
	return e, true, nil
}

// treeEdit is a tree on a touched path: its entries as read from HEAD, and
// the sub-trees being edited below it. Nothing else is ever loaded.
type treeEdit struct {
	path    string
	base    plumbing.Hash // zero for a new folder
	entries []treeEntry
	kids    map[string]*treeEdit
}

func (r *Repo) newTreeEdit(path string, base plumbing.Hash) (*treeEdit, error) {
	t := &treeEdit{path: path, base: base, kids: map[string]*treeEdit{}}
	if !base.IsZero() {
		var err error
		if t.entries, err = r.readTree(base); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func (t *treeEdit) find(name string) int {
	return slices.IndexFunc(t.entries, func(e treeEntry) bool { return e.name == name })
}

func (t *treeEdit) set(e treeEntry) {
	if i := t.find(e.name); i >= 0 {
		t.entries[i] = e
	} else {
		t.entries = append(t.entries, e)
	}
}

func (t *treeEdit) remove(name string) {
	if i := t.find(name); i >= 0 {
		t.entries = slices.Delete(t.entries, i, i+1)
	}
}

// edit records that file p becomes blob (or is removed when blob is zero).
// A path that would turn a file of HEAD into a folder, or the reverse, is
// refused: it would commit someone else's change.
func (r *Repo) edit(root *treeEdit, p string, blob plumbing.Hash) error {
	t := root
	comps := strings.Split(p, "/")
	for _, c := range comps[:len(comps)-1] {
		kid := t.kids[c]
		if kid == nil {
			sub := join(t.path, c)
			var base plumbing.Hash
			if i := t.find(c); i >= 0 {
				if t.entries[i].mode != filemode.Dir {
					return fmt.Errorf("%w %q: %s is a file in HEAD", ErrInvalidPath, p, sub)
				}
				base = t.entries[i].hash
			}
			var err error
			if kid, err = r.newTreeEdit(sub, base); err != nil {
				return err
			}
			t.kids[c] = kid
		}
		t = kid
	}
	name := comps[len(comps)-1]
	if i := t.find(name); i >= 0 && t.entries[i].mode == filemode.Dir {
		return fmt.Errorf("%w %q: it is a folder in HEAD", ErrInvalidPath, p)
	}
	if blob.IsZero() {
		t.remove(name)
	} else {
		t.set(treeEntry{name: name, mode: filemode.Regular, hash: blob})
	}
	return nil
}

// write stores the edited trees bottom-up and returns the new hash of t;
// zero if t became empty (git keeps no empty folders), except for the root,
// which is written even when empty.
func (r *Repo) write(t *treeEdit) (plumbing.Hash, error) {
	for name, kid := range t.kids {
		h, err := r.write(kid)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		if h.IsZero() {
			t.remove(name)
		} else {
			t.set(treeEntry{name: name, mode: filemode.Dir, hash: h})
		}
	}
	if len(t.entries) == 0 && t.path != "" {
		return plumbing.ZeroHash, nil
	}
	slices.SortFunc(t.entries, func(a, b treeEntry) int { return strings.Compare(a.sortKey(), b.sortKey()) })
	data := encodeTree(t.entries)
	if h := plumbing.ComputeHash(plumbing.TreeObject, data); h == t.base {
		return h, nil // unchanged: already stored
	}
	return r.writeObject(plumbing.TreeObject, data)
}

func join(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// Signature is the person a commit is recorded for: the acting caseworker.
// When keeps its zone; the commit records it as the author and committer
// date.
type Signature struct {
	Name, Email string
	When        time.Time
}

func (s Signature) check() error {
	bad := func(what string) error { return fmt.Errorf("invalid signature: %s", what) }
	switch {
	case strings.TrimSpace(s.Name) == "":
		return bad("empty name")
	case strings.TrimSpace(s.Email) == "":
		return bad("empty email")
	case strings.ContainsAny(s.Name+s.Email, "<>\n\x00"):
		return bad("name or email contains <, >, a newline or NUL")
	case s.When.IsZero():
		return bad("no date")
	}
	return nil
}

// ident formats "Name <email> <unix seconds> <+hhmm>" as git writes it.
func (s Signature) ident() string {
	_, off := s.When.Zone()
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	off /= 60
	return fmt.Sprintf("%s <%s> %d %c%02d%02d", strings.TrimSpace(s.Name), strings.TrimSpace(s.Email), s.When.Unix(), sign, off/60, off%60)
}

func checkMessage(msg string) error {
	switch {
	case strings.TrimSpace(msg) == "":
		return errors.New("invalid commit message: empty")
	case strings.ContainsRune(msg, 0):
		return errors.New("invalid commit message: contains a NUL byte")
	case !utf8.ValidString(msg):
		return errors.New("invalid commit message: not UTF-8")
	}
	return nil
}

// subject is the first line of a message, as git's reflog records it.
func subject(msg string) string {
	s, _, _ := strings.Cut(strings.TrimLeft(msg, "\n"), "\n")
	return strings.TrimSpace(s)
}

func encodeCommit(tree, parent plumbing.Hash, sig Signature, msg string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "tree %s\n", tree)
	if !parent.IsZero() {
		fmt.Fprintf(&b, "parent %s\n", parent)
	}
	id := sig.ident()
	fmt.Fprintf(&b, "author %s\ncommitter %s\n\n%s", id, id, msg)
	if !strings.HasSuffix(msg, "\n") {
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// ReadHead returns the content of a file at HEAD; ok is false if the path
// is absent there (or not a file) or HEAD's branch is unborn.
func (r *Repo) ReadHead(p string) (data []byte, ok bool, err error) {
	if err := checkPath(p); err != nil {
		return nil, false, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	head, err := r.readHead()
	if err != nil {
		return nil, false, err
	}
	tree, err := r.commitTree(head.tip)
	if err != nil || tree.IsZero() {
		return nil, false, err
	}
	e, ok, err := r.lookup(tree, p)
	if err != nil || !ok || !isRegular(e.mode) {
		return nil, false, err
	}
	data, err = r.readObject(plumbing.BlobObject, e.hash)
	return data, err == nil, err
}

// isRegular reports whether a git mode is a regular (possibly executable) file.
func isRegular(m filemode.FileMode) bool { return m&0o170000 == 0o100000 }
