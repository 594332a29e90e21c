package gitstore

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// headState is what HEAD points at: a branch (possibly unborn) or, when
// detached, a commit.
type headState struct {
	ref      string        // "refs/heads/<name>", or "HEAD" when detached
	symbolic bool          // HEAD is "ref: <ref>"
	tip      plumbing.Hash // the commit; zero if the branch is unborn
	loose    []byte        // bytes of the loose ref file, nil if there is none
}

// readHead reads .git/HEAD and the ref it names (loose file, then
// packed-refs) straight from disk, so that a check made under a ref lock
// sees what another process just wrote.
func (r *Repo) readHead() (headState, error) {
	data, err := os.ReadFile(filepath.Join(r.gitDir, "HEAD"))
	if err != nil {
		return headState{}, fmt.Errorf("read HEAD: %w", err)
	}
	s := strings.TrimSpace(string(data))
	if target, ok := strings.CutPrefix(s, "ref: "); ok {
		target = strings.TrimSpace(target)
		if !strings.HasPrefix(target, "refs/") || plumbing.ReferenceName(target).Validate() != nil {
			return headState{}, fmt.Errorf("read HEAD: unsupported target %q", target)
		}
		h := headState{ref: target, symbolic: true}
		h.tip, h.loose, err = r.readRef(target)
		return h, err
	}
	h := headState{ref: "HEAD", loose: data}
	if !plumbing.IsHash(s) {
		return headState{}, fmt.Errorf("read HEAD: not a ref or a commit hash")
	}
	h.tip = plumbing.NewHash(s)
	return h, nil
}

// readRef resolves a branch ref: the loose file if there is one (its bytes
// are returned too), else packed-refs; zero hash if neither has it.
func (r *Repo) readRef(name string) (plumbing.Hash, []byte, error) {
	data, err := os.ReadFile(filepath.Join(r.gitDir, filepath.FromSlash(name)))
	if err == nil {
		s := strings.TrimSpace(string(data))
		if !plumbing.IsHash(s) {
			return plumbing.ZeroHash, nil, fmt.Errorf("read %s: not a commit hash (symbolic refs other than HEAD are not supported)", name)
		}
		return plumbing.NewHash(s), data, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return plumbing.ZeroHash, nil, fmt.Errorf("read %s: %w", name, err)
	}
	f, err := os.Open(filepath.Join(r.gitDir, "packed-refs"))
	if errors.Is(err, fs.ErrNotExist) {
		return plumbing.ZeroHash, nil, nil
	}
	if err != nil {
		return plumbing.ZeroHash, nil, fmt.Errorf("read packed-refs: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if hash, ref, ok := strings.Cut(line, " "); ok && ref == name && plumbing.IsHash(hash) {
			return plumbing.NewHash(hash), nil, nil
		}
	}
	if err := sc.Err(); err != nil {
		return plumbing.ZeroHash, nil, fmt.Errorf("read packed-refs: %w", err)
	}
	return plumbing.ZeroHash, nil, nil
}

// refUpdate moves HEAD's branch (or a detached HEAD) from head.tip to a new
// commit under git's ref-lock protocol and appends the reflog lines.
type refUpdate struct {
	r       *Repo
	head    headState
	lock    *lockFile
	newTip  plumbing.Hash
	line    string      // the reflog line
	logs    []string    // reflog files appended to
	logSize []int64     // their sizes before (-1: created)
	dirs    createdDirs // folders made for the lock or the logs
}

// prepare takes <ref>.lock, writes the new hash into it and checks, under
// the lock, that HEAD still points where Apply read it. Then it appends the
// reflog lines. The ref itself is not moved yet.
func (u *refUpdate) prepare(ident, msg string) error {
	r, head := u.r, u.head
	target := filepath.Join(r.gitDir, filepath.FromSlash(head.ref))
	if err := u.dirs.mkdirAll(filepath.Dir(target)); err != nil {
		return fmt.Errorf("lock %s: %w", head.ref, err)
	}
	l, err := createLock(target)
	if errors.Is(err, errLockExists) {
		return fmt.Errorf("%w: cannot lock %s: %s.lock exists (another git command is updating it, or a crashed one left the file)", ErrConcurrentUpdate, head.ref, target)
	}
	if err != nil {
		return fmt.Errorf("lock %s: %w", head.ref, err)
	}
	u.lock = l
	if _, err := l.f.WriteString(u.newTip.String() + "\n"); err != nil {
		return fmt.Errorf("write %s: %w", l.path, err)
	}
	if err := l.finish(); err != nil {
		return fmt.Errorf("write %s: %w", l.path, err)
	}
	now, err := r.readHead()
	if err != nil {
		return err
	}
	if now.ref != head.ref || now.symbolic != head.symbolic || now.tip != head.tip {
		return fmt.Errorf("%w (%s moved from %s to %s)", ErrConcurrentUpdate, head.ref, short(head.tip), short(now.tip))
	}

	cfg, err := r.config()
	if err != nil {
		return err
	}
	u.line = fmt.Sprintf("%s %s %s\t%s\n", head.tip, u.newTip, ident, msg)
	logAll := cfg.bool("core.logallrefupdates", true)
	logs := []string{head.ref}
	if head.symbolic {
		logs = append(logs, "HEAD")
	}
	for _, name := range logs {
		if err := u.appendLog(filepath.Join(r.gitDir, "logs", filepath.FromSlash(name)), logAll); err != nil {
			return fmt.Errorf("append reflog of %s: %w", name, err)
		}
	}
	return nil
}

