package gitstore

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const caseA = "cases/2026-10/2026-10-AAAAA"

func TestDirty(t *testing.T) {
	dir := newHistoryRepo(t)
	r := openRepo(t, dir)
	check := func(want ...string) {
		t.Helper()
		got, err := r.Dirty(caseA)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("Dirty = %q, want %q", got, want)
		}
	}
	check()
	git(t, dir, "status") // refreshed stat data: the clean answer comes from the index
	check()

	writeFile(t, dir, caseA+"/case.yaml", "modified\n")
	writeFile(t, dir, caseA+"/intake.yaml", "staged\n")
	git(t, dir, "add", caseA+"/intake.yaml")
	os.Remove(filepath.Join(dir, caseA, "plan.yaml"))
	writeFile(t, dir, caseA+"/assessments/new.yaml", "untracked\n")
	writeFile(t, dir, caseA+"/.case.yaml.swp", "ignored\n")
	writeFile(t, dir, ".gitignore", "*.swp\n")
	writeFile(t, dir, caseA+"/tmp/.gitignore", "*\n")
	writeFile(t, dir, caseA+"/tmp/scratch", "ignored by a nested .gitignore\n")
	writeFile(t, dir, "cases/2026-10/2026-10-BBBBB/case.yaml", "outside the prefix\n")
	writeFile(t, dir, "cases/2026-10/2026-10-AAAAA-2/case.yaml", "a sibling sharing the prefix\n")
	check(caseA+"/assessments/new.yaml", caseA+"/case.yaml", caseA+"/intake.yaml", caseA+"/plan.yaml")

	// Staged then reverted on disk: the index still differs from HEAD.
	git(t, dir, "checkout", "--", caseA+"/case.yaml")
	git(t, dir, "add", caseA+"/plan.yaml", caseA+"/assessments/new.yaml")
	git(t, dir, "commit", "-q", "-m", "x")
	check()

	// Same size, same second: only the content tells.
	writeFile(t, dir, caseA+"/case.yaml", strings.ToUpper(readFile(t, dir, caseA+"/case.yaml")))
	check(caseA + "/case.yaml")

	// A single file as prefix, and several prefixes.
	got, err := r.Dirty(caseA+"/case.yaml", caseA+"/intake.yaml", "cases/2026-10/2026-10-BBBBB")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{caseA + "/case.yaml", "cases/2026-10/2026-10-BBBBB/case.yaml"}; !slices.Equal(got, want) {
		t.Fatalf("Dirty = %q, want %q", got, want)
	}
	// Agreement with git on the whole folder.
	gitSays := lines(git(t, dir, "status", "--porcelain=v1", "-uall", "--", caseA))
	if len(gitSays) != 1 || !strings.HasSuffix(gitSays[0], caseA+"/case.yaml") {
		t.Fatalf("git status disagrees: %q", gitSays)
	}
	if got, err := r.Dirty("no/such/folder"); err != nil || len(got) != 0 {
		t.Fatalf("absent prefix: %q %v", got, err)
	}
	if _, err := r.Dirty("../x"); err == nil {
		t.Fatal("Dirty accepted ../x")
	}
}

func TestDirtyTypeChangesAndSymlinks(t *testing.T) {
	dir := newHistoryRepo(t)
	r := openRepo(t, dir)
	p := filepath.Join(dir, caseA, "intake.yaml")
	os.Remove(p)
	os.Symlink("case.yaml", p)
	os.Chmod(filepath.Join(dir, caseA, "case.yaml"), 0o755)
	got, err := r.Dirty(caseA)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{caseA + "/case.yaml", caseA + "/intake.yaml"}; !slices.Equal(got, want) {
		t.Fatalf("Dirty = %q, want %q", got, want)
	}
}

