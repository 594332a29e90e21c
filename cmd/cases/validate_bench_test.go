package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/cmd/cases/internal/cli"
	"github.com/rogpeppe/go-internal/txtar"
	"go.yaml.in/yaml/v3"
)

// The validate benchmarks run on generated caseloads, each beside its
// floor measured in the same run: reading and YAML-parsing every document
// with every core. They report validate's time as a multiple of the floor
// (x-floor), the peak resident memory of the real binary (peak-RSS-MB),
// and validate PATH on one case of 10,000 as a multiple of the same on
// 100 cases.
//
// The caseload comes from validateCaseload, a small generator of copies of
// the valid fixture's cases with new ids and more notes (about ten
// documents a case); switching to casefile/gen means replacing that one
// function.

// BenchmarkValidate: validate against the floor at 1,000 and 10,000 cases.
func BenchmarkValidate(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		dir := validateCaseload(b, n)
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			var floor, validate, floorCPU, validateCPU time.Duration
			docs := 0
			for b.Loop() {
				t, c := time.Now(), cpuTime()
				docs = parseAll(b, dir)
				floor += time.Since(t)
				floorCPU += cpuTime() - c
				t, c = time.Now(), cpuTime()
				runValidate(b, dir)
				validate += time.Since(t)
				validateCPU += cpuTime() - c
			}
			b.ReportMetric(float64(docs), "docs")
			b.ReportMetric(floor.Seconds()*1000/float64(b.N), "floor-ms")
			b.ReportMetric(validate.Seconds()*1000/float64(b.N), "validate-ms")
			b.ReportMetric(float64(validate)/float64(floor), "x-floor")
			// CPU time is steadier than wall time on a shared machine.
			b.ReportMetric(float64(validateCPU)/float64(floorCPU), "x-floor-cpu")
		})
	}
}

// BenchmarkValidateRSS: the peak resident memory of the cases binary
// validating 1,000 and 10,000 cases, and the second as a multiple of the
// first.
func BenchmarkValidateRSS(b *testing.B) {
	rss := map[int]float64{}
	for _, n := range []int{1000, 10000} {
		dir := validateCaseload(b, n)
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			peak := 0.0
			for b.Loop() {
				peak = max(peak, childRSS(b, dir))
			}
			rss[n] = peak
			b.ReportMetric(peak, "peak-RSS-MB")
			if n == 10000 && rss[1000] > 0 {
				b.ReportMetric(peak/rss[1000], "x-RSS-1k")
			}
		})
	}
}

// BenchmarkValidatePath: validate of one case in a 10,000-case repository
// against the same in a 100-case one (the last case of each, so the index
// is read to its end).
func BenchmarkValidatePath(b *testing.B) {
	small, large := validateCaseload(b, 100), validateCaseload(b, 10000)
	smallID, largeID := lastCase(b, small), lastCase(b, large)
	var ts, tl time.Duration
	for b.Loop() {
		t := time.Now()
		runValidate(b, small, smallID)
		ts += time.Since(t)
		t = time.Now()
		runValidate(b, large, largeID)
		tl += time.Since(t)
	}
	b.ReportMetric(ts.Seconds()*1000/float64(b.N), "100-cases-ms")
	b.ReportMetric(tl.Seconds()*1000/float64(b.N), "10000-cases-ms")
	b.ReportMetric(float64(tl)/float64(ts), "x-100-cases")
}

const benchNow = "2026-11-24T10:00:00Z"

// cpuTime is the CPU time this process has used, on every core.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// runValidate runs cases validate in this process; the caseload is valid,
// so anything but exit 0 fails the benchmark.
func runValidate(b *testing.B, dir string, paths ...string) {
	b.Helper()
	b.Setenv("CASES_NOW", benchNow)
	var errOut bytes.Buffer
	args := append([]string{"validate", "--repo", dir}, paths...)
	if code := cli.Run(args, cli.NewStreams(&bytes.Buffer{}, io.Discard, &errOut)); code != 0 {
		b.Fatalf("cases validate: exit %d\n%s", code, errOut.String())
	}
}

// childRSS runs the real binary (this test binary under the name
// cases-peak-rss, as testscript runs commands) and returns its peak
// resident memory in MB, as the child itself reads it from /proc when it
// is done. (The wait status's maxrss would count the memory of this
// process, which the child shares until it starts the binary.)
func childRSS(b *testing.B, dir string) float64 {
	b.Helper()
	if runtime.GOOS != "linux" {
		b.Skip("peak RSS is read from /proc")
	}
	cmd := &exec.Cmd{Path: os.Args[0], Args: []string{"cases-peak-rss", "validate", "--repo", dir}, Env: append(os.Environ(), "CASES_NOW="+benchNow)}
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Run(); err != nil {
		b.Fatalf("cases validate: %v\n%s", err, errOut.String())
	}
	var kb float64
	for _, l := range strings.Split(errOut.String(), "\n") {
		if v, ok := strings.CutPrefix(l, "peak-rss-kb "); ok {
			fmt.Sscan(v, &kb)
		}
	}
	if kb == 0 {
		b.Fatalf("no peak RSS reported:\n%s", errOut.String())
	}
	return kb / 1024
}

