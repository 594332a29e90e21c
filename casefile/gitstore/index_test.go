package gitstore

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestCorruptIndexIsRefused damages real git indexes (v2 with a TREE
// extension, and v4) by truncation and by flipped bytes: reading reports
// an error or yields an index that splices without panicking, and Apply
// refuses a damaged index without touching anything.
func TestCorruptIndexIsRefused(t *testing.T) {
	for _, v4 := range []bool{false, true} {
		dir := newHistoryRepo(t)
		git(t, dir, "status")
		if v4 {
			git(t, dir, "update-index", "--index-version", "4")
		}
		good, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
		if err != nil {
			t.Fatal(err)
		}
		tmp := filepath.Join(t.TempDir(), "index")
		try := func(data []byte) {
			os.WriteFile(tmp, data, 0o644)
			if _, err := readIndex(tmp, true); err == nil && len(data) != len(good) {
				t.Fatalf("a truncated index (%d of %d bytes) passed its checksum", len(data), len(good))
			}
			x, err := readIndex(tmp, false)
			if err != nil || v4 {
				return // go-git's decoder checks v4 itself
			}
			x.writeSpliced(io.Discard, []staged{{path: newNote}, {path: edited, delete: true}})
		}
		for n := 0; n < len(good); n += 7 {
			try(good[:n])
		}
		for i := 0; i < len(good)-20; i += 3 {
			bad := append([]byte(nil), good...)
			bad[i] ^= 0xA5
			try(bad)
		}

		bad := append([]byte(nil), good...)
		bad[len(bad)-25] ^= 1
		os.WriteFile(filepath.Join(dir, ".git", "index"), bad, 0o644)
		r := openRepo(t, dir)
		before := takeSnapshot(t, dir)
		if _, err := r.Apply([]Change{{Path: newNote, Data: []byte("x")}}, opts("m")); err == nil {
			t.Fatal("Apply accepted a corrupt index")
		} else if errors.Is(err, ErrConflicts) {
			t.Fatalf("wrong error: %v", err)
		}
		if d := before.diff(takeSnapshot(t, dir)); d != "" {
			t.Fatalf("repository changed:\n%s", d)
		}
	}
}
