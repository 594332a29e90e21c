package history

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/casesproject/cases/casefile"
)

// gitRepo is a scratch repository driven by the real git.
type gitRepo struct {
	t    *testing.T
	dir  string
	when int64 // the next commit time
	same bool  // give every commit the same time
}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	g := &gitRepo{t: t, dir: t.TempDir(), when: 1795000000}
	g.git("init", "-q", "-b", "main")
	return g
}

func (g *gitRepo) git(args ...string) string {
	g.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = g.dir
	date := fmt.Sprintf("@%d +0000", g.when)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+g.dir,
		"GIT_AUTHOR_NAME=Ana Ruiz", "GIT_AUTHOR_EMAIL=ana@example.org",
		"GIT_COMMITTER_NAME=Ana Ruiz", "GIT_COMMITTER_EMAIL=ana@example.org",
		"GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	out, err := cmd.CombinedOutput()
	if err != nil {
		g.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func (g *gitRepo) write(rel, content string) {
	g.t.Helper()
	p := filepath.Join(g.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		g.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		g.t.Fatal(err)
	}
}

// commit stages everything and commits it with the message.
func (g *gitRepo) commit(msg string) string {
	g.t.Helper()
	g.git("add", "-A")
	g.git("commit", "-q", "--allow-empty", "-m", msg)
	if !g.same {
		g.when += 60
	}
	return g.git("rev-parse", "HEAD")
}

func caseFile(id, name string) string { return casefile.CaseDir(id) + "/" + name }

// touchedByGit is the truth, asked of git itself: the commits whose
// subtree at dir differs from every parent's (or, for a root, exists).
func (g *gitRepo) touchedByGit(tip, dir string) []string {
	var out []string
	for _, line := range strings.Split(g.git("rev-list", "--parents", tip), "\n") {
		fields := strings.Fields(line)
		c, parents := fields[0], fields[1:]
		mine := g.treeAt(c, dir)
		touched := len(parents) == 0 && mine != ""
		if len(parents) > 0 {
			touched = true
			for _, p := range parents {
				if g.treeAt(p, dir) == mine {
					touched = false
				}
			}
		}
		if touched {
			out = append(out, c)
		}
	}
	return out
}

func (g *gitRepo) treeAt(c, dir string) string {
	cmd := exec.Command("git", "rev-parse", "-q", "--verify", c+":"+dir)
	cmd.Dir = g.dir
	out, _ := cmd.Output()
	return strings.TrimSpace(string(out))
}

func logOf(t *testing.T, h *History, tip Hash, id string) []string {
	t.Helper()
	var out []string
	err := h.Log(tip, LogOptions{CaseID: id}, func(e Entry) error {
		out = append(out, e.Hash.String())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

const (
	idA = "2026-11-AAAAA"
	idB = "2026-11-BBBBB"
	idC = "2026-12-CCCCC"
)

// buildHistory makes a history with every kind of commit: written by
// cases (trailers), by hand, a clean merge and a merge whose resolution
// changed a case.
func buildHistory(g *gitRepo) {
	g.write("cases.yaml", "organization: {name: x}\n")
	g.write(caseFile(idA, "case.yaml"), "id: "+idA+"\n")
	g.write(caseFile(idB, "case.yaml"), "id: "+idB+"\n")
	g.commit("import")
	g.write(caseFile(idA, "notes/20261124T100000Z-ABCDE.yaml"), "text: one\n")
	g.commit(casefile.CommitMessage("note", idA, "phone note 20261124T100000Z-ABCDE"))
	g.write(caseFile(idB, "plan.yaml"), "goals: []\n")
	g.write("cases.yaml", "organization: {name: y}\n")
	g.commit("fix B's plan and the org name by hand")
	g.git("switch", "-q", "-c", "side")
	g.write(caseFile(idC, "case.yaml"), "id: "+idC+"\n")
	g.commit(casefile.CommitMessage("new", idC, "open case in intake"))
	g.write(caseFile(idA, "intake.yaml"), "date: 2026-11-24\n")
	g.commit("intake for A by hand")
	g.git("switch", "-q", "main")
	g.write(caseFile(idB, "case.yaml"), "id: "+idB+"\nstage: assessment\n")
	g.commit(casefile.CommitMessage("transition", idB, "intake -> assessment"))
	g.git("merge", "-q", "--no-edit", "side")
	if !g.same {
		g.when += 60
	}
	// A merge whose resolution edits a case: an "evil merge".
	g.git("switch", "-q", "-c", "other", "HEAD~1")
	g.write(caseFile(idB, "intake.yaml"), "date: 2026-11-20\n")
	g.commit("B intake on other")
	g.git("switch", "-q", "main")
	g.git("merge", "-q", "--no-commit", "other")
	g.write(caseFile(idB, "intake.yaml"), "date: 2026-11-21\n")
	g.commit("merge other, fixing B's intake date")
	g.git("rm", "-q", "-r", casefile.CaseDir(idC))
	g.commit("remove C")
}

func TestLogMatchesGit(t *testing.T) {
	for _, same := range []bool{false, true} {
		t.Run(fmt.Sprintf("same-time=%v", same), func(t *testing.T) {
			g := newGitRepo(t)
			g.same = same
			buildHistory(g)
			tip := g.git("rev-parse", "HEAD")
			for round := range 3 { // cold, warm, then with a damaged cache
				h, err := Open(g.dir)
				if err != nil {
					t.Fatal(err)
				}
				head, _ := h.Head()
				for _, id := range []string{idA, idB, idC} {
					got := logOf(t, h, head, id)
					want := g.touchedByGit(tip, casefile.CaseDir(id))
					slices.Sort(got)
					slices.Sort(want)
					if !slices.Equal(got, want) {
						t.Errorf("round %d, case %s: log %v, git says %v", round, id, got, want)
					}
				}
				h.Close()
				if round == 1 {
					p := filepath.Join(g.dir, ".git", "cases", "touched")
					data, err := os.ReadFile(p)
					if err != nil {
						t.Fatalf("no cache written: %v", err)
					}
					os.WriteFile(p, data[:len(data)-7], 0o644)
				}
			}
		})
	}
}

func TestLogOrderIsNewestFirstChildrenBeforeParents(t *testing.T) {
	g := newGitRepo(t)
	g.same = true
	buildHistory(g)
	h, err := Open(g.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	head, _ := h.Head()
	var order []Hash
	if err := h.Log(head, LogOptions{}, func(e Entry) error { order = append(order, e.Hash); return nil }); err != nil {
		t.Fatal(err)
	}
	pos := map[Hash]int{}
	for i, c := range order {
		pos[c] = i
	}
	if len(order) != len(strings.Split(g.git("rev-list", "HEAD"), "\n")) {
		t.Fatalf("log has %d commits, rev-list %s", len(order), g.git("rev-list", "--count", "HEAD"))
	}
	for _, c := range order {
		ci, _ := h.Commit(c)
		for _, p := range ci.Parents {
			if pos[p] < pos[c] {
				t.Errorf("parent %s listed before its child %s", p, c)
			}
		}
	}
}

func TestRangeMatchesGit(t *testing.T) {
	for _, same := range []bool{false, true} {
		t.Run(fmt.Sprintf("same-time=%v", same), func(t *testing.T) {
			g := newGitRepo(t)
			g.same = same
			buildHistory(g)
			// A feature branch from an older commit, while main moves on.
			g.git("switch", "-q", "-c", "feature", "HEAD~3")
			for i := range 4 {
				g.write(caseFile(idA, fmt.Sprintf("notes/2026112%dT100000Z-ABCDE.yaml", i)), "text: x\n")
				g.commit(casefile.CommitMessage("note", idA, "note"))
			}
			g.git("switch", "-q", "main")
			g.write(caseFile(idB, "closure.yaml"), "date: 2026-11-24\n")
			g.commit("close B")
			h, err := Open(g.dir)
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close()
			for _, pair := range [][2]string{{"main", "feature"}, {"feature", "main"}, {"main", "main"}, {"main~1", "main"}, {"main", "main~2"}} {
				base, _ := h.Resolve(pair[0])
				head, _ := h.Resolve(pair[1])
				rg, err := h.Range(base, head)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, c := range rg.Commits {
					got = append(got, c.String())
				}
				want := strings.Fields(g.git("rev-list", pair[0]+".."+pair[1]))
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("%s..%s: %v, git rev-list says %v", pair[0], pair[1], got, want)
				}
				if mb := g.git("merge-base", pair[0], pair[1]); rg.MergeBase.String() != mb {
					t.Errorf("%s..%s: merge base %s, git says %s", pair[0], pair[1], rg.MergeBase, mb)
				}
			}
		})
	}
}

func TestChangedListsCasesAndOtherFiles(t *testing.T) {
	g := newGitRepo(t)
	buildHistory(g)
	h, err := Open(g.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	first, _ := h.Resolve("main~5")
	head, _ := h.Head()
	ta, _ := h.CommitTree(first)
	tb, _ := h.CommitTree(head)
	ch, err := h.Changed(ta, tb)
	if err != nil {
		t.Fatal(err)
	}
	wantCases, wantOther := map[string]bool{}, []string{}
	for _, p := range strings.Fields(g.git("diff", "--name-only", "main~5", "HEAD")) {
		if loc := casefile.Locate(p); loc.InCase {
			wantCases[loc.CaseID] = true
		} else {
			wantOther = append(wantOther, p)
		}
	}
	var ids []string
	for id := range wantCases {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if !slices.Equal(ch.Cases, ids) || !slices.Equal(ch.Other, wantOther) {
		t.Errorf("changed %+v, git diff says cases %v and %v", ch, ids, wantOther)
	}
}

// TestRandomHistories builds random histories of commits, branches and
// merges and checks every case's log against git.
func TestRandomHistories(t *testing.T) {
	ids := []string{idA, idB, idC, "2026-12-DDDDD"}
	for seed := range uint64(4) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(seed, 7))
			g := newGitRepo(t)
			g.same = seed%2 == 0
			g.write("cases.yaml", "x: 0\n")
			g.commit("init")
			branches := []string{"main"}
			for i := range 30 {
				switch r := rnd.IntN(10); {
				case r < 2 && len(branches) < 4:
					name := fmt.Sprintf("b%d", i)
					g.git("switch", "-q", "-c", name)
					branches = append(branches, name)
				case r < 4 && len(branches) > 1:
					other := branches[rnd.IntN(len(branches))]
					cur := g.git("branch", "--show-current")
					if other != cur {
						g.git("merge", "-q", "--no-edit", "-X", "theirs", other)
						if !g.same {
							g.when += 60
						}
					}
				case r < 5:
					g.git("switch", "-q", branches[rnd.IntN(len(branches))])
				default:
					id := ids[rnd.IntN(len(ids))]
					g.write(caseFile(id, "notes/n.yaml"), fmt.Sprintf("text: %d\n", i))
					if rnd.IntN(2) == 0 {
						g.commit(casefile.CommitMessage("note", id, "note"))
					} else {
						g.write("cases.yaml", fmt.Sprintf("x: %d\n", i))
						g.commit("by hand")
					}
				}
			}
			tip := g.git("rev-parse", "HEAD")
			h, err := Open(g.dir)
			if err != nil {
				t.Fatal(err)
			}
			defer h.Close()
			head, _ := h.Head()
			for _, id := range ids {
				got := logOf(t, h, head, id)
				want := g.touchedByGit(tip, casefile.CaseDir(id))
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("case %s: log %v, git says %v", id, got, want)
				}
			}
		})
	}
}

// TestCacheAfterRewrite: after history is rewritten (amend, rebase), the
// new commits are worked out and added; the old records stay harmlessly
// until the file is compacted; the log is right either way.
func TestCacheAfterRewrite(t *testing.T) {
	g := newGitRepo(t)
	buildHistory(g)
	cacheRecords := func() int {
		h, err := Open(g.dir)
		if err != nil {
			t.Fatal(err)
		}
		defer h.Close()
		return h.loadCache().records
	}
	check := func() {
		t.Helper()
		h, err := Open(g.dir)
		if err != nil {
			t.Fatal(err)
		}
		defer h.Close()
		head, _ := h.Head()
		for _, id := range []string{idA, idB, idC} {
			got := logOf(t, h, head, id)
			want := g.touchedByGit(g.git("rev-parse", "HEAD"), casefile.CaseDir(id))
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("case %s: log %v, git says %v", id, got, want)
			}
		}
	}
	check()
	before := cacheRecords()
	if n, _ := strconv.Atoi(g.git("rev-list", "--count", "HEAD")); before != n {
		t.Fatalf("cache has %d records for %d commits", before, n)
	}
	// Rewrite the last commit so it touches A as well.
	g.write(caseFile(idA, "plan.yaml"), "goals: []\n")
	g.git("add", "-A")
	g.git("commit", "-q", "--amend", "--no-edit")
	check()
	if after := cacheRecords(); after != before+1 {
		t.Errorf("cache has %d records after an amend, want %d", after, before+1)
	}
}

func TestCacheIsCompacted(t *testing.T) {
	defer func(s int) { compactSlack = s }(compactSlack)
	compactSlack = 0
	g := newGitRepo(t)
	buildHistory(g)
	n, _ := strconv.Atoi(g.git("rev-list", "--count", "HEAD"))
	records := 0
	for i := range 2*n + 2 {
		g.write(caseFile(idA, "plan.yaml"), fmt.Sprintf("goals: [] # %d\n", i))
		g.git("add", "-A")
		g.git("commit", "-q", "--amend", "--no-edit")
		h, err := Open(g.dir)
		if err != nil {
			t.Fatal(err)
		}
		head, _ := h.Head()
		if got := logOf(t, h, head, idA); len(got) == 0 || got[0] != head.String() {
			t.Fatalf("amend %d: log of A starts %v, HEAD is %s", i, got, head)
		}
		h.Close()
		h, _ = Open(g.dir)
		records = h.loadCache().records
		h.Close()
		if records > 2*n {
			t.Fatalf("amend %d: %d records for %d reachable commits", i, records, n)
		}
	}
}
