package gitstore

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

const (
	newNote = "cases/2026-11/2026-11-K7Q3M/notes/20261124T101500Z-ABCDE.yaml"
	newCase = "cases/2026-11/2026-11-K7Q3M/case.yaml"
	edited  = "cases/2026-10/2026-10-AAAAA/case.yaml"
	deleted = "cases/2026-10/2026-10-BBBBB/old.yaml"
)

func TestApplyCommitsExactlyTheWrittenPaths(t *testing.T) {
	dir := newHistoryRepo(t)
	r := openRepo(t, dir)
	parent := git(t, dir, "rev-parse", "HEAD")
	msg := "note: add a note to 2026-11-K7Q3M\n\nCase: 2026-11-K7Q3M\n"
	h, err := r.Apply([]Change{
		{Path: newNote, Data: []byte("text: met the client\n")},
		{Path: newCase, Data: []byte("id: 2026-11-K7Q3M\n")},
		{Path: edited, Data: []byte("id: 2026-10-AAAAA\nstage: assessment\n")},
		{Path: deleted, Delete: true},
	}, opts(msg))
	if err != nil {
		t.Fatal(err)
	}
	fsck(t, dir)
	if got := git(t, dir, "rev-parse", "HEAD"); got != h.String() {
		t.Fatalf("HEAD = %s, Apply returned %s", got, h)
	}
	if got := git(t, dir, "rev-parse", "HEAD^"); got != parent {
		t.Fatalf("parent = %s, want %s", got, parent)
	}
	want := "Ana Caseworker\x00ana@example.org\x002026-11-24T10:15:00+05:30\x00note: add a note to 2026-11-K7Q3M\x00Ana Caseworker\x002026-11-24T10:15:00+05:30"
	if got := git(t, dir, "log", "-1", "--format=%an%x00%ae%x00%aI%x00%s%x00%cn%x00%cI"); got != want {
		t.Fatalf("log = %q, want %q", got, want)
	}
	if got := git(t, dir, "log", "-1", "--format=%B"); got != strings.TrimSuffix(msg, "\n") {
		t.Fatalf("message = %q", got)
	}
	changed := lines(git(t, dir, "show", "--name-only", "--format=", "HEAD"))
	wantPaths := []string{edited, deleted, newCase, newNote}
	slices.Sort(wantPaths)
	if !slices.Equal(changed, wantPaths) {
		t.Fatalf("commit holds %q, want %q", changed, wantPaths)
	}
	if got := git(t, dir, "status", "--porcelain=v1", "-uall"); got != "" {
		t.Fatalf("status not clean:\n%s", got)
	}
	if got := git(t, dir, "diff", "--cached", "--name-only"); got != "" {
		t.Fatalf("diff --cached: %s", got)
	}
	if wt, tree := git(t, dir, "write-tree"), git(t, dir, "rev-parse", "HEAD^{tree}"); wt != tree {
		t.Fatalf("write-tree %s != HEAD^{tree} %s", wt, tree)
	}
	if got := readFile(t, dir, edited); got != "id: 2026-10-AAAAA\nstage: assessment\n" {
		t.Fatalf("edited file = %q", got)
	}
	if _, err := os.Lstat(filepath.Join(dir, deleted)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("deleted file still there: %v", err)
	}
	if got := git(t, dir, "reflog", "-1", "--format=%gs"); got != "commit: note: add a note to 2026-11-K7Q3M" {
		t.Fatalf("reflog HEAD = %q", got)
	}
	if got := git(t, dir, "reflog", "-1", "--format=%gs", "main"); got != "commit: note: add a note to 2026-11-K7Q3M" {
		t.Fatalf("reflog main = %q", got)
	}
	if !hasExtension(t, dir, "TREE") {
		t.Fatal("TREE extension dropped")
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, "cases/*/*/.*cases-*"))
	if len(leftovers) > 0 {
		t.Fatalf("left behind: %v", leftovers)
	}
	// The cached trees git kept for untouched folders must still be right:
	// after a git commit of another file, HEAD's tree and write-tree agree.
	writeFile(t, dir, "README.md", "changed by a person\n")
	git(t, dir, "commit", "-q", "-am", "person")
	fsck(t, dir)
	if wt, tree := git(t, dir, "write-tree"), git(t, dir, "rev-parse", "HEAD^{tree}"); wt != tree {
		t.Fatalf("after git commit: write-tree %s != HEAD^{tree} %s", wt, tree)
	}
	if got := git(t, dir, "ls-tree", "-r", "--name-only", "HEAD", "cases/2026-11"); got != newCase+"\n"+newNote {
		t.Fatalf("git commit lost our files: %q", got)
	}
}

