package gitstore

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// lsTree is what the real git says HEAD holds under dir, as Committed
// reports it: "path hash" lines.
func lsTree(t *testing.T, dir, folder string) []string {
	t.Helper()
	var out []string
	for _, l := range lines(git(t, dir, "ls-tree", "-r", "HEAD", "--", folder+"/")) {
		// <mode> SP <type> SP <hash> TAB <path>
		meta, p, _ := strings.Cut(l, "\t")
		f := strings.Fields(meta)
		out = append(out, p+" "+f[2])
	}
	return out
}

func committedLines(t *testing.T, c *Committed, folder string) []string {
	t.Helper()
	files, err := c.Folder(folder)
	if err != nil {
		t.Fatalf("Folder(%s): %v", folder, err)
	}
	var out []string
	for _, f := range files {
		out = append(out, f.Path+" "+f.Hash.String())
	}
	return out
}

func folders() []string {
	return []string{"cases/2026-10/2026-10-AAAAA", "cases/2026-10/2026-10-BBBBB", "cases/2026-10/2026-10-CCCCC"}
}

// Whatever the index holds (staged edits, deletions, new files, intent to
// add, every index version), Committed reports exactly what git ls-tree
// says HEAD holds.
func TestCommittedMatchesLsTree(t *testing.T) {
	for _, tt := range []struct {
		name  string
		setup func(t *testing.T, dir string)
	}{
		{"clean", func(t *testing.T, dir string) {}},
		{"edited in the working tree only", func(t *testing.T, dir string) {
			writeFile(t, dir, "cases/2026-10/2026-10-AAAAA/notes/20261002T090000Z-QWERT.yaml", "text: changed\n")
		}},
		{"staged edit", func(t *testing.T, dir string) {
			writeFile(t, dir, "cases/2026-10/2026-10-AAAAA/notes/20261002T090000Z-QWERT.yaml", "text: changed\n")
			git(t, dir, "add", "-A")
		}},
		{"staged deletion and addition", func(t *testing.T, dir string) {
			git(t, dir, "rm", "-q", "--cached", "cases/2026-10/2026-10-BBBBB/old.yaml")
			writeFile(t, dir, "cases/2026-10/2026-10-BBBBB/notes/20261003T090000Z-ASDFG.yaml", "text: new\n")
			git(t, dir, "add", "cases/2026-10/2026-10-BBBBB/notes")
		}},
		{"intent to add", func(t *testing.T, dir string) {
			writeFile(t, dir, "cases/2026-10/2026-10-AAAAA/closure.yaml", "date: 2026-11-01\n")
			git(t, dir, "add", "-N", "cases/2026-10/2026-10-AAAAA/closure.yaml")
		}},
		{"index version 4", func(t *testing.T, dir string) {
			git(t, dir, "update-index", "--index-version", "4")
			writeFile(t, dir, "cases/2026-10/2026-10-AAAAA/intake.yaml", "date: 2026-10-02\n")
			git(t, dir, "add", "-A")
		}},
		{"no index", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, ".git", "index"))
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := newHistoryRepo(t)
			tt.setup(t, dir)
			for _, sparse := range []bool{false, true} {
				c, err := openRepo(t, dir).Committed(sparse)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range folders() {
					got, want := committedLines(t, c, f), lsTree(t, dir, f)
					if !slices.Equal(got, want) {
						t.Errorf("sparse %v, %s:\n got %q\nwant %q", sparse, f, got, want)
					}
				}
				c.Close()
			}
		})
	}
}

// When the index matches HEAD under a folder, Committed reads none of that
// folder's objects: it answers from the index. Removing the folder's tree
// object from the store proves it.
func TestCommittedReadsNoObjectWhereTheIndexMatches(t *testing.T) {
	dir := newHistoryRepo(t)
	tree := git(t, dir, "rev-parse", "HEAD:cases/2026-10/2026-10-AAAAA")
	if err := os.Remove(filepath.Join(dir, ".git", "objects", tree[:2], tree[2:])); err != nil {
		t.Fatal(err)
	}
	c, err := openRepo(t, dir).Committed(false)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	files, err := c.Folder("cases/2026-10/2026-10-AAAAA")
	if err != nil || len(files) != 4 {
		t.Fatalf("got %v, %v; want the 4 committed files without reading the folder's tree", files, err)
	}
	// A staged change makes it fall back to HEAD's trees, which are now
	// missing: the error shows the fallback is real.
	writeFile(t, dir, "cases/2026-10/2026-10-AAAAA/intake.yaml", "date: 2026-10-02\n")
	git(t, dir, "add", "-A")
	c2, err := openRepo(t, dir).Committed(false)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if _, err := c2.Folder("cases/2026-10/2026-10-AAAAA"); err == nil {
		t.Fatal("a staged change was answered from the index")
	}
}

