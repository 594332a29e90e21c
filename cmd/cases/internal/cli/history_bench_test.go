package cli

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/check"
)

// The history benchmarks run on a generated case repository of 10,000
// cases, about 100,000 files and more than 20,000 commits, shaped like an
// agency that moved its open caseload in and then worked in cases: one
// commit imports 7,000 case folders (case, intake, one to three
// assessments, a plan, three to ten notes), then every other case is
// opened by its own commit and notes, assessments, plan changes and stage
// moves follow on random cases, a few of them made by hand with git (no
// trailers, sometimes touching two cases). The commits are written with git
// fast-import (through the commit engine they would take half an hour),
// packed by git gc without a commit-graph file, and the working tree is
// checked out. The repository is cached under $CASES_BENCH_CACHE (make
// bench sets it) or the temporary folder, and reused while its marker says
// it is complete.

const (
	benchCases    = 10000
	benchImported = 7000
	benchCommits  = 22000
)

// benchHistory returns the repository's folder, building it if needed.
func benchHistory(b *testing.B) string {
	b.Helper()
	root := os.Getenv("CASES_BENCH_CACHE")
	if root == "" {
		root = os.TempDir()
	}
	dir := filepath.Join(root, fmt.Sprintf("cases-bench-history-v2-%d", benchCases))
	marker := filepath.Join(dir, ".git", "cases-bench-complete")
	if _, err := os.Stat(marker); err == nil {
		return dir
	}
	os.RemoveAll(dir)
	b.Logf("building %s (%d cases, %d commits); it is cached for later runs", dir, benchCases, benchCommits)
	start := time.Now()
	if err := buildHistory(dir); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(marker, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	b.Logf("built in %s", time.Since(start).Round(time.Second))
	return dir
}

func gitIn(dir string, stdin io.Reader, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Stdin = stdin
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_AUTHOR_NAME=Bench", "GIT_AUTHOR_EMAIL=bench@example.org",
		"GIT_COMMITTER_NAME=Bench", "GIT_COMMITTER_EMAIL=bench@example.org")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("git %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

type benchCase struct {
	id      string
	opened  time.Time
	stage   string
	caseDoc string // case.yaml without its stage history
	history []string
	members int
	notes   int
	plan    int // plan revisions written
}

func (c *benchCase) caseYAML() string {
	var b strings.Builder
	b.WriteString(c.caseDoc)
	b.WriteString("stage: " + c.stage + "\nstage-history:\n")
	for _, h := range c.history {
		b.WriteString(h)
	}
	return b.String()
}

var benchStaff = []string{"ana", "ben", "chen", "dara", "eli", "fatima", "gus", "hana", "ivo", "jo", "kemal", "lena", "mo", "nia", "omar", "pia", "quinn", "rosa", "sam", "tomas"}

var benchStages = []string{"intake", "assessment", "planning", "delivery", "monitoring"}

func buildHistory(dir string) error {
	t0 := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	r, err := casefile.Init(dir, casefile.InitOptions{Organization: "Bench Community Services", Program: "general", Name: "Ana Ruiz", Email: "ana@example.org", Now: t0})
	if err != nil {
		return err
	}
	r.Close()
	cfg, err := os.ReadFile(filepath.Join(dir, casefile.ConfigPath))
	if err != nil {
		return err
	}
	var staff strings.Builder
	for _, s := range benchStaff[1:] {
		fmt.Fprintf(&staff, "  - id: %s\n    name: %s Bench\n    email: %s@example.org\n    role: caseworker\n", s, strings.ToUpper(s[:1])+s[1:], s)
	}
	cfgText := strings.Replace(string(cfg), "    role: manager\n", "    role: manager\n"+staff.String(), 1)

	rng := rand.New(rand.NewPCG(2026, 11))
	var stream bytes.Buffer
	w := bufio.NewWriter(&stream)
	mark := 0
	now := t0
	commit := func(author, msg string, files map[string]string, deletes ...string) {
		mark++
		when := now.Unix()
		fmt.Fprintf(w, "commit refs/heads/main\nmark :%d\n", mark)
		name := strings.ToUpper(author[:1]) + author[1:] + " Bench"
		if author == "ana" {
			name = "Ana Ruiz"
		}
		fmt.Fprintf(w, "author %s <%s@example.org> %d +0000\ncommitter %s <%s@example.org> %d +0000\n", name, author, when, name, author, when)
		fmt.Fprintf(w, "data %d\n%s\n", len(msg), msg)
		if mark == 1 {
			w.WriteString("from refs/heads/main^0\n")
		}
		for _, p := range deletes {
			fmt.Fprintf(w, "D %s\n", p)
		}
		for p, data := range files {
			fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n%s\n", p, len(data), data)
		}
		w.WriteString("\n")
	}
	commit("ana", "Add the team to the staff list", map[string]string{casefile.ConfigPath: cfgText})

	// The import: cases opened over the two years before, with their whole
	// folders.
	var cases []*benchCase
	imported := map[string]string{}
	for range benchImported {
		opened := t0.Add(-time.Duration(rng.Int64N(int64(730 * 24 * time.Hour))))
		who := benchStaff[rng.IntN(len(benchStaff))]
		c := newBenchCase(rng, opened, who, len(cases))
		cases = append(cases, c)
		imported[casefile.DocPath(c.id, casefile.KindIntake)] = benchIntake(rng, c, who)
		for m := 1; m <= c.members && m <= 3; m++ {
			imported[casefile.AssessmentPath(c.id, opened.Add(72*time.Hour).Format(time.DateOnly), fmt.Sprintf("m%d", m))] = benchAssessment(opened.Add(72*time.Hour), m, who)
		}
		c.plan = 1 + rng.IntN(3)
		imported[casefile.DocPath(c.id, casefile.KindPlan)] = benchPlan(rng, c)
		for n := range 3 + rng.IntN(8) {
			at := opened.Add(time.Duration(n+4) * 24 * time.Hour)
			imported[casefile.NotePath(c.id, at.UTC().Format("20060102T150405Z")+"-"+benchSuffix(rng))] = benchNote(rng, at.Format(time.RFC3339), who)
			c.notes++
		}
		for _, next := range benchStages[1 : 1+rng.IntN(4)] {
			at := opened.Add(48 * time.Hour).Format(time.RFC3339)
			c.history = append(c.history, fmt.Sprintf("  - from: %s\n    to: %s\n    at: %s\n    by: %s\n", c.stage, next, at, who))
			c.stage = next
		}
		imported[casefile.DocPath(c.id, casefile.KindCase)] = c.caseYAML()
	}
	now = now.Add(time.Hour)
	commit("ana", "Import the open caseload from the old system", imported)
	step := time.Duration(int64(730*24*time.Hour) / benchCommits)
	commits := 2
	for commits < benchCommits {
		now = now.Add(step/2 + time.Duration(rng.Int64N(int64(step))))
		who := benchStaff[rng.IntN(len(benchStaff))]
		// Open cases at a steady pace until there are enough.
		if len(cases) < benchCases && (rng.IntN(2) == 0 || len(cases) < 10 || benchCommits-commits <= benchCases-len(cases)) {
			c := newBenchCase(rng, now, who, len(cases))
			cases = append(cases, c)
			commit(who, casefile.CommitMessage("new", c.id, "open case in intake"), map[string]string{
				casefile.DocPath(c.id, casefile.KindCase):   c.caseYAML(),
				casefile.DocPath(c.id, casefile.KindIntake): benchIntake(rng, c, who),
			})
			commits++
			continue
		}
		c := cases[rng.IntN(len(cases))]
		at := now.Format(time.RFC3339)
		switch r := rng.IntN(100); {
		case r < 45:
			c.notes++
			p := casefile.NotePath(c.id, fmt.Sprintf("%s-%s", now.UTC().Format("20060102T150405Z"), benchSuffix(rng)))
			commit(who, casefile.CommitMessage("note", c.id, "phone note"), map[string]string{p: benchNote(rng, at, who)})
		case r < 60:
			m := 1 + rng.IntN(c.members)
			p := casefile.AssessmentPath(c.id, now.Format(time.DateOnly), fmt.Sprintf("m%d", m))
			commit(who, casefile.CommitMessage("assess", c.id, fmt.Sprintf("m%d with needs version 1", m)), map[string]string{p: benchAssessment(now, m, who)})
		case r < 75:
			c.plan++
			commit(who, casefile.CommitMessage("plan", c.id, "add goal"), map[string]string{casefile.DocPath(c.id, casefile.KindPlan): benchPlan(rng, c)})
		case r < 95:
			i := indexOf(benchStages, c.stage)
			if i < 0 || i+1 >= len(benchStages) {
				c.notes++
				p := casefile.NotePath(c.id, fmt.Sprintf("%s-%s", now.UTC().Format("20060102T150405Z"), benchSuffix(rng)))
				commit(who, casefile.CommitMessage("note", c.id, "home-visit note"), map[string]string{p: benchNote(rng, at, who)})
				break
			}
			next := benchStages[i+1]
			c.history = append(c.history, fmt.Sprintf("  - from: %s\n    to: %s\n    at: %s\n    by: %s\n", c.stage, next, at, who))
			commit(who, casefile.CommitMessage("transition", c.id, c.stage+" -> "+next), map[string]string{casefile.DocPath(c.id, casefile.KindCase): func() string { c.stage = next; return c.caseYAML() }()})
		default:
			// By hand with git: no trailers, sometimes two cases at once.
			files := map[string]string{}
			for range 1 + rng.IntN(2) {
				d := cases[rng.IntN(len(cases))]
				d.notes++
				files[casefile.NotePath(d.id, fmt.Sprintf("%s-%s", now.UTC().Format("20060102T150405Z"), benchSuffix(rng)))] = benchNote(rng, at, who)
			}
			commit(who, "notes from the paper file", files)
		}
		commits++
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if _, err := gitIn(dir, &stream, "fast-import", "--quiet", "--date-format=raw"); err != nil {
		return err
	}
	// Pack as an agency's repository would be, without a commit-graph file
	// (the git log floor is measured without one), and check out.
	if _, err := gitIn(dir, nil, "-c", "gc.writeCommitGraph=false", "gc", "--quiet"); err != nil {
		return err
	}
	os.Remove(filepath.Join(dir, ".git", "objects", "info", "commit-graph"))
	os.RemoveAll(filepath.Join(dir, ".git", "objects", "info", "commit-graphs"))
	_, err = gitIn(dir, nil, "reset", "--hard", "--quiet", "main")
	return err
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

func benchSuffix(rng *rand.Rand) string {
	s, _ := casefile.RandomSuffix(rngReader{rng}, 5)
	return s
}

type rngReader struct{ r *rand.Rand }

func (r rngReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r.r.IntN(256))
	}
	return len(p), nil
}

func newBenchCase(rng *rand.Rand, now time.Time, who string, n int) *benchCase {
	id, _ := casefile.NewCaseID(now, rngReader{rng}, nil)
	c := &benchCase{id: id, opened: now, stage: "intake", members: 1 + rng.IntN(4)}
	c.caseDoc = fmt.Sprintf("%s\nid: %s\nprogram: general\nworker: %s\nopened: %s\n", casefile.KindCase.SchemaLine(), id, who, now.Format(time.DateOnly))
	c.history = []string{fmt.Sprintf("  - to: intake\n    at: %s\n    by: %s\n", now.Format(time.RFC3339), who)}
	return c
}

var benchNames = []string{"Amina", "Rosa", "Li", "Omar", "Nadia", "Juan", "Ada", "Sara", "Yusuf", "Maria", "Tariq", "Elena"}

func benchIntake(rng *rand.Rand, c *benchCase, who string) string {
	var b strings.Builder
	day := c.opened.Format(time.DateOnly)
	fmt.Fprintf(&b, "%s\ndate: %s\nworker: %s\nreferral-source: walk-in\nhousehold:\n", casefile.KindIntake.SchemaLine(), day, who)
	rel := []string{"self", "spouse", "child", "child"}
	for m := 1; m <= c.members; m++ {
		fmt.Fprintf(&b, "  - id: m%d\n    relationship: %s\n    name:\n      given: %s\n      family: Bench\n    dob: %d-0%d-1%d\n",
			m, rel[m-1], benchNames[rng.IntN(len(benchNames))], 1960+rng.IntN(40)+10*min(m-1, 1)*2, 1+rng.IntN(9), rng.IntN(9))
	}
	fmt.Fprintf(&b, "contact:\n  phone: 555-01%02d\n  safe-to-call: true\nurgent-needs: [food]\n", rng.IntN(100))
	fmt.Fprintf(&b, "eligibility:\n  - program: general\n    eligible: true\n    decided: %s\n    by: %s\nconsent:\n  services:\n    given: true\n    date: %s\n", day, who, day)
	return b.String()
}

func benchNote(rng *rand.Rand, at, who string) string {
	texts := []string{
		"Called to confirm the appointment at the housing office on Thursday; the client will bring the lease and two pay slips.",
		"Home visit with an interpreter. The family has settled in; the children started school this week and the landlord fixed the heating.",
		"Client reported the food parcel was collected. Discussed the job fair next month and agreed to update the CV together.",
	}
	return fmt.Sprintf("%s\nat: %s\nauthor: %s\ntype: phone\nminutes: %d\ntext: %s\n", casefile.KindNote.SchemaLine(), at, who, 5+rng.IntN(55), texts[rng.IntN(len(texts))])
}

func benchAssessment(now time.Time, member int, who string) string {
	return fmt.Sprintf("%s\nmember: m%d\ninstrument: needs\ninstrument-version: 1\ndate: %s\nassessor: %s\nanswers:\n%s",
		casefile.KindAssessment.SchemaLine(), member, now.Format(time.DateOnly), who, benchAnswers)
}

const benchAnswers = `  housing-status: 3
  housing-situation: own-or-rent
  safety-status: 4
  safety-violence: false
  safety-child: false
  physical-health-status: 3
  health-coverage: true
  health-emergency: false
  mental-health-status: 3
  food-status: 3
  support-system-status: 3
  language-status: 4
  language-interpreter: false
`

func benchPlan(rng *rand.Rand, c *benchCase) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\ngoals:\n", casefile.KindPlan.SchemaLine())
	for g := 1; g <= c.plan; g++ {
		status := []string{"not-started", "in-progress", "met"}[rng.IntN(3)]
		fmt.Fprintf(&b, "  - id: g%d\n    domain: housing\n    text: Move to a flat the family can afford\n    measure: signed lease\n    target: lease signed\n    due: 2027-03-31\n    owner: client\n    status: %s\n", g, status)
	}
	return b.String()
}

// BenchmarkLog measures cases log ID, as the command runs in a fresh
// process (open the repository, walk the history with the touch cache,
// summarize each commit from the documents, print), against git log
// limited to the case's folder with a format of its own, in the same run.
// The x-git metric is cases' time over git's. "cold" removes the touch
// cache before every run (the first run in a fresh clone).
func BenchmarkLog(b *testing.B) {
	dir := benchHistory(b)
	ids := benchBusyCases(b, dir, 20)
	var gitNs float64
	b.Run("git", func(b *testing.B) {
		for i := range b.N {
			id := ids[i%len(ids)]
			if _, err := gitIn(dir, nil, "log", "--format=%h %ad %ae %s", "--", casefile.CaseDir(id)); err != nil {
				b.Fatal(err)
			}
		}
		gitNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(gitNs/1e6, "ms/log")
	})
	run := func(b *testing.B, cold bool) {
		var stderr bytes.Buffer
		if code := Run([]string{"log", ids[0], "--repo", dir, "--format", "tsv"}, NewStreams(nil, io.Discard, &stderr)); code != 0 {
			b.Fatalf("cases log: exit %d: %s", code, stderr.String())
		}
		b.ResetTimer()
		for i := range b.N {
			if cold {
				b.StopTimer()
				os.Remove(filepath.Join(dir, ".git", "cases", "touched"))
				b.StartTimer()
			}
			if code := Run([]string{"log", ids[i%len(ids)], "--repo", dir, "--format", "tsv"}, NewStreams(nil, io.Discard, &stderr)); code != 0 {
				b.Fatalf("cases log: exit %d: %s", code, stderr.String())
			}
		}
		ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(ns/1e6, "ms/log")
		if gitNs > 0 {
			b.ReportMetric(ns/gitNs, "x-git")
		}
	}
	b.Run("cases", func(b *testing.B) { run(b, false) })
	b.Run("cases-cold", func(b *testing.B) { run(b, true) })
}

// benchBusyCases picks cases with several commits, so each log prints
// a few lines.
func benchBusyCases(b *testing.B, dir string, n int) []string {
	out, err := gitIn(dir, nil, "log", "-400", "--format=%(trailers:key=Case,valueonly)")
	if err != nil {
		b.Fatal(err)
	}
	var ids []string
	seen := map[string]bool{}
	for _, l := range strings.Fields(out) {
		if casefile.ValidCaseID(l) && !seen[l] {
			seen[l] = true
			ids = append(ids, l)
		}
		if len(ids) == n {
			break
		}
	}
	return ids
}

// BenchmarkReview measures cases review over the last 50 commits, as CI
// runs it, against validate's checks on just the cases those commits
// changed (check.New(r).Folder on each folder read from the working tree,
// after opening the repository): the work review cannot avoid. The x-floor
// metric is review's time over that floor's.
func BenchmarkReview(b *testing.B) {
	dir := benchHistory(b)
	out, err := gitIn(dir, nil, "diff", "--name-only", "HEAD~50", "HEAD")
	if err != nil {
		b.Fatal(err)
	}
	seen := map[string]bool{}
	var ids []string
	for _, p := range strings.Fields(out) {
		if loc := casefile.Locate(p); loc.CaseID != "" && !seen[loc.CaseID] {
			seen[loc.CaseID] = true
			ids = append(ids, loc.CaseID)
		}
	}
	b.Logf("50 commits change %d cases", len(ids))
	var floorNs float64
	b.Run("validate-changed", func(b *testing.B) {
		for range b.N {
			r, err := casefile.Open(dir)
			if err != nil {
				b.Fatal(err)
			}
			c := check.New(r)
			n := 0
			err = r.Walk(context.Background(), ids, casefile.Select{}, func(f *casefile.Folder) error {
				n += len(c.Folder(f))
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			r.Close()
		}
		floorNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(floorNs/1e6, "ms/op")
	})
	b.Run("review", func(b *testing.B) {
		for range b.N {
			var stdout, stderr bytes.Buffer
			if code := Run([]string{"review", "HEAD~50..HEAD", "--repo", dir}, NewStreams(nil, &stdout, &stderr)); code > 1 {
				b.Fatalf("cases review: exit %d: %s", code, stderr.String())
			}
		}
		ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(ns/1e6, "ms/op")
		if floorNs > 0 {
			b.ReportMetric(ns/floorNs, "x-floor")
		}
	})
}