// dirty makes a person's uncommitted work: a modified file, a staged
// modification and an untracked file.
func dirty(t *testing.T, dir string) {
	writeFile(t, dir, "README.md", "edited, not staged\n")
	writeFile(t, dir, "notes.txt", "edited and staged\n")
	git(t, dir, "add", "notes.txt")
	writeFile(t, dir, "scratch.txt", "untracked\n")
}

const dirtyStatus = " M README.md\nM  notes.txt\n?? scratch.txt"

func TestApplyLeavesOtherWorkAlone(t *testing.T) {
	dir := newHistoryRepo(t)
	dirty(t, dir)
	r := openRepo(t, dir)
	if _, err := r.Apply([]Change{{Path: newNote, Data: []byte("text: x\n")}, {Path: edited, Data: []byte("id: x\n")}}, opts("note: 2026-11-K7Q3M")); err != nil {
		t.Fatal(err)
	}
	fsck(t, dir)
	if got := git(t, dir, "status", "--porcelain=v1", "-uall"); got != dirtyStatus {
		t.Fatalf("status:\n%s\nwant:\n%s", got, dirtyStatus)
	}
	want := []string{edited, newNote}
	if got := lines(git(t, dir, "show", "--name-only", "--format=", "HEAD")); !slices.Equal(got, want) {
		t.Fatalf("commit holds %q, want %q", got, want)
	}
	if got := readFile(t, dir, "README.md"); got != "edited, not staged\n" {
		t.Fatalf("README.md = %q", got)
	}
	if got := git(t, dir, "show", ":notes.txt"); got != "edited and staged" {
		t.Fatalf("staged notes.txt = %q", got)
	}
}

func TestApplyNoCommitStages(t *testing.T) {
	dir := newHistoryRepo(t)
	dirty(t, dir)
	head := git(t, dir, "rev-parse", "HEAD")
	r := openRepo(t, dir)
	h, err := r.Apply([]Change{{Path: newNote, Data: []byte("text: x\n")}, {Path: edited, Data: []byte("id: x\n")}, {Path: deleted, Delete: true}}, CommitOptions{NoCommit: true})
	if err != nil {
		t.Fatal(err)
	}
	if !h.IsZero() {
		t.Fatalf("NoCommit returned commit %s", h)
	}
	if got := git(t, dir, "rev-parse", "HEAD"); got != head {
		t.Fatal("HEAD moved")
	}
	want := " M README.md\nM  " + edited + "\nD  " + deleted + "\nA  " + newNote + "\nM  notes.txt\n?? scratch.txt"
	if got := git(t, dir, "status", "--porcelain=v1", "-uall"); got != want {
		t.Fatalf("status:\n%s\nwant:\n%s", got, want)
	}
	fsck(t, dir)
	// A later Apply commits only its own paths, still leaving these staged.
	if _, err := r.Apply([]Change{{Path: "cases.yaml", Data: []byte("organization: other\n")}}, opts("config: rename")); err != nil {
		t.Fatal(err)
	}
	if got := git(t, dir, "show", "--name-only", "--format=", "HEAD"); got != "cases.yaml" {
		t.Fatalf("commit holds %q", got)
	}
	if got := git(t, dir, "status", "--porcelain=v1", "-uall"); got != want {
		t.Fatalf("status:\n%s\nwant:\n%s", got, want)
	}
}

func TestApplyFirstCommitAfterInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "repo")
	r, err := Init(dir, "trunk")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if h, err := r.Head(); err != nil || !h.IsZero() {
		t.Fatalf("Head of a new repository = %s, %v", h, err)
	}
	if _, ok, err := r.ReadHead("cases.yaml"); ok || err != nil {
		t.Fatalf("ReadHead on unborn branch: %v %v", ok, err)
	}
	h, err := r.Apply([]Change{{Path: "cases.yaml", Data: []byte("organization: x\n")}, {Path: newCase, Data: []byte("id: 1\n")}}, opts("init: new case repository"))
	if err != nil {
		t.Fatal(err)
	}
	fsck(t, dir)
	if got := git(t, dir, "symbolic-ref", "HEAD"); got != "refs/heads/trunk" {
		t.Fatalf("HEAD -> %s", got)
	}
	if got := git(t, dir, "rev-list", "--parents", "HEAD"); got != h.String() {
		t.Fatalf("rev-list = %q", got)
	}
	if got := git(t, dir, "status", "--porcelain=v1", "-uall"); got != "" {
		t.Fatalf("status:\n%s", got)
	}
	if got := git(t, dir, "reflog", "-1", "--format=%gs"); got != "commit (initial): init: new case repository" {
		t.Fatalf("reflog = %q", got)
	}
	if wt, tree := git(t, dir, "write-tree"), git(t, dir, "rev-parse", "HEAD^{tree}"); wt != tree {
		t.Fatalf("write-tree %s != HEAD^{tree} %s", wt, tree)
	}
	data, ok, err := r.ReadHead(newCase)
	if err != nil || !ok || string(data) != "id: 1\n" {
		t.Fatalf("ReadHead = %q %v %v", data, ok, err)
	}
	if got, _ := r.Head(); got != h {
		t.Fatalf("Head = %s, want %s", got, h)
	}

	// Init on an existing repository opens it and keeps HEAD.
	r2, err := Init(dir, "other")
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	if got := git(t, dir, "symbolic-ref", "HEAD"); got != "refs/heads/trunk" {
		t.Fatalf("second Init moved HEAD to %s", got)
	}
}

func TestApplyOnEveryIndexVersion(t *testing.T) {
	for _, version := range []int{2, 3, 4} {
		t.Run("v"+string(rune('0'+version)), func(t *testing.T) {
			dir := newHistoryRepo(t)
			git(t, dir, "status") // lets git write its TREE extension
			want := ""
			switch version {
			case 3: // git writes v3 only when an entry needs extended flags
				writeFile(t, dir, "intent.txt", "later\n")
				git(t, dir, "add", "-N", "intent.txt")
				want = " A intent.txt"
			case 4:
				git(t, dir, "update-index", "--index-version", "4")
			}
			if got := indexVersion(t, dir); got != version {
				t.Fatalf("set-up index is v%d", got)
			}
			if version == 2 && !hasExtension(t, dir, "TREE") {
				t.Fatal("git wrote no TREE extension")
			}
			r := openRepo(t, dir)
			if _, err := r.Apply([]Change{{Path: newNote, Data: []byte("a: 1\n")}, {Path: edited, Data: []byte("b: 2\n")}, {Path: deleted, Delete: true}}, opts("note: v")); err != nil {
				t.Fatal(err)
			}
			if got := indexVersion(t, dir); got != version {
				t.Fatalf("index became v%d", got)
			}
			fsck(t, dir)
			if got := git(t, dir, "status", "--porcelain=v1", "-uall"); got != want {
				t.Fatalf("status:\n%s\nwant:\n%s", got, want)
			}
			if wt, tree := git(t, dir, "write-tree"), git(t, dir, "rev-parse", "HEAD^{tree}"); wt != tree {
				t.Fatalf("write-tree %s != HEAD^{tree} %s", wt, tree)
			}
			if got := git(t, dir, "ls-files", "--stage", newNote); !strings.HasPrefix(got, "100644 ") {
				t.Fatalf("ls-files = %q", got)
			}
			if got := git(t, dir, "diff-files", "--name-only"); got != strings.TrimPrefix(strings.TrimSpace(want), "A ") {
				t.Fatalf("diff-files = %q", got)
			}
		})
	}
}

func TestApplyDropsUntrackedCacheAndKeepsStatusRight(t *testing.T) {
	dir := newHistoryRepo(t)
	git(t, dir, "config", "core.untrackedCache", "true")
	writeFile(t, dir, "cases/2026-10/2026-10-AAAAA/draft.yaml", "x: 1\n")
	git(t, dir, "status")
	if !hasExtension(t, dir, "UNTR") {
		t.Skip("git wrote no untracked cache here")
	}
	r := openRepo(t, dir)
	if _, err := r.Apply([]Change{{Path: "cases/2026-10/2026-10-AAAAA/notes/n.yaml", Data: []byte("n: 1\n")}}, opts("note")); err != nil {
		t.Fatal(err)
	}
	if hasExtension(t, dir, "UNTR") {
		t.Fatal("UNTR kept")
	}
	if got := git(t, dir, "status", "--porcelain=v1", "-uall"); got != "?? cases/2026-10/2026-10-AAAAA/draft.yaml" {
		t.Fatalf("status: %q", got)
	}
	fsck(t, dir)
}

