package gitstore

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// Change is one file a command writes.
type Change struct {
	Path   string // slash-separated, relative to the working-tree root
	Data   []byte // the new content (committed with mode 100644)
	Delete bool   // remove the path instead (Data must be empty)
}

// CommitOptions describe the commit Apply makes.
type CommitOptions struct {
	Message  string    // the full message (subject, blank line, trailers); no NUL, UTF-8
	Author   Signature // recorded as author and committer
	NoCommit bool      // write and stage only: no commit, HEAD unchanged
}

// testFault, when set by a test, is called after each step of Apply; an
// error it returns makes Apply fail there and roll back.
var testFault func(step string) error

// Steps of Apply, in order, as passed to testFault.
const (
	stepIndexLocked  = "index-locked"       // .git/index.lock created
	stepTempWritten  = "temp-files-written" // new contents in temporary files, synced
	stepObjects      = "objects-written"    // blobs, trees and the commit stored
	stepFilesRenamed = "files-renamed"      // temporary files renamed over the paths
	stepIndexWritten = "index-lock-written" // the new index in index.lock, synced
	stepRefUpdated   = "ref-updated"        // the branch (or detached HEAD) moved, reflogs appended
)

// Apply writes the changes into the working tree, stages exactly those
// paths and, unless opts.NoCommit, commits exactly those paths on top of
// HEAD, authored and committed by opts.Author. It returns the new commit
// (the zero hash with NoCommit).
//
// Nothing else is staged or committed: other modified, staged and untracked
// files stay as they were. Contents are stored byte for byte: no
// end-of-line conversion or .gitattributes filter is applied. Changes that
// leave HEAD's tree as it is still make a commit; a caller that wants none
// compares with [Repo.ReadHead] first.
//
// Apply overwrites the given paths whatever their state; a caller that must
// not clobber a person's edits checks [Repo.Dirty] or [Repo.Unstaged]
// first, under [Repo.Lock]. If the caller does not hold the writer lock
// through this Repo, Apply takes it for the call, waiting up to
// DefaultLockTimeout.
//
// The steps, in order:
//
//  1. check the changes, the message and the author (nothing touched yet);
//  2. create .git/index.lock (ErrIndexLocked if it exists);
//  3. read HEAD and the index, and refuse conflicts, split or sparse
//     indexes, and paths that cross a symlink, a special file, or a
//     file/folder clash with HEAD or the index;
//  4. write each new content to a temporary file beside its path, synced;
//  5. store the blobs, the trees on the touched paths, and the commit;
//  6. rename the temporary files over their paths (an old file is kept as
//     a hard link, a deleted one is moved aside, until the end), then sync
//     the folders;
//  7. splice the touched entries into a copy of the index, written to
//     index.lock and synced;
//  8. unless NoCommit: take <ref>.lock, check the branch still points at
//     the parent, append the reflogs, rename the lock over the ref;
//  9. rename index.lock over .git/index: this is the commit point.
//
// A failure in steps 1 to 9, including an error injected between them by
// a test, rolls everything back: the working tree, the index and HEAD are
// as they were (objects stored in step 5 stay, unreachable, for git gc).
// After the commit point only the kept old files are removed.
func (r *Repo) Apply(changes []Change, opts CommitOptions) (plumbing.Hash, error) {
	if err := checkChanges(changes); err != nil {
		return plumbing.ZeroHash, err
	}
	if !opts.NoCommit {
		if err := checkMessage(opts.Message); err != nil {
			return plumbing.ZeroHash, err
		}
		if err := opts.Author.check(); err != nil {
			return plumbing.ZeroHash, err
		}
	}
	r.mu.Lock()
	held := r.held > 0
	r.mu.Unlock()
	if !held {
		unlock, err := r.Lock(DefaultLockTimeout)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		defer unlock()
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	tx := &applyTx{r: r, opts: opts, wtDirs: createdDirs{ops: r.wt}}
	commit, err := tx.run(changes)
	if err != nil {
		if rerr := tx.rollback(); rerr != nil {
			err = errors.Join(err, fmt.Errorf("rollback incomplete: %w", rerr))
		}
		return plumbing.ZeroHash, err
	}
	tx.cleanup()
	return commit, nil
}

func checkChanges(changes []Change) error {
	if len(changes) == 0 {
		return errors.New("apply: no changes")
	}
	seen := make(map[string]bool, len(changes))
	for _, c := range changes {
		if err := checkPath(c.Path); err != nil {
			return err
		}
		if c.Delete && len(c.Data) > 0 {
			return fmt.Errorf("apply %s: a deletion carries no data", c.Path)
		}
		if seen[c.Path] {
			return fmt.Errorf("apply %s: path given twice", c.Path)
		}
		seen[c.Path] = true
	}
	for _, c := range changes {
		for _, a := range ancestors(c.Path) {
			if seen[a] {
				return fmt.Errorf("apply %s: %s is written as a file too", c.Path, a)
			}
		}
	}
	return nil
}

// applyTx is one Apply in progress, with what it must undo on failure.
type applyTx struct {
	r         *Repo
	opts      CommitOptions
	indexLock *lockFile
	files     []*fileOp
	wtDirs    createdDirs // folders made in the working tree
	ref       *refUpdate
}

// fileOp is one path being written or deleted.
type fileOp struct {
	Change
	blob    plumbing.Hash
	existed bool   // a regular file was at the path
	tmp     string // temporary file holding the new content
	backup  string // the old file, kept until the commit point
	placed  bool   // the path now holds the new state
}

func (tx *applyTx) run(changes []Change) (plumbing.Hash, error) {
	r := tx.r
	var err error
	tx.indexLock, err = createLock(filepath.Join(r.gitDir, "index"))
	if errors.Is(err, errLockExists) {
		return plumbing.ZeroHash, fmt.Errorf("%w: %s.lock exists (if no git command is running, a crashed one left it: remove the file)", ErrIndexLocked, filepath.Join(r.gitDir, "index"))
	}
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("lock git index: %w", err)
	}
	if err := fault(stepIndexLocked); err != nil {
		return plumbing.ZeroHash, err
	}

	// Read and check everything before the first write.
	cfg, err := r.config()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	head, err := r.readHead()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	idx, err := readIndex(filepath.Join(r.gitDir, "index"), true)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if err := idx.checkWritable(cfg); err != nil {
		return plumbing.ZeroHash, err
	}
	paths := make([]string, len(changes))
	for i, c := range changes {
		paths[i] = c.Path
	}
	if err := idx.checkPaths(paths); err != nil {
		return plumbing.ZeroHash, err
	}
	baseTree, err := r.commitTree(head.tip)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	root, err := r.newTreeEdit("", baseTree)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	for _, c := range changes {
		op := &fileOp{Change: c}
		if op.existed, err = r.lstatPath(c.Path); err != nil {
			return plumbing.ZeroHash, err
		}
		if !c.Delete {
			op.blob = plumbing.ComputeHash(plumbing.BlobObject, c.Data)
		}
		if err := r.edit(root, c.Path, op.blob); err != nil {
			return plumbing.ZeroHash, err
		}
		tx.files = append(tx.files, op)
	}

	if err := tx.writeTemps(); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := fault(stepTempWritten); err != nil {
		return plumbing.ZeroHash, err
	}

	var commit plumbing.Hash
	for _, op := range tx.files {
		if !op.Delete {
			if _, err := r.writeObject(plumbing.BlobObject, op.Data); err != nil {
				return plumbing.ZeroHash, err
			}
		}
	}
	if !tx.opts.NoCommit {
		tree, err := r.write(root)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		commit, err = r.writeObject(plumbing.CommitObject, encodeCommit(tree, head.tip, tx.opts.Author, tx.opts.Message))
		if err != nil {
			return plumbing.ZeroHash, err
		}
	}
	if err := fault(stepObjects); err != nil {
		return plumbing.ZeroHash, err
	}

	if err := tx.placeFiles(); err != nil {
		return plumbing.ZeroHash, err
	}
	if err := fault(stepFilesRenamed); err != nil {
		return plumbing.ZeroHash, err
	}

	st := make([]staged, len(tx.files))
	for i, op := range tx.files {
		st[i] = staged{path: op.Path, delete: op.Delete, hash: op.blob}
		if !op.Delete {
			fi, err := r.wt.Lstat(op.Path)
			if err != nil {
				return plumbing.ZeroHash, err
			}
			st[i].stat = statOf(fi, filemode.Regular)
		}
	}
	if err := idx.writeSpliced(tx.indexLock.f, st); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("write %s: %w", tx.indexLock.path, err)
	}
	if err := tx.indexLock.finish(); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("write %s: %w", tx.indexLock.path, err)
	}
	if err := fault(stepIndexWritten); err != nil {
		return plumbing.ZeroHash, err
	}

	if !tx.opts.NoCommit {
		tx.ref = &refUpdate{r: r, head: head, newTip: commit, dirs: createdDirs{ops: osDirs{}}}
		what := "commit: "
		if head.tip.IsZero() {
			what = "commit (initial): "
		}
		if err := tx.ref.prepare(tx.opts.Author.ident(), what+subject(tx.opts.Message)); err != nil {
			return plumbing.ZeroHash, err
		}
		if err := tx.ref.commit(); err != nil {
			return plumbing.ZeroHash, err
		}
		if err := fault(stepRefUpdated); err != nil {
			return plumbing.ZeroHash, err
		}
	}

	if err := tx.indexLock.commit(); err != nil { // the commit point
		return plumbing.ZeroHash, fmt.Errorf("update git index: %w", err)
	}
	return commit, nil
}

