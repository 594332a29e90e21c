package gitstore

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkCommit measures one command's commit, as a fresh process would
// make it (open the repository, take the writer lock, Apply, close), against
// the git CLI making the same kind of commit (git add <path>, git commit)
// in the same run, on synthetic case repositories of 1,000 and 10,000
// cases. The x-git metric is gitstore's time over git's.
//
// The repositories are built once with the git CLI and cached under
// $TMPDIR/cases-bench-gitstore/<n>; every run adds its commits to them.
func BenchmarkCommit(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			dir, ids := benchRepo(b, n)
			rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
			gitNs := map[string]float64{}
			kinds := []struct {
				name   string
				change func(i int) (string, []byte)
			}{
				{"new-note", func(i int) (string, []byte) {
					id := ids[rng.IntN(len(ids))]
					return noteName(caseDir(id), time.Now(), rng), docBytes(rng, "note")
				}},
				{"edit", func(i int) (string, []byte) {
					id := ids[rng.IntN(len(ids))]
					return caseDir(id) + "/case.yaml", docBytes(rng, "case")
				}},
			}
			for _, k := range kinds {
				b.Run("git/"+k.name, func(b *testing.B) {
					for i := range b.N {
						p, data := k.change(i)
						full := filepath.Join(dir, filepath.FromSlash(p))
						os.WriteFile(full, data, 0o644)
						run(b, dir, "add", "--", p)
						run(b, dir, "commit", "-q", "-m", "bench: "+k.name)
					}
					gitNs[k.name] = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
					b.ReportMetric(gitNs[k.name]/1e6, "ms/commit")
				})
			}
			for _, k := range kinds {
				b.Run("gitstore/"+k.name, func(b *testing.B) {
					b.ReportAllocs()
					for i := range b.N {
						p, data := k.change(i)
						r, err := Open(dir)
						if err != nil {
							b.Fatal(err)
						}
						unlock, err := r.Lock(10 * time.Second)
						if err != nil {
							b.Fatal(err)
						}
						if _, err := r.Apply([]Change{{Path: p, Data: data}}, opts("bench: "+k.name)); err != nil {
							b.Fatal(err)
						}
						unlock()
						r.Close()
					}
					ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
					b.ReportMetric(ns/1e6, "ms/commit")
					if g := gitNs[k.name]; g > 0 {
						b.ReportMetric(ns/g, "x-git")
						b.Logf("%d cases, %s: gitstore %.1f ms, git %.1f ms, ratio %.2f", n, k.name, ns/1e6, g/1e6, ns/g)
					}
				})
			}
			if n <= 1000 {
				// Hundreds of benchmark commits later, git still finds the
				// repository sound.
				if out, err := gitErr(dir, "fsck", "--strict", "--no-progress", "--no-dangling"); err != nil || out != "" {
					b.Fatalf("git fsck --strict: %v\n%s", err, out)
				}
			}
		})
	}
}

// BenchmarkDirty measures the check a command makes before writing to a
// case: Dirty on one case folder (open, check, close), against
// git status --porcelain limited to the same folder.
func BenchmarkDirty(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("cases=%d", n), func(b *testing.B) {
			dir, ids := benchRepo(b, n)
			var gitNs float64
			b.Run("git", func(b *testing.B) {
				for i := range b.N {
					run(b, dir, "status", "--porcelain", "--", caseDir(ids[i%len(ids)]))
				}
				gitNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			})
			b.Run("gitstore", func(b *testing.B) {
				for i := range b.N {
					r, err := Open(dir)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := r.Dirty(caseDir(ids[i%len(ids)])); err != nil {
						b.Fatal(err)
					}
					r.Close()
				}
				if gitNs > 0 {
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/gitNs, "x-git")
				}
			})
		})
	}
}

