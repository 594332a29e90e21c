package gitstore

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestMain isolates git (and this package's config reading) from the
// machine's configuration: a fresh HOME with only an identity in it.
func TestMain(m *testing.M) {
	home, err := os.MkdirTemp("", "gitstore-home-")
	if err != nil {
		panic(err)
	}
	os.Setenv("HOME", home)
	os.Unsetenv("XDG_CONFIG_HOME")
	os.Unsetenv("GIT_CONFIG_GLOBAL")
	os.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	for _, v := range []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"} {
		os.Unsetenv(v)
	}
	os.WriteFile(filepath.Join(home, ".gitconfig"), []byte("[user]\n\tname = Git CLI\n\temail = cli@example.org\n[init]\n\tdefaultBranch = main\n[gc]\n\tauto = 0\n"), 0o644)
	code := m.Run()
	os.RemoveAll(home)
	os.Exit(code)
}

// git runs the git CLI in dir and returns its trimmed output.
func git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	out, err := gitErr(dir, args...)
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func gitErr(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return strings.TrimRight(string(out), "\n"), err
}

func writeFile(t testing.TB, dir, p, content string) {
	t.Helper()
	full := filepath.Join(dir, filepath.FromSlash(p))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t testing.TB, dir, p string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// newHistoryRepo makes a repository with the git CLI: two commits of a
// small case layout, and a clean working tree.
func newHistoryRepo(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	git(t, dir, "init", "-q")
	writeFile(t, dir, "cases.yaml", "organization: test\n")
	writeFile(t, dir, "README.md", "hello\n")
	writeFile(t, dir, "cases/2026-10/2026-10-AAAAA/case.yaml", "id: 2026-10-AAAAA\nstage: intake\n")
	writeFile(t, dir, "cases/2026-10/2026-10-AAAAA/intake.yaml", "date: 2026-10-01\n")
	writeFile(t, dir, "cases/2026-10/2026-10-AAAAA/notes/20261002T090000Z-QWERT.yaml", "text: first\n")
	writeFile(t, dir, "cases/2026-10/2026-10-BBBBB/case.yaml", "id: 2026-10-BBBBB\n")
	writeFile(t, dir, "cases/2026-10/2026-10-BBBBB/old.yaml", "obsolete: true\n")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "import")
	writeFile(t, dir, "cases/2026-10/2026-10-AAAAA/plan.yaml", "goals: []\n")
	writeFile(t, dir, "notes.txt", "staff notes\n")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "plan")
	return dir
}

func openRepo(t testing.TB, dir string) *Repo {
	t.Helper()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

var testZone = time.FixedZone("", 5*3600+30*60)

func worker() Signature {
	return Signature{Name: "Ana Caseworker", Email: "ana@example.org", When: time.Date(2026, 11, 24, 10, 15, 0, 0, testZone)}
}

func opts(msg string) CommitOptions { return CommitOptions{Message: msg, Author: worker()} }

// fsck fails the test unless git fsck --strict is clean.
func fsck(t testing.TB, dir string) {
	t.Helper()
	out, err := gitErr(dir, "fsck", "--strict", "--no-progress", "--no-dangling")
	var problems []string
	for _, l := range lines(out) {
		if !strings.HasPrefix(l, "notice: ") { // e.g. "HEAD points to an unborn branch"
			problems = append(problems, l)
		}
	}
	if err != nil || len(problems) > 0 {
		t.Fatalf("git fsck --strict: %v\n%s", err, out)
	}
}

// snapshot is everything Apply must leave as it was after a failure: the
// working tree (every file, including hidden ones), git's index, HEAD, refs
// and reflogs, the list of files in .git outside objects, and what git
// status says.
type snapshot struct {
	files  map[string]string
	git    map[string]string
	status string
}

func takeSnapshot(t testing.TB, dir string) snapshot {
	t.Helper()
	s := snapshot{files: map[string]string{}, git: map[string]string{}}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == ".git/objects" {
			return fs.SkipDir
		}
		key := rel
		m := s.files
		if rel == ".git" || strings.HasPrefix(rel, ".git/") {
			m = s.git
		}
		switch {
		case rel == "." || rel == ".git/cases.lock":
		case d.IsDir():
			m[key+"/"] = ""
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			m[key] = "symlink:" + target
		default:
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			m[key] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.status = git(t, dir, "--no-optional-locks", "status", "--porcelain=v1", "-uall")
	return s
}

func (s snapshot) diff(o snapshot) string {
	var b strings.Builder
	cmp := func(what string, a, c map[string]string) {
		keys := map[string]bool{}
		for k := range a {
			keys[k] = true
		}
		for k := range c {
			keys[k] = true
		}
		var ks []string
		for k := range keys {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		for _, k := range ks {
			va, oka := a[k]
			vc, okc := c[k]
			switch {
			case !oka:
				fmt.Fprintf(&b, "%s %s: appeared\n", what, k)
			case !okc:
				fmt.Fprintf(&b, "%s %s: disappeared\n", what, k)
			case va != vc:
				fmt.Fprintf(&b, "%s %s: changed\n", what, k)
			}
		}
	}
	cmp("file", s.files, o.files)
	cmp("git", s.git, o.git)
	if s.status != o.status {
		fmt.Fprintf(&b, "status before:\n%s\nstatus after:\n%s\n", s.status, o.status)
	}
	return b.String()
}

// indexVersion reads the version of a repository's index file.
func indexVersion(t testing.TB, dir string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
	if err != nil {
		t.Fatal(err)
	}
	return int(b[7])
}

func hasExtension(t testing.TB, dir, sig string) bool {
	t.Helper()
	x, err := readIndex(filepath.Join(dir, ".git", "index"), true)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range x.exts {
		if e.sig == sig {
			return true
		}
	}
	return false
}

func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
