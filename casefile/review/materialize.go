package review

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/history"
	"github.com/casesproject/cases/casefile/yamlx"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

// Review reads the documents as they are in HEAD's objects, not in the
// working tree: what is reviewed is exactly what the range commits, whatever
// is checked out and whatever is left uncommitted. To run validate's own
// code on them unchanged, the files it needs are written into a temporary
// folder and opened as a case repository there: the configuration
// (cases.yaml, providers.yaml, program/, instruments/, templates/), every
// file of each changed case folder, and the other changed files. Symbolic
// links are written as links (the loader refuses them, as validate does);
// submodules are left out.

// configPaths are the repository files validate reads besides the cases.
var configPaths = []string{casefile.ConfigPath, casefile.ProvidersPath, "program", casefile.InstrumentDir, "templates"}

// snapshot is a materialized tree: its folder and what was written.
type snapshot struct {
	dir   string
	files map[string][]byte // regular files written, by repository path
	modes map[string]filemode.FileMode
}

func (h *reviewer) materialize(tree history.Hash, cases, other []string) (*snapshot, error) {
	dir, err := os.MkdirTemp("", "cases-review-")
	if err != nil {
		return nil, err
	}
	s := &snapshot{dir: dir, files: map[string][]byte{}, modes: map[string]filemode.FileMode{}}
	var files []history.File
	for _, p := range configPaths {
		fs, err := h.h.TreeFiles(tree, p)
		if err != nil {
			return s, err
		}
		files = append(files, fs...)
	}
	for _, id := range cases {
		fs, err := h.h.TreeFiles(tree, casefile.CaseDir(id))
		if err != nil {
			return s, err
		}
		files = append(files, fs...)
	}
	for _, p := range other {
		if isUnder(p, configPaths) || strings.HasPrefix(p, ".git") {
			continue
		}
		fs, err := h.h.TreeFiles(tree, p)
		if err != nil {
			return s, err
		}
		files = append(files, fs...)
	}
	made := map[string]bool{}
	for _, f := range files {
		if casefile.CheckRelPath(f.Path) != nil || made[f.Path] {
			continue
		}
		made[f.Path] = true
		abs := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
			return s, err
		}
		switch {
		case f.Mode == filemode.Symlink:
			target, err := h.h.Blob(f.Hash)
			if err != nil {
				return s, err
			}
			if err := os.Symlink(string(target), abs); err != nil {
				return s, err
			}
		case f.IsRegular():
			data, err := h.h.Blob(f.Hash)
			if err != nil {
				return s, err
			}
			if len(data) > yamlx.MaxSize+1 {
				data = data[:yamlx.MaxSize+1] // enough for the reader to refuse it
			}
			if err := os.WriteFile(abs, data, 0o600); err != nil {
				return s, err
			}
			s.files[f.Path] = data
		default:
			continue // a submodule
		}
		s.modes[f.Path] = f.Mode
	}
	return s, nil
}

func (s *snapshot) remove() {
	if s != nil && s.dir != "" {
		os.RemoveAll(s.dir)
	}
}

func isUnder(p string, dirs []string) bool {
	for _, d := range dirs {
		if p == d || strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	return false
}
