package casework

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/check"
	"github.com/casesproject/cases/casefile/lifecycle"
	"github.com/casesproject/cases/casefile/yamlx"
	"pgregory.net/rapid"
)

// world is one case repository with one case, driven by random commands.
type world struct {
	t     *rapid.T
	dir   string
	repo  *casefile.Repo
	now   time.Time
	id    string
	opts  casefile.UpdateOptions
	count int // commits expected on HEAD
}

const caseID = "2026-11-K7Q3M"

func newWorld(t *rapid.T) *world {
	dir, err := os.MkdirTemp("", "casework-prop-")
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, dir: dir, now: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), id: caseID}
	if _, err := casefile.Init(dir, casefile.InitOptions{Organization: "Test", Program: "general", Name: "Ana Ruiz", Email: "ana@example.org", Now: w.now}); err != nil {
		t.Fatal(err)
	}
	w.open()
	actor, err := w.repo.ResolveActor("ana@example.org")
	if err != nil {
		t.Fatal(err)
	}
	w.opts = casefile.UpdateOptions{Actor: actor, Verb: "test"}
	if _, err := AddProvider(w.repo, w.opts, ProviderInput{ID: "food-bank", Name: "Food Bank", Services: []casefile.Service{{ID: "pantry"}, {ID: "meals"}}}); err != nil {
		t.Fatal(err)
	}
	w.open()
	members := rapid.IntRange(0, 2).Draw(t, "others")
	eligible := rapid.Bool().Draw(t, "eligible")
	consent := rapid.Bool().Draw(t, "consent")
	in := casefile.IntakeInput{Date: "2026-11-02", Worker: "ana", Given: "A", Family: "B", DOB: "1980-01-01", Program: "general", Eligible: &eligible, Consent: consent}
	for range members {
		in.Members = append(in.Members, casefile.MemberInput{Relationship: "child"})
	}
	intake, err := w.repo.IntakeFromInput(casefile.DocPath(w.id, casefile.KindIntake), in)
	if err != nil {
		t.Fatal(err)
	}
	header, err := w.repo.NewCaseHeader(w.id, "general", "ana", "2026-11-02", w.now, actor)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.repo.Update(w.opts, func(tx *casefile.Tx) error {
		tx.CaseID = w.id
		if err := tx.WriteDoc(header, casefile.KindCase); err != nil {
			return err
		}
		return tx.WriteDoc(intake, casefile.KindIntake)
	}); err != nil {
		t.Fatal(err)
	}
	w.count = 3
	return w
}

func (w *world) open() {
	r, err := casefile.Open(w.dir)
	if err != nil {
		w.t.Fatal(err)
	}
	now := w.now
	r.Clock = func() time.Time { return now }
	w.repo = r
}

func (w *world) folder() *casefile.Folder {
	f, err := w.repo.LoadCase(w.id, casefile.Select{})
	if err != nil {
		w.t.Fatal(err)
	}
	return f
}

// do runs one command on a fresh repository handle a day after the last,
// and records whether it committed.
func (w *world) do(name string, fn func(r *casefile.Repo) error) {
	w.now = w.now.Add(24 * time.Hour)
	w.open()
	err := fn(w.repo)
	if err == nil {
		w.count++
		return
	}
	var refused interface{ Refused() bool }
	var dirty *casefile.DirtyError
	if errors.As(err, &dirty) {
		w.t.Fatalf("%s: %v", name, err)
	}
	_ = errors.As(err, &refused)
	w.t.Logf("%s refused: %v", name, strings.SplitN(err.Error(), "\n", 2)[0])
}

// check is the invariant after every command: the documents are valid, the
// stage agrees with them (lifecycle.StageFailures is empty: a forced move
// lists what it overrode), and every move in the history is allowed or
// forced.
func (w *world) check() {
	w.open()
	f := w.folder()
	if ps := check.New(w.repo).Folder(f); len(ps) > 0 {
		w.t.Fatalf("documents invalid: %v", ps)
	}
	if fails := lifecycle.StageFailures(f); len(fails) > 0 {
		w.t.Fatalf("stage %s disagrees with the documents: %+v", f.Case.Data.Stage, fails)
	}
	for _, m := range f.Case.Data.StageHistory[1:] {
		if _, ok := lifecycle.Find(m.From, m.To); !ok && !m.Forced {
			w.t.Fatalf("move %s -> %s is not allowed and not forced", m.From, m.To)
		}
	}
}

