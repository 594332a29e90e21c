// Package report computes the program reports of a caseload: caseload,
// outcomes, equity and services. It streams the cases through Repo.Walk
// (by way of scan, which reads only the notes and assessments a case's
// figures need) and keeps only aggregates (counts and histograms keyed by figure), so
// memory does not grow with the caseload; the case ids behind a figure are
// kept only for the figure --explain asks about.
//
// Every number in a report is a figure with a stable id, such as
// caseload.open.stage.planning or equity.goals-met.gender.woman, made of
// the table's id, the row's id and, for all but a table's main column, the
// column's id. The equity tables are published with small-cell suppression
// (see Suppress).
package report

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/casesproject/cases/casefile"
	"github.com/casesproject/cases/casefile/scan"
)

// Names are the reports, in the order they are printed.
var Names = []string{"caseload", "outcomes", "equity", "services"}

// Options choose the period, the cases and the reports.
type Options struct {
	From, To string    // the period, YYYY-MM-DD, both days included
	Today    time.Time // in the organization's time zone
	Program  string    // only cases of this program ("" for all)
	Worker   string    // only cases of this worker ("" for all)
	Reports  []string  // which reports (nil for all)
	// Explain names a figure whose case ids are collected.
	Explain string
}

// Unit says what a figure counts or measures.
type Unit string

// Units of figures.
const (
	UnitCount Unit = "count" // cases (or goals, members, referrals, notes: the column says)
	UnitShare Unit = "share" // a proportion from 0 to 1
	UnitRatio Unit = "ratio" // a group's rate divided by the overall rate
	UnitDays  Unit = "days"
	UnitScore Unit = "score"
)

// Report is the result: sections of tables.
type Report struct {
	From       string     `json:"from"`
	To         string     `json:"to"`
	Today      string     `json:"today"`
	Program    string     `json:"program,omitempty"`
	Worker     string     `json:"worker,omitempty"`
	SmallCell  int        `json:"small_cell"`
	Cases      int        `json:"cases"`      // cases in scope
	Unreadable int        `json:"unreadable"` // case folders whose case.yaml could not be read
	Sections   []*Section `json:"sections"`
	// Explained holds the figure asked about with Options.Explain.
	Explained *Explanation `json:"-"`
}

// Section is one report.
type Section struct {
	ID     string   `json:"id"`
	Title  string   `json:"title"`
	Tables []*Table `json:"tables"`
}

// Table is one table of figures.
type Table struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	RowHeader   string   `json:"row_header"`
	Columns     []Column `json:"columns"`
	Rows        []*Row   `json:"rows"`
	// Suppression says small cells are withheld in this table.
	Suppression bool   `json:"suppression"`
	Chart       *Chart `json:"chart,omitempty"`
}

// Column is one column of a table.
type Column struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Unit  Unit   `json:"unit"`
	// Main marks the column whose figures are named by the row alone.
	Main bool `json:"main,omitempty"`
}

// Row is one row of a table.
type Row struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	// Total marks a row of totals or of the whole population (not a group).
	Total bool   `json:"total,omitempty"`
	Cells []Cell `json:"cells"`
}

// Cell is one figure.
type Cell struct {
	Figure string   `json:"figure"`
	Value  *float64 `json:"value"` // nil when withheld or not defined (no cases)
	// Suppressed marks a figure withheld by small-cell suppression.
	Suppressed bool `json:"suppressed,omitempty"`

	keys []string // the bins whose cases the figure is computed over
}

// Chart says how a table is drawn.
type Chart struct {
	Kind    string   `json:"kind"`    // bar, stacked (shares of each row), or trend (lines over the rows)
	Columns []string `json:"columns"` // the columns drawn
	// Reference draws a line at a value (the caseload target, the overall
	// rate), labelled.
	Reference      *float64 `json:"reference,omitempty"`
	ReferenceLabel string   `json:"reference_label,omitempty"`
}

// Figure is one figure of a report, for listing.
type Figure struct {
	ID         string   `json:"id"`
	Value      *float64 `json:"value"`
	Unit       Unit     `json:"unit"`
	Suppressed bool     `json:"suppressed,omitempty"`
	Table      string   `json:"table"`
}

// Figures lists every figure of the report in table order.
func (r *Report) Figures() []Figure {
	var out []Figure
	for _, s := range r.Sections {
		for _, t := range s.Tables {
			for _, row := range t.Rows {
				for j, c := range row.Cells {
					out = append(out, Figure{ID: c.Figure, Value: c.Value, Unit: t.Columns[j].Unit, Suppressed: c.Suppressed, Table: t.ID})
				}
			}
		}
	}
	return out
}

