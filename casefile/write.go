package casefile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/casesproject/cases/casefile/diag"
	"github.com/casesproject/cases/casefile/gitstore"
	"github.com/casesproject/cases/casefile/yamlx"
)

// store is what the domain needs of git: the commit engine (gitstore).
type store interface {
	Lock(timeout time.Duration) (unlock func(), err error)
	Apply(changes []gitstore.Change, opts gitstore.CommitOptions) (hash [20]byte, err error)
	Dirty(prefixes ...string) ([]string, error)
	Unstaged(paths ...string) ([]string, error)
	ReadHead(path string) (data []byte, ok bool, err error)
	UserEmail() (string, error)
	Close() error
}

// gitStore adapts *gitstore.Repo to store.
type gitStore struct{ *gitstore.Repo }

func (g gitStore) Apply(changes []gitstore.Change, opts gitstore.CommitOptions) ([20]byte, error) {
	h, err := g.Repo.Apply(changes, opts)
	return h, err
}

// git opens the commit engine on first use.
func (r *Repo) git() (store, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.store != nil {
		return r.store, nil
	}
	g, err := gitstore.Open(r.Root)
	if err != nil {
		return nil, err
	}
	r.store = gitStore{g}
	return r.store, nil
}

// Close releases the repository's open files.
func (r *Repo) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.store == nil {
		return nil
	}
	err := r.store.Close()
	r.store = nil
	return err
}

// Actor is the staff member a command acts as: the commit's author.
type Actor struct {
	ID    string
	Name  string
	Email string
}

// ActorError says who the command would act as and why that is refused.
type ActorError struct{ msg string }

func (e *ActorError) Error() string { return e.msg }

// ResolveActor finds the acting staff member from as (an email or a staff
// id; callers pass --as, else CASES_USER), else from git's user.email.
func (r *Repo) ResolveActor(as string) (Actor, error) {
	if as == "" {
		st, err := r.git()
		if err != nil {
			return Actor{}, err
		}
		if as, err = st.UserEmail(); err != nil {
			return Actor{}, err
		}
		if as == "" {
			return Actor{}, &ActorError{"who is acting? pass --as EMAIL, set CASES_USER, or set git's user.email"}
		}
	}
	var s Staff
	var ok bool
	if strings.Contains(as, "@") {
		s, ok = r.Config.StaffByEmail(as)
	} else {
		s, ok = r.Config.StaffByID(as)
	}
	if !ok {
		return Actor{}, &ActorError{fmt.Sprintf("%s is not on the staff list in cases.yaml; add them there, or act as someone who is (--as)", as)}
	}
	if !s.IsActive() {
		return Actor{}, &ActorError{fmt.Sprintf("staff member %s is marked inactive in cases.yaml", s.ID)}
	}
	return Actor{ID: s.ID, Name: s.Name, Email: s.Email}, nil
}

// DirtyError refuses a write because files the command would write, or
// files in the case folder it writes to, have uncommitted changes.
type DirtyError struct {
	Paths    []string
	NoCommit bool
}

func (e *DirtyError) Error() string {
	shown := e.Paths
	if len(shown) > 5 {
		shown = shown[:5]
	}
	more := ""
	if len(e.Paths) > len(shown) {
		more = fmt.Sprintf(" and %d more", len(e.Paths)-len(shown))
	}
	if e.NoCommit {
		return fmt.Sprintf("unstaged changes to files this command writes: %s%s; stage (git add) or undo them first", strings.Join(shown, ", "), more)
	}
	return fmt.Sprintf("uncommitted changes where this command writes: %s%s; commit or stash them first, or use --no-commit to build a batch", strings.Join(shown, ", "), more)
}

// UpdateOptions say who acts and how the change is recorded.
type UpdateOptions struct {
	Actor    Actor
	Verb     string // the command, e.g. "note"; starts the commit message
	NoCommit bool   // stage the change instead of committing it
}

// Tx collects the documents one command writes.
type Tx struct {
	r       *Repo
	opts    UpdateOptions
	now     time.Time
	changes []gitstore.Change

	// CaseID names the case the change is about ("" for repository files).
	CaseID string
	// Summary completes the commit subject: "<verb> <case>: <summary>". It
	// must never hold personal data.
	Summary string
}

// Now is the time the change is recorded at.
func (tx *Tx) Now() time.Time { return tx.now }

// Actor is who makes the change.
func (tx *Tx) Actor() Actor { return tx.opts.Actor }

// Write adds a file to the change.
func (tx *Tx) Write(rel string, data []byte) error {
	if err := CheckRelPath(rel); err != nil {
		return err
	}
	for i := range tx.changes {
		if tx.changes[i].Path == rel {
			tx.changes[i] = gitstore.Change{Path: rel, Data: data}
			return nil
		}
	}
	tx.changes = append(tx.changes, gitstore.Change{Path: rel, Data: data})
	return nil
}