// checkCommits asks git whether HEAD has one commit per successful
// command, so no failed command committed and no command committed twice.
func (w *world) checkCommits() {
	out, err := exec.Command("git", "-C", w.dir, "rev-list", "--count", "HEAD").Output()
	if err != nil {
		w.t.Fatal(err)
	}
	if got := strings.TrimSpace(string(out)); got != fmt.Sprint(w.count) {
		w.t.Fatalf("HEAD has %s commits, want %d", got, w.count)
	}
}

func maybe(t *rapid.T, label string, v string) string {
	if rapid.Bool().Draw(t, label+"?") {
		return v
	}
	return ""
}

func (w *world) goalID(label string) string {
	return fmt.Sprintf("g%d", rapid.IntRange(1, 3).Draw(w.t, label))
}

func TestRandomCommandsKeepStageAndDocumentsInAgreement(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("needs git")
	}
	rapid.Check(t, func(t *rapid.T) {
		w := newWorld(t)
		defer os.RemoveAll(w.dir)
		w.check()
		actions := map[string]func(*rapid.T){
			"transition": func(t *rapid.T) {
				to := rapid.SampledFrom(casefile.Stages).Draw(t, "to")
				force := rapid.Bool().Draw(t, "force")
				w.do("transition "+to, func(r *casefile.Repo) error {
					_, err := Transition(r, w.opts, w.id, to, force, maybe(t, "reason", "because"))
					return err
				})
			},
			"assess": func(t *rapid.T) {
				m := fmt.Sprintf("m%d", rapid.IntRange(1, 3).Draw(t, "member"))
				w.do("assess "+m, func(r *casefile.Repo) error { return assess(r, w.opts, w.id, m) })
			},
			"goal add": func(t *rapid.T) {
				g := GoalFields{Text: "goal", Measure: maybe(t, "measure", "m"), Target: maybe(t, "target", "t"),
					Due: maybe(t, "due", "2027-03-01"), Owner: maybe(t, "owner", "client")}
				w.do("goal add", func(r *casefile.Repo) error { _, err := EditPlan(r, w.opts, w.id, GoalAdd{g}); return err })
			},
			"goal set": func(t *rapid.T) {
				g := GoalFields{Measure: maybe(t, "measure", "m"), Target: maybe(t, "target", "t"), Due: maybe(t, "due", "2027-03-01"),
					Owner: maybe(t, "owner", "worker"), Status: rapid.SampledFrom(GoalStatuses).Draw(t, "status")}
				w.do("goal set", func(r *casefile.Repo) error {
					_, err := EditPlan(r, w.opts, w.id, GoalSet{Goal: w.goalID("goal"), GoalFields: g})
					return err
				})
			},
			"task": func(t *rapid.T) {
				status := rapid.SampledFrom(TaskStatuses).Draw(t, "status")
				w.do("task", func(r *casefile.Repo) error {
					if rapid.Bool().Draw(t, "add") {
						_, err := EditPlan(r, w.opts, w.id, TaskAdd{TaskFields{Goal: w.goalID("goal"), Text: "task", Status: status}})
						return err
					}
					_, err := EditPlan(r, w.opts, w.id, TaskSet{Task: fmt.Sprintf("t%d", rapid.IntRange(1, 2).Draw(t, "task")), TaskFields: TaskFields{Status: status}})
					return err
				})
			},
			"referral": func(t *rapid.T) {
				status := rapid.SampledFrom(ReferralStatuses[1:]).Draw(t, "status")
				w.do("referral", func(r *casefile.Repo) error {
					if rapid.Bool().Draw(t, "refer") {
						_, err := EditPlan(r, w.opts, w.id, Refer{Provider: "food-bank", Service: "pantry"})
						return err
					}
					_, err := EditPlan(r, w.opts, w.id, ReferralSet{Referral: fmt.Sprintf("r%d", rapid.IntRange(1, 2).Draw(t, "ref")), Status: status})
					return err
				})
			},
			"agreement": func(t *rapid.T) {
				w.do("agreement", func(r *casefile.Repo) error {
					var op PlanOp = AgreementSet{WorkerRole: maybe(t, "worker-role", "w"), ClientRole: maybe(t, "client-role", "c")}
					if rapid.Bool().Draw(t, "sign") {
						op = Sign{Client: maybe(t, "client", "2026-11-02"), Worker: maybe(t, "worker", "2026-11-02")}
					}
					_, err := EditPlan(r, w.opts, w.id, op)
					return err
				})
			},
			"note": func(t *rapid.T) {
				in := NoteInput{Type: rapid.SampledFrom(NoteTypes).Draw(t, "type"), Text: "text", FollowUp: rapid.Bool().Draw(t, "follow-up")}
				if in.Type == "service" {
					in.Service = "food-bank/meals"
				}
				w.do("note", func(r *casefile.Repo) error { _, err := AddNote(r, w.opts, w.id, in); return err })
			},
			"close": func(t *rapid.T) {
				in := ClosureInput{Reason: rapid.SampledFrom(ClosureReasons).Draw(t, "reason")}
				if rapid.Bool().Draw(t, "review") {
					in.Goals = []GoalReview{{Goal: w.goalID("goal"), Result: rapid.SampledFrom(GoalResults).Draw(t, "result")}}
				}
				if rapid.Bool().Draw(t, "check-in") {
					in.CheckIns = []string{"2027-06-01"}
				}
				force := rapid.Bool().Draw(t, "force")
				w.do("close", func(r *casefile.Repo) error { _, err := Close(r, w.opts, w.id, in, force, "forced"); return err })
			},
			"final": func(t *rapid.T) {
				w.do("close --final", func(r *casefile.Repo) error { _, err := Finish(r, w.opts, w.id); return err })
			},
			"reopen": func(t *rapid.T) {
				force := rapid.Bool().Draw(t, "force")
				w.do("reopen", func(r *casefile.Repo) error { _, err := Reopen(r, w.opts, w.id, "again", force); return err })
			},
		}
		names := make([]string, 0, len(actions))
		for n := range actions {
			names = append(names, n)
		}
		slices.Sort(names)
		steps := rapid.IntRange(1, 30).Draw(t, "steps")
		for range steps {
			name := rapid.SampledFrom(names).Draw(t, "action")
			actions[name](t)
			w.check()
		}
		w.checkCommits()
	})
}

