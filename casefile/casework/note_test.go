package casework

import (
	"crypto/sha256"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/casesproject/cases/casefile"
)

// Two notes written at the same second with the same random source (as a
// seeded demo does) never share a file: the second draws another name.
func TestNotesNeverOverwrite(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	if _, err := casefile.Init(dir, casefile.InitOptions{Organization: "Test", Program: "general", Name: "Ana Ruiz", Email: "ana@example.org", Now: now}); err != nil {
		t.Fatal(err)
	}
	open := func() *casefile.Repo {
		r, err := casefile.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		r.Clock = func() time.Time { return now }
		r.Rand = rand.NewChaCha8(sha256.Sum256([]byte("same")))
		return r
	}
	r := open()
	actor, err := r.ResolveActor("ana")
	if err != nil {
		t.Fatal(err)
	}
	opts := casefile.UpdateOptions{Actor: actor, Verb: "note"}
	id := "2026-11-AAAAA"
	header, err := r.NewCaseHeader(id, "general", "ana", "2026-11-24", now, actor)
	if err != nil {
		t.Fatal(err)
	}
	intake, err := r.IntakeFromInput(casefile.DocPath(id, casefile.KindIntake), casefile.IntakeInput{Date: "2026-11-24", Worker: "ana", Given: "A", DOB: "1990-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Update(opts, func(tx *casefile.Tx) error {
		tx.CaseID = id
		if err := tx.WriteDoc(header, casefile.KindCase); err != nil {
			return err
		}
		return tx.WriteDoc(intake, casefile.KindIntake)
	}); err != nil {
		t.Fatal(err)
	}
	first, err := AddNote(open(), opts, id, NoteInput{Type: "phone", Text: "one"})
	if err != nil {
		t.Fatal(err)
	}
	second, err := AddNote(open(), opts, id, NoteInput{Type: "phone", Text: "two"})
	if err != nil {
		t.Fatal(err)
	}
	if first.ID == second.ID {
		t.Fatalf("both notes are named %s", first.ID)
	}
	for _, n := range []string{first.ID, second.ID} {
		if _, err := os.Stat(filepath.Join(dir, casefile.NotePath(id, n))); err != nil {
			t.Error(err)
		}
	}
}
