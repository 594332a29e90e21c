package gen

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/check"
	"github.com/casesproject/cases/casefile/lifecycle"
)

// TestMain isolates the git CLI, which judges the generated history, from
// the machine's configuration.
func TestMain(m *testing.M) {
	home, err := os.MkdirTemp("", "gen-home-")
	if err != nil {
		panic(err)
	}
	os.Setenv("HOME", home)
	os.Unsetenv("XDG_CONFIG_HOME")
	os.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	code := m.Run()
	os.RemoveAll(home)
	os.Exit(code)
}

// generated caches one generated repository per size for the tests that
// only read it.
var generated sync.Map

type genResult struct {
	dir   string
	stats *Stats
	err   error
	once  sync.Once
}

func repoOf(t *testing.T, n int) (string, *Stats) {
	t.Helper()
	v, _ := generated.LoadOrStore(n, &genResult{})
	g := v.(*genResult)
	g.once.Do(func() {
		dir, err := os.MkdirTemp("", "gen-test-")
		if err != nil {
			g.err = err
			return
		}
		g.dir = filepath.Join(dir, "repo")
		g.stats, g.err = Generate(g.dir, Options{Cases: n, Seed: 7})
	})
	if g.err != nil {
		t.Fatal(g.err)
	}
	t.Cleanup(func() {}) // the folder is removed at the end of the run
	return g.dir, g.stats
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimRight(string(out), "\n")
}

func needGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("the git CLI judges this test and is not installed")
	}
}

