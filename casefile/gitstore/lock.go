package gitstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gofrs/flock"
)

// DefaultLockTimeout is how long Apply waits for the writer lock when the
// caller does not hold it already.
const DefaultLockTimeout = 5 * time.Second

// Lock takes the repository-wide writer lock (an flock on .git/cases.lock),
// waiting up to timeout for another holder to release it; a timeout of zero
// or less tries once. The caller holds it across a command's
// read-check-write and calls unlock (safe to call more than once) at the
// end. Locks taken by two Repos, even in one process, exclude each other.
// After the timeout the error wraps ErrLocked.
func (r *Repo) Lock(timeout time.Duration) (unlock func(), err error) {
	fl := flock.New(filepath.Join(r.gitDir, "cases.lock"))
	ctx, cancel := context.WithTimeout(context.Background(), max(timeout, 0))
	defer cancel()
	ok, err := fl.TryLock()
	if err == nil && !ok && timeout > 0 {
		ok, err = fl.TryLockContext(ctx, 20*time.Millisecond)
	}
	if !ok {
		fl.Close()
		if err == nil || errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("%w (waited %s)", ErrLocked, timeout)
		}
		return nil, fmt.Errorf("take writer lock: %w", err)
	}
	r.mu.Lock()
	r.held++
	r.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			r.mu.Lock()
			r.held--
			r.mu.Unlock()
			fl.Close() // unlocks and closes the descriptor
		})
	}, nil
}

// lockFile is a git-style lock file: created with O_EXCL next to the file it
// will replace, written, synced, then renamed over the target (commit) or
// removed (rollback).
type lockFile struct {
	path   string // the lock file, target + ".lock"
	target string
	f      *os.File
}

// errLockExists is returned (wrapped) by createLock when the lock file is
// already there; the existing file is left alone.
var errLockExists = errors.New("lock file exists")

func createLock(target string) (*lockFile, error) {
	l := &lockFile{path: target + ".lock", target: target}
	f, err := os.OpenFile(l.path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%w: %s", errLockExists, l.path)
	}
	if err != nil {
		return nil, err
	}
	l.f = f
	return l, nil
}

// finish syncs and closes the lock file after its content was written.
func (l *lockFile) finish() error {
	if err := l.f.Sync(); err != nil {
		return err
	}
	err := l.f.Close()
	l.f = nil
	return err
}

// commit renames the lock file over its target.
func (l *lockFile) commit() error {
	if l.f != nil {
		if err := l.finish(); err != nil {
			return err
		}
	}
	if err := os.Rename(l.path, l.target); err != nil {
		return err
	}
	l.path = ""
	return nil
}

// release removes the lock file unless it was committed.
func (l *lockFile) release() {
	if l == nil || l.path == "" {
		return
	}
	if l.f != nil {
		l.f.Close()
	}
	os.Remove(l.path)
	l.path = ""
}
