package due

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/casesproject/cases/casefile"
)

func config() *casefile.Config {
	return &casefile.Config{
		Levels:    map[string]casefile.LevelConfig{"intensive": {ContactDays: 7}, "targeted": {ContactDays: 14}, "supportive": {ContactDays: 30}, "self-directed": {ContactDays: 90}},
		Deadlines: casefile.Deadlines{AssessmentDays: 30, ReassessmentDays: 90, PlanDays: 45, ReferralResponseDays: 14, HighRiskContactDays: 7, DueWindowDays: 14},
	}
}

var today = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func folder(c casefile.Case, files ...string) *casefile.Folder {
	c.ID = "2026-11-AAAAA"
	f := &casefile.Folder{ID: c.ID, Dir: casefile.CaseDir(c.ID), Case: &casefile.Doc[casefile.Case]{Data: c}}
	for _, p := range files {
		f.Files = append(f.Files, f.Dir+"/"+p)
	}
	f.Intake = &casefile.Doc[casefile.Intake]{Data: casefile.Intake{Household: []casefile.Member{{ID: "m1", Relationship: "self"}, {ID: "m2", Relationship: "child"}}}}
	return f
}

func find(items []Item, kind string) *Item {
	for i := range items {
		if items[i].Kind == kind {
			return &items[i]
		}
	}
	return nil
}

func TestContactInterval(t *testing.T) {
	cfg := config()
	for _, tc := range []struct {
		level, risk     string
		kind            string
		days            int
		levelUsed       string
		levelsInConfigs []string
	}{
		{"targeted", "", KindContact, 14, "targeted", nil},
		{"targeted", "high", KindHighRiskContact, 7, "targeted", nil},
		{"intensive", "critical", KindContact, 7, "intensive", nil}, // the level is as often: no high-risk item
		{"supportive", "moderate", KindContact, 30, "supportive", nil},
		{"", "", KindContact, 7, "intensive", nil},           // no level yet: the shortest
		{"unheard-of", "", KindContact, 7, "intensive", nil}, // a level cases.yaml lacks: the shortest
	} {
		kind, days, used := ContactInterval(cfg, tc.level, tc.risk)
		if kind != tc.kind || days != tc.days || used != tc.levelUsed {
			t.Errorf("ContactInterval(%q, %q) = %s, %d, %s; want %s, %d, %s", tc.level, tc.risk, kind, days, used, tc.kind, tc.days, tc.levelUsed)
		}
	}
	// The shortest interval follows the configuration.
	cfg.Levels["supportive"] = casefile.LevelConfig{ContactDays: 5}
	if l, d := ShortestLevel(cfg); l != "supportive" || d != 5 {
		t.Errorf("ShortestLevel = %s, %d; want supportive, 5", l, d)
	}
}

func TestItemsOfOneCase(t *testing.T) {
	cfg := config()
	f := folder(casefile.Case{Worker: "ana", Opened: "2026-11-01", Stage: "planning", Level: "lost-level"},
		"assessments/2026-11-03-m1.yaml", "assessments/2026-08-01-m1.yaml", "case.yaml")
	f.Plan = &casefile.Doc[casefile.Plan]{Data: casefile.Plan{
		Goals:     []casefile.Goal{{ID: "g1", Status: "in-progress", Due: "2026-12-01"}, {ID: "g2", Status: "met", Due: "2026-11-01"}, {ID: "g3", Status: "not-started"}},
		Tasks:     []casefile.Task{{ID: "t1", Goal: "g1", Status: "done", Due: "2026-11-01"}, {ID: "t2", Goal: "g1", Status: "in-progress", Due: "2026-11-20"}},
		Referrals: []casefile.Referral{{ID: "r1", Provider: "p", Service: "s", Sent: "2026-11-01", Status: "accepted"}, {ID: "r2", Provider: "p", Service: "s", Sent: "2026-11-20", Status: "sent"}},
		Agreement: &casefile.Agreement{Signed: casefile.Signatures{Client: "2026-11-10"}},
	}}
	items := For(f, cfg, today)
	var kinds []string
	for _, it := range items {
		kinds = append(kinds, it.Kind+" "+it.Ref+" "+it.Due)
	}
	slices.Sort(kinds)
	want := []string{
		"assessment m2 2026-12-01",   // never assessed: enrollment + 30
		"contact  2026-11-08",        // no contact: enrollment + 7 (the level is unknown)
		"goal g1 2026-12-01",         // in progress with a due date (g2 met, g3 undated)
		"plan  2026-12-16",           // signed by the client only: enrollment + 45
		"reassessment m1 2027-02-01", // the latest of m1's two assessments + 90
		"referral r2 2026-12-04",     // still sent (r1 answered)
		"task t2 2026-11-20",         // in progress (t1 done)
	}
	if !slices.Equal(kinds, want) {
		t.Errorf("items:\n%s\nwant:\n%s", strings.Join(kinds, "\n"), strings.Join(want, "\n"))
	}
	if it := find(items, KindContact); it == nil || it.Days != -16 || !strings.Contains(it.Why, "level lost-level has no contact days in cases.yaml") {
		t.Errorf("contact item: %+v", it)
	}
	if it := find(items, KindPlan); it == nil || !strings.HasPrefix(it.Why, "agreement not signed by the worker;") {
		t.Errorf("plan item: %+v", it)
	}
	if it := find(items, KindTask); it == nil || it.Goal != "g1" || it.UID() != "2026-11-AAAAA-task-t2@cases" || !it.Overdue() {
		t.Errorf("task item: %+v", it)
	}
}

func TestFollowUpAndClosedCases(t *testing.T) {
	cfg := config()
	f := folder(casefile.Case{Worker: "ana", Opened: "2026-08-01", Stage: "follow-up", Level: "targeted"})
	f.Closure = &casefile.Doc[casefile.Closure]{Data: casefile.Closure{Date: "2026-11-01",
		FollowUp: []casefile.CheckIn{{Due: "2026-11-15", Done: "2026-11-15"}, {Due: "2026-12-15"}}}}
	items := For(f, cfg, today)
	if len(items) != 1 || items[0].Kind != KindCheckIn || items[0].Ref != "2026-12-15" || items[0].Days != 21 ||
		items[0].Why != "follow-up check-in 2 of 2 after closure on 2026-11-01" {
		t.Errorf("a case in follow-up has only its open check-ins: %+v", items)
	}
	f.Case.Data.Stage = "closed"
	if items := For(f, cfg, today); len(items) != 0 {
		t.Errorf("a closed case has nothing due: %+v", items)
	}
}

func TestSortIsByUrgency(t *testing.T) {
	items := []Item{
		{Case: "c", Kind: KindGoal, Days: 2},
		{Case: "b", Kind: KindTask, Days: -1, Risk: "low"},
		{Case: "a", Kind: KindGoal, Days: -1, Risk: "critical"},
		{Case: "a", Kind: KindContact, Days: -1, Risk: "critical"},
		{Case: "d", Kind: KindTask, Days: -1},
	}
	Sort(items)
	var got []string
	for _, it := range items {
		got = append(got, it.Case+" "+it.Kind)
	}
	want := []string{"a contact", "a goal", "b task", "d task", "c goal"}
	if !slices.Equal(got, want) {
		t.Errorf("sorted %v, want %v", got, want)
	}
}
