//go:build !unix

package casefile

import (
	"io/fs"
	"os"
)

// openNoFollow opens a file for reading unless it is a symlink (checked
// first, where the system has no O_NOFOLLOW).
func openNoFollow(name string) (*os.File, error) {
	if fi, err := os.Lstat(name); err != nil {
		return nil, err
	} else if fi.Mode()&fs.ModeSymlink != 0 {
		return nil, errSymlink
	}
	return os.Open(name)
}

var errSymlink = fs.ErrInvalid

func isSymlinkErr(err error) bool { return err == errSymlink }