func TestApplyDetachedHeadAndPackedRefs(t *testing.T) {
	dir := newHistoryRepo(t)
	git(t, dir, "pack-refs", "--all")
	r := openRepo(t, dir)
	h, err := r.Apply([]Change{{Path: newNote, Data: []byte("a\n")}}, opts("note: packed"))
	if err != nil {
		t.Fatal(err)
	}
	if got := git(t, dir, "rev-parse", "main"); got != h.String() {
		t.Fatalf("main = %s", got)
	}
	git(t, dir, "checkout", "-q", "--detach")
	h2, err := r.Apply([]Change{{Path: edited, Data: []byte("b\n")}}, opts("note: detached"))
	if err != nil {
		t.Fatal(err)
	}
	if got := git(t, dir, "rev-parse", "HEAD"); got != h2.String() {
		t.Fatalf("HEAD = %s", got)
	}
	if got := git(t, dir, "rev-parse", "main"); got != h.String() {
		t.Fatal("a detached commit moved main")
	}
	if got := git(t, dir, "reflog", "-1", "--format=%gs"); got != "commit: note: detached" {
		t.Fatalf("reflog = %q", got)
	}
	fsck(t, dir)
}

func TestApplyRefusesBadInput(t *testing.T) {
	dir := newHistoryRepo(t)
	r := openRepo(t, dir)
	before := takeSnapshot(t, dir)
	good := []Change{{Path: newNote, Data: []byte("x")}}
	cases := map[string]struct {
		changes []Change
		opts    CommitOptions
	}{
		"no changes":         {nil, opts("m")},
		"empty message":      {good, opts(" \n")},
		"NUL in message":     {good, opts("a\x00b")},
		"no author":          {good, CommitOptions{Message: "m"}},
		"bad email":          {good, CommitOptions{Message: "m", Author: Signature{Name: "a", Email: "<x>", When: worker().When}}},
		"duplicate path":     {[]Change{{Path: "a", Data: []byte("1")}, {Path: "a", Data: []byte("2")}}, opts("m")},
		"file and folder":    {[]Change{{Path: "a", Data: []byte("1")}, {Path: "a/b", Data: []byte("2")}}, opts("m")},
		"delete with data":   {[]Change{{Path: "a", Delete: true, Data: []byte("1")}}, opts("m")},
		"file over folder":   {[]Change{{Path: "cases/2026-10", Data: []byte("x")}}, opts("m")},
		"folder over file":   {[]Change{{Path: "README.md/x", Data: []byte("x")}}, opts("m")},
		"path with ..":       {[]Change{{Path: "cases/../x", Data: []byte("x")}}, opts("m")},
		"absolute path":      {[]Change{{Path: "/etc/passwd", Data: []byte("x")}}, opts("m")},
		"NUL in path":        {[]Change{{Path: "a\x00b", Data: []byte("x")}}, opts("m")},
		".git component":     {[]Change{{Path: ".git/config", Data: []byte("x")}}, opts("m")},
		"nested .GIT":        {[]Change{{Path: "cases/.GIT/hooks/x", Data: []byte("x")}}, opts("m")},
		"empty component":    {[]Change{{Path: "cases//x", Data: []byte("x")}}, opts("m")},
		"dot component":      {[]Change{{Path: "cases/./x", Data: []byte("x")}}, opts("m")},
		"backslash":          {[]Change{{Path: `cases\x`, Data: []byte("x")}}, opts("m")},
		"trailing slash":     {[]Change{{Path: "cases/", Data: []byte("x")}}, opts("m")},
		"empty path":         {[]Change{{Path: "", Data: []byte("x")}}, opts("m")},
		"delete of a folder": {[]Change{{Path: "cases", Delete: true}}, opts("m")},
	}
	for name, c := range cases {
		if _, err := r.Apply(c.changes, c.opts); err == nil {
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: multi-line error %q", name, err)
		}
	}
	if d := before.diff(takeSnapshot(t, dir)); d != "" {
		t.Fatalf("refused input changed the repository:\n%s", d)
	}
	if _, err := r.Apply([]Change{{Path: "cases/../x", Data: []byte("x")}}, opts("m")); !errors.Is(err, ErrInvalidPath) {
		t.Fatalf("error %v is not ErrInvalidPath", err)
	}
}