func fault(step string) error {
	if testFault != nil {
		return testFault(step)
	}
	return nil
}

// sideName names a temporary or kept file beside p, hidden and unlikely to
// clash with anything a person keeps there.
func sideName(p, kind string) string {
	dir, base := path.Split(p)
	return dir + "." + base + ".cases-" + kind + "-" + strconv.FormatUint(rand.Uint64()>>16, 36)
}

// writeTemps writes each new content into a synced temporary file in its
// destination folder, creating missing folders.
func (tx *applyTx) writeTemps() error {
	wt := tx.r.wt
	for _, op := range tx.files {
		if op.Delete {
			continue
		}
		if dir := path.Dir(op.Path); dir != "." {
			if err := tx.wtDirs.mkdirAll(dir); err != nil {
				return fmt.Errorf("create folder for %s: %w", op.Path, err)
			}
		}
		tmp := sideName(op.Path, "new")
		f, err := wt.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if err != nil {
			return fmt.Errorf("write %s: %w", op.Path, err)
		}
		op.tmp = tmp
		_, err = f.Write(op.Data)
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", op.Path, err)
		}
	}
	return nil
}

// placeFiles renames the temporary files over their paths (keeping a hard
// link to each old file) and moves deleted files aside, then syncs the
// folders so the renames are durable.
func (tx *applyTx) placeFiles() error {
	wt := tx.r.wt
	syncDirs := map[string]bool{}
	for _, op := range tx.files {
		if op.existed {
			op.backup = sideName(op.Path, "old")
			var err error
			if op.Delete {
				err = wt.Rename(op.Path, op.backup)
			} else {
				err = wt.Link(op.Path, op.backup)
			}
			if err != nil {
				op.backup = ""
				return fmt.Errorf("keep old %s: %w", op.Path, err)
			}
			op.placed = op.Delete
		}
		if !op.Delete {
			if err := wt.Rename(op.tmp, op.Path); err != nil {
				return fmt.Errorf("replace %s: %w", op.Path, err)
			}
			op.tmp, op.placed = "", true
		}
		syncDirs[path.Dir(op.Path)] = true
	}
	for _, d := range tx.wtDirs.dirs {
		syncDirs[path.Dir(d)] = true
	}
	for d := range syncDirs {
		if err := syncDir(wt, d); err != nil {
			return fmt.Errorf("sync folder %s: %w", d, err)
		}
	}
	return nil
}

