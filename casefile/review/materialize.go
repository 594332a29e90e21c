package review

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/history"
	"github.com/casesproject/cases/casefile/yamlx"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// Review reviews what HEAD's commits hold, never what happens to be in the
// working tree: the files it checks are those of HEAD's tree. To run
// validate's own code on them unchanged they must be files of a case
// repository, so the review works out where those files are:
//
//   - When the working tree holds exactly HEAD's version of every file the
//     review reads (each file's content hashes to HEAD's blob id, and the
//     case folders hold nothing else), it reads the working tree. This is
//     the usual case in CI, which checks HEAD out, and costs one read and
//     one hash of each file.
//   - Otherwise (another branch is checked out, or a file has uncommitted
//     changes), it writes HEAD's version of those files into a temporary
//     folder and opens that as the case repository: the configuration
//     (cases.yaml, providers.yaml, program/, instruments/, templates/),
//     every file of each changed case folder, and the other changed files.
//     Symbolic links are written as links (the loader refuses them, as
//     validate does); submodules are left out.

// configPaths are the repository files validate reads besides the cases.
var configPaths = []string{casefile.ConfigPath, casefile.ProvidersPath, "program", casefile.InstrumentDir, "templates"}

// source is where the review reads HEAD's files.
type source struct {
	repo  *casefile.Repo    // opened on the working tree or a temporary folder
	files map[string][]byte // the regular files read, by repository path
	temp  string            // the temporary folder, if one was written
}

func (s *source) remove() {
	if s != nil && s.temp != "" {
		os.RemoveAll(s.temp)
	}
}

// headFiles lists the files of HEAD's tree the review reads.
func (v *reviewer) headFiles(tree history.Hash, cases, other []string) ([]history.File, error) {
	var files []history.File
	for _, p := range configPaths {
		fs, err := v.h.TreeFiles(tree, p)
		if err != nil {
			return nil, err
		}
		files = append(files, fs...)
	}
	for _, id := range cases {
		fs, err := v.h.TreeFiles(tree, casefile.CaseDir(id))
		if err != nil {
			return nil, err
		}
		files = append(files, fs...)
	}
	for _, p := range other {
		if isUnder(p, configPaths) || strings.HasPrefix(p, ".git") {
			continue
		}
		fs, err := v.h.TreeFiles(tree, p)
		if err != nil {
			return nil, err
		}
		files = append(files, fs...)
	}
	slices.SortFunc(files, func(a, b history.File) int { return strings.Compare(a.Path, b.Path) })
	return slices.CompactFunc(files, func(a, b history.File) bool { return a.Path == b.Path }), nil
}

// open finds HEAD's files: in the working tree if it holds them exactly,
// else in a temporary folder written from the objects.
func (v *reviewer) open(files []history.File, cases []string) (*source, error) {
	if src, ok := v.worktree(files, cases); ok {
		return src, nil
	}
	return v.materialize(files)
}

// worktree reads the files from the working tree and reports whether it
// holds exactly HEAD's version of them.
func (v *reviewer) worktree(files []history.File, cases []string) (*source, bool) {
	src := &source{repo: v.r, files: make(map[string][]byte, len(files))}
	want := map[string]bool{}
	for _, f := range files {
		want[f.Path] = true
		if !f.IsRegular() || casefile.CheckRelPath(f.Path) != nil {
			return nil, false
		}
		data, err := v.r.ReadFile(f.Path)
		if err != nil || history.BlobHash(data) != f.Hash {
			return nil, false
		}
		src.files[f.Path] = data
	}
	// Nothing else in the case folders, or in the configuration folders.
	for _, p := range []string{casefile.ConfigPath, casefile.ProvidersPath} {
		if _, err := os.Lstat(v.r.Abs(p)); !want[p] && err == nil {
			return nil, false
		}
	}
	dirs := []string{"program", casefile.InstrumentDir, "templates"}
	for _, id := range cases {
		dirs = append(dirs, casefile.CaseDir(id))
	}
	for _, d := range dirs {
		err := filepath.WalkDir(v.r.Abs(d), func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if e.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(v.r.Root, p)
			if !want[filepath.ToSlash(rel)] {
				return errExtra
			}
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, false
		}
	}
	return src, true
}

var errExtra = errors.New("a file HEAD does not have")

// materialize writes HEAD's version of the files into a temporary folder.
func (v *reviewer) materialize(files []history.File) (*source, error) {
	dir, err := os.MkdirTemp("", "cases-review-")
	if err != nil {
		return nil, err
	}
	src := &source{files: map[string][]byte{}, temp: dir}
	for _, f := range files {
		if casefile.CheckRelPath(f.Path) != nil {
			continue
		}
		abs := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
			return src, err
		}
		switch {
		case f.Mode == filemode.Symlink:
			target, err := v.h.Blob(f.Hash)
			if err != nil {
				return src, err
			}
			if err := os.Symlink(string(target), abs); err != nil {
				return src, err
			}
		case f.IsRegular():
			data, err := v.h.Blob(f.Hash)
			if err != nil {
				return src, err
			}
			if len(data) > yamlx.MaxSize+1 {
				data = data[:yamlx.MaxSize+1] // enough for the reader to refuse it
			}
			if err := os.WriteFile(abs, data, 0o600); err != nil {
				return src, err
			}
			src.files[f.Path] = data
		}
	}
	src.repo, err = casefile.Open(dir)
	if errors.Is(err, casefile.ErrNoRepository) {
		return src, &RangeError{"there is no cases.yaml at " + v.rg.Head.String()[:7] + ": is it a case repository's history?"}
	}
	if err != nil {
		return src, err
	}
	src.repo.Clock = v.r.Clock
	return src, nil
}

func isUnder(p string, dirs []string) bool {
	for _, d := range dirs {
		if p == d || strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	return false
}
