package assess

import (
	"slices"

	"github.com/casesproject/cases/casefile"
)

// Point is one scale answer in a comparison.
type Point struct {
	Date  string
	Value int
	Label string // the scale point's label in the current instrument
}

// Row is one scale question of one member: the answer at the baseline (the
// member's first assessment), at the previous one and at the latest.
type Row struct {
	Domain   string
	Question string
	Baseline *Point
	Previous *Point // nil unless the member has three or more assessments
	Latest   *Point // nil unless the member has two or more
	// Change is latest minus baseline in scale points (positive: better),
	// nil without both.
	Change *int
}

// MemberComparison is one member's progress, domain by domain.
type MemberComparison struct {
	Member string
	// Dates of the baseline, previous and latest assessments ("" when there
	// is none).
	Baseline, Previous, Latest string
	Rows                       []Row
}

// Compare lines up each member's assessments with the instrument (only
// member when not ""), domain by domain: the status questions on a scale,
// which are the ones a reassessment measures progress by. Members are in
// household order; members never assessed with the instrument are left out.
func Compare(f *casefile.Folder, ins *casefile.Instrument, member string) []MemberComparison {
	byMember := map[string][]casefile.Assessment{}
	for _, d := range f.Assessments {
		a := d.Data
		if a.Instrument == ins.ID && (member == "" || a.Member == member) {
			byMember[a.Member] = append(byMember[a.Member], a)
		}
	}
	var order []string
	if f.Intake != nil {
		for _, m := range f.Intake.Data.Household {
			order = append(order, m.ID)
		}
	}
	for m := range byMember {
		if !slices.Contains(order, m) {
			order = append(order, m)
		}
	}
	out := []MemberComparison{}
	for _, m := range order {
		list := byMember[m]
		if len(list) == 0 {
			continue
		}
		slices.SortStableFunc(list, func(a, b casefile.Assessment) int {
			switch {
			case a.Date < b.Date:
				return -1
			case a.Date > b.Date:
				return 1
			}
			return 0
		})
		mc := MemberComparison{Member: m}
		base := list[0]
		var prev, last *casefile.Assessment
		if len(list) >= 3 {
			prev = &list[len(list)-2]
		}
		if len(list) >= 2 {
			last = &list[len(list)-1]
		}
		mc.Baseline = base.Date
		if prev != nil {
			mc.Previous = prev.Date
		}
		if last != nil {
			mc.Latest = last.Date
		}
		for i := range ins.Questions {
			q := &ins.Questions[i]
			if q.Type != "scale" {
				continue
			}
			row := Row{Domain: q.Domain, Question: q.ID, Baseline: point(ins, q, &base)}
			if prev != nil {
				row.Previous = point(ins, q, prev)
			}
			if last != nil {
				row.Latest = point(ins, q, last)
			}
			if row.Baseline == nil && row.Previous == nil && row.Latest == nil {
				continue
			}
			if row.Baseline != nil && row.Latest != nil {
				d := row.Latest.Value - row.Baseline.Value
				row.Change = &d
			}
			mc.Rows = append(mc.Rows, row)
		}
		out = append(out, mc)
	}
	return out
}

func point(ins *casefile.Instrument, q *casefile.Question, a *casefile.Assessment) *Point {
	v, ok := a.Answers[q.ID]
	if !ok {
		return nil
	}
	var n int
	switch x := v.(type) {
	case int64:
		n = int(x)
	case float64:
		n = int(x)
	default:
		return nil
	}
	p := &Point{Date: a.Date, Value: n}
	for _, s := range ins.ScaleOf(q) {
		if s.Value == n {
			p.Label = s.Label
		}
	}
	return p
}
