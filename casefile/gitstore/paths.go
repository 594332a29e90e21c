package gitstore

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// checkPath accepts only clean, relative, slash-separated paths that stay
// inside the working tree and never name git's own folder.
func checkPath(p string) error {
	bad := func(why string) error { return fmt.Errorf("%w %q: %s", ErrInvalidPath, p, why) }
	switch {
	case p == "":
		return bad("empty")
	case strings.ContainsRune(p, 0):
		return bad("contains a NUL byte")
	case strings.ContainsRune(p, '\\'):
		return bad("contains a backslash (use /)")
	case strings.HasPrefix(p, "/"):
		return bad("absolute")
	}
	for _, c := range strings.Split(p, "/") {
		switch {
		case c == "":
			return bad("empty component")
		case c == "." || c == "..":
			return bad("contains " + c)
		case strings.EqualFold(c, ".git"):
			return bad("inside .git")
		}
	}
	if path.Clean(p) != p {
		return bad("not clean")
	}
	return nil
}

// ancestors returns the folders above p, outermost first ("a", "a/b" for
// "a/b/c").
func ancestors(p string) []string {
	var out []string
	for i := 0; i < len(p); i++ {
		if p[i] == '/' {
			out = append(out, p[:i])
		}
	}
	return out
}

// lstatNoFollow returns what is at p on disk as git sees it, following no
// symlink: nil if p or a folder above it is absent. If a folder above p is
// a symlink or not a folder, blocker names it (and fi is nil).
func (r *Repo) lstatNoFollow(p string) (fi fs.FileInfo, blocker string, err error) {
	for _, a := range append(ancestors(p), p) {
		fi, err := r.wt.Lstat(a)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "", nil
		}
		if err != nil {
			return nil, "", err
		}
		if a == p {
			return fi, "", nil
		}
		if !fi.IsDir() {
			return nil, a + " is " + kind(fi), nil
		}
	}
	return nil, "", nil
}

// lstatPath checks that Apply may write or delete p: every folder above it
// is a real folder (or absent) and p is a regular file (or absent). exists
// tells which. Anything else is an error wrapping ErrInvalidPath.
func (r *Repo) lstatPath(p string) (exists bool, err error) {
	fi, blocker, err := r.lstatNoFollow(p)
	switch {
	case err != nil:
		return false, err
	case blocker != "":
		return false, fmt.Errorf("%w %q: %s, not a folder", ErrInvalidPath, p, blocker)
	case fi == nil:
		return false, nil
	case !fi.Mode().IsRegular():
		return false, fmt.Errorf("%w %q: it is %s, not a regular file", ErrInvalidPath, p, kind(fi))
	}
	return true, nil
}

func kind(fi fs.FileInfo) string {
	switch m := fi.Mode(); {
	case m&fs.ModeSymlink != 0:
		return "a symlink"
	case m.IsDir():
		return "a folder"
	case m.IsRegular():
		return "a file"
	default:
		return "a special file"
	}
}
