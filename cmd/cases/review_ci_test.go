package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casesproject/cases/cmd/cases/internal/cli"
	"go.yaml.in/yaml/v3"
)

// TestCIReviewExamples runs the review command of each CI example, as its
// shell would after substituting the base branch, on a repository with a
// pull request of one good commit, and checks the checkout settings review
// depends on.
func TestCIReviewExamples(t *testing.T) {
	dir := t.TempDir()
	home := filepath.Join(dir, ".home")
	os.MkdirAll(home, 0o755)
	os.WriteFile(filepath.Join(home, ".gitconfig"), []byte("[user]\n\tname = Ana Ruiz\n\temail = ana@example.org\n[init]\n\tdefaultBranch = main\n"), 0o644)
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("CASES_NOW", "2026-11-24T10:00:00Z")
	repo := filepath.Join(dir, "clients")
	run := func(args ...string) {
		t.Helper()
		var out bytes.Buffer
		if code := cli.Run(args, cli.NewStreams(nil, &out, &out)); code != 0 {
			t.Fatalf("cases %v: exit %d\n%s", args, code, out.String())
		}
	}
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("init", repo, "--as", "ana@example.org")
	git("update-ref", "refs/remotes/origin/main", "HEAD")
	run("new", "--repo", repo, "--id", "2026-11-K7Q3M", "--name", "Amina Haddad", "--dob", "1988-03-14", "--eligible", "--consent")

	for file, want := range map[string]string{
		"github-actions-review.yml": `cases review "origin/$BASE..HEAD" --format github`,
		"gitlab-ci-review.yml":      `cases review "$RANGE" --format junit`,
	} {
		t.Run(file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "..", "examples", "ci", file))
			if err != nil {
				t.Fatal(err)
			}
			var doc yaml.Node
			if err := yaml.Unmarshal(data, &doc); err != nil {
				t.Fatalf("not YAML: %v", err)
			}
			text := string(data)
			if !strings.Contains(text, want) {
				t.Fatalf("no %q", want)
			}
			if !strings.Contains(text, "fetch-depth: 0") && !strings.Contains(text, "GIT_DEPTH: 0") {
				t.Error("the example does not fetch the whole history")
			}
			line := strings.NewReplacer(`"origin/$BASE..HEAD"`, "origin/main..HEAD", `"$RANGE"`, "origin/main..HEAD").Replace(want)
			args := strings.Fields(line)[1:]
			var out bytes.Buffer
			code := cli.Run(append(args, "--repo", repo), cli.NewStreams(nil, &out, &out))
			if code != 0 {
				t.Fatalf("%s: exit %d\n%s", line, code, out.String())
			}
			if !strings.Contains(out.String(), "reviewed 1 commit changing 1 case: no problems") {
				t.Errorf("%s printed\n%s", line, out.String())
			}
		})
	}
}
