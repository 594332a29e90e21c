package report_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/due"
	"github.com/casesproject/cases/casefile/report"
)

// Run and due.Collect read only the notes and assessments they need (by
// file name); fed every document of every case instead, the aggregates
// and the items must come out the same.
func TestReadingLessGivesTheSameFigures(t *testing.T) {
	root := benchCaseload(t, 60)
	r, err := casefile.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	opts := report.Options{From: "2025-11-25", To: "2026-11-24", Today: today}
	lazy, err := report.Run(context.Background(), r, opts)
	if err != nil {
		t.Fatal(err)
	}
	a := report.NewAggregator(r.Config, opts, func(id string) *casefile.Instrument {
		d, _, err := r.Instrument(id)
		if err != nil || d == nil {
			return nil
		}
		return &d.Data
	})
	var items []due.Item
	err = r.Walk(context.Background(), nil, casefile.Select{}, func(f *casefile.Folder) error {
		a.Add(f)
		for _, it := range due.For(f, r.Config, today) {
			if it.Days <= 14 {
				items = append(items, it)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	full, err := a.Report()
	if err != nil {
		t.Fatal(err)
	}
	lj, _ := json.Marshal(lazy)
	fj, _ := json.Marshal(full)
	if string(lj) != string(fj) {
		t.Errorf("the report differs when every document is read:\n lazy %s\n full %s", lj, fj)
	}
	if lazy.Cases != 52 { // 60 copies of 8 cases less the 8 copies of 2025-06-HHHHH, closed before the period
		t.Errorf("%d cases in scope, want 52", lazy.Cases)
	}
	due.Sort(items)
	res, err := due.Collect(context.Background(), r, due.Options{Today: today, Within: 14})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(items, res.Items()) {
		t.Errorf("due differs when every document is read: %d items, %d read lazily", len(items), res.Len())
	}
	if len(items) == 0 {
		t.Error("nothing due in the caseload")
	}
}

// Every figure of a cell is computed from bins whose keys start with the
// first two parts of its id: that is what --explain collects.
func TestEveryFigureCanBeExplained(t *testing.T) {
	root := benchCaseload(t, 16)
	r, err := casefile.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	opts := report.Options{From: "2025-11-25", To: "2026-11-24", Today: today}
	rep, err := report.Run(context.Background(), r, opts)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range rep.Figures() {
		if seen[f.ID] {
			t.Errorf("figure id %s is used twice", f.ID)
		}
		seen[f.ID] = true
	}
	for _, id := range []string{"caseload.open.stage.delivery", "outcomes.goals.met", "services.referrals.total.closed-loop", "equity.goals-met.gender.overall", "caseload.trend.2026-10.open"} {
		opts.Explain = id
		rep, err := report.Run(context.Background(), r, opts)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if len(rep.Explained.Cases) == 0 {
			t.Errorf("%s: no cases behind it", id)
		}
		for _, c := range rep.Explained.Cases {
			if !casefile.ValidCaseID(c) || strings.Contains(c, " ") {
				t.Errorf("%s: %q is not a case id", id, c)
			}
		}
	}
	opts.Explain = "caseload.open.stage.nowhere"
	if _, err := report.Run(context.Background(), r, opts); err == nil {
		t.Error("an unknown figure was explained")
	}
}
