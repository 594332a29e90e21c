// Package bench is the harness every benchmark of cases runs on: generated
// caseloads cached between runs (so the generator is not what is timed),
// and the two floors a command is measured against in the same run:
//
//   - a command that reads the whole caseload (validate, due, report,
//     maturity) against [ReadParse]: reading every document and parsing it
//     into a yaml.Node with every core;
//   - a command that writes against [GitAddCommit]: git add plus git
//     commit of the same paths, with the git CLI.
//
// A benchmark reports its time beside the floor's as a ratio with
// [ReportRatio] (metric x-NAME), never as an absolute goal:
//
//	func BenchmarkValidate(b *testing.B) {
//		for _, n := range bench.Sizes {
//			b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
//				c := bench.Caseload(b, n)
//				floor := bench.Median(b, 3, func() { bench.MustReadParse(b, c.Dir) })
//				b.ResetTimer()
//				for range b.N {
//					// run validate on c.Dir
//				}
//				bench.ReportRatio(b, floor, "parse")
//			})
//		}
//	}
//
// Caseloads live under $CASES_BENCH_CACHE (make bench sets .bench/), else
// the system's temporary folder, keyed by the generator's version, the seed
// and the size. [Caseload] is shared and must not be written to; a
// benchmark that writes takes a [Writable] copy of its own.
package bench

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/casesproject/cases/casefile/gen"
	"github.com/casesproject/cases/casefile/yamlx"
	"github.com/gofrs/flock"
)

// Sizes are the caseload sizes benchmarks run at.
var Sizes = []int{1000, 10000}

// Seed is the seed of every benchmark caseload.
const Seed = 1

// Load is a generated case repository.
type Load struct {
	Dir   string         // the repository's working tree
	N     int            // cases
	Now   time.Time      // the generator's "now": set CASES_NOW to it (CasesNow)
	Cases []gen.CaseInfo // every case, by id
}

// CasesNow is Now as CASES_NOW takes it.
func (l *Load) CasesNow() string { return l.Now.Format(time.RFC3339) }

// InStage lists the ids of the cases in any of the stages.
func (l *Load) InStage(stages ...string) []string {
	var out []string
	for _, c := range l.Cases {
		if slices.Contains(stages, c.Stage) {
			out = append(out, c.ID)
		}
	}
	return out
}

// Open lists the ids of the cases still open (not in follow-up or closed).
func (l *Load) Open() []string {
	return l.InStage("intake", "assessment", "planning", "delivery", "monitoring")
}

// CacheDir is where caseloads are kept.
func CacheDir() string {
	if d := os.Getenv("CASES_BENCH_CACHE"); d != "" {
		return d
	}
	return filepath.Join(os.TempDir(), "cases-bench")
}

func key(n int) string { return fmt.Sprintf("caseload-v%d-seed%d-n%d", gen.Version, Seed, n) }

// Caseload returns the caseload of n cases, generating it the first time
// (a minute or two for 10,000 cases) and reusing it afterwards, also from
// other test processes. It must not be written to.
func Caseload(tb testing.TB, n int) *Load {
	tb.Helper()
	l, err := caseload(n, tb.Logf)
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

func caseload(n int, logf func(string, ...any)) (*Load, error) {
	cache := CacheDir()
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return nil, err
	}
	base := filepath.Join(cache, key(n))
	lock := flock.New(base + ".lock")
	if err := lock.Lock(); err != nil {
		return nil, err
	}
	defer lock.Unlock()
	manifest := filepath.Join(base, "cases.json")
	if _, err := os.Stat(manifest); errors.Is(err, fs.ErrNotExist) {
		logf("generating a caseload of %d cases in %s (once; later runs reuse it)", n, base)
		start := time.Now()
		os.RemoveAll(base)
		tmp := base + ".tmp"
		os.RemoveAll(tmp)
		st, err := gen.Generate(filepath.Join(tmp, "repo"), gen.Options{Cases: n, Seed: Seed})
		if err != nil {
			return nil, err
		}
		data, err := json.Marshal(struct {
			Now   time.Time      `json:"now"`
			Cases []gen.CaseInfo `json:"cases"`
		}{gen.DefaultNow, st.IDs})
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(tmp, "cases.json"), data, 0o644); err != nil {
			return nil, err
		}
		if err := os.Rename(tmp, base); err != nil {
			return nil, err
		}
		logf("generated %d cases, %d commits, %d files in %.1fs", st.Cases, st.Commits, st.Files, time.Since(start).Seconds())
	} else if err != nil {
		return nil, err
	}
	return readLoad(filepath.Join(base, "repo"), manifest, n)
}