// Explanation is a figure with the cases behind it.
type Explanation struct {
	Figure     string   `json:"figure"`
	Value      *float64 `json:"value"`
	Unit       Unit     `json:"unit"`
	Suppressed bool     `json:"suppressed,omitempty"`
	Table      string   `json:"table"`
	// Cases are the ids of the cases the figure counts or, for a share, a
	// median or a ratio, the cases it is computed over.
	Cases []string `json:"cases"`
}

// UnknownFigureError says no figure has the id asked about.
type UnknownFigureError struct{ ID string }

func (e *UnknownFigureError) Error() string {
	return fmt.Sprintf("no figure %s in this report; cases report --explain list lists them", e.ID)
}

// Run computes the reports over the repository's caseload.
func Run(ctx context.Context, r *casefile.Repo, opts Options) (*Report, error) {
	if len(opts.Reports) == 0 {
		opts.Reports = Names
	}
	if opts.Explain != "" {
		// Only the report the figure belongs to needs computing.
		name, _, _ := strings.Cut(opts.Explain, ".")
		if !slices.Contains(opts.Reports, name) {
			return nil, &UnknownFigureError{ID: opts.Explain}
		}
		opts.Reports = []string{name}
	}
	a := newAggregator(r.Config, opts, func(id string) *casefile.Instrument {
		d, _, err := r.Instrument(id)
		if err != nil || d == nil {
			return nil
		}
		return &d.Data
	})
	sel := casefile.Select{Kinds: []casefile.Kind{casefile.KindCase, casefile.KindIntake, casefile.KindPlan, casefile.KindClosure}}
	err := scan.Walk(ctx, r, sel, func(f *casefile.Folder) error { return a.Load(r, f) }, func(f *casefile.Folder) error {
		a.Add(f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a.Report()
}

// prefixOf is the part of a figure id whose bins are kept when the figure
// is explained: its first two components. Every bin a figure is computed
// from starts with them.
func prefixOf(figure string) string {
	parts := strings.SplitN(figure, ".", 3)
	if len(parts) < 2 {
		return figure
	}
	return parts[0] + "." + parts[1] + "."
}

// bins are the aggregates: counts and histograms by key, and the case ids
// of the keys an explanation needs.
type bins struct {
	n       map[string]int
	days    map[string]map[int]int
	scores  map[string]map[float64]int
	collect string // keep case ids of keys with this prefix ("" for none)
	ids     map[string][]string
	rows    map[string]map[string]bool // row ids seen, by table
}

func newBins(collect string) *bins {
	return &bins{n: map[string]int{}, days: map[string]map[int]int{}, scores: map[string]map[float64]int{},
		collect: collect, ids: map[string][]string{}, rows: map[string]map[string]bool{}}
}

func (b *bins) keep(key, id string) {
	if b.collect == "" || !strings.HasPrefix(key, b.collect) {
		return
	}
	if ids := b.ids[key]; len(ids) == 0 || ids[len(ids)-1] != id {
		b.ids[key] = append(ids, id)
	}
}

// count adds n to a key on behalf of a case.
func (b *bins) count(key string, n int, id string) {
	b.n[key] += n
	b.keep(key, id)
}

// seen records a row of a table.
func (b *bins) seen(table, row string) {
	m := b.rows[table]
	if m == nil {
		m = map[string]bool{}
		b.rows[table] = m
	}
	if !m[row] {
		m[row] = true
	}
}

func (b *bins) day(key string, d int, id string) {
	h := b.days[key]
	if h == nil {
		h = map[int]int{}
		b.days[key] = h
	}
	h[d]++
	b.keep(key, id)
}

func (b *bins) score(key string, s float64, id string) {
	h := b.scores[key]
	if h == nil {
		h = map[float64]int{}
		b.scores[key] = h
	}
	h[s]++
	b.keep(key, id)
}

// median of a histogram, and how many values it holds.
func median[K int | float64](h map[K]int) (float64, int) {
	n := 0
	keys := make([]K, 0, len(h))
	for k, c := range h {
		keys = append(keys, k)
		n += c
	}
	if n == 0 {
		return 0, 0
	}
	slices.Sort(keys)
	at := func(i int) float64 { // the i-th value, from 0
		for _, k := range keys {
			if i < h[k] {
				return float64(k)
			}
			i -= h[k]
		}
		return float64(keys[len(keys)-1])
	}
	if n%2 == 1 {
		return at(n / 2), n
	}
	return (at(n/2-1) + at(n/2)) / 2, n
}

// sortedRows lists the row ids seen in a table: those in order first, in
// that order, then the rest sorted.
func (b *bins) sortedRows(table string, order []string) []string {
	seen := b.rows[table]
	var out []string
	for _, id := range order {
		if seen[id] {
			out = append(out, id)
		}
	}
	var rest []string
	for id := range seen {
		if !slices.Contains(order, id) {
			rest = append(rest, id)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}