// After a commit made by Apply (which splices the index), untouched and
// touched folders are both reported as HEAD holds them.
func TestCommittedAfterApply(t *testing.T) {
	dir := newHistoryRepo(t)
	r := openRepo(t, dir)
	if _, err := r.Apply([]Change{{Path: "cases/2026-10/2026-10-BBBBB/notes/20261124T101500Z-ZXCVB.yaml", Data: []byte("text: via apply\n")}}, opts("note")); err != nil {
		t.Fatal(err)
	}
	c, err := r.Committed(false)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, f := range folders() {
		if got, want := committedLines(t, c, f), lsTree(t, dir, f); !slices.Equal(got, want) {
			t.Errorf("%s:\n got %q\nwant %q", f, got, want)
		}
	}
}

func TestCommittedUnbornAndOrder(t *testing.T) {
	dir := t.TempDir()
	git(t, dir, "init", "-q")
	writeFile(t, dir, "cases/2026-10/2026-10-AAAAA/case.yaml", "id: x\n")
	git(t, dir, "add", "-A")
	c, err := openRepo(t, dir).Committed(false)
	if err != nil {
		t.Fatal(err)
	}
	if files, err := c.Folder("cases/2026-10/2026-10-AAAAA"); err != nil || files != nil {
		t.Fatalf("unborn branch: got %v, %v; want nothing committed", files, err)
	}
	if _, err := c.Folder("cases/2026-10/2026-10-AAAAA/notes"); err == nil {
		t.Fatal("a folder inside the previous one was accepted")
	}
	if _, err := c.Folder("cases/2026-09/2026-09-AAAAA"); err == nil {
		t.Fatal("a folder out of order was accepted")
	}
	c.Close()
}

func TestBlobHashIsGitsObjectID(t *testing.T) {
	dir := newHistoryRepo(t)
	want := git(t, dir, "rev-parse", "HEAD:cases.yaml")
	if got := BlobHash([]byte(readFile(t, dir, "cases.yaml"))).String(); got != want {
		t.Fatalf("BlobHash = %s, git says %s", got, want)
	}
}

// Ignored agrees with git check-ignore, including a forced-in file (not
// ignored) and a file inside an ignored folder.
func TestIgnoredAgreesWithGit(t *testing.T) {
	dir := newHistoryRepo(t)
	writeFile(t, dir, ".gitignore", "*.swp\nscratch/\n")
	writeFile(t, dir, "cases/2026-10/.gitignore", "*.tmp\n")
	writeFile(t, dir, ".git/info/exclude", "local.txt\n")
	writeFile(t, dir, "cases/2026-10/2026-10-AAAAA/forced.swp", "x")
	git(t, dir, "add", "-f", "cases/2026-10/2026-10-AAAAA/forced.swp")
	paths := []string{
		"cases/2026-10/2026-10-AAAAA/.plan.yaml.swp",
		"cases/2026-10/2026-10-AAAAA/x.tmp",
		"cases/2026-09/x.tmp",
		"local.txt",
		"scratch/",
		"scratch/a.txt",
		"cases/2026-10/2026-10-AAAAA/forced.swp",
		"cases/2026-10/2026-10-AAAAA/scan.pdf",
	}
	for _, p := range paths {
		writeFile(t, dir, strings.TrimSuffix(p, "/")+map[bool]string{true: "/keep"}[strings.HasSuffix(p, "/")], "x")
	}
	got, err := openRepo(t, dir).Ignored(paths)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		_, err := gitErr(dir, "check-ignore", "-q", strings.TrimSuffix(p, "/"))
		want := err == nil
		if got[p] != want {
			t.Errorf("%s: Ignored says %v, git check-ignore says %v", p, got[p], want)
		}
	}
}
