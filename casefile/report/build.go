package report

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/casesproject/cases/casefile"
)

// Report builds the tables from what was added, and the explanation asked
// for. It fails with *UnknownFigureError when Options.Explain names no
// figure.
func (a *Aggregator) Report() (*Report, error) {
	rep := &Report{From: a.from, To: a.to, Today: a.opts.Today.Format("2006-01-02"), Program: a.opts.Program, Worker: a.opts.Worker,
		SmallCell: a.k(), Cases: a.cases, Unreadable: a.unreadable, Sections: []*Section{}}
	for _, name := range Names {
		if !a.want[name] {
			continue
		}
		var s *Section
		switch name {
		case "caseload":
			s = a.caseloadSection()
		case "outcomes":
			s = a.outcomesSection()
		case "equity":
			s = a.equitySection()
		case "services":
			s = a.servicesSection()
		}
		for _, t := range s.Tables {
			a.name(t)
		}
		rep.Sections = append(rep.Sections, s)
	}
	if a.opts.Explain != "" {
		ex, ok := a.explain(rep, a.opts.Explain)
		if !ok {
			return nil, &UnknownFigureError{ID: a.opts.Explain}
		}
		rep.Explained = ex
	}
	return rep, nil
}

func (a *Aggregator) k() int {
	if k := a.cfg.Reports.SmallCell; k > 0 {
		return k
	}
	return 11
}

// name gives every cell of a table its figure id.
func (a *Aggregator) name(t *Table) {
	for _, r := range t.Rows {
		for j := range r.Cells {
			id := t.ID + "." + r.ID
			if !t.Columns[j].Main {
				id += "." + t.Columns[j].ID
			}
			r.Cells[j].Figure = id
		}
	}
}

func (a *Aggregator) explain(rep *Report, figure string) (*Explanation, bool) {
	for _, s := range rep.Sections {
		for _, t := range s.Tables {
			for _, r := range t.Rows {
				for j, c := range r.Cells {
					if c.Figure != figure {
						continue
					}
					ids := []string{}
					for _, k := range c.keys {
						ids = append(ids, a.b.ids[k]...)
					}
					slices.Sort(ids)
					return &Explanation{Figure: figure, Value: c.Value, Unit: t.Columns[j].Unit, Suppressed: c.Suppressed, Table: t.ID, Cases: slices.Compact(ids)}, true
				}
			}
		}
	}
	return nil, false
}

func num(v float64) *float64 { return &v }

// pct prints a share as a whole percentage ("" when there is none).
func pct(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v*100, 'f', 0, 64) + "%"
}

func count(n int, keys ...string) Cell { return Cell{Value: num(float64(n)), keys: keys} }

// share is n of d, undefined when d is 0.
func share(n, d int, keys ...string) Cell {
	if d == 0 {
		return Cell{keys: keys}
	}
	return Cell{Value: num(float64(n) / float64(d)), keys: keys}
}

func withheld(keys ...string) Cell { return Cell{Suppressed: true, keys: keys} }

func (a *Aggregator) n(key string) int { return a.b.n[key] }

// countTable is a table of one column of case counts by row, with a total.
func (a *Aggregator) countTable(id, title, desc, rowHeader string, rows []string, label func(string) string) *Table {
	t := &Table{ID: id, Title: title, Description: desc, RowHeader: rowHeader,
		Columns: []Column{{ID: "cases", Label: "cases", Unit: UnitCount, Main: true}}}
	total, keys := 0, []string{}
	for _, r := range rows {
		k := id + "." + r
		total += a.n(k)
		keys = append(keys, k)
		t.Rows = append(t.Rows, &Row{ID: r, Label: label(r), Cells: []Cell{count(a.n(k), k)}})
	}
	t.Rows = append(t.Rows, &Row{ID: "total", Label: "total", Total: true, Cells: []Cell{count(total, keys...)}})
	t.Chart = &Chart{Kind: "bar", Columns: []string{"cases"}}
	return t
}

func same(s string) string { return s }

func (a *Aggregator) period() string { return a.from + " to " + a.to }