func TestApplyRefusesSymlinks(t *testing.T) {
	dir := newHistoryRepo(t)
	outside := t.TempDir()
	writeFile(t, outside, "target.yaml", "outside\n")
	if err := os.Symlink(outside, filepath.Join(dir, "cases", "linked")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "target.yaml"), filepath.Join(dir, "cases", "2026-10", "link.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("2026-10", filepath.Join(dir, "cases", "inside")); err != nil {
		t.Fatal(err)
	}
	r := openRepo(t, dir)
	before := takeSnapshot(t, dir)
	for _, c := range []Change{
		{Path: "cases/linked/target.yaml", Data: []byte("pwned\n")},
		{Path: "cases/linked/new/x.yaml", Data: []byte("pwned\n")},
		{Path: "cases/2026-10/link.yaml", Data: []byte("pwned\n")},
		{Path: "cases/2026-10/link.yaml", Delete: true},
		{Path: "cases/inside/2026-10-AAAAA/case.yaml", Data: []byte("pwned\n")},
	} {
		_, err := r.Apply([]Change{c}, opts("m"))
		if !errors.Is(err, ErrInvalidPath) || !strings.Contains(err.Error(), "symlink") {
			t.Errorf("%s (delete %v): error %v", c.Path, c.Delete, err)
		}
	}
	if d := before.diff(takeSnapshot(t, dir)); d != "" {
		t.Fatalf("repository changed:\n%s", d)
	}
	if got := readFile(t, outside, "target.yaml"); got != "outside\n" {
		t.Fatal("wrote through a symlink")
	}
	// A FIFO is refused too.
	if err := mkfifo(filepath.Join(dir, "cases", "fifo")); err == nil {
		if _, err := r.Apply([]Change{{Path: "cases/fifo", Data: []byte("x")}}, opts("m")); !errors.Is(err, ErrInvalidPath) {
			t.Errorf("fifo: %v", err)
		}
	}
}

func TestApplyRefusesConflictsAndUnsupportedIndexes(t *testing.T) {
	t.Run("conflicts", func(t *testing.T) {
		dir := newHistoryRepo(t)
		git(t, dir, "checkout", "-q", "-b", "other")
		writeFile(t, dir, "README.md", "other\n")
		git(t, dir, "commit", "-q", "-am", "other")
		git(t, dir, "checkout", "-q", "main")
		writeFile(t, dir, "README.md", "main\n")
		git(t, dir, "commit", "-q", "-am", "main")
		if _, err := gitErr(dir, "merge", "-q", "other"); err == nil {
			t.Fatal("merge did not conflict")
		}
		refused(t, dir, ErrConflicts, "unresolved merge conflicts")
	})
	t.Run("split index", func(t *testing.T) {
		dir := newHistoryRepo(t)
		git(t, dir, "update-index", "--split-index")
		refused(t, dir, ErrUnsupportedIndex, "split index")
	})
	t.Run("core.splitIndex", func(t *testing.T) {
		dir := newHistoryRepo(t)
		git(t, dir, "config", "core.splitIndex", "true")
		refused(t, dir, ErrUnsupportedIndex, "splitIndex")
	})
	t.Run("sparse index", func(t *testing.T) {
		dir := newHistoryRepo(t)
		git(t, dir, "sparse-checkout", "set", "--cone", "--sparse-index", "cases/2026-10/2026-10-AAAAA")
		// go-git refuses to open a repository with worktree-specific
		// config, which sparse-checkout turns on; the index stays sparse.
		git(t, dir, "config", "--unset", "extensions.worktreeConfig")
		if !hasExtension(t, dir, "sdir") {
			t.Skip("git wrote no sparse index")
		}
		refused(t, dir, ErrUnsupportedIndex, "sparse index")
	})
}

func refused(t *testing.T, dir string, want error, text string) {
	t.Helper()
	r := openRepo(t, dir)
	before := takeSnapshot(t, dir)
	_, err := r.Apply([]Change{{Path: newNote, Data: []byte("x")}}, opts("m"))
	if !errors.Is(err, want) || !strings.Contains(err.Error(), text) {
		t.Fatalf("error %v, want %v mentioning %q", err, want, text)
	}
	if d := before.diff(takeSnapshot(t, dir)); d != "" {
		t.Fatalf("repository changed:\n%s", d)
	}
}

