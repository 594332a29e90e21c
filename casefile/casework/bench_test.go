package casework

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/casesproject/cases/casefile"
)

// benchRepo makes a repository of n cases in intake (one made through the
// API, the rest copies of it under other ids), committed with git.
func benchRepo(b *testing.B, n int) (string, casefile.UpdateOptions) {
	dir := b.TempDir()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	if _, err := casefile.Init(dir, casefile.InitOptions{Organization: "Bench", Program: "general", Name: "Ana Ruiz", Email: "ana@example.org", Now: now}); err != nil {
		b.Fatal(err)
	}
	r, err := casefile.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	actor, _ := r.ResolveActor("ana")
	opts := casefile.UpdateOptions{Actor: actor, Verb: "bench"}
	eligible := true
	id0 := "2026-11-AAAAA"
	header, _ := r.NewCaseHeader(id0, "general", "ana", "2026-11-24", now, actor)
	intake, _ := r.IntakeFromInput(casefile.DocPath(id0, casefile.KindIntake), casefile.IntakeInput{Date: "2026-11-24", Worker: "ana", Given: "A", DOB: "1990-01-01", Program: "general", Eligible: &eligible, Consent: true})
	hdata, _ := casefile.EncodeDoc(header, casefile.KindCase)
	idata, _ := casefile.EncodeDoc(intake, casefile.KindIntake)
	for i := range n {
		id := benchID(i)
		d := filepath.Join(dir, filepath.FromSlash(casefile.CaseDir(id)))
		if err := os.MkdirAll(d, 0o755); err != nil {
			b.Fatal(err)
		}
		_ = os.WriteFile(filepath.Join(d, "case.yaml"), bytes.ReplaceAll(hdata, []byte(id0), []byte(id)), 0o644)
		_ = os.WriteFile(filepath.Join(d, "intake.yaml"), idata, 0o644)
	}
	for _, args := range [][]string{{"add", "-A"}, {"-c", "user.name=A", "-c", "user.email=a@example.org", "commit", "-qm", "cases"}} {
		if out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			b.Fatalf("git %v: %v %s", args, err, out)
		}
	}
	return dir, opts
}

func benchID(i int) string {
	const a = casefile.Alphabet
	s := []byte("2026-11-AAAAA")
	for j := 12; j >= 8; j-- {
		s[j] = a[i%len(a)]
		i /= len(a)
	}
	return string(s)
}

// BenchmarkNote measures cases note (load and check the case, write the
// note, one commit) against a floor measured in the same run: committing a
// note-sized file through Repo.Update alone. Both should stay flat as the
// repository grows: a write costs what it touches.
func BenchmarkNote(b *testing.B) {
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("needs git")
	}
	for _, n := range []int{100, 3000} {
		dir, opts := benchRepo(b, n)
		r, err := casefile.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		r.Clock = func() time.Time { return time.Date(2026, 11, 24, 11, 0, 0, 0, time.UTC) }
		id := benchID(n / 2)
		b.Run(fmt.Sprintf("floor/cases=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				rel := casefile.NotePath(id, fmt.Sprintf("20261124T100000Z-F%04d", i%10000))
				if _, err := r.Update(opts, func(tx *casefile.Tx) error {
					tx.CaseID = id
					return tx.Write(rel, []byte("text: floor\n"))
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("note/cases=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := AddNote(r, opts, id, NoteInput{Type: "phone", Text: "called"}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("transition/cases=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				var err error
				if i%2 == 0 {
					_, err = Transition(r, opts, id, "planning", true, "bench")
				} else {
					_, err = Transition(r, opts, id, "assessment", true, "bench")
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
