package gitstore

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
)

var errInjected = errors.New("injected fault")

var allSteps = []string{stepIndexLocked, stepTempWritten, stepObjects, stepFilesRenamed, stepIndexWritten, stepRefUpdated}

// TestFaultAtEveryStep fails Apply after each of its steps in turn and
// checks that the working tree, the index, HEAD, refs and reflogs are
// byte for byte as before, and that git status says the same.
func TestFaultAtEveryStep(t *testing.T) {
	setups := map[string]func(t *testing.T) string{
		"loose ref, dirty tree": func(t *testing.T) string {
			dir := newHistoryRepo(t)
			dirty(t, dir)
			return dir
		},
		"packed ref": func(t *testing.T) string {
			dir := newHistoryRepo(t)
			git(t, dir, "pack-refs", "--all")
			return dir
		},
		"detached HEAD": func(t *testing.T) string {
			dir := newHistoryRepo(t)
			git(t, dir, "checkout", "-q", "--detach")
			return dir
		},
		"unborn branch": func(t *testing.T) string {
			dir := filepath.Join(t.TempDir(), "new")
			r, err := Init(dir, "main")
			if err != nil {
				t.Fatal(err)
			}
			r.Close()
			writeFile(t, dir, "README.md", "untracked\n")
			return dir
		},
		"index v4": func(t *testing.T) string {
			dir := newHistoryRepo(t)
			git(t, dir, "update-index", "--index-version", "4")
			return dir
		},
	}
	for name, setup := range setups {
		for _, noCommit := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/NoCommit=%v", name, noCommit), func(t *testing.T) {
				dir := setup(t)
				r := openRepo(t, dir)
				changes := []Change{
					{Path: newNote, Data: []byte("text: new\n")},
					{Path: "README.md", Data: []byte("rewritten\n")},
				}
				if name != "unborn branch" {
					changes = append(changes, Change{Path: edited, Data: []byte("id: edited\n")}, Change{Path: deleted, Delete: true})
				}
				o := opts("note: fault")
				o.NoCommit = noCommit
				for _, step := range allSteps {
					before := takeSnapshot(t, dir)
					var seen []string
					testFault = func(s string) error {
						seen = append(seen, s)
						if s == step {
							return errInjected
						}
						return nil
					}
					_, err := r.Apply(changes, o)
					testFault = nil
					if noCommit && step == stepRefUpdated {
						if err != nil || slices.Contains(seen, stepRefUpdated) {
							t.Fatalf("NoCommit: err %v, steps %v", err, seen)
						}
						continue
					}
					if !errors.Is(err, errInjected) {
						t.Fatalf("fault at %s (steps %v): error %v", step, seen, err)
					}
					if d := before.diff(takeSnapshot(t, dir)); d != "" {
						t.Fatalf("fault at %s (NoCommit %v) left:\n%s", step, noCommit, d)
					}
				}
				if !noCommit {
					if _, err := r.Apply(changes, o); err != nil {
						t.Fatalf("Apply after the faults: %v", err)
					}
				}
				fsck(t, dir)
			})
		}
	}
}