func (a *Aggregator) caseloadSection() *Section {
	s := &Section{ID: "caseload", Title: "Caseload"}
	openStages := []string{"intake", "assessment", "planning", "delivery", "monitoring"}
	at := "at the end of the period (" + a.to + ")"
	period := a.countTable("caseload.period", "New and closed in the period", "Cases opened and closed from "+a.period()+", and cases in follow-up "+at+".", "in the period",
		[]string{"new", "closed", "follow-up"}, func(r string) string {
			return map[string]string{"new": "opened", "closed": "closed", "follow-up": "in follow-up"}[r]
		})
	period.Rows = period.Rows[:len(period.Rows)-1] // the three do not add up to anything
	s.Tables = append(s.Tables,
		period,
		a.countTable("caseload.open.stage", "Open cases by stage", "Cases open "+at+", by their stage then.", "stage", openStages, same),
		a.countTable("caseload.open.level", "Open cases by level of case management", "Cases open "+at+", by their level then (none: not set yet).", "level", append(slices.Clone(casefile.Levels), "none"), same),
		a.countTable("caseload.open.risk", "Open cases by recorded risk", "Cases open "+at+", by the risk level recorded by then (none: not recorded).", "risk", append(slices.Clone(casefile.RiskLevels), "none"), same),
		a.countTable("caseload.open.worker", "Open cases by worker", "Cases open "+at+", by the worker the case is assigned to.", "worker", a.b.sortedRows("caseload.open.worker", nil), same),
	)
	// Caseload against the target.
	target := a.cfg.Reports.CaseloadTarget
	t := &Table{ID: "caseload.target", Title: fmt.Sprintf("Caseload per worker against the target of %d", target),
		Description: fmt.Sprintf("Open cases of each worker %s as a share of the caseload target (reports.caseload-target: %d); above 100%% is over target.", at, target),
		RowHeader:   "worker",
		Columns: []Column{{ID: "open", Label: "open cases", Unit: UnitCount}, {ID: "target", Label: "target", Unit: UnitCount},
			{ID: "load", Label: "of target", Unit: UnitShare, Main: true}}}
	for _, w := range a.b.sortedRows("caseload.open.worker", nil) {
		k := "caseload.open.worker." + w
		t.Rows = append(t.Rows, &Row{ID: w, Label: w, Cells: []Cell{count(a.n(k), k), count(target), share(a.n(k), target, k)}})
	}
	t.Chart = &Chart{Kind: "bar", Columns: []string{"open"}, Reference: num(float64(target)), ReferenceLabel: fmt.Sprintf("target %d", target)}
	s.Tables = append(s.Tables, t)
	// Month by month.
	tr := &Table{ID: "caseload.trend", Title: "Month by month", Description: "Cases opened and closed in each month of the period, and open at the month's end.", RowHeader: "month",
		Columns: []Column{{ID: "new", Label: "opened", Unit: UnitCount}, {ID: "closed", Label: "closed", Unit: UnitCount}, {ID: "open", Label: "open at month end", Unit: UnitCount}}}
	for _, m := range a.months {
		row := &Row{ID: m, Label: m}
		for _, c := range tr.Columns {
			k := "caseload.trend." + m + "." + c.ID
			row.Cells = append(row.Cells, count(a.n(k), k))
		}
		tr.Rows = append(tr.Rows, row)
	}
	tr.Chart = &Chart{Kind: "trend", Columns: []string{"new", "closed", "open"}}
	s.Tables = append(s.Tables, tr)
	return s
}

// Closure reasons in the order of closure.yaml's schema.
var closureReasons = []string{"goals-met", "moved", "declined-services", "ineligible-referred", "lost-contact", "transferred", "deceased", "other", "none"}