// assess stands in for cases assess and cases risk --record (another
// issue's commands): it writes one assessment through Update and, when a
// member is assessed for the first time after risk was recorded, records
// the risk again in the same change, as a worker must before planning.
func assess(r *casefile.Repo, opts casefile.UpdateOptions, id, member string) error {
	_, err := Update(r, opts, id, func(c *Change) error {
		if c.After.Intake.Data.Member(member) == nil {
			return fmt.Errorf("no member %s", member)
		}
		day := c.Today()
		rel := casefile.AssessmentPath(id, day, member)
		data := []byte(casefile.KindAssessment.SchemaLine() + "\nmember: " + member + "\ninstrument: needs\ninstrument-version: 1\ndate: " + day + "\nassessor: ana\nanswers: {}\n")
		doc, problems := yamlx.Parse(rel, data)
		if len(problems) > 0 {
			return fmt.Errorf("%v", problems)
		}
		first := true
		for _, a := range c.After.Assessments {
			first = first && a.Data.Member != member
		}
		if err := c.Write(doc, casefile.KindAssessment); err != nil {
			return err
		}
		if !first && c.After.Case.Data.Risk != nil {
			return nil
		}
		cd, err := c.Doc(casefile.KindCase)
		if err != nil {
			return err
		}
		risk := yamlx.Map("score", yamlx.Int(3), "level", yamlx.Str("low"), "model-version", yamlx.Str("1"),
			"inputs-digest", yamlx.Str("sha256:"+strings.Repeat("0", 64)), "at", yamlx.Plain(c.Now().Format(time.RFC3339)), "by", yamlx.Str("ana"))
		yamlx.Set(cd.Root(), "risk", risk, caseOrder)
		return c.Write(cd, casefile.KindCase)
	})
	return err
}
