// Package examples holds the demo script and a small, hand-written case
// repository (examples/cases) with one commented case in each stage of the
// lifecycle. This test keeps that repository valid.
package examples

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/check"
	"github.com/casesproject/cases/casefile/lifecycle"
)

// now is the clock the examples are written against (the demo's).
var now = time.Date(2026, 11, 20, 23, 0, 0, 0, time.UTC)

// The example repository passes every check there is: its own files, every
// document (strict reader, schema, cross-document rules), every stage
// against its documents, every answer against the instrument; it has one
// case per stage; and every reference resolves.
func TestExampleRepositoryIsValid(t *testing.T) {
	r, err := casefile.Open("cases")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.Clock = func() time.Time { return now }
	if len(r.ConfigProblems) > 0 {
		t.Fatalf("cases.yaml: %v", r.ConfigProblems)
	}
	in, problems, err := r.Instrument(r.Config.Risk.Instrument)
	if err != nil || len(problems) > 0 {
		t.Fatalf("instrument: %v %v", err, problems)
	}
	provs, problems, err := r.Providers()
	if err != nil || len(problems) > 0 {
		t.Fatalf("providers.yaml: %v %v", err, problems)
	}
	service := func(where, provider, svc string) {
		t.Helper()
		p := provs.Data.Provider(provider)
		if p == nil {
			t.Errorf("%s: provider %s is not in providers.yaml", where, provider)
		} else if svc != "" && p.Service(svc) == nil {
			t.Errorf("%s: provider %s has no service %s", where, provider, svc)
		}
	}

	c := check.New(r)
	stages := map[string]string{}
	err = r.Walk(context.Background(), nil, casefile.Select{}, func(f *casefile.Folder) error {
		for _, p := range c.Folder(f) {
			t.Errorf("%s", p)
		}
		if len(f.Stray) > 0 {
			t.Errorf("%s: files outside the layout: %v", f.ID, f.Stray)
		}
		if f.Case == nil || f.Intake == nil {
			t.Errorf("%s: no case.yaml or intake.yaml", f.ID)
			return nil
		}
		stage := f.Case.Data.Stage
		if prev, dup := stages[stage]; dup {
			t.Errorf("%s and %s are both in %s; the examples have one case per stage", prev, f.ID, stage)
		}
		stages[stage] = f.ID
		for _, fail := range lifecycle.StageFailures(f) {
			t.Errorf("%s in stage %s: %s: %s", f.ID, stage, fail.Guard, fail.Message())
		}
		for _, a := range f.Assessments {
			m := f.Intake.Data.Member(a.Data.Member)
			on, _ := time.Parse(time.DateOnly, a.Data.Date)
			if m == nil {
				continue // check reports it
			}
			for _, p := range in.Data.CheckAnswers(a.Data.Answers, casefile.Age(m.DOB, on)) {
				t.Errorf("%s: %s: %s: %s", a.Path, p.Question, p.Rule, p.Message)
			}
		}
		checkReferences(t, f, service)
		head, err := os.ReadFile(r.Abs(f.Case.Path))
		if err != nil {
			return err
		}
		if lines := strings.SplitN(string(head), "\n", 3); len(lines) < 2 || !strings.HasPrefix(lines[1], "# Stage ") {
			t.Errorf("%s: case.yaml should open with a comment saying which stage it shows", f.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range casefile.Stages {
		if stages[s] == "" {
			t.Errorf("no example case in stage %s", s)
		}
	}
}

// checkReferences resolves what documents point at: goals, tasks,
// referrals, notes and providers.
func checkReferences(t *testing.T, f *casefile.Folder, service func(where, provider, svc string)) {
	t.Helper()
	goals := map[string]bool{}
	referrals := map[string]bool{}
	if f.Plan != nil {
		p := f.Plan.Data
		for _, g := range p.Goals {
			goals[g.ID] = true
			if g.Partner != "" {
				service(f.Plan.Path+" goal "+g.ID, g.Partner, "")
			}
		}
		for _, tk := range p.Tasks {
			if !goals[tk.Goal] {
				t.Errorf("%s: task %s is under goal %s, which the plan does not have", f.Plan.Path, tk.ID, tk.Goal)
			}
			if tk.Partner != "" {
				service(f.Plan.Path+" task "+tk.ID, tk.Partner, "")
			}
		}
		for _, r := range p.Referrals {
			referrals[r.ID] = true
			service(f.Plan.Path+" referral "+r.ID, r.Provider, r.Service)
			if r.Goal != "" && !goals[r.Goal] {
				t.Errorf("%s: referral %s names goal %s, which the plan does not have", f.Plan.Path, r.ID, r.Goal)
			}
			if len(r.History) == 0 || r.History[len(r.History)-1].Status != r.Status || r.History[0].Date != r.Sent {
				t.Errorf("%s: referral %s: its history must start when it was sent and end in its status", f.Plan.Path, r.ID)
			}
		}
	}
	var noteIDs []string
	for _, n := range f.Notes {
		noteIDs = append(noteIDs, strings.TrimSuffix(filepath.Base(n.Path), ".yaml"))
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
		if n.Data.Corrects != "" && !slices.Contains(noteIDs, n.Data.Corrects) {
			t.Errorf("%s corrects a note the case does not have", n.Path)
		}
		if at, err := time.Parse(time.RFC3339, n.Data.At); err == nil && at.Format(time.DateOnly) < f.Case.Data.Opened {
			t.Errorf("%s is dated before the case opened", n.Path)
		}
	}
	in := f.Intake.Data
	for _, s := range in.Consent.Sharing {
		service(f.Intake.Path+" consent", s.Partner, "")
	}
	for _, e := range in.Eligibility {
		if e.ReferralOut != nil {
			service(f.Intake.Path+" referral out", e.ReferralOut.Provider, e.ReferralOut.Service)
		}
	}
	if f.Closure != nil {
		for _, g := range f.Closure.Data.Goals {
			if !goals[g.Goal] {
				t.Errorf("%s reviews goal %s, which the plan does not have", f.Closure.Path, g.Goal)
			}
		}
		for _, r := range f.Closure.Data.ReferralsOut {
			service(f.Closure.Path+" referral out", r.Provider, r.Service)
		}
	}
}
