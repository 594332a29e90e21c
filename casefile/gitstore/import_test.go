package gitstore

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// importHistory is a history of commits, each a set of files with their
// content: folders that grow past the size from which trees are stored as
// deltas, delta chains longer than importDepth, files overwritten, and
// names that sort differently as files and as folders.
func importHistory() [][]Change {
	rng := rand.New(rand.NewPCG(1, 2))
	var history [][]Change
	history = append(history, []Change{
		{Path: "cases.yaml", Data: []byte("organization: test\n")},
		{Path: "a.yaml", Data: []byte("sorts before the folder a\n")},
		{Path: "a/b.yaml", Data: []byte("inside a\n")},
		{Path: "a-b/c.yaml", Data: []byte("a-b sorts before a/\n")},
	})
	for i := range 220 {
		id := fmt.Sprintf("2026-%02d-CASE%d", 1+i%2, i%40)
		dir := "cases/" + id[:7] + "/" + id
		c := []Change{{Path: dir + "/case.yaml", Data: fmt.Appendf(nil, "id: %s\nversion: %d\n", id, i)}}
		if rng.IntN(3) == 0 {
			c = append(c, Change{Path: fmt.Sprintf("%s/notes/note-%03d.yaml", dir, i), Data: fmt.Appendf(nil, "text: note %d\n", i)})
		}
		history = append(history, c)
	}
	// The same content under two paths is one blob.
	history = append(history, []Change{{Path: "x/same.yaml", Data: []byte("same\n")}, {Path: "y/same.yaml", Data: []byte("same\n")}})
	return history
}

func historyAuthor(i int) Signature {
	zone := time.FixedZone("", -6*3600)
	return Signature{Name: fmt.Sprintf("Worker %d", i%3), Email: fmt.Sprintf("w%d@example.org", i%3), When: time.Date(2026, 1, 5, 9, 0, 0, 0, zone).Add(time.Duration(i) * 37 * time.Minute)}
}

// The importer makes, commit for commit, the repository Apply makes, and
// real git finds it sound: fsck --strict, a clean status, and a tree cache
// that git's write-tree agrees with.
func TestImporterMatchesApply(t *testing.T) {
	history := importHistory()

	applied := t.TempDir()
	r, err := Init(applied, "main")
	if err != nil {
		t.Fatal(err)
	}
	for i, changes := range history {
		if _, err := r.Apply(changes, CommitOptions{Message: fmt.Sprintf("commit %d\n\nCases-Command: test\n", i), Author: historyAuthor(i)}); err != nil {
			t.Fatal(err)
		}
	}
	r.Close()

	imported := t.TempDir()
	im, err := NewImporter(imported, "main")
	if err != nil {
		t.Fatal(err)
	}
	final := map[string][]byte{}
	for i, changes := range history {
		var files []ImportFile
		for _, c := range changes {
			h, err := im.Blob(c.Data)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, ImportFile{Path: c.Path, Blob: h})
			final[c.Path] = c.Data
		}
		if _, err := im.Commit(files, CommitOptions{Message: fmt.Sprintf("commit %d\n\nCases-Command: test\n", i), Author: historyAuthor(i)}); err != nil {
			t.Fatal(err)
		}
	}
	for p, data := range final {
		writeFile(t, imported, p, string(data))
	}
	tip, err := im.Finish()
	if err != nil {
		t.Fatal(err)
	}

	want := git(t, applied, "rev-parse", "HEAD")
	if got := git(t, imported, "rev-parse", "HEAD"); got != want || tip.String() != want {
		t.Fatalf("imported HEAD %s (returned %s), applied HEAD %s", got, tip, want)
	}
	if n := git(t, imported, "rev-list", "--count", "HEAD"); n != fmt.Sprint(len(history)) {
		t.Errorf("imported history has %s commits, want %d", n, len(history))
	}
	fsck(t, imported)
	if out := git(t, imported, "status", "--porcelain", "-uall"); out != "" {
		t.Errorf("git status after the import:\n%s", out)
	}
	if a, b := git(t, imported, "write-tree"), git(t, imported, "rev-parse", "HEAD^{tree}"); a != b {
		t.Errorf("git write-tree (from the tree cache) %s, HEAD's tree %s", a, b)
	}
	if out := git(t, imported, "verify-pack", "-v", packIndexPath(t, imported)); !strings.Contains(out, "chain length = 50") || strings.Contains(out, "chain length = 51") {
		t.Errorf("expected delta chains of at most and up to importDepth:\n%s", lastLines(out, 8))
	}

	// The commit engine carries on from an imported repository, and git
	// agrees with the tree cache it spliced.
	r2 := openRepo(t, imported)
	if _, err := r2.Apply([]Change{{Path: "cases/2026-01/2026-01-CASE0/plan.yaml", Data: []byte("goals: []\n")}}, opts("plan")); err != nil {
		t.Fatal(err)
	}
	fsck(t, imported)
	if a, b := git(t, imported, "write-tree"), git(t, imported, "rev-parse", "HEAD^{tree}"); a != b {
		t.Errorf("after Apply: git write-tree %s, HEAD's tree %s", a, b)
	}
	if out := git(t, imported, "status", "--porcelain", "-uall"); out != "" {
		t.Errorf("git status after Apply:\n%s", out)
	}
}

func TestImporterRefuses(t *testing.T) {
	dir := t.TempDir()
	im, err := NewImporter(dir, "main")
	if err != nil {
		t.Fatal(err)
	}
	h, err := im.Blob([]byte("x\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, files := range [][]ImportFile{
		nil,
		{{Path: "../x", Blob: h}},
		{{Path: "a", Blob: h}, {Path: "a", Blob: h}},
		{{Path: "a"}},
	} {
		if _, err := im.Commit(files, opts("bad")); err == nil {
			t.Errorf("Commit(%v) accepted", files)
		}
	}
	if _, err := im.Commit([]ImportFile{{Path: "a/b", Blob: h}}, opts("one")); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Commit([]ImportFile{{Path: "a", Blob: h}}, opts("file over a folder")); err == nil {
		t.Error("a file replacing a folder was accepted")
	}
	// The working tree must hold what was committed.
	writeFile(t, dir, "a/b", "something else\n")
	if _, err := im.Finish(); err == nil || !strings.Contains(err.Error(), "not the content") {
		t.Errorf("Finish with a wrong working file: %v", err)
	}
	// A repository with commits cannot be imported into.
	if _, err := NewImporter(newHistoryRepo(t), "main"); err == nil {
		t.Error("NewImporter accepted a repository with commits")
	}
}

func packIndexPath(t *testing.T, dir string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "pack-*.idx"))
	if len(m) != 1 {
		t.Fatalf("want one pack index, found %v", m)
	}
	if _, err := os.Stat(strings.TrimSuffix(m[0], ".idx") + ".pack"); err != nil {
		t.Fatal(err)
	}
	return m[0]
}

func lastLines(s string, n int) string {
	l := strings.Split(s, "\n")
	return strings.Join(l[max(0, len(l)-n):], "\n")
}