func readLoad(dir, manifest string, n int) (*Load, error) {
	data, err := os.ReadFile(manifest)
	if err != nil {
		return nil, err
	}
	var m struct {
		Now   time.Time      `json:"now"`
		Cases []gen.CaseInfo `json:"cases"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", manifest, err)
	}
	return &Load{Dir: dir, N: n, Now: m.Now, Cases: m.Cases}, nil
}

// writableUses is how many benchmark runs a writable copy serves before it
// is copied afresh, so the commits benchmarks add stay few beside the
// caseload's own history.
const writableUses = 20

// Writable returns a copy of the caseload of n cases that the calling
// benchmark may write to, named so that benchmarks running at the same
// time (go test runs packages in parallel) never share one. The copy is
// kept between runs and made afresh every few runs; it is locked while the
// benchmark runs. Pack files are hard links (git never changes them); the
// working tree and the rest of .git are copied, and the git index is
// refreshed with the git CLI so git and cases start from the same state.
func Writable(tb testing.TB, n int, name string) *Load {
	tb.Helper()
	src := Caseload(tb, n)
	base := filepath.Join(CacheDir(), key(n), "writable-"+name)
	lock := flock.New(base + ".lock")
	if err := lock.Lock(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { lock.Unlock() })
	dir := filepath.Join(base, "repo")
	uses := 0
	if data, err := os.ReadFile(filepath.Join(base, "uses")); err == nil {
		fmt.Sscan(string(data), &uses)
	}
	if _, err := os.Stat(dir); err != nil || uses >= writableUses {
		tb.Logf("copying the caseload of %d cases for %s (every %d runs)", n, name, writableUses)
		os.RemoveAll(base)
		if err := copyRepo(src.Dir, dir); err != nil {
			tb.Fatal(err)
		}
		if _, err := exec.LookPath("git"); err == nil {
			if out, err := gitCmd(dir, "update-index", "-q", "--refresh").CombinedOutput(); err != nil {
				tb.Fatalf("git update-index --refresh: %v\n%s", err, out)
			}
		}
		uses = 0
	}
	if err := os.WriteFile(filepath.Join(base, "uses"), []byte(fmt.Sprint(uses+1)), 0o644); err != nil {
		tb.Fatal(err)
	}
	l := *src
	l.Dir = dir
	return &l
}

// copyRepo copies a repository: pack files linked, everything else copied.
func copyRepo(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o755)
		case !d.Type().IsRegular():
			return fmt.Errorf("%s is not a regular file", p)
		case strings.HasPrefix(filepath.ToSlash(rel), ".git/objects/pack/"):
			if err := os.Link(p, to); err == nil {
				return nil
			}
		}
		return copyFile(p, to)
	})
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// ReadParseStats counts what ReadParse read.
type ReadParseStats struct {
	Files int
	Bytes int64
}

// ReadParse is the floor of commands that read the whole caseload: it
// reads every document (every .yaml file outside .git) and parses it with
// yamlx.Parse, the strict reader, using every core. A document the reader
// refuses is an error: the floor is measured on valid documents.
func ReadParse(dir string) (ReadParseStats, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return fs.SkipDir
		}
		if d.Type().IsRegular() && strings.HasSuffix(d.Name(), ".yaml") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return ReadParseStats{}, err
	}
	var next, total atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, runtime.GOMAXPROCS(0))
	for k := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(paths) || errs[k] != nil {
					return
				}
				data, err := os.ReadFile(paths[i])
				if err != nil {
					errs[k] = err
					return
				}
				total.Add(int64(len(data)))
				if doc, problems := yamlx.Parse(paths[i], data); doc == nil || len(problems) > 0 {
					errs[k] = fmt.Errorf("%s: %d problems reading it", paths[i], len(problems))
				}
			}
		}()
	}
	wg.Wait()
	return ReadParseStats{Files: len(paths), Bytes: total.Load()}, errors.Join(errs...)
}

// MustReadParse is ReadParse failing the benchmark on error.
func MustReadParse(tb testing.TB, dir string) ReadParseStats {
	tb.Helper()
	st, err := ReadParse(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

// gitCmd is the git CLI isolated from the machine's configuration, with an
// identity and no hooks, signing or automatic gc inside a timed commit.
func gitCmd(dir string, args ...string) *exec.Cmd {
	full := append([]string{"-c", "user.name=Bench", "-c", "user.email=bench@example.org", "-c", "gc.auto=0",
		"-c", "commit.gpgsign=false", "-c", "core.hooksPath=" + os.DevNull}, args...)
	cmd := exec.Command("git", full...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull)
	return cmd
}

// NeedGit skips the benchmark when the git CLI is missing.
func NeedGit(tb testing.TB) {
	tb.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		tb.Skip("the git CLI is the floor of this benchmark and is not installed")
	}
}

// GitAddCommit is the floor of commands that write: git add of the paths
// (relative to dir, already written by the caller) and git commit, as a
// person would record the same change by hand.
func GitAddCommit(tb testing.TB, dir, msg string, paths ...string) {
	tb.Helper()
	if out, err := gitCmd(dir, append([]string{"add", "--"}, paths...)...).CombinedOutput(); err != nil {
		tb.Fatalf("git add: %v\n%s", err, out)
	}
	if out, err := gitCmd(dir, "commit", "-q", "-m", msg).CombinedOutput(); err != nil {
		tb.Fatalf("git commit: %v\n%s", err, out)
	}
}

// Median runs fn runs times and returns the median time of one run.
func Median(tb testing.TB, runs int, fn func()) time.Duration {
	tb.Helper()
	ds := make([]time.Duration, max(runs, 1))
	for i := range ds {
		start := time.Now()
		fn()
		ds[i] = time.Since(start)
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// PerOp is the benchmark's time per operation so far.
func PerOp(b *testing.B) time.Duration {
	if b.N == 0 {
		return 0
	}
	return b.Elapsed() / time.Duration(b.N)
}

// ReportRatio reports the benchmark's time per operation over the floor's
// as the metric x-NAME, and both times in milliseconds.
func ReportRatio(b *testing.B, floor time.Duration, name string) {
	b.Helper()
	op := PerOp(b)
	b.ReportMetric(float64(op.Microseconds())/1000, "ms/op")
	if floor > 0 {
		b.ReportMetric(float64(floor.Microseconds())/1000, "ms/"+name)
		b.ReportMetric(float64(op)/float64(floor), "x-"+name)
	}
}

// WriteFile writes a file under dir (slash-separated rel), creating
// folders: for floors that write what a command would.
func WriteFile(tb testing.TB, dir, rel string, data []byte) {
	tb.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// AppendFile appends to a file under dir.
func AppendFile(tb testing.TB, dir, rel string, data []byte) {
	tb.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	old, err := os.ReadFile(p)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, append(old, data...), 0o644); err != nil {
		tb.Fatal(err)
	}
}
