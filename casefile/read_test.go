package casefile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/casesproject/cases/casefile/yamlx"
)

// Reading a document gives its bytes exactly, up to one byte past the
// size limit (enough for the reader to refuse it), whichever way it is
// read, and refuses symlinks.
func TestReadDocumentBytes(t *testing.T) {
	dir := t.TempDir()
	r := &Repo{Root: dir}
	for _, size := range []int{0, 1, 511, 512, 513, 4096, yamlx.MaxSize - 1, yamlx.MaxSize, yamlx.MaxSize + 1, 3 * yamlx.MaxSize} {
		data := bytes.Repeat([]byte("x"), size)
		if err := os.WriteFile(filepath.Join(dir, "f.yaml"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		want := data[:min(size, yamlx.MaxSize+1)]
		for name, read := range map[string]func(string) ([]byte, error){"ReadFile": r.ReadFile, "readListed": r.readListed} {
			got, err := read("f.yaml")
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s of %d bytes: got %d bytes, %v; want %d", name, size, len(got), err, len(want))
			}
		}
	}
	if err := os.Symlink(filepath.Join(dir, "f.yaml"), filepath.Join(dir, "link.yaml")); err != nil {
		t.Skip(err)
	}
	for name, read := range map[string]func(string) ([]byte, error){"ReadFile": r.ReadFile, "readListed": r.readListed} {
		if _, err := read("link.yaml"); !errors.Is(err, ErrNotRegular) {
			t.Errorf("%s followed a symlink: %v", name, err)
		}
	}
}