func syncDir(wt *os.Root, dir string) error {
	f, err := wt.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	return errors.Join(err, f.Close())
}

// rollback undoes whatever run did, in reverse order.
func (tx *applyTx) rollback() error {
	var errs []error
	if tx.ref != nil {
		errs = append(errs, tx.ref.rollback())
	}
	wt := tx.r.wt
	for _, op := range slices.Backward(tx.files) {
		if op.tmp != "" {
			errs = append(errs, wt.Remove(op.tmp))
		}
		switch {
		case op.backup != "" && op.placed: // put the old file back
			errs = append(errs, wt.Rename(op.backup, op.Path))
		case op.backup != "": // linked, not yet replaced
			errs = append(errs, wt.Remove(op.backup))
		case op.placed: // a new file
			errs = append(errs, wt.Remove(op.Path))
		}
	}
	errs = append(errs, tx.wtDirs.remove())
	tx.indexLock.release()
	return errors.Join(errs...)
}

// cleanup removes the old files kept for a rollback. Failures are ignored:
// the commit is made, and a leftover is a hidden untracked file.
func (tx *applyTx) cleanup() {
	for _, op := range tx.files {
		if op.backup != "" {
			tx.r.wt.Remove(op.backup)
		}
	}
}

// dirOps is what createdDirs needs of a filesystem: *os.Root (the working
// tree) or osDirs (inside .git).
type dirOps interface {
	Lstat(name string) (fs.FileInfo, error)
	Mkdir(name string, perm fs.FileMode) error
	Remove(name string) error
}

type osDirs struct{}

func (osDirs) Lstat(name string) (fs.FileInfo, error)    { return os.Lstat(name) }
func (osDirs) Mkdir(name string, perm fs.FileMode) error { return os.Mkdir(name, perm) }
func (osDirs) Remove(name string) error                  { return os.Remove(name) }