func short(h plumbing.Hash) string {
	if h.IsZero() {
		return "nothing"
	}
	return h.String()[:12]
}

// appendLog adds u.line to a reflog, creating it only when
// core.logAllRefUpdates allows (as git does for branches and HEAD).
func (u *refUpdate) appendLog(path string, create bool) error {
	size := int64(-1)
	if fi, err := os.Stat(path); err == nil {
		size = fi.Size()
	} else if !create {
		return nil
	}
	if err := u.dirs.mkdirAll(filepath.Dir(path)); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o666)
	if err != nil {
		return err
	}
	u.logs, u.logSize = append(u.logs, path), append(u.logSize, size)
	_, err = f.WriteString(u.line)
	return errors.Join(err, f.Close())
}

// commit renames the lock over the ref: the branch has moved.
func (u *refUpdate) commit() error {
	if err := u.lock.commit(); err != nil {
		return fmt.Errorf("update %s: %w", u.head.ref, err)
	}
	return nil
}

// rollback undoes prepare and, if the ref was already moved, moves it back,
// provided it still holds the commit this update wrote.
func (u *refUpdate) rollback() error {
	var errs []error
	if u.lock != nil && u.lock.path == "" { // committed: put the old value back
		errs = append(errs, u.restore())
	}
	u.lock.release()
	for i := len(u.logs) - 1; i >= 0; i-- {
		if u.logSize[i] < 0 {
			errs = append(errs, os.Remove(u.logs[i]))
		} else {
			errs = append(errs, os.Truncate(u.logs[i], u.logSize[i]))
		}
	}
	errs = append(errs, u.dirs.remove())
	return errors.Join(errs...)
}

func (u *refUpdate) restore() error {
	target := filepath.Join(u.r.gitDir, filepath.FromSlash(u.head.ref))
	l, err := createLock(target)
	if err != nil {
		return fmt.Errorf("restore %s: %w", u.head.ref, err)
	}
	defer l.release()
	now, err := u.r.readHead()
	if err != nil || now.tip != u.newTip {
		return errors.Join(err, fmt.Errorf("restore %s: it moved again, left at %s", u.head.ref, short(now.tip)))
	}
	if u.head.loose == nil { // the old value was packed, or the branch unborn
		return os.Remove(target)
	}
	if _, err := l.f.Write(u.head.loose); err != nil {
		return err
	}
	return l.commit()
}

// createdDirs records folders made by mkdirAll so a rollback can remove
// them again (innermost first).
type createdDirs struct {
	ops  dirOps
	dirs []string
}

func (d *createdDirs) mkdirAll(dir string) error {
	var missing []string
	for p := dir; p != "." && filepath.Dir(p) != p; p = filepath.Dir(p) {
		if _, err := d.ops.Lstat(p); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		missing = append(missing, p)
	}
	for _, p := range slices.Backward(missing) {
		if err := d.ops.Mkdir(p, 0o777); err != nil {
			return err
		}
		d.dirs = append(d.dirs, p)
	}
	return nil
}

func (d *createdDirs) remove() error {
	var errs []error
	for _, p := range slices.Backward(d.dirs) {
		errs = append(errs, d.ops.Remove(p))
	}
	d.dirs = nil
	return errors.Join(errs...)
}

// Head returns the commit HEAD points to, or the zero hash if HEAD's
// branch is unborn.
func (r *Repo) Head() (plumbing.Hash, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	h, err := r.readHead()
	return h.tip, err
}
