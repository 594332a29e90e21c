package report_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/due"
	"github.com/casesproject/cases/casefile/report"
	"github.com/casesproject/cases/casefile/yamlx"
	"github.com/rogpeppe/go-internal/txtar"
)

// The caseload of these benchmarks is made here, until the caseload
// generator (casegen) is merged: the eight hand-made cases of the due and
// report stories (cmd/cases/testdata/handmade.txtar) copied under new ids,
// each with six more contact notes, so a case folder holds about eleven
// documents. It is written to a temporary folder; nothing is cached.
const handmade = "../../cmd/cases/testdata/handmade.txtar"

var today = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func benchCaseload(b testing.TB, n int) string {
	b.Helper()
	dir := b.TempDir()
	if _, err := casefile.Init(dir, casefile.InitOptions{Organization: "Bench", Program: "general", Name: "Ana Ruiz", Email: "ana@example.org", Now: today}); err != nil {
		b.Fatal(err)
	}
	a, err := txtar.ParseFile(handmade)
	if err != nil {
		b.Fatal(err)
	}
	// Group the archive's files by case.
	type doc struct {
		rest string // path inside the case folder
		data []byte
	}
	byCase := map[string][]doc{}
	var ids []string
	for _, f := range a.Files {
		parts := strings.SplitN(f.Name, "/", 4)
		if len(parts) != 4 || parts[0] != "cases" {
			continue
		}
		if _, ok := byCase[parts[2]]; !ok {
			ids = append(ids, parts[2])
		}
		byCase[parts[2]] = append(byCase[parts[2]], doc{parts[3], f.Data})
	}
	for i := range n {
		src := ids[i%len(ids)]
		id := src[:8] + suffix(i)
		caseDir := filepath.Join(dir, filepath.FromSlash(casefile.CaseDir(id)))
		for _, d := range byCase[src] {
			p := filepath.Join(caseDir, filepath.FromSlash(d.rest))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				b.Fatal(err)
			}
			data := bytes.ReplaceAll(d.data, []byte("id: "+src), []byte("id: "+id))
			if err := os.WriteFile(p, data, 0o644); err != nil {
				b.Fatal(err)
			}
		}
		for k := range 6 {
			at := time.Date(2026, time.Month(4+k), 3+i%20, 9, 30, 0, 0, time.UTC)
			name := at.Format("20060102T150405Z") + "-" + suffix(i*7+k)
			note := fmt.Sprintf("%s\nat: %s\nauthor: ana\ntype: phone\nminutes: 15\ntext: A call about the week's appointments and what the client needs next.\n",
				casefile.KindNote.SchemaLine(), at.Format(time.RFC3339))
			p := filepath.Join(caseDir, "notes", name+".yaml")
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(note), 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	return dir
}

func suffix(i int) string {
	const al = casefile.Alphabet
	s := make([]byte, 5)
	for j := 4; j >= 0; j-- {
		s[j] = al[i%len(al)]
		i /= len(al)
	}
	return string(s)
}

// floor reads and parses (with the strict reader) every document of every
// case, with as many workers as Repo.Walk uses: what any command that
// reads the whole caseload must at least do.
func floor(b *testing.B, root string) {
	var files []string
	err := filepath.WalkDir(filepath.Join(root, "cases"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(files) {
					return
				}
				data, err := os.ReadFile(files[i])
				if err != nil {
					b.Error(err)
					return
				}
				if doc, _ := yamlx.Parse(files[i], data); doc == nil {
					b.Errorf("%s: not parsed", files[i])
				}
			}
		}()
	}
	wg.Wait()
}

// cpuTime is the CPU time the process has used (user and system): on a
// machine shared with other work it varies less than the time on the clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakHeap samples the heap while fn runs and returns the most it held:
// live objects and garbage not yet collected.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	return peak.Load()
}

// BenchmarkDueAndReport measures cases due and cases report all on
// caseloads of 1,000 and 10,000 cases against the floor: reading and
// parsing every document, with as many workers. The three run in turn in
// every iteration, so a machine shared with other work slows them alike
// and the ratios hold. Metrics: floor-ms, due-ms and report-ms per run;
// due-x-floor and report-x-floor (target: under 2); the heap's peak in a
// run (due-peak-MB, report-peak-MB) and, at 10,000 cases, that peak over
// the peak at 1,000 (due-x-peak-1k, report-x-peak-1k; target: under 1.5).
//
//	go test -run '^$' -bench DueAndReport -benchtime 3x ./casefile/report
func BenchmarkDueAndReport(b *testing.B) {
	peaks1k := map[string]uint64{}
	for _, n := range []int{1000, 10000} {
		root := benchCaseload(b, n)
		r, err := casefile.Open(root)
		if err != nil {
			b.Fatal(err)
		}
		r.Clock = func() time.Time { return today }
		runs := []struct {
			name string
			fn   func()
		}{
			{"floor", func() { floor(b, root) }},
			{"due", func() {
				res, err := due.Collect(context.Background(), r, due.Options{Today: today, Within: 14})
				if err != nil || res.Cases != n {
					b.Fatalf("due: %v, %d cases", err, res.Cases)
				}
			}},
			{"report", func() {
				rep, err := report.Run(context.Background(), r, report.Options{From: "2025-11-25", To: "2026-11-24", Today: today})
				if err != nil || rep.Cases == 0 {
					b.Fatalf("report: %v", err)
				}
			}},
		}
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			took := map[string]time.Duration{}
			cpu := map[string]time.Duration{}
			peak := map[string]uint64{}
			for b.Loop() {
				for _, run := range runs {
					start, cpu0 := time.Now(), cpuTime()
					peak[run.name] = max(peak[run.name], peakHeap(run.fn))
					took[run.name] += time.Since(start)
					cpu[run.name] += cpuTime() - cpu0
				}
			}
			ms := func(d time.Duration) float64 { return float64(d) / float64(b.N) / 1e6 }
			for _, run := range runs {
				b.ReportMetric(ms(took[run.name]), run.name+"-ms")
				if run.name == "floor" {
					continue
				}
				b.ReportMetric(float64(took[run.name])/float64(took["floor"]), run.name+"-x-floor")
				b.ReportMetric(float64(cpu[run.name])/float64(cpu["floor"]), run.name+"-cpu-x-floor")
				b.ReportMetric(float64(peak[run.name])/(1<<20), run.name+"-peak-MB")
				if n == 1000 {
					peaks1k[run.name] = peak[run.name]
				} else if p := peaks1k[run.name]; p > 0 {
					b.ReportMetric(float64(peak[run.name])/float64(p), run.name+"-x-peak-1k")
				}
			}
		})
	}
}
