package gitstore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// Repo is an open case repository: a working tree with a .git folder.
// Its methods are safe for concurrent use by several goroutines; they
// serialize on the Repo. Writers in different processes (or Repos)
// serialize on [Repo.Lock].
type Repo struct {
	root   string              // absolute working-tree root
	gitDir string              // root/.git
	wt     *os.Root            // the working tree; file operations cannot escape it
	st     *filesystem.Storage // writes loose objects
	objs   *objectReader       // reads objects

	mu   sync.Mutex // guards st, cfg and the files Apply touches
	cfg  gitConfig  // loaded on first use
	held int        // writer locks taken through this Repo and not released
}

// DefaultBranch is the branch Init points HEAD at when given none.
const DefaultBranch = "main"

// Init creates a repository in dir (creating dir if needed) with HEAD
// pointing at the unborn branch refs/heads/<defaultBranch> ("main" if
// empty), and opens it. If dir already holds a repository, Init opens it
// and leaves its HEAD alone.
func Init(dir, defaultBranch string) (*Repo, error) {
	if defaultBranch == "" {
		defaultBranch = DefaultBranch
	}
	branch := plumbing.NewBranchReferenceName(defaultBranch)
	if err := branch.Validate(); err != nil {
		return nil, fmt.Errorf("init: invalid branch name %q: %w", defaultBranch, err)
	}
	if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
		return Open(dir)
	}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, fmt.Errorf("init: %w", err)
	}
	st, wtfs := storage(dir)
	_, err := gogit.InitWithOptions(st, wtfs, gogit.InitOptions{DefaultBranch: branch})
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("init %s: %w", dir, err)
	}
	return Open(dir)
}

// Open opens the repository whose working tree is rooted at dir (the
// folder holding .git). A .git file (a linked worktree or a submodule) and
// a bare repository are refused for now.
func Open(dir string) (*Repo, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	gitDir := filepath.Join(root, ".git")
	fi, err := os.Lstat(gitDir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%w: %s has no .git folder", ErrNotRepository, root)
	case err != nil:
		return nil, fmt.Errorf("open %s: %w", root, err)
	case !fi.IsDir():
		return nil, fmt.Errorf("%w: %s/.git is not a folder (linked worktrees and submodules are not supported yet)", ErrNotRepository, root)
	}
	st, wtfs := storage(root)
	if _, err := gogit.Open(st, wtfs); err != nil {
		st.Close()
		if errors.Is(err, gogit.ErrRepositoryNotExists) {
			return nil, fmt.Errorf("%w: %s", ErrNotRepository, root)
		}
		return nil, fmt.Errorf("open %s: %w", root, err)
	}
	wt, err := os.OpenRoot(root)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("open %s: %w", root, err)
	}
	return &Repo{root: root, gitDir: gitDir, wt: wt, st: st, objs: newObjectReader(filepath.Join(gitDir, "objects"))}, nil
}

// storage opens go-git storage the way shared/GIT-PERFORMANCE.md requires:
// bounded filesystems, pack descriptors kept open (closed by Close), and
// never ExclusiveAccess.
func storage(root string) (*filesystem.Storage, billy.Filesystem) {
	wtfs := osfs.New(root, osfs.WithBoundOS())
	dotfs := osfs.New(filepath.Join(root, ".git"), osfs.WithBoundOS())
	st := filesystem.NewStorageWithOptions(dotfs, cache.NewObjectLRUDefault(), filesystem.Options{KeepDescriptors: true})
	return st, wtfs
}

// Close releases the repository's open files. It does not release a writer
// lock still held: call the unlock function Lock returned.
func (r *Repo) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return errors.Join(r.st.Close(), r.objs.close(), r.wt.Close())
}

// Root returns the absolute path of the working tree.
func (r *Repo) Root() string { return r.root }

// config returns the merged git configuration, read once per Repo.
// The caller holds r.mu.
func (r *Repo) config() (gitConfig, error) {
	if r.cfg == nil {
		cfg, err := loadConfig(r.gitDir)
		if err != nil {
			return nil, err
		}
		r.cfg = cfg
	}
	return r.cfg, nil
}

// UserEmail returns user.email as git reads it (repository, global, system
// configuration), or "" if unset.
func (r *Repo) UserEmail() (string, error) { return r.configValue("user.email") }

// UserName returns user.name as git reads it, or "" if unset.
func (r *Repo) UserName() (string, error) { return r.configValue("user.name") }

func (r *Repo) configValue(key string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cfg, err := r.config()
	if err != nil {
		return "", err
	}
	return cfg.get(key), nil
}
