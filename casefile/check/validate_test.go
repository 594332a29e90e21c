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

// A correction may name a note written earlier or in the same second
// (whatever their random suffixes), never a later one.
func TestCorrectionNamesAnEarlierNote(t *testing.T) {
	dir := t.TempDir()
	writeValid(t, dir)
	notes := "cases/2026-09/2026-09-A2B3C/notes/"
	note := func(name, at, corrects string) {
		t.Helper()
		body := casefile.KindNote.SchemaLine() + "\nat: " + at + "\nauthor: ben\ntype: phone\ntext: A correction.\ncorrects: " + corrects + "\n"
		if err := os.WriteFile(filepath.Join(dir, notes+name+".yaml"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Same second as the note it corrects, with a suffix that sorts first.
	note("20260910T150000Z-22222", "2026-09-10T15:00:00Z", "20260910T150000Z-N2P3Q")
	// Earlier than the note it names.
	note("20260911T090000Z-33333", "2026-09-11T09:00:00Z", "20260925T160000Z-R4S5T")
	files, _ := validate(t, openAt(t, dir), "cases/2026-09/2026-09-A2B3C")
	got := map[string][]string{}
	for _, f := range files {
		for _, p := range f.Problems {
			got[filepath.Base(f.Path)] = append(got[filepath.Base(f.Path)], p.Rule+": "+p.Message)
		}
	}
	if len(got["20260910T150000Z-22222.yaml"]) != 0 {
		t.Errorf("same-second correction: %v", got["20260910T150000Z-22222.yaml"])
	}
	if want := []string{"ref-note: corrects must name an earlier note"}; !slices.Equal(got["20260911T090000Z-33333.yaml"], want) {
		t.Errorf("correction of a later note: %v, want %v", got["20260911T090000Z-33333.yaml"], want)
	}
}
