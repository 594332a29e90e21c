package casefile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestCaseIDsNeverReachTheFilesystem(t *testing.T) {
	dir := t.TempDir()
	r := &Repo{Root: dir}
	for _, id := range []string{"2026-11-K7Q3M\x00", "../../etc", "2026-11-K7Q3M/..", "2026-11-K7Q3M/../../x", "/etc/passwd", "2026-11-k7q3m", "2026-13-K7Q3M", ""} {
		if ValidCaseID(id) {
			t.Errorf("%q accepted as a case id", id)
		}
		if _, err := r.LoadCase(id, Select{}); !errors.Is(err, ErrBadCaseID) {
			t.Errorf("LoadCase(%q) = %v, want ErrBadCaseID", id, err)
		}
		if r.Exists(id) {
			t.Errorf("Exists(%q)", id)
		}
	}
}

func TestCheckRelPath(t *testing.T) {
	for _, p := range []string{"", "/abs", "a/../b", "../a", "a//b", "a/./b", "a\x00b", `a\b`, ".git/config", "cases/.GIT/x", "a/"} {
		if CheckRelPath(p) == nil {
			t.Errorf("CheckRelPath(%q) accepted", p)
		}
	}
	for _, p := range []string{"cases.yaml", "cases/2026-11/2026-11-K7Q3M/notes/20261124T101500Z-ABCDE.yaml"} {
		if err := CheckRelPath(p); err != nil {
			t.Errorf("CheckRelPath(%q) = %v", p, err)
		}
	}
}

func TestReadFileRefusesSymlinks(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret.yaml")
	if err := os.WriteFile(outside, []byte("x: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "cases"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "cases", "link.yaml")); err != nil {
		t.Skip("no symlinks here")
	}
	if err := os.Symlink(filepath.Dir(outside), filepath.Join(dir, "linkdir")); err != nil {
		t.Fatal(err)
	}
	r := &Repo{Root: dir}
	for _, p := range []string{"cases/link.yaml", "linkdir/secret.yaml"} {
		if _, err := r.ReadFile(p); !errors.Is(err, ErrNotRegular) {
			t.Errorf("ReadFile(%s) = %v, want ErrNotRegular", p, err)
		}
	}
}