func (a *Aggregator) outcomesSection() *Section {
	s := &Section{ID: "outcomes", Title: "Outcomes"}
	closedIn := "closed from " + a.period()
	// Goals reviewed at closure.
	g := &Table{ID: "outcomes.goals", Title: "Goals reviewed at closure", Description: "Every goal reviewed in the closures of cases " + closedIn + ", by its result.", RowHeader: "result",
		Columns: []Column{{ID: "goals", Label: "goals", Unit: UnitCount, Main: true}, {ID: "share", Label: "share", Unit: UnitShare}}}
	total := a.n("outcomes.goals.total")
	var keys []string
	for _, r := range []string{"met", "partly-met", "not-met"} {
		k := "outcomes.goals." + r
		keys = append(keys, k)
		g.Rows = append(g.Rows, &Row{ID: r, Label: r, Cells: []Cell{count(a.n(k), k), share(a.n(k), total, keys[len(keys)-1:]...)}})
	}
	g.Rows = append(g.Rows, &Row{ID: "total", Label: "total", Total: true, Cells: []Cell{count(total, keys...), share(total, total, keys...)}})
	g.Chart = &Chart{Kind: "bar", Columns: []string{"goals"}}
	s.Tables = append(s.Tables, g)
	// Closures by reason.
	c := a.countTable("outcomes.closures", "Closures by reason", "Cases "+closedIn+", by the reason in closure.yaml.", "reason", a.b.sortedRows("outcomes.closures", closureReasons), same)
	c.Columns = append(c.Columns, Column{ID: "share", Label: "share", Unit: UnitShare})
	ctotal := int(*c.Rows[len(c.Rows)-1].Cells[0].Value)
	for _, r := range c.Rows {
		r.Cells = append(r.Cells, share(int(*r.Cells[0].Value), ctotal, r.Cells[0].keys...))
	}
	s.Tables = append(s.Tables, c)
	// Days from enrollment.
	d := &Table{ID: "outcomes.days", Title: "Days from enrollment", Description: "Median days from enrollment to the first assessment and to a plan signed by client and worker (cases enrolled from " + a.period() + "), and to closure (cases " + closedIn + ").", RowHeader: "to",
		Columns: []Column{{ID: "cases", Label: "cases", Unit: UnitCount}, {ID: "median", Label: "median days", Unit: UnitDays, Main: true}}}
	for _, r := range []struct{ id, label string }{{"first-assessment", "first assessment"}, {"plan-signed", "signed plan"}, {"closure", "closure"}} {
		k := "outcomes.days." + r.id
		med, n := median(a.b.days[k])
		cell := Cell{keys: []string{k}}
		if n > 0 {
			cell.Value = num(med)
		}
		d.Rows = append(d.Rows, &Row{ID: r.id, Label: r.label, Cells: []Cell{count(n, k), cell}})
	}
	d.Chart = &Chart{Kind: "bar", Columns: []string{"median"}}
	s.Tables = append(s.Tables, d)
	// Change by domain.
	ch := &Table{ID: "outcomes.change", Title: "Change by assessment domain, baseline to latest", Description: "Household members of cases served in the period with two or more assessments by its end: each domain's scale points at the latest assessment against the first (the baseline).", RowHeader: "domain",
		Columns: []Column{{ID: "improved", Label: "improved", Unit: UnitCount}, {ID: "same", Label: "same", Unit: UnitCount}, {ID: "worse", Label: "worse", Unit: UnitCount},
			{ID: "members", Label: "members", Unit: UnitCount}, {ID: "improved-share", Label: "share improved", Unit: UnitShare}}}
	for _, dom := range a.b.sortedRows("outcomes.change", nil) {
		p := "outcomes.change." + dom + "."
		imp, sm, wr := a.n(p+"improved"), a.n(p+"same"), a.n(p+"worse")
		all := []string{p + "improved", p + "same", p + "worse"}
		ch.Rows = append(ch.Rows, &Row{ID: dom, Label: dom, Cells: []Cell{count(imp, all[0]), count(sm, all[1]), count(wr, all[2]), count(imp+sm+wr, all...), share(imp, imp+sm+wr, all...)}})
	}
	ch.Chart = &Chart{Kind: "stacked", Columns: []string{"improved", "same", "worse"}}
	s.Tables = append(s.Tables, ch)
	return s
}

