//go:build unix

package casefile

import (
	"errors"
	"os"
	"syscall"
)

// openNoFollow opens a file for reading without following a symlink in its
// last component, and without blocking on a FIFO.
func openNoFollow(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
}

// isSymlinkErr reports whether opening failed because the file is a
// symlink (ELOOP under O_NOFOLLOW).
func isSymlinkErr(err error) bool { return errors.Is(err, syscall.ELOOP) }