// Every generated document passes the strict reader, its schema and the
// cross-document checks; every stage agrees with the documents; every
// assessment fits the instrument; the repository's own files are valid.
func TestEveryDocumentIsValid(t *testing.T) {
	dir, stats := repoOf(t, 300)
	r, err := casefile.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.Clock = func() time.Time { return DefaultNow }
	if len(r.ConfigProblems) > 0 {
		t.Fatalf("cases.yaml: %v", r.ConfigProblems)
	}
	in, problems, err := r.Instrument(r.Config.Risk.Instrument)
	if err != nil || len(problems) > 0 {
		t.Fatalf("instrument: %v %v", err, problems)
	}
	if _, problems, err := r.Providers(); err != nil || len(problems) > 0 {
		t.Fatalf("providers.yaml: %v %v", err, problems)
	}
	provs, _, _ := r.Providers()
	c := check.New(r)
	seen := 0
	err = r.Walk(context.Background(), nil, casefile.Select{}, func(f *casefile.Folder) error {
		seen++
		for _, p := range c.Folder(f) {
			t.Errorf("%s", p)
		}
		if len(f.Stray) > 0 {
			t.Errorf("%s: stray files %v", f.ID, f.Stray)
		}
		for _, fail := range lifecycle.StageFailures(f) {
			t.Errorf("%s in stage %s: %s: %s", f.ID, f.Case.Data.Stage, fail.Guard, fail.Message())
		}
		checkReferences(t, f, &provs.Data)
		for _, a := range f.Assessments {
			m := f.Intake.Data.Member(a.Data.Member)
			on, _ := time.Parse(time.DateOnly, a.Data.Date)
			for _, p := range in.Data.CheckAnswers(a.Data.Answers, casefile.Age(m.DOB, on)) {
				t.Errorf("%s: %s: %s %s", a.Path, p.Question, p.Rule, p.Message)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != stats.Cases {
		t.Errorf("walked %d cases, generated %d", seen, stats.Cases)
	}
}

// The history is sound as git judges it, the working tree is what HEAD
// holds, and every commit is shaped like the command that makes it.
func TestHistoryIsSound(t *testing.T) {
	needGit(t)
	dir, stats := repoOf(t, 300)
	if out := git(t, dir, "fsck", "--strict", "--no-progress", "--no-dangling"); out != "" {
		t.Errorf("git fsck --strict:\n%s", out)
	}
	if out := git(t, dir, "status", "--porcelain", "-uall"); out != "" {
		t.Errorf("git status:\n%s", out)
	}
	if a, b := git(t, dir, "write-tree"), git(t, dir, "rev-parse", "HEAD^{tree}"); a != b {
		t.Errorf("the index's tree %s is not HEAD's %s", a, b)
	}
	if n := git(t, dir, "rev-list", "--count", "HEAD"); n != fmt.Sprint(stats.Commits) {
		t.Errorf("%s commits, stats say %d", n, stats.Commits)
	}
	log := git(t, dir, "log", "--reverse", "--format=%H%x00%an%x00%ae%x00%aI%x00%cI%x00%B%x01")
	verbs := map[string]int{}
	var prev time.Time
	cfg, _ := casefile.Open(dir)
	defer cfg.Close()
	for i, rec := range strings.Split(strings.TrimSuffix(log, "\x01"), "\x01") {
		f := strings.Split(strings.TrimLeft(rec, "\n"), "\x00")
		hash, name, email, authored, committed, msg := f[0], f[1], f[2], f[3], f[4], f[5]
		at, err := time.Parse(time.RFC3339, authored)
		if err != nil || authored != committed {
			t.Fatalf("%s: author date %s, committer date %s", hash, authored, committed)
		}
		if at.Before(prev) {
			t.Errorf("%s is dated before the commit before it", hash)
		}
		prev = at
		if s, ok := cfg.Config.StaffByEmail(email); !ok || s.Name != name {
			t.Errorf("%s: author %s <%s> is not on the staff list", hash, name, email)
		}
		subject, body, _ := strings.Cut(msg, "\n\n")
		verb, rest, _ := strings.Cut(subject, " ")
		verbs[verb]++
		if i == 0 {
			if subject != "init: create case repository" {
				t.Errorf("the first commit is %q", subject)
			}
			continue
		}
		id, _, _ := strings.Cut(rest, ":")
		want := casefile.CommitMessage(verb, id, strings.TrimPrefix(rest, id+": "))
		if msg != want && msg != want+"\n" {
			t.Errorf("%s: message %q, want %q", hash, msg, want)
		}
		if !strings.Contains(body, "Case: "+id) {
			t.Errorf("%s: no Case trailer", hash)
		}
		if at.After(DefaultNow) {
			t.Errorf("%s is dated after now", hash)
		}
		if wd := at.Weekday(); wd == time.Saturday || wd == time.Sunday {
			t.Errorf("%s is dated on a %s", hash, wd)
		}
	}
	for _, v := range []string{"new", "edit", "transition", "assess", "risk", "note", "close"} {
		if verbs[v] == 0 {
			t.Errorf("no %s commit in the history", v)
		}
	}
	// Each commit touches only its case and only the files its command
	// writes.
	names := git(t, dir, "log", "--format=%x01%s", "--name-only")
	for _, rec := range strings.Split(names, "\x01")[1:] {
		lines := strings.Fields(rec)
		if len(lines) < 2 || strings.HasPrefix(rec, "init") {
			continue
		}
		subject := strings.SplitN(rec, "\n", 2)[0]
		verb, rest, _ := strings.Cut(subject, " ")
		id, _, _ := strings.Cut(rest, ":")
		paths := strings.Fields(strings.SplitN(rec, "\n", 2)[1])
		kinds := []string{}
		for _, p := range paths {
			loc := casefile.Locate(p)
			if loc.CaseID != id {
				t.Errorf("%q writes %s outside its case", subject, p)
			}
			kinds = append(kinds, string(loc.Kind))
		}
		slices.Sort(kinds)
		want := map[string][]string{"new": {"case", "intake"}, "transition": {"case"}, "risk": {"case"}, "assess": {"assessment"},
			"plan": {"plan"}, "close": {"case", "closure"}}[verb]
		if want != nil && !slices.Equal(kinds, want) {
			t.Errorf("%q writes %v, want %v", subject, kinds, want)
		}
		// A note is one file; a follow-up note also marks its check-in done
		// in closure.yaml and, with the last check-in, closes the case.
		followUp := strings.Contains(subject, ", follow-up -> closed")
		switch {
		case verb == "note" && followUp && !slices.Equal(kinds, []string{"case", "closure", "note"}),
			verb == "note" && !followUp && !slices.Equal(kinds, []string{"note"}) && !slices.Equal(kinds, []string{"closure", "note"}):
			t.Errorf("%q writes %v", subject, kinds)
		}
		if verb == "edit" && (len(kinds) != 1 || (kinds[0] != "intake" && kinds[0] != "closure" && kinds[0] != "plan")) {
			t.Errorf("%q writes %v", subject, kinds)
		}
	}
}

// Two runs with the same seed write byte-identical trees and the same
// history; another seed writes another caseload.
func TestDeterministic(t *testing.T) {
	opts := Options{Cases: 60, Seed: 11}
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	sa, err := Generate(a+"/r", opts)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := Generate(b+"/r", opts)
	if err != nil {
		t.Fatal(err)
	}
	if sa.Head != sb.Head {
		t.Errorf("same seed, different heads %s and %s", sa.Head, sb.Head)
	}
	ta, tb := readTree(t, a+"/r"), readTree(t, b+"/r")
	if len(ta) != len(tb) {
		t.Fatalf("same seed, %d and %d files", len(ta), len(tb))
	}
	for p, data := range ta {
		if !bytes.Equal(data, tb[p]) {
			t.Errorf("same seed, %s differs", p)
		}
	}
	opts.Seed = 12
	sc, err := Generate(c+"/r", opts)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Head == sa.Head {
		t.Error("another seed gave the same history")
	}
}

// readTree reads every file of the working tree and .git, except what git
// writes with the time in it (the index holds file times).
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == filepath.Join(".git", "index") {
			return nil
		}
		data, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The bulk path and the commit engine make the same repository: the same
// commit ids, the same files.
func TestBulkMatchesEngine(t *testing.T) {
	opts := Options{Cases: 8, Seed: 3, Months: 6}
	a, b := t.TempDir()+"/bulk", t.TempDir()+"/engine"
	sa, err := Generate(a, opts)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := GenerateWithEngine(b, opts)
	if err != nil {
		t.Fatal(err)
	}
	if sa.Head != sb.Head {
		t.Fatalf("bulk HEAD %s, engine HEAD %s", sa.Head, sb.Head)
	}
	if sa.Commits < 50 {
		t.Errorf("only %d commits: too small a history to prove much", sa.Commits)
	}
	ta, tb := readTree(t, a), readTree(t, b)
	for p, data := range ta {
		if strings.HasPrefix(p, ".git/") {
			continue
		}
		if !bytes.Equal(data, tb[p]) {
			t.Errorf("%s differs", p)
		}
	}
	if _, err := exec.LookPath("git"); err == nil {
		if out := git(t, b, "fsck", "--strict", "--no-progress", "--no-dangling"); out != "" {
			t.Errorf("engine repository: git fsck --strict:\n%s", out)
		}
	}
}

// checkReferences resolves what documents point at, as validate will:
// goals, tasks, referrals and notes within the case, providers and their
// services in providers.yaml.
func checkReferences(t *testing.T, f *casefile.Folder, provs *casefile.Providers) {
	t.Helper()
	service := func(where, provider, svc string) {
		p := provs.Provider(provider)
		if p == nil {
			t.Errorf("%s: provider %s is not in providers.yaml", where, provider)
		} else if svc != "" && p.Service(svc) == nil {
			t.Errorf("%s: provider %s has no service %s", where, provider, svc)
		}
	}
	goals, referrals, notes := map[string]bool{}, map[string]bool{}, map[string]bool{}
	if f.Plan != nil {
		for _, g := range f.Plan.Data.Goals {
			goals[g.ID] = true
			if g.Partner != "" {
				service(f.Plan.Path, g.Partner, "")
			}
		}
		for _, tk := range f.Plan.Data.Tasks {
			if !goals[tk.Goal] {
				t.Errorf("%s: task %s under a goal the plan does not have", f.Plan.Path, tk.ID)
			}
			if tk.Partner != "" {
				service(f.Plan.Path, tk.Partner, "")
			}
		}
		for _, r := range f.Plan.Data.Referrals {
			referrals[r.ID] = true
			service(f.Plan.Path, r.Provider, r.Service)
			if !goals[r.Goal] {
				t.Errorf("%s: referral %s names a goal the plan does not have", f.Plan.Path, r.ID)
			}
			if len(r.History) == 0 || r.History[len(r.History)-1].Status != r.Status || r.History[0].Date != r.Sent {
				t.Errorf("%s: referral %s: history must start when it was sent and end in its status", f.Plan.Path, r.ID)
			}
		}
	}
	for _, n := range f.Notes {
		notes[strings.TrimSuffix(filepath.Base(n.Path), ".yaml")] = true
	}
	for _, n := range f.Notes {
		for _, g := range n.Data.Goals {
			if !goals[g] {
				t.Errorf("%s: goal %s is not in the plan", n.Path, g)
			}
		}
		if n.Data.Referral != "" && !referrals[n.Data.Referral] {
			t.Errorf("%s: referral %s is not in the plan", n.Path, n.Data.Referral)
		}
		if s := n.Data.Service; s != nil && s.Provider != "" {
			service(n.Path, s.Provider, s.Service)
		}
		if n.Data.Corrects != "" && !notes[n.Data.Corrects] {
			t.Errorf("%s corrects a note the case does not have", n.Path)
		}
	}
	for _, s := range f.Intake.Data.Consent.Sharing {
		service(f.Intake.Path, s.Partner, "")
	}
	for _, e := range f.Intake.Data.Eligibility {
		if e.ReferralOut != nil {
			service(f.Intake.Path, e.ReferralOut.Provider, e.ReferralOut.Service)
		}
	}
	if f.Closure != nil {
		for _, g := range f.Closure.Data.Goals {
			if !goals[g.Goal] {
				t.Errorf("%s reviews a goal the plan does not have", f.Closure.Path)
			}
		}
		for _, r := range f.Closure.Data.ReferralsOut {
			service(f.Closure.Path, r.Provider, r.Service)
		}
	}
}
