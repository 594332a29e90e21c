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

// lstatPath reports what is on disk at p without following any symlink: it
// checks every folder above p first. exists is false if p or a folder above
// it is absent. A folder above p that is a symlink or not a folder is an
// error wrapping ErrInvalidPath, and so is p itself when it is a symlink or
// anything but a regular file (or, with dirOK, a folder).
func (r *Repo) lstatPath(p string, dirOK bool) (fi fs.FileInfo, exists bool, err error) {
	for _, a := range ancestors(p) {
		fi, err := r.wt.Lstat(a)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, err
		}
		if !fi.IsDir() {
			return nil, false, fmt.Errorf("%w %q: %s is %s, not a folder", ErrInvalidPath, p, a, kind(fi))
		}
	}
	fi, err = r.wt.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if !fi.Mode().IsRegular() && !(dirOK && fi.IsDir()) {
		return nil, false, fmt.Errorf("%w %q: it is %s, not a regular file", ErrInvalidPath, p, kind(fi))
	}
	return fi, true, nil
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
