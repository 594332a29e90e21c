package lifecycle

import (
	"slices"
	"testing"

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
