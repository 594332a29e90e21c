//go:build linux || darwin

package gitstore

import (
	"os"
	"syscall"
)

// mapReadOnly maps a file read-only into memory, as git does with its packs:
// a history walk touches a few pages of a large pack and its index, and
// reads them with no system call and no copy.
func mapReadOnly(f *os.File) ([]byte, func() error, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if fi.Size() == 0 {
		return nil, func() error { return nil }, nil
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return data, func() error { return syscall.Munmap(data) }, nil
}
