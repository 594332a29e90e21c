//go:build !linux && !darwin

package gitstore

import (
	"io"
	"os"
)

// mapReadOnly reads a whole file into memory where mapping it is not
// supported here.
func mapReadOnly(f *os.File) ([]byte, func() error, error) {
	data, err := io.ReadAll(f)
	return data, func() error { return nil }, err
}
