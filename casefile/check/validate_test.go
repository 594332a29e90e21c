package check

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/rogpeppe/go-internal/txtar"
)

// now is the clock of the fixtures.
var now = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// writeValid writes testdata/valid.txtar into dir and commits it with git.
func writeValid(t testing.TB, dir string) {
	t.Helper()
	a, err := txtar.ParseFile("testdata/valid.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range a.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitIn(t, dir, "init", "-q")
	gitIn(t, dir, "add", "-A")
	gitIn(t, dir, "commit", "-q", "-m", "import")
}

func gitIn(t testing.TB, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "init.defaultBranch=main"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func openAt(t testing.TB, dir string) *casefile.Repo {
	t.Helper()
	r, err := casefile.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	r.Clock = func() time.Time { return now }
	return r
}

func validate(t testing.TB, r *casefile.Repo, paths ...string) ([]File, Summary) {
	t.Helper()
	var files []File
	sum, err := Validate(context.Background(), r, Options{Paths: paths}, func(f File) error {
		files = append(files, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files, sum
}

func TestValidRepositoryHasNoProblems(t *testing.T) {
	dir := t.TempDir()
	writeValid(t, dir)
	files, sum := validate(t, openAt(t, dir))
	var paths []string
	for _, f := range files {
		if len(f.Problems) > 0 {
			t.Errorf("%s", f)
		}
		paths = append(paths, f.Path)
	}
	if sum.Cases != 5 || sum.Problems != 0 {
		t.Errorf("summary %+v, want 5 cases and no problems", sum)
	}
	for i := 1; i < len(paths); i++ {
		if paths[i-1] >= paths[i] {
			t.Errorf("files out of order: %s before %s", paths[i-1], paths[i])
		}
	}
	// Every document of the fixture is reported, nothing else.
	a, _ := txtar.ParseFile("testdata/valid.txtar")
	var docs []string
	for _, f := range a.Files {
		if casefile.Locate(f.Name).Kind != "" {
			docs = append(docs, f.Name)
		}
	}
	slices.Sort(docs)
	if strings.Join(docs, "\n") != strings.Join(paths, "\n") {
		t.Errorf("reported files:\n%s\nwant the documents:\n%s", strings.Join(paths, "\n"), strings.Join(docs, "\n"))
	}
}