// fieldOrder is the order of a demographic field's groups.
func (a *Aggregator) fieldOrder(field string) []string {
	switch field {
	case "age-band":
		return AgeBands(a.cfg.Reports.AgeBands)
	case "gender":
		return []string{"woman", "man", "non-binary", "transgender", "questioning", "another-identity", "not-disclosed"}
	case "race-ethnicity":
		return []string{"american-indian-alaska-native", "asian", "black", "hispanic-latino", "middle-eastern-north-african", "native-hawaiian-pacific-islander", "white", "another", "multiple", "not-disclosed"}
	case "interpreter", "disability":
		return []string{"yes", "no"}
	}
	return nil
}

var fieldTitles = map[string]string{"age-band": "age band at enrollment", "gender": "gender", "race-ethnicity": "race and ethnicity",
	"language": "primary language", "interpreter": "interpreter needed", "disability": "disability"}

// group is one row of an equity table: a group of the field, or several
// small ones folded into "other".
type group struct {
	id, label string
	members   []string // the groups folded into it
}

// fold lists a table's groups in order, folding every group smaller than
// the small-cell size into "other" (and "not recorded" last).
func (a *Aggregator) fold(table, field string, size func(g string) int) []group {
	k := a.k()
	var out []group
	var other []string
	order := a.fieldOrder(field)
	rows := a.b.sortedRows(table, order)
	// not-recorded goes last.
	if i := slices.Index(rows, notRecorded); i >= 0 {
		rows = append(slices.Delete(rows, i, i+1), notRecorded)
	}
	for _, g := range rows {
		if size(g) < k {
			other = append(other, g)
			continue
		}
		label := g
		if g == notRecorded {
			label = "not recorded"
		}
		out = append(out, group{id: g, label: label, members: []string{g}})
	}
	if len(other) > 0 {
		out = append(out, group{id: otherGroup, label: fmt.Sprintf("other (groups under %d)", k), members: other})
	}
	return out
}

func (a *Aggregator) equitySection() *Section {
	s := &Section{ID: "equity", Title: "Equity"}
	for _, m := range Measures {
		for _, f := range Fields {
			s.Tables = append(s.Tables, a.rateTable(m.ID, m.Title, m.Population, f))
		}
	}
	for _, f := range Fields {
		s.Tables = append(s.Tables, a.distTable("risk-level", "Recorded risk level", "cases served in the period with a risk recorded by its end, by the recorded level", casefile.RiskLevels, f))
	}
	for _, f := range Fields {
		s.Tables = append(s.Tables, a.scoreTable(f))
	}
	for _, f := range Fields {
		s.Tables = append(s.Tables, a.distTable("case-level", "Level of case management", "cases served in the period with a level set by its end, by that level", casefile.Levels, f))
	}
	return s
}

