package report

import (
	"testing"

	"pgregory.net/rapid"
)

// published is a table after suppression: every entry with whether it is
// withheld.
type published struct {
	cells    [][]int
	rows     []int
	cols     []int
	total    int
	mask     Mask
	smallest int
}

func publish(cells [][]int, k int, margins Margins) published {
	p := published{cells: cells, rows: make([]int, len(cells)), cols: make([]int, len(margins.Cols)), smallest: k}
	for i, row := range cells {
		for j, c := range row {
			p.rows[i] += c
			p.cols[j] += c
			p.total += c
		}
	}
	p.mask = Suppress(cells, k, margins)
	return p
}

// check fails when a published count is from 1 to k-1, when a withheld
// entry can be recomputed from one row, column or total by subtraction
// (the equation has exactly one withheld entry), or when a group whose
// total is small shows any of its cells.
func (p published) check(t *rapid.T) {
	m := p.mask
	k := p.smallest
	for i := range p.cells {
		if !m.Rows[i] && small(p.rows[i], k) {
			t.Fatalf("row %d publishes a total of %d, below %d", i, p.rows[i], k)
		}
		n := btoi(m.Rows[i])
		for j := range p.cells[i] {
			if !m.Cells[i][j] && small(p.cells[i][j], k) {
				t.Fatalf("cell %d,%d publishes %d, below %d", i, j, p.cells[i][j], k)
			}
			if small(p.rows[i], k) && !m.Cells[i][j] {
				t.Fatalf("row %d has a small total but publishes cell %d", i, j)
			}
			n += btoi(m.Cells[i][j])
		}
		if n == 1 {
			t.Fatalf("row %d has exactly one withheld entry: it follows by subtraction", i)
		}
	}
	for j := range p.cols {
		if !m.Cols[j] && small(p.cols[j], k) {
			t.Fatalf("column %d publishes a total of %d, below %d", j, p.cols[j], k)
		}
		n := btoi(m.Cols[j])
		for i := range p.cells {
			n += btoi(m.Cells[i][j])
		}
		if n == 1 {
			t.Fatalf("column %d has exactly one withheld entry: it follows by subtraction", j)
		}
	}
	if !m.Total && small(p.total, k) {
		t.Fatalf("the grand total %d is published, below %d", p.total, k)
	}
	n := btoi(m.Total)
	for i := range p.rows {
		n += btoi(m.Rows[i])
	}
	if n == 1 {
		t.Fatalf("the row totals have exactly one withheld entry: it follows from the grand total")
	}
	n = btoi(m.Total)
	for j := range p.cols {
		n += btoi(m.Cols[j])
	}
	if n == 1 {
		t.Fatalf("the column totals have exactly one withheld entry: it follows from the grand total")
	}
}

// counts draws small counts often, since those are what suppression is
// about.
func counts() *rapid.Generator[int] {
	return rapid.OneOf(rapid.IntRange(0, 3), rapid.IntRange(0, 15), rapid.IntRange(0, 200))
}

func TestSuppressionHidesEverySmallCellFromSubtraction(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		k := rapid.IntRange(2, 15).Draw(t, "k")
		rows := rapid.IntRange(1, 8).Draw(t, "rows")
		cols := rapid.IntRange(1, 6).Draw(t, "cols")
		cells := make([][]int, rows)
		colTotals := make([]int, cols)
		for i := range cells {
			cells[i] = make([]int, cols)
			for j := range cells[i] {
				cells[i][j] = counts().Draw(t, "cell")
				colTotals[j] += cells[i][j]
			}
		}
		publish(cells, k, SuppressMargins(colTotals, k)).check(t)
	})
}

// Two breakdowns of one population (by two demographic fields) share its
// margins: each must hold on its own, and both must withhold the same
// totals, or one table would publish what the other hides.
func TestSuppressionOfTwoBreakdownsSharesTheMargins(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		k := rapid.IntRange(2, 15).Draw(t, "k")
		cols := rapid.IntRange(1, 5).Draw(t, "cols")
		groupsA := rapid.IntRange(1, 6).Draw(t, "groupsA")
		groupsB := rapid.IntRange(1, 6).Draw(t, "groupsB")
		people := rapid.IntRange(0, 300).Draw(t, "people")
		a := make([][]int, groupsA)
		for i := range a {
			a[i] = make([]int, cols)
		}
		b := make([][]int, groupsB)
		for i := range b {
			b[i] = make([]int, cols)
		}
		colTotals := make([]int, cols)
		for range people {
			c := rapid.IntRange(0, cols-1).Draw(t, "answer")
			a[rapid.IntRange(0, groupsA-1).Draw(t, "groupA")][c]++
			b[rapid.IntRange(0, groupsB-1).Draw(t, "groupB")][c]++
			colTotals[c]++
		}
		margins := SuppressMargins(colTotals, k)
		pa, pb := publish(a, k, margins), publish(b, k, margins)
		pa.check(t)
		pb.check(t)
		for j := range colTotals {
			if pa.mask.Cols[j] != pb.mask.Cols[j] {
				t.Fatalf("column %d total withheld in one breakdown and published in the other", j)
			}
		}
		if pa.mask.Total != pb.mask.Total {
			t.Fatal("grand total withheld in one breakdown and published in the other")
		}
	})
}

// A hand-checked example: with k = 11, a group of 5 is withheld, and the
// next smallest group with it, so neither follows from the total.
func TestSuppressionExample(t *testing.T) {
	cells := [][]int{{20, 15}, {3, 2}, {14, 12}}
	margins := SuppressMargins([]int{37, 29}, 11)
	m := Suppress(cells, 11, margins)
	want := [][]bool{{false, false}, {true, true}, {true, true}}
	wantRows := []bool{false, true, true}
	for i := range want {
		if m.Rows[i] != wantRows[i] {
			t.Errorf("row %d total withheld = %v, want %v", i, m.Rows[i], wantRows[i])
		}
		for j := range want[i] {
			if m.Cells[i][j] != want[i][j] {
				t.Errorf("cell %d,%d withheld = %v, want %v", i, j, m.Cells[i][j], want[i][j])
			}
		}
	}
	if m.Cols[0] || m.Cols[1] || m.Total {
		t.Errorf("margins withheld: %+v; want all published", m.Margins)
	}
}
