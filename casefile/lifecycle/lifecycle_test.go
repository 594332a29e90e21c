package lifecycle

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casesproject/cases/casefile"
)

func TestTablesAgree(t *testing.T) {
	for _, m := range Moves {
		if !slices.Contains(casefile.Stages, m.From) || !slices.Contains(casefile.Stages, m.To) {
			t.Errorf("move %s -> %s names an unknown stage", m.From, m.To)
		}
		for _, g := range m.Guards {
			if _, ok := GuardByName(g); !ok {
				t.Errorf("move %s -> %s names unknown guard %s", m.From, m.To, g)
			}
		}
	}
	for _, s := range casefile.Stages {
		for _, g := range Requirements(s) {
			if _, ok := GuardByName(g); !ok {
				t.Errorf("stage %s requires unknown guard %s", s, g)
			}
		}
	}
	if _, ok := Find("intake", "delivery"); ok {
		t.Error("intake -> delivery must not be allowed")
	}
	for _, want := range [][2]string{{"intake", "assessment"}, {"intake", "closed"}, {"monitoring", "delivery"}, {"delivery", "planning"}, {"closed", "assessment"}, {"follow-up", "closed"}, {"planning", "follow-up"}} {
		if _, ok := Find(want[0], want[1]); !ok {
			t.Errorf("%s -> %s must be allowed", want[0], want[1])
		}
	}
}

func TestStageFailures(t *testing.T) {
	f := &casefile.Folder{
		Case: &casefile.Doc[casefile.Case]{Data: casefile.Case{Program: "general", Stage: "planning",
			StageHistory: []casefile.StageMove{{To: "intake"}, {From: "intake", To: "assessment"}, {From: "assessment", To: "planning", Forced: true, Guards: []string{RiskRecorded}}}}},
		Intake: &casefile.Doc[casefile.Intake]{Data: casefile.Intake{
			Household:   []casefile.Member{{ID: "m1", Relationship: "self"}, {ID: "m2", Relationship: "child"}},
			Eligibility: []casefile.Eligibility{{Program: "general", Eligible: true}},
			Consent:     casefile.Consent{Services: &casefile.ServiceConsent{Given: true}},
		}},
		Assessments: []*casefile.Doc[casefile.Assessment]{{Data: casefile.Assessment{Member: "m1", Date: "2026-11-01"}}},
	}
	fails := StageFailures(f)
	if len(fails) != 1 || fails[0].Guard != HouseholdAssessed || fails[0].Missing[0] != "no assessment of m2" {
		t.Fatalf("got %+v; want only household-assessed for m2 (risk-recorded was forced)", fails)
	}
}

func TestNeedsAddsTheStageRequirementsLessOverrides(t *testing.T) {
	c := &casefile.Case{Stage: "intake", StageHistory: []casefile.StageMove{{To: "intake"}}}
	if got, want := Needs(c, "planning"), []string{IntakeEligibleConsented, HouseholdAssessed, RiskRecorded}; !slices.Equal(got, want) {
		t.Errorf("intake -> planning needs %v, want %v", got, want)
	}
	c = &casefile.Case{Stage: "monitoring", StageHistory: []casefile.StageMove{{To: "intake"}, {From: "intake", To: "monitoring", Forced: true, Guards: []string{PlanSMART, RiskRecorded}}}}
	if got, want := Needs(c, "planning"), []string{IntakeEligibleConsented, HouseholdAssessed}; !slices.Equal(got, want) {
		t.Errorf("monitoring -> planning needs %v, want %v", got, want)
	}
	if got, want := Needs(&casefile.Case{Stage: "follow-up"}, "closed"), []string{ClosureComplete}; !slices.Equal(got, want) {
		t.Errorf("follow-up -> closed needs %v, want %v", got, want)
	}
}

// A referral that was accepted keeps services-under-way true after it
// ends as a no-show, so the guard stays true once true.
func TestServicesUnderWayReadsReferralHistory(t *testing.T) {
	f := &casefile.Folder{Plan: &casefile.Doc[casefile.Plan]{Data: casefile.Plan{Referrals: []casefile.Referral{{ID: "r1", Status: "no-show",
		History: []casefile.ReferralStatus{{Status: "sent"}, {Status: "accepted"}, {Status: "no-show"}}}}}}}
	if fails := Evaluate(f, []string{ServicesUnderWay}); len(fails) != 0 {
		t.Errorf("got %+v; want the guard to hold", fails)
	}
	f.Plan.Data.Referrals[0].History = f.Plan.Data.Referrals[0].History[:1]
	f.Plan.Data.Referrals[0].Status = "declined"
	if fails := Evaluate(f, []string{ServicesUnderWay}); len(fails) != 1 {
		t.Errorf("a referral only ever sent then declined must not count: %+v", fails)
	}
}

func TestGuardErrorNamesEachGuardAndTheFix(t *testing.T) {
	err := &GuardError{Case: "2026-11-AAAAA", From: "planning", To: "delivery", Failures: []Failure{
		{Guard: PlanSMART, File: "plan.yaml", Missing: []string{"goal g1: no measure"}},
		{Guard: AgreementSigned, File: "plan.yaml", Missing: []string{"not signed by the client", "not signed by the worker"}},
	}}
	want := "case 2026-11-AAAAA cannot move from planning to delivery:\n" +
		"  plan-smart: goal g1: no measure; fix plan.yaml\n" +
		"  agreement-signed: not signed by the client; not signed by the worker; fix plan.yaml\n" +
		"fix the documents, or override with --force --reason TEXT (the stage history records it)"
	if err.Error() != want {
		t.Errorf("got\n%s\nwant\n%s", err.Error(), want)
	}
	if !err.Refused() || err.Rule() != PlanSMART {
		t.Errorf("Refused %v, Rule %s", err.Refused(), err.Rule())
	}
	notMove := &GuardError{Case: "x", From: "intake", To: "delivery", NotMove: true}
	if !strings.HasPrefix(notMove.Error(), "lifecycle-move: intake -> delivery is not an allowed move; from intake a case may move to assessment, closed, follow-up") {
		t.Errorf("got %s", notMove.Error())
	}
}

func TestCheckGoals(t *testing.T) {
	today := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	p := &casefile.Plan{Goals: []casefile.Goal{
		{ID: "g1", Measure: "m", Target: "t", Owner: "client", Due: "2027-01-01", Status: "in-progress"},
		{ID: "g2", Owner: "partner", Due: "2026-11-01", Status: "not-started"},
		{ID: "g3", Measure: "m", Target: "t", Owner: "client", Due: "2026-11-01", Status: "met"},
		{ID: "g4", Status: "dropped"},
		{ID: "g5", Measure: "m", Target: "t", Owner: "worker", Due: "2028-01-01", Status: "not-started"},
	}}
	got := CheckGoals(p, today, 365)
	want := map[string][]string{
		"g1": nil,
		"g2": {"no measure", "no target", "owner is a partner but no partner is named", "due date has passed"},
		"g3": nil,
		"g5": {"due date is more than 365 days away"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d reports, want %d (dropped goals are left out): %+v", len(got), len(want), got)
	}
	for _, r := range got {
		if !slices.Equal(r.Gaps, want[r.Goal]) {
			t.Errorf("%s: gaps %q, want %q", r.Goal, r.Gaps, want[r.Goal])
		}
	}
}
