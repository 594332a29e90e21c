package report

import "slices"

// Small-cell suppression.
//
// A published table of counts of people must not let anyone learn a count
// below the small-cell size k (1 to k-1 people): such a count, or a figure
// from which it follows, can point to a person. Counts of zero are
// published. Suppression runs in two steps:
//
//  1. Primary: every count from 1 to k-1 is withheld. A row or column
//     whose total is below k is withheld whole, zeros included (a zero
//     beside a small total would tell that everyone in the group shares
//     the other answer).
//  2. Complementary: a table publishes its row totals, column totals and
//     grand total, so each row, each column, the column of row totals and
//     the row of column totals is an equation (total = sum of its parts).
//     An equation with exactly one withheld entry gives that entry away by
//     subtraction, so a second entry of it is withheld, the smallest one
//     (the least information lost), until no equation has exactly one.
//
// The column totals and the grand total describe the whole population and
// are shared by every breakdown of it (by gender, by language, ...). They
// are decided once, from the column totals alone (Margins), and every
// table of that population is then suppressed with the same margins, so a
// total withheld in one table is never published in another.
//
// What this guarantees, and a property test checks on random tables: no
// published count is from 1 to k-1, and no row, column or total has exactly
// one withheld entry. It does not defend against an attacker who combines
// several breakdowns of the same population (gender against language, say)
// into a larger system of equations.

// Margins is the decision about a population's column totals and grand
// total.
type Margins struct {
	Cols  []bool // column total j is withheld
	Total bool   // the grand total is withheld
}

// Mask says which entries of a table are withheld.
type Mask struct {
	Cells [][]bool
	Rows  []bool // row totals
	Margins
}

// SuppressMargins decides the column totals and grand total of a
// population: totals below k are withheld, and when exactly one of the
// column totals and the grand total is withheld, the smallest other one is
// too.
func SuppressMargins(cols []int, k int) Margins {
	m := Margins{Cols: make([]bool, len(cols))}
	total := 0
	for j, c := range cols {
		total += c
		m.Cols[j] = small(c, k)
	}
	m.Total = small(total, k)
	if m.Total {
		for j := range m.Cols {
			m.Cols[j] = true
		}
		return m
	}
	withheld := 0
	for _, s := range m.Cols {
		if s {
			withheld++
		}
	}
	if withheld == 1 {
		// The grand total minus the published column totals would give the
		// withheld one away: withhold the smallest published column total,
		// or the grand total when there is no other column.
		best := -1
		for j, c := range cols {
			if !m.Cols[j] && (best < 0 || better(c, cols[best])) {
				best = j
			}
		}
		if best >= 0 {
			m.Cols[best] = true
		} else {
			m.Total = true
		}
	}
	return m
}

// Suppress decides which cells and row totals of a table of counts to
// withhold, given the decision about its population's margins (from
// SuppressMargins on the table's column totals).
func Suppress(cells [][]int, k int, margins Margins) Mask {
	rows := len(cells)
	cols := len(margins.Cols)
	m := Mask{Cells: make([][]bool, rows), Rows: make([]bool, rows), Margins: Margins{Cols: slices.Clone(margins.Cols), Total: margins.Total}}
	rowTotal := make([]int, rows)
	for i := range cells {
		m.Cells[i] = make([]bool, cols)
		for j := range cols {
			rowTotal[i] += cells[i][j]
		}
	}
	// Primary suppression.
	for i := range rows {
		m.Rows[i] = small(rowTotal[i], k) || m.Total
		for j := range cols {
			m.Cells[i][j] = m.Rows[i] || m.Cols[j] || small(cells[i][j], k)
		}
	}
	// Complementary suppression, until no equation has exactly one
	// withheld entry. Each pass withholds at least one more entry or stops.
	for changed := true; changed; {
		changed = false
		for i := range rows {
			n := btoi(m.Rows[i])
			for j := range cols {
				n += btoi(m.Cells[i][j])
			}
			if n != 1 {
				continue
			}
			best := -1
			for j := range cols {
				if !m.Cells[i][j] && (best < 0 || better(cells[i][j], cells[i][best])) {
					best = j
				}
			}
			if best >= 0 {
				m.Cells[i][best] = true
			} else {
				m.Rows[i] = true
			}
			changed = true
		}
		for j := range cols {
			n := btoi(m.Cols[j])
			for i := range rows {
				n += btoi(m.Cells[i][j])
			}
			if n != 1 {
				continue
			}
			best := -1
			for i := range rows {
				if !m.Cells[i][j] && (best < 0 || better(cells[i][j], cells[best][j])) {
					best = i
				}
			}
			if best < 0 {
				// The column's total is fixed and published, and every
				// other cell is withheld: only withholding the whole
				// table keeps the cell hidden.
				m.withholdAll()
				return m
			}
			m.Cells[best][j] = true
			changed = true
		}
		n := btoi(m.Total)
		for i := range rows {
			n += btoi(m.Rows[i])
		}
		if n == 1 {
			best := -1
			for i := range rows {
				if !m.Rows[i] && (best < 0 || better(rowTotal[i], rowTotal[best])) {
					best = i
				}
			}
			if best < 0 {
				m.withholdAll()
				return m
			}
			m.Rows[best] = true
			changed = true
		}
	}
	return m
}

func (m *Mask) withholdAll() {
	for i := range m.Cells {
		m.Rows[i] = true
		for j := range m.Cells[i] {
			m.Cells[i][j] = true
		}
	}
}

// small reports whether a count is from 1 to k-1.
func small(n, k int) bool { return n > 0 && n < k }

// better prefers the smaller count, and any count above zero to zero:
// withholding a zero hides nothing.
func better(a, b int) bool {
	if (a == 0) != (b == 0) {
		return a != 0
	}
	return a < b
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