// rateTable is a measure's rate in each group of a field, beside the
// overall rate, with small cells withheld.
func (a *Aggregator) rateTable(measure, title, population, field string) *Table {
	k := a.k()
	id := "equity." + measure + "." + field
	t := &Table{ID: id, Title: title + " by " + fieldTitles[field], Suppression: true,
		Description: "Of " + population + ". Each group's rate beside the overall rate, and their ratio. Groups under " + fmt.Sprint(k) + " are folded into other; counts under " + fmt.Sprint(k) + ", and figures that would reveal one, are withheld.",
		RowHeader:   fieldTitles[field],
		Columns: []Column{{ID: "count", Label: "yes", Unit: UnitCount}, {ID: "of", Label: "of", Unit: UnitCount}, {ID: "rate", Label: "rate", Unit: UnitShare, Main: true},
			{ID: "overall", Label: "overall rate", Unit: UnitShare}, {ID: "ratio", Label: "ratio to overall", Unit: UnitRatio}}}
	key := func(g, yn string) string { return id + "." + g + "." + yn }
	groups := a.fold(id, field, func(g string) int { return a.n(key(g, "yes")) + a.n(key(g, "no")) })
	cells := make([][]int, len(groups))
	for i, g := range groups {
		cells[i] = make([]int, 2)
		for _, m := range g.members {
			cells[i][0] += a.n(key(m, "yes"))
			cells[i][1] += a.n(key(m, "no"))
		}
	}
	ok := "equity." + measure + ".overall."
	oy, on := a.n(ok+"yes"), a.n(ok+"no")
	margins := SuppressMargins([]int{oy, on}, k)
	mask := Suppress(cells, k, margins)
	overallKeys := []string{ok + "yes", ok + "no"}
	overall := share(oy, oy+on, overallKeys...)
	if margins.Cols[0] || margins.Total {
		overall = withheld(overallKeys...)
	}
	for i, g := range groups {
		var yesKeys, allKeys []string
		for _, m := range g.members {
			yesKeys = append(yesKeys, key(m, "yes"))
			allKeys = append(allKeys, key(m, "yes"), key(m, "no"))
		}
		yes, of := count(cells[i][0], yesKeys...), count(cells[i][0]+cells[i][1], allKeys...)
		rate := share(cells[i][0], cells[i][0]+cells[i][1], allKeys...)
		if mask.Cells[i][0] {
			yes = withheld(yesKeys...)
		}
		if mask.Rows[i] {
			of = withheld(allKeys...)
		}
		if mask.Cells[i][0] || mask.Rows[i] {
			rate = withheld(allKeys...)
		}
		ratio := Cell{keys: allKeys}
		switch {
		case rate.Suppressed || overall.Suppressed:
			ratio.Suppressed = true
		case rate.Value != nil && overall.Value != nil && *overall.Value > 0:
			ratio.Value = num(*rate.Value / *overall.Value)
		}
		ov := overall
		ov.keys = overallKeys
		t.Rows = append(t.Rows, &Row{ID: g.id, Label: g.label, Cells: []Cell{yes, of, rate, ov, ratio}})
	}
	oyes, oof := count(oy, overallKeys[0]), count(oy+on, overallKeys...)
	if margins.Cols[0] {
		oyes = withheld(overallKeys[0])
	}
	if margins.Total {
		oof = withheld(overallKeys...)
	}
	ratio := Cell{keys: overallKeys}
	if overall.Suppressed {
		ratio.Suppressed = true
	} else if overall.Value != nil && *overall.Value > 0 {
		ratio.Value = num(1)
	}
	t.Rows = append(t.Rows, &Row{ID: "overall", Label: "overall", Total: true, Cells: []Cell{oyes, oof, overall, overall, ratio}})
	t.Chart = &Chart{Kind: "bar", Columns: []string{"rate"}, Reference: overall.Value, ReferenceLabel: "overall " + pct(overall.Value)}
	return t
}

// distTable is the distribution of a case's level (risk or case
// management) in each group of a field, with small cells withheld.
func (a *Aggregator) distTable(kind, title, population string, levels []string, field string) *Table {
	k := a.k()
	id := "equity." + kind + "." + field
	t := &Table{ID: id, Title: title + " by " + fieldTitles[field], Suppression: true,
		Description: "Of " + population + ". Groups under " + fmt.Sprint(k) + " are folded into other; counts under " + fmt.Sprint(k) + ", and figures that would reveal one, are withheld.",
		RowHeader:   fieldTitles[field]}
	for _, l := range levels {
		t.Columns = append(t.Columns, Column{ID: l, Label: l, Unit: UnitCount})
	}
	t.Columns = append(t.Columns, Column{ID: "total", Label: "total", Unit: UnitCount})
	key := func(g, l string) string { return id + "." + g + "." + l }
	groups := a.fold(id, field, func(g string) int {
		n := 0
		for _, l := range levels {
			n += a.n(key(g, l))
		}
		return n
	})
	cells := make([][]int, len(groups))
	for i, g := range groups {
		cells[i] = make([]int, len(levels))
		for j, l := range levels {
			for _, m := range g.members {
				cells[i][j] += a.n(key(m, l))
			}
		}
	}
	colTotals := make([]int, len(levels))
	overallKeys := make([]string, len(levels))
	for j, l := range levels {
		overallKeys[j] = "equity." + kind + ".overall." + l
		colTotals[j] = a.n(overallKeys[j])
	}
	margins := SuppressMargins(colTotals, k)
	mask := Suppress(cells, k, margins)
	for i, g := range groups {
		row := &Row{ID: g.id, Label: g.label}
		var all []string
		for j, l := range levels {
			var keys []string
			for _, m := range g.members {
				keys = append(keys, key(m, l))
			}
			all = append(all, keys...)
			if mask.Cells[i][j] {
				row.Cells = append(row.Cells, withheld(keys...))
			} else {
				row.Cells = append(row.Cells, count(cells[i][j], keys...))
			}
		}
		n := 0
		for _, c := range cells[i] {
			n += c
		}
		if mask.Rows[i] {
			row.Cells = append(row.Cells, withheld(all...))
		} else {
			row.Cells = append(row.Cells, count(n, all...))
		}
		t.Rows = append(t.Rows, row)
	}
	row := &Row{ID: "overall", Label: "overall", Total: true}
	grand := 0
	for j := range levels {
		grand += colTotals[j]
		if margins.Cols[j] {
			row.Cells = append(row.Cells, withheld(overallKeys[j]))
		} else {
			row.Cells = append(row.Cells, count(colTotals[j], overallKeys[j]))
		}
	}
	if margins.Total {
		row.Cells = append(row.Cells, withheld(overallKeys...))
	} else {
		row.Cells = append(row.Cells, count(grand, overallKeys...))
	}
	t.Rows = append(t.Rows, row)
	t.Chart = &Chart{Kind: "stacked", Columns: slices.Clone(levels)}
	return t
}