// Delete removes a file in the change (its content stays in git history).
func (tx *Tx) Delete(rel string) error {
	if err := CheckRelPath(rel); err != nil {
		return err
	}
	for i := range tx.changes {
		if tx.changes[i].Path == rel {
			tx.changes[i] = gitstore.Change{Path: rel, Delete: true}
			return nil
		}
	}
	tx.changes = append(tx.changes, gitstore.Change{Path: rel, Delete: true})
	return nil
}

// WriteDoc encodes a document and adds it to the change after checking it
// once more through the strict reader and its schema: a command can never
// write a document that validate would refuse on its own.
func (tx *Tx) WriteDoc(doc *yamlx.Doc, k Kind) error {
	data, err := EncodeDoc(doc, k)
	if err != nil {
		return err
	}
	if _, problems := Check(doc.Path, k, data); len(problems) > 0 {
		return diag.Invalid(problems)
	}
	return tx.Write(doc.Path, data)
}

// Paths lists the files in the change.
func (tx *Tx) Paths() []string {
	out := make([]string, len(tx.changes))
	for i, c := range tx.changes {
		out[i] = c.Path
	}
	return out
}

// EncodeDoc writes a document, making sure its first line is the schema
// comment of its kind.
func EncodeDoc(doc *yamlx.Doc, k Kind) ([]byte, error) {
	if !strings.HasPrefix(doc.Node.HeadComment, SchemaLinePrefix) {
		head := k.SchemaLine()
		if doc.Node.HeadComment != "" {
			head += "\n" + doc.Node.HeadComment
		}
		doc.Node.HeadComment = head
	}
	return yamlx.Encode(doc.Node)
}

// Result says what an update did.
type Result struct {
	Commit string   // hex id of the new commit ("" with NoCommit or no change)
	Paths  []string // files written
}

// Update runs fn under the repository's writer lock, then writes what it
// collected atomically and records it as exactly one commit (or stages it,
// with NoCommit). Nothing is written when fn fails, when a file it would
// write (or any file in a case folder it writes to) has uncommitted changes,
// or when the commit fails: the working tree, index and HEAD stay as they
// were.
func (r *Repo) Update(opts UpdateOptions, fn func(tx *Tx) error) (*Result, error) {
	st, err := r.git()
	if err != nil {
		return nil, err
	}
	unlock, err := st.Lock(r.LockTimeout)
	if err != nil {
		return nil, err
	}
	defer unlock()
	tx := &Tx{r: r, opts: opts, now: r.Now()}
	if err := fn(tx); err != nil {
		return nil, err
	}
	if len(tx.changes) == 0 {
		return &Result{}, nil
	}
	paths := tx.Paths()
	if opts.NoCommit {
		unstaged, err := st.Unstaged(paths...)
		if err != nil {
			return nil, err
		}
		if len(unstaged) > 0 {
			return nil, &DirtyError{Paths: unstaged, NoCommit: true}
		}
	} else {
		dirty, err := st.Dirty(cleanScope(paths)...)
		if err != nil {
			return nil, err
		}
		if len(dirty) > 0 {
			return nil, &DirtyError{Paths: dirty}
		}
	}
	hash, err := st.Apply(tx.changes, gitstore.CommitOptions{
		Message:  CommitMessage(opts.Verb, tx.CaseID, tx.Summary),
		Author:   gitstore.Signature{Name: opts.Actor.Name, Email: opts.Actor.Email, When: tx.now},
		NoCommit: opts.NoCommit,
	})
	if err != nil {
		return nil, err
	}
	res := &Result{Paths: paths}
	if !opts.NoCommit {
		res.Commit = fmt.Sprintf("%x", hash)
	}
	return res, nil
}

// cleanScope is what must be clean before a commit: the whole folder of every
// case written to (the command may have read any of its documents), and each
// other file written.
func cleanScope(paths []string) []string {
	var out []string
	for _, p := range paths {
		if loc := Locate(p); loc.CaseID != "" {
			out = append(out, CaseDir(loc.CaseID))
		} else {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// CommitMessage formats "<verb> <case>: <summary>" with trailers that let
// history tools find a case's commits without diffing trees.
func CommitMessage(verb, caseID, summary string) string {
	var b strings.Builder
	b.WriteString(verb)
	if caseID != "" {
		b.WriteString(" " + caseID)
	}
	if summary != "" {
		b.WriteString(": " + summary)
	}
	b.WriteString("\n\n")
	if caseID != "" {
		b.WriteString("Case: " + caseID + "\n")
	}
	b.WriteString("Cases-Command: " + verb + "\n")
	return b.String()
}

// DraftPath is where an editor session keeps what was typed until it is
// accepted: under .git/, so it is never committed, and per document, so a
// failed save can be resumed.
func (r *Repo) DraftPath(name string) (string, error) {
	dir := filepath.Join(r.Root, ".git", "cases", "drafts")
	if fi, err := os.Stat(filepath.Join(r.Root, ".git")); err != nil || !fi.IsDir() {
		return "", errors.New("drafts need a .git folder in the repository root")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	return filepath.Join(dir, strings.NewReplacer("/", "_", "\\", "_").Replace(name)), nil
}