func TestApplyIndexLocked(t *testing.T) {
	dir := newHistoryRepo(t)
	lock := filepath.Join(dir, ".git", "index.lock")
	if err := os.WriteFile(lock, []byte("held by git"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := openRepo(t, dir)
	before := takeSnapshot(t, dir)
	_, err := r.Apply([]Change{{Path: newNote, Data: []byte("x")}}, opts("m"))
	if !errors.Is(err, ErrIndexLocked) || !strings.Contains(err.Error(), lock) {
		t.Fatalf("error %v, want ErrIndexLocked naming %s", err, lock)
	}
	if d := before.diff(takeSnapshot(t, dir)); d != "" {
		t.Fatalf("repository changed:\n%s", d)
	}
	if got := readFile(t, dir, ".git/index.lock"); got != "held by git" {
		t.Fatal("index.lock was touched")
	}
}

func TestApplyConcurrentRefUpdate(t *testing.T) {
	dir := newHistoryRepo(t)
	dirty(t, dir)
	r := openRepo(t, dir)
	before := takeSnapshot(t, dir)
	var moved string
	testFault = func(step string) error {
		if step == stepObjects { // another process commits meanwhile
			tree := git(t, dir, "rev-parse", "HEAD^{tree}")
			moved = git(t, dir, "commit-tree", "-p", "HEAD", "-m", "elsewhere", tree)
			git(t, dir, "update-ref", "refs/heads/main", moved)
		}
		return nil
	}
	defer func() { testFault = nil }()
	_, err := r.Apply([]Change{{Path: newNote, Data: []byte("x")}, {Path: edited, Data: []byte("y")}}, opts("m"))
	if !errors.Is(err, ErrConcurrentUpdate) {
		t.Fatalf("error %v, want ErrConcurrentUpdate", err)
	}
	if got := git(t, dir, "rev-parse", "main"); got != moved {
		t.Fatalf("main = %s, want the other process's %s", got, moved)
	}
	after := takeSnapshot(t, dir)
	// Only the ref and its reflog moved, by the other process.
	for _, k := range []string{".git/refs/heads/main", ".git/logs/HEAD", ".git/logs/refs/heads/main"} {
		delete(before.git, k)
		delete(after.git, k)
	}
	if d := before.diff(after); d != "" {
		t.Fatalf("left behind:\n%s", d)
	}
	fsck(t, dir)
}

func TestManyCommitsStayValid(t *testing.T) {
	dir := newHistoryRepo(t)
	dirty(t, dir)
	r := openRepo(t, dir)
	n := 300
	if testing.Short() {
		n = 40
	}
	var last plumbing.Hash
	for i := range n {
		c := caseFiles(i % 37)
		changes := []Change{{Path: c.note(i), Data: []byte("note: " + c.id + "\n")}}
		switch i % 3 {
		case 1:
			changes = append(changes, Change{Path: c.dir + "/case.yaml", Data: []byte("id: " + c.id + "\nrev: " + string(rune('a'+i%26)) + "\n")})
		case 2:
			if i > 40 {
				changes = append(changes, Change{Path: caseFiles((i - 37) % 37).note(i - 37), Delete: true})
			}
		}
		noCommit := i%50 == 49
		o := opts("note: " + c.id)
		o.NoCommit = noCommit
		h, err := r.Apply(changes, o)
		if err != nil {
			t.Fatalf("commit %d: %v", i, err)
		}
		if !noCommit {
			last = h
		}
	}
	if got := git(t, dir, "rev-parse", "HEAD"); got != last.String() {
		t.Fatalf("HEAD %s, last commit %s", got, last)
	}
	fsck(t, dir)
	status := git(t, dir, "status", "--porcelain=v1", "-uall")
	for _, l := range lines(status) {
		if !strings.HasPrefix(l[3:], "cases/") {
			continue
		}
		if l[1] != ' ' || !strings.ContainsRune("AMDR", rune(l[0])) { // staged by NoCommit
			t.Fatalf("unexpected status line %q in\n%s", l, status)
		}
	}
	for _, l := range lines(dirtyStatus) {
		if !slices.Contains(lines(status), l) {
			t.Fatalf("the person's work changed: no %q in\n%s", l, status)
		}
	}
	git(t, dir, "commit", "-q", "-m", "everything else") // git's own commit agrees with our index
	fsck(t, dir)
	if wt, tree := git(t, dir, "write-tree"), git(t, dir, "rev-parse", "HEAD^{tree}"); wt != tree {
		t.Fatalf("write-tree %s != HEAD^{tree} %s", wt, tree)
	}
}

type caseRef struct{ id, dir string }

func caseFiles(i int) caseRef {
	id := "2026-" + string(rune('0'+1+i%9)) + "-C" + strings.Repeat(string(rune('A'+i%26)), 4)
	return caseRef{id: id, dir: "cases/" + id[:6] + "/" + id}
}

func (c caseRef) note(i int) string {
	return c.dir + "/notes/" + strings.Repeat("0", 6) + string(rune('A'+i%26)) + string(rune('A'+i/26%26)) + ".yaml"
}