// scoreTable is the median recorded risk score in each group of a field.
// Medians are published only beside a published count; they are not
// additive, so no median follows from the others.
func (a *Aggregator) scoreTable(field string) *Table {
	k := a.k()
	id := "equity.risk-score." + field
	t := &Table{ID: id, Title: "Recorded risk score by " + fieldTitles[field], Suppression: true,
		Description: "Median risk score of cases served in the period with a risk recorded by its end. Groups under " + fmt.Sprint(k) + " are folded into other; counts under " + fmt.Sprint(k) + ", and figures that would reveal one, are withheld.",
		RowHeader:   fieldTitles[field],
		Columns:     []Column{{ID: "cases", Label: "cases", Unit: UnitCount}, {ID: "median", Label: "median score", Unit: UnitScore, Main: true}}}
	groups := a.fold(id, field, func(g string) int { _, n := median(a.b.scores[id+"."+g]); return n })
	cells := make([][]int, len(groups))
	hists := make([]map[float64]int, len(groups))
	for i, g := range groups {
		hists[i] = map[float64]int{}
		for _, m := range g.members {
			for s, c := range a.b.scores[id+"."+m] {
				hists[i][s] += c
			}
		}
		_, n := median(hists[i])
		cells[i] = []int{n}
	}
	ok := "equity.risk-score.overall"
	omed, on := median(a.b.scores[ok])
	margins := SuppressMargins([]int{on}, k)
	mask := Suppress(cells, k, margins)
	for i, g := range groups {
		var keys []string
		for _, m := range g.members {
			keys = append(keys, id+"."+m)
		}
		med, n := median(hists[i])
		nc, mc := count(n, keys...), Cell{Value: num(med), keys: keys}
		if mask.Cells[i][0] || mask.Rows[i] {
			nc, mc = withheld(keys...), withheld(keys...)
		}
		t.Rows = append(t.Rows, &Row{ID: g.id, Label: g.label, Cells: []Cell{nc, mc}})
	}
	nc, mc := count(on, ok), Cell{keys: []string{ok}}
	if on > 0 {
		mc.Value = num(omed)
	}
	if margins.Total || margins.Cols[0] {
		nc, mc = withheld(ok), withheld(ok)
	}
	t.Rows = append(t.Rows, &Row{ID: "overall", Label: "overall", Total: true, Cells: []Cell{nc, mc}})
	t.Chart = &Chart{Kind: "bar", Columns: []string{"median"}, Reference: mc.Value, ReferenceLabel: "overall"}
	if mc.Value != nil {
		t.Chart.ReferenceLabel = "overall " + strconv.FormatFloat(*mc.Value, 'f', -1, 64)
	}
	return t
}

