package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/casesproject/cases/casefile/gitstore"
	"github.com/casesproject/cases/cmd/cases/internal/cli"
	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/script")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"cases":          func() { os.Exit(cli.Main()) },
		"cases-peak-rss": peakRSSMain,
		"fake-editor":    fakeEditor,
		"hold-lock":      holdLock,
	})
}

// TestScripts runs the end-to-end stories in testdata/script against the
// real binary, each in a fresh folder with its own HOME and git identity
// and a fixed clock.
func TestScripts(t *testing.T) {
	testscript.Run(t, scriptParams("testdata/script"))
}

func scriptParams(dir string) testscript.Params {
	return testscript.Params{
		Dir:                 dir,
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			home := filepath.Join(env.WorkDir, ".home")
			if err := os.MkdirAll(home, 0o755); err != nil {
				return err
			}
			gitconfig := "[user]\n\tname = Ana Ruiz\n\temail = ana@example.org\n[init]\n\tdefaultBranch = main\n"
			if err := os.WriteFile(filepath.Join(home, ".gitconfig"), []byte(gitconfig), 0o644); err != nil {
				return err
			}
			env.Setenv("HOME", home)
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
			env.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			env.Setenv("CASES_NOW", "2026-11-24T10:00:00Z")
			env.Setenv("CASES_LOCK_TIMEOUT", "1s")
			env.Setenv("EDITOR", "fake-editor")
			editorDir := filepath.Join(env.WorkDir, ".editor")
			if err := os.MkdirAll(editorDir, 0o755); err != nil {
				return err
			}
			env.Setenv("FAKE_EDITOR_DIR", editorDir)
			env.Setenv("NO_COLOR", "1")
			return nil
		},
		Cmds: scriptCmds(map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":  cmdExits,
			"id2env": cmdID2Env,
		}, validateCmds),
	}
}

// scriptCmds merges the script commands of several areas.
func scriptCmds(sets ...map[string]func(ts *testscript.TestScript, neg bool, args []string)) map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	all := map[string]func(ts *testscript.TestScript, neg bool, args []string){}
	for _, set := range sets {
		for name, cmd := range set {
			all[name] = cmd
		}
	}
	return all
}

// exits N command args... runs a program and requires exit status N: the
// builtin exec only tells zero from non-zero, and cases means different
// things by 1 (invalid documents, refused) and 2 (usage, environment).
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits N command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: %v", err)
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("exits: %v", err)
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}

// id2env VAR sets VAR to the last command's standard output, trimmed.
func cmdID2Env(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: id2env VAR")
	}
	ts.Setenv(args[0], strings.TrimSpace(ts.ReadFile("stdout")))
}

// fakeEditor stands in for $EDITOR. FAKE_EDITOR lists files separated by
// colons; the n-th call replaces the edited file with the n-th file, or,
// for an entry append=TEXT, appends a line of TEXT (and leaves the file alone
// past the end or for an empty entry). Each call first copies what it was shown to
// $FAKE_EDITOR_DIR/saw-N.yaml, so scripts can check it; $FAKE_EDITOR_DIR/calls
// counts the calls (remove it to start over).
func fakeEditor() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "fake-editor: want one file")
		os.Exit(2)
	}
	target := os.Args[1]
	dir := os.Getenv("FAKE_EDITOR_DIR")
	counter := filepath.Join(dir, "calls")
	n := 0
	if b, err := os.ReadFile(counter); err == nil {
		n, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	n++
	_ = os.WriteFile(counter, []byte(strconv.Itoa(n)), 0o644)
	shown, err := os.ReadFile(target)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fake-editor:", err)
		os.Exit(1)
	}
	_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("saw-%d.yaml", n)), shown, 0o644)
	inputs := strings.Split(os.Getenv("FAKE_EDITOR"), ":")
	if n <= len(inputs) && strings.HasPrefix(inputs[n-1], "append=") {
		shown = append(shown, []byte(strings.TrimPrefix(inputs[n-1], "append=")+"\n")...)
		if err := os.WriteFile(target, shown, 0o600); err != nil {
			fmt.Fprintln(os.Stderr, "fake-editor:", err)
			os.Exit(1)
		}
	} else if n <= len(inputs) && inputs[n-1] != "" {
		data, err := os.ReadFile(inputs[n-1])
		if err != nil {
			fmt.Fprintln(os.Stderr, "fake-editor:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(target, data, 0o600); err != nil {
			fmt.Fprintln(os.Stderr, "fake-editor:", err)
			os.Exit(1)
		}
	}
	os.Exit(0)
}

// holdLock DIR SECONDS takes the writer lock of the repository in DIR,
// creates DIR/.git/held once it has it, and keeps it for SECONDS: another
// cases command started meanwhile must wait, then give up cleanly.
func holdLock() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: hold-lock DIR SECONDS")
		os.Exit(2)
	}
	secs, _ := strconv.Atoi(os.Args[2])
	r, err := gitstore.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	unlock, err := r.Lock(time.Second)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	_ = os.WriteFile(filepath.Join(os.Args[1], ".git", "held"), nil, 0o644)
	time.Sleep(time.Duration(secs) * time.Second)
	unlock()
	_ = os.Remove(filepath.Join(os.Args[1], ".git", "held"))
	os.Exit(0)
}