// peakRSSMain is cases, then its peak resident memory (VmHWM) on stderr.
func peakRSSMain() {
	code := cli.Main()
	status, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			fmt.Fprintln(os.Stderr, "peak-rss-kb", strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
		}
	}
	os.Exit(code)
}

func lastCase(b *testing.B, dir string) string {
	b.Helper()
	r, err := casefile.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	ids, err := r.CaseIDs()
	if err != nil || len(ids) == 0 {
		b.Fatal("no cases", err)
	}
	return ids[len(ids)-1]
}

// parseAll is the floor: find every document, read it and parse it into
// a yaml.Node, with every core; it returns how many it parsed.
func parseAll(b *testing.B, dir string) int {
	b.Helper()
	// The same garbage collector settings as cases validate uses, so that
	// the ratio measures the work, not the settings.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(32 << 20))
	jobs := make(chan string, 256)
	var wg sync.WaitGroup
	var failed sync.Once
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range jobs {
				data, err := os.ReadFile(p)
				var n yaml.Node
				if err == nil {
					err = yaml.Unmarshal(data, &n)
				}
				if err != nil {
					failed.Do(func() { b.Error(p, err) })
				}
			}
		}()
	}
	count := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && d.Name() == ".git":
			return filepath.SkipDir
		case !d.IsDir() && strings.HasSuffix(p, ".yaml"):
			jobs <- p
			count++
		}
		return nil
	})
	close(jobs)
	wg.Wait()
	if err != nil {
		b.Fatal(err)
	}
	return count
}

// validateCaseload returns a committed case repository of n cases: copies
// of the valid fixture's five cases under new ids, each with five more
// notes, so that a case holds about ten documents as in the field. With
// CASES_BENCH_CACHE set (make bench) it is made once and kept there.
func validateCaseload(b *testing.B, n int) string {
	b.Helper()
	var dir string
	if cache := os.Getenv("CASES_BENCH_CACHE"); cache != "" {
		dir = filepath.Join(cache, fmt.Sprintf("validate-fixture-v3-%d", n))
		if _, err := os.Stat(filepath.Join(dir, ".git", "complete")); err == nil {
			return dir
		}
		os.RemoveAll(dir)
	} else {
		dir = filepath.Join(b.TempDir(), "caseload")
	}
	a, err := txtar.ParseFile(validFixture)
	if err != nil {
		b.Fatal(err)
	}
	write := func(name string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	templates := map[string][]txtar.File{} // case id -> its files
	var ids []string
	for _, f := range a.Files {
		loc := casefile.Locate(f.Name)
		if loc.CaseID == "" {
			write(f.Name, f.Data)
			continue
		}
		if _, ok := templates[loc.CaseID]; !ok {
			ids = append(ids, loc.CaseID)
		}
		templates[loc.CaseID] = append(templates[loc.CaseID], f)
	}
	slices.Sort(ids)
	const alpha = casefile.Alphabet
	suffix := func(i int) string {
		var s [5]byte
		for k := 4; k >= 0; k-- {
			s[k] = alpha[i%len(alpha)]
			i /= len(alpha)
		}
		return string(s[:])
	}
	for i := range n {
		old := ids[i%len(ids)]
		// Spread over 36 months, as a caseload of years is.
		m := time.Date(2023, time.Month(12+i%36), 1, 0, 0, 0, 0, time.UTC)
		id := m.Format("2006-01") + "-" + suffix(i)
		for _, f := range templates[old] {
			name := strings.Replace(strings.Replace(f.Name, old[:7], id[:7], 1), old, id, 1)
			write(name, bytes.ReplaceAll(f.Data, []byte(old), []byte(id)))
		}
		for k := range 5 {
			at := time.Date(2026, 11, 10+k, 14, i%60, 0, 0, time.UTC)
			note := fmt.Sprintf("# yaml-language-server: $schema=https://raw.githubusercontent.com/casesproject/cases/main/schema/note.schema.json\nat: %s\nauthor: ben\ntype: phone\nminutes: %d\ntext: Called to check in; the household is managing and asked about English classes.\n", at.Format(time.RFC3339), 5+k)
			write(casefile.NotePath(id, at.Format("20060102T150405Z")+"-"+suffix(i*7+k)), []byte(note))
		}
	}
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"commit", "-q", "-m", "caseload"}} {
		cmd := exec.Command("git", append([]string{"-c", "user.name=Bench", "-c", "user.email=bench@example.org", "-c", "init.defaultBranch=main", "-c", "gc.auto=0"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	write(".git/complete", nil)
	return dir
}