func TestUnstaged(t *testing.T) {
	dir := newHistoryRepo(t)
	r := openRepo(t, dir)
	writeFile(t, dir, caseA+"/case.yaml", "modified\n")
	writeFile(t, dir, caseA+"/intake.yaml", "staged\n")
	git(t, dir, "add", caseA+"/intake.yaml")
	os.Remove(filepath.Join(dir, caseA, "plan.yaml"))
	writeFile(t, dir, caseA+"/new.yaml", "untracked\n")
	writeFile(t, dir, ".gitignore", "*.swp\n")
	writeFile(t, dir, caseA+"/x.swp", "ignored but present\n")
	got, err := r.Unstaged(caseA+"/case.yaml", caseA+"/intake.yaml", caseA+"/plan.yaml", caseA+"/new.yaml", caseA+"/x.swp", caseA+"/absent.yaml", "README.md")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{caseA + "/case.yaml", caseA + "/new.yaml", caseA + "/plan.yaml", caseA + "/x.swp"}
	if !slices.Equal(got, want) {
		t.Fatalf("Unstaged = %q, want %q", got, want)
	}
}

func TestReadHeadAndHead(t *testing.T) {
	dir := newHistoryRepo(t)
	r := openRepo(t, dir)
	writeFile(t, dir, caseA+"/case.yaml", "on disk only\n")
	data, ok, err := r.ReadHead(caseA + "/case.yaml")
	if err != nil || !ok || string(data) != "id: 2026-10-AAAAA\nstage: intake\n" {
		t.Fatalf("ReadHead = %q %v %v", data, ok, err)
	}
	for _, p := range []string{caseA, caseA + "/nope.yaml", "README.md/x"} {
		if _, ok, err := r.ReadHead(p); ok || err != nil {
			t.Errorf("ReadHead(%s) = %v %v", p, ok, err)
		}
	}
	h, err := r.Head()
	if err != nil || h.String() != git(t, dir, "rev-parse", "HEAD") {
		t.Fatalf("Head = %s %v", h, err)
	}
}

func TestUserEmailAndName(t *testing.T) {
	dir := newHistoryRepo(t)
	home := t.TempDir()
	t.Setenv("HOME", home)
	email := func() string {
		r := openRepo(t, dir)
		e, err := r.UserEmail()
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	if got := email(); got != "" {
		t.Fatalf("unset: %q", got)
	}
	writeFile(t, home, ".config/git/config", "[user]\n\temail = xdg@example.org\n")
	if got := email(); got != "xdg@example.org" {
		t.Fatalf("XDG default: %q", got)
	}
	xdg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", xdg)
	writeFile(t, xdg, "git/config", "[user]\n\temail = xdg2@example.org\n")
	if got := email(); got != "xdg2@example.org" {
		t.Fatalf("XDG_CONFIG_HOME: %q", got)
	}
	writeFile(t, home, ".gitconfig", "[User]\n\tEmail = home@example.org\n\tname = Home Name\n")
	if got := email(); got != "home@example.org" {
		t.Fatalf("~/.gitconfig over XDG: %q", got)
	}
	git(t, dir, "config", "user.email", "repo@example.org")
	if got := email(); got != "repo@example.org" {
		t.Fatalf("repository config: %q", got)
	}
	if got := git(t, dir, "config", "user.email"); got != "repo@example.org" {
		t.Fatalf("git disagrees: %q", got)
	}
	if name, err := openRepo(t, dir).UserName(); err != nil || name != "Home Name" {
		t.Fatalf("UserName = %q %v", name, err)
	}
}

func TestOpenRefusals(t *testing.T) {
	if _, err := Open(t.TempDir()); err == nil {
		t.Fatal("opened a folder without .git")
	}
	dir := t.TempDir()
	writeFile(t, dir, ".git", "gitdir: /elsewhere\n")
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "not supported") {
		t.Fatalf("a .git file: %v", err)
	}
	if _, err := Init(t.TempDir(), "bad..name"); err == nil {
		t.Fatal("Init accepted a bad branch name")
	}
	r := openRepo(t, newHistoryRepo(t))
	if !strings.HasPrefix(r.Root(), "/") && !filepath.IsAbs(r.Root()) {
		t.Fatalf("Root = %q", r.Root())
	}
}
