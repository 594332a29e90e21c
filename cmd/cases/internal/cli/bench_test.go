package cli_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/cmd/cases/internal/cli"
	"github.com/casesproject/cases/internal/bench"
)

// BenchmarkWrite measures the two commands that write every day on a
// large caseload, in-process through cli.Run as a person runs them: cases
// new (case.yaml and intake.yaml of a new case) and cases edit of one
// document (the editor appends a comment line, one shell process, as a
// person's editor would be), each beside the git CLI recording the same
// kind of change by hand (git add, git commit) in the same iteration. The
// x-git metric is cases' time over git's; the goal is at most 0.5 at
// 10,000 cases.
func BenchmarkWrite(b *testing.B) {
	bench.NeedGit(b)
	for _, n := range bench.Sizes {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			c := bench.Writable(b, n, "cli-write")
			b.Setenv("CASES_NOW", c.CasesNow())
			b.Setenv("CASES_USER", "")
			b.Setenv("HOME", b.TempDir())
			b.Setenv("XDG_CONFIG_HOME", "")
			b.Setenv("EDITOR", `printf '%s\n' '# reviewed' >>`)
			b.Setenv("VISUAL", "")
			worker := caseworker(b, c.Dir)
			open := c.Open()
			month := c.Now.In(time.UTC).Format("2006-01")
			sample := c.InStage("monitoring")[0]
			caseDoc := readDoc(b, c.Dir, sample, "case.yaml")
			intakeDoc := readDoc(b, c.Dir, sample, "intake.yaml")
			fresh := 0

			// Each iteration records the change by hand with git (timer
			// stopped), then runs the command: both see the same machine.
			b.Run("new", func(b *testing.B) {
				b.ReportAllocs()
				var git time.Duration
				for range b.N {
					b.StopTimer()
					fresh++
					dir := fmt.Sprintf("cases/%s/%s-B%04d", month, month, fresh)
					start := time.Now()
					bench.WriteFile(b, c.Dir, dir+"/case.yaml", caseDoc)
					bench.WriteFile(b, c.Dir, dir+"/intake.yaml", intakeDoc)
					bench.GitAddCommit(b, c.Dir, "new: bench", dir+"/case.yaml", dir+"/intake.yaml")
					git += time.Since(start)
					b.StartTimer()
					run(b, "--repo", c.Dir, "--as", worker, "new", "--program", "housing", "--name", "Bench Client", "--dob", "1990-04-02",
						"--phone", "555-0100", "--member", "relationship=child,name=Kid Client,dob=2016-05-06", "--urgent", "food,housing",
						"--eligible", "--consent", "--quiet")
				}
				bench.ReportRatio(b, git/time.Duration(b.N), "git")
			})
			i := 0
			b.Run("edit", func(b *testing.B) {
				b.ReportAllocs()
				var git time.Duration
				for range b.N {
					b.StopTimer()
					rel := casefile.DocPath(open[i%len(open)], casefile.KindIntake)
					start := time.Now()
					bench.AppendFile(b, c.Dir, rel, []byte("# reviewed by hand\n"))
					bench.GitAddCommit(b, c.Dir, "edit: bench", rel)
					git += time.Since(start)
					b.StartTimer()
					run(b, "--repo", c.Dir, "--as", worker, "edit", open[(i+1)%len(open)], "intake")
					i += 2
				}
				bench.ReportRatio(b, git/time.Duration(b.N), "git")
			})
		})
	}
}

func run(b *testing.B, args ...string) {
	b.Helper()
	var out, errOut bytes.Buffer
	if code := cli.Run(args, cli.NewStreams(strings.NewReader(""), &out, &errOut)); code != 0 {
		b.Fatalf("cases %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errOut.String())
	}
}

// caseworker is the first caseworker on the staff list.
func caseworker(b *testing.B, dir string) string {
	b.Helper()
	r, err := casefile.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	for _, s := range r.Config.Staff {
		if s.Role == "caseworker" && s.IsActive() {
			return s.ID
		}
	}
	b.Fatal("no caseworker on the staff list")
	return ""
}

func readDoc(b *testing.B, dir, id, name string) []byte {
	b.Helper()
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(casefile.CaseDir(id)), name))
	if err != nil {
		b.Fatal(err)
	}
	return data
}