func (a *Aggregator) servicesSection() *Section {
	s := &Section{ID: "services", Title: "Services"}
	sent := "sent from " + a.period()
	// Referrals by provider and status.
	r := &Table{ID: "services.referrals", Title: "Referrals by provider and status", Description: "Referrals " + sent + ", by provider and their status at the end of the period; a loop is closed when the referral was completed, declined or missed (no-show).", RowHeader: "provider"}
	for _, st := range referralStatuses {
		r.Columns = append(r.Columns, Column{ID: st, Label: st, Unit: UnitCount})
	}
	r.Columns = append(r.Columns, Column{ID: "total", Label: "total", Unit: UnitCount}, Column{ID: "closed-loop", Label: "closed loop", Unit: UnitShare})
	colTotals := make([]int, len(referralStatuses))
	colKeys := make([][]string, len(referralStatuses))
	var allKeys []string
	for _, p := range a.b.sortedRows("services.referrals", nil) {
		row := &Row{ID: p, Label: p}
		n, closed := 0, 0
		var keys []string
		for j, st := range referralStatuses {
			k := "services.referrals." + p + "." + st
			c := a.n(k)
			row.Cells = append(row.Cells, count(c, k))
			n += c
			colTotals[j] += c
			colKeys[j] = append(colKeys[j], k)
			keys = append(keys, k)
			if st == "completed" || st == "declined" || st == "no-show" {
				closed += c
			}
		}
		allKeys = append(allKeys, keys...)
		row.Cells = append(row.Cells, count(n, keys...), share(closed, n, keys...))
		r.Rows = append(r.Rows, row)
	}
	total := &Row{ID: "total", Label: "total", Total: true}
	n, closed := 0, 0
	for j, st := range referralStatuses {
		total.Cells = append(total.Cells, count(colTotals[j], colKeys[j]...))
		n += colTotals[j]
		if st == "completed" || st == "declined" || st == "no-show" {
			closed += colTotals[j]
		}
	}
	total.Cells = append(total.Cells, count(n, allKeys...), share(closed, n, allKeys...))
	r.Rows = append(r.Rows, total)
	r.Chart = &Chart{Kind: "stacked", Columns: slices.Clone(referralStatuses)}
	s.Tables = append(s.Tables, r)
	// Days from referral to completion.
	c := &Table{ID: "services.completion", Title: "Days from referral to completion", Description: "Referrals completed from " + a.period() + ": median days from the date sent to the date completed, by provider.", RowHeader: "provider",
		Columns: []Column{{ID: "referrals", Label: "referrals", Unit: UnitCount}, {ID: "median", Label: "median days", Unit: UnitDays, Main: true}}}
	for _, p := range append(a.b.sortedRows("services.completion", nil), "total") {
		k := "services.completion." + p
		med, n := median(a.b.days[k])
		cell := Cell{keys: []string{k}}
		if n > 0 {
			cell.Value = num(med)
		}
		c.Rows = append(c.Rows, &Row{ID: p, Label: p, Total: p == "total", Cells: []Cell{count(n, k), cell}})
	}
	c.Chart = &Chart{Kind: "bar", Columns: []string{"median"}}
	s.Tables = append(s.Tables, c)
	// Services delivered.
	d := &Table{ID: "services.delivered", Title: "Services delivered", Description: "Service notes dated from " + a.period() + ", by provider and service (a service without a provider is the organization's own): notes, cases served and minutes.", RowHeader: "service",
		Columns: []Column{{ID: "notes", Label: "notes", Unit: UnitCount}, {ID: "cases", Label: "cases", Unit: UnitCount}, {ID: "minutes", Label: "minutes", Unit: UnitCount}}}
	for _, l := range append(a.b.sortedRows("services.delivered", nil), "total") {
		row := &Row{ID: l, Label: l, Total: l == "total"}
		for _, col := range d.Columns {
			k := "services.delivered." + l + "." + col.ID
			row.Cells = append(row.Cells, count(a.n(k), k))
		}
		d.Rows = append(d.Rows, row)
	}
	d.Chart = &Chart{Kind: "bar", Columns: []string{"notes"}}
	s.Tables = append(s.Tables, d)
	return s
}
