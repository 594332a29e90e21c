package bench

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A caseload is generated once and reused; a writable copy is a working
// repository of its own; the floors do what they say.
func TestCaseloadIsCachedAndCopied(t *testing.T) {
	t.Setenv("CASES_BENCH_CACHE", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	a := Caseload(t, 12)
	if len(a.Cases) != 12 || a.N != 12 || a.Now.IsZero() {
		t.Fatalf("caseload: %d cases, now %s", len(a.Cases), a.Now)
	}
	before, err := os.Stat(filepath.Join(a.Dir, "cases.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	b := Caseload(t, 12)
	after, err := os.Stat(filepath.Join(b.Dir, "cases.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Dir != b.Dir || !os.SameFile(before, after) || !before.ModTime().Equal(after.ModTime()) {
		t.Error("the second Caseload generated the repository again")
	}
	if got := len(a.Open()) + len(a.InStage("follow-up", "closed")); got != 12 {
		t.Errorf("stages cover %d of 12 cases", got)
	}

	st := MustReadParse(t, a.Dir)
	yamls := 0
	filepath.WalkDir(a.Dir, func(p string, d os.DirEntry, err error) error {
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if strings.HasSuffix(p, ".yaml") {
			yamls++
		}
		return nil
	})
	if st.Files != yamls || st.Bytes == 0 {
		t.Errorf("ReadParse read %d files (%d bytes), the repository holds %d documents", st.Files, st.Bytes, yamls)
	}

	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git CLI not installed")
	}
	w := Writable(t, 12, "test")
	if w.Dir == a.Dir {
		t.Fatal("the writable copy is the shared caseload")
	}
	git := func(args ...string) string {
		out, err := gitCmd(w.Dir, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if out := git("status", "--porcelain"); out != "" {
		t.Errorf("the copy is not clean:\n%s", out)
	}
	head := git("rev-parse", "HEAD")
	id := w.Open()[0]
	rel := fmt.Sprintf("cases/%s/%s/intake.yaml", id[:7], id)
	AppendFile(t, w.Dir, rel, []byte("# reviewed\n"))
	GitAddCommit(t, w.Dir, "edit", rel)
	if git("rev-parse", "HEAD^") != head {
		t.Error("GitAddCommit did not commit on top of HEAD")
	}
	shared, _ := os.ReadFile(filepath.Join(a.Dir, filepath.FromSlash(rel)))
	if strings.Contains(string(shared), "# reviewed") {
		t.Error("writing to the copy changed the shared caseload")
	}
	if out, err := exec.Command("git", "-C", a.Dir, "rev-parse", "HEAD").CombinedOutput(); err != nil || strings.TrimSpace(string(out)) != head {
		t.Errorf("the shared caseload's HEAD moved: %s %v", out, err)
	}
}

// BenchmarkReadParse is the floor of whole-caseload commands on its own:
// read and parse every document with every core.
func BenchmarkReadParse(b *testing.B) {
	for _, n := range Sizes {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			c := Caseload(b, n)
			var st ReadParseStats
			b.ResetTimer()
			for range b.N {
				st = MustReadParse(b, c.Dir)
			}
			b.SetBytes(st.Bytes)
			b.ReportMetric(float64(st.Files)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
			b.ReportMetric(float64(PerOp(b).Microseconds())/1000, "ms/op")
		})
	}
}