func run(b *testing.B, dir string, args ...string) {
	b.Helper()
	if out, err := gitErr(dir, args...); err != nil {
		b.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// benchRepo returns a cached synthetic case repository of n cases and the
// case ids, building it with the git CLI on first use: files written, git
// add -A, one commit, git gc. It repacks when earlier runs left many loose
// objects, so that no git gc --auto lands inside a timed commit.
func benchRepo(b *testing.B, n int) (string, []string) {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "cases-bench-gitstore", strconv.Itoa(n))
	ids := benchIDs(n)
	ready := filepath.Join(dir, ".git", "cases-bench-ready")
	if _, err := os.Stat(ready); err == nil {
		if out, _ := gitErr(dir, "count-objects"); countLoose(out) > 3000 {
			run(b, dir, "gc", "-q")
		}
		return dir, ids
	}
	b.Logf("building a repository of %d cases in %s (once)", n, dir)
	os.RemoveAll(dir)
	rng := rand.New(rand.NewPCG(uint64(n), 1))
	start := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	for _, id := range ids {
		cd := filepath.Join(dir, filepath.FromSlash(caseDir(id)))
		write := func(rel, kind string) {
			p := filepath.Join(cd, rel)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(p, docBytes(rng, kind), 0o644); err != nil {
				b.Fatal(err)
			}
		}
		write("case.yaml", "case")
		write("intake.yaml", "intake")
		write("plan.yaml", "plan")
		for k := range 1 + rng.IntN(3) {
			write(fmt.Sprintf("assessments/2025-%02d-%02d-m%d.yaml", 1+rng.IntN(12), 1+rng.IntN(28), k+1), "assessment")
		}
		for range 3 + rng.IntN(8) {
			when := start.Add(time.Duration(rng.IntN(2*365*24)) * time.Hour)
			p := noteName("", when, rng)
			write(strings.TrimPrefix(p, "/"), "note")
		}
	}
	writeFile(b, dir, "cases.yaml", "organization: bench\n")
	run(b, dir, "init", "-q")
	run(b, dir, "config", "gc.auto", "0")
	run(b, dir, "add", "-A")
	run(b, dir, "commit", "-q", "-m", "import")
	run(b, dir, "gc", "-q")
	if err := os.WriteFile(ready, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	return dir, ids
}

func countLoose(countObjects string) int {
	n, _ := strconv.Atoi(strings.Fields(countObjects + " 0")[0])
	return n
}

const idAlphabet = "ABCDEFGHJKMNPQRSTVWXYZ23456789"

// benchIDs returns n case ids spread over 24 months of opening.
func benchIDs(n int) []string {
	rng := rand.New(rand.NewPCG(uint64(n), 2))
	ids := make([]string, n)
	for i := range ids {
		m := i % 24
		var suffix [5]byte
		for k := range suffix {
			suffix[k] = idAlphabet[rng.IntN(len(idAlphabet))]
		}
		ids[i] = fmt.Sprintf("%04d-%02d-%s", 2025+m/12, 1+m%12, suffix[:])
	}
	return ids
}

func caseDir(id string) string { return "cases/" + id[:7] + "/" + id }

func noteName(caseDir string, when time.Time, rng *rand.Rand) string {
	var suffix [5]byte
	for k := range suffix {
		suffix[k] = idAlphabet[rng.IntN(len(idAlphabet))]
	}
	return caseDir + "/notes/" + when.UTC().Format("20060102T150405Z") + "-" + string(suffix[:]) + ".yaml"
}

var benchWords = strings.Fields("client household housing referral benefits employment school clinic interpreter follow-up goal task review consent phone visit shelter food transport budget outcome")

// docBytes returns a YAML-like document of 0.5 to 3 KB.
func docBytes(rng *rand.Rand, kind string) []byte {
	var b strings.Builder
	size := 512 + rng.IntN(2560)
	fmt.Fprintf(&b, "# yaml-language-server: $schema=../schema/%s.json\nkind: %s\n", kind, kind)
	for line := 0; b.Len() < size; line++ {
		fmt.Fprintf(&b, "field-%d: ", line)
		for range 3 + rng.IntN(8) {
			b.WriteString(benchWords[rng.IntN(len(benchWords))])
			b.WriteByte(' ')
		}
		b.WriteString("\n")
	}
	return []byte(b.String())
}
