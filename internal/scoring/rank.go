package scoring

import (
	"sort"

	"lvzhi/internal/framework"
)

// Ranks returns the rank of each total, best first, with ties sharing a rank
// and the next rank skipped (competition ranking: 1, 2, 2, 4).
func Ranks(totals []framework.Points) []int {
	order := make([]int, len(totals))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return totals[order[a]] > totals[order[b]] })
	ranks := make([]int, len(totals))
	for pos, i := range order {
		if pos > 0 && totals[i] == totals[order[pos-1]] {
			ranks[i] = ranks[order[pos-1]]
		} else {
			ranks[i] = pos + 1
		}
	}
	return ranks
}

// Move is a county whose grade differs between two frameworks.
type Move struct {
	County              string
	BaseTotal, NewTotal framework.Points
	BaseGrade, NewGrade string
}

// Comparison is how grades move when the same counties are scored under a
// base framework and a new one.
type Comparison struct {
	BaseGrades, NewGrades []string // the two frameworks' grades, best first
	// Matrix[i][j] counts counties graded BaseGrades[i] under the base
	// framework and NewGrades[j] under the new one.
	Matrix [][]int
	// Moved lists the counties whose grade changed, in input order.
	Moved []Move
	// Up and Down count counties that moved to a better or worse band
	// (by position, where the two frameworks have the same number of bands).
	Up, Down int
}

// Compare builds the grade matrix for counties scored under two frameworks.
// names, base and next are parallel slices.
func Compare(baseFw, newFw *framework.Framework, names []string, base, next []*Result) Comparison {
	c := Comparison{}
	for _, b := range baseFw.Grades {
		c.BaseGrades = append(c.BaseGrades, b.Grade)
	}
	for _, b := range newFw.Grades {
		c.NewGrades = append(c.NewGrades, b.Grade)
	}
	c.Matrix = make([][]int, len(c.BaseGrades))
	for i := range c.Matrix {
		c.Matrix[i] = make([]int, len(c.NewGrades))
	}
	for k := range names {
		i, j := baseFw.BandIndex(base[k].Grade), newFw.BandIndex(next[k].Grade)
		c.Matrix[i][j]++
		if base[k].Grade != next[k].Grade || i != j {
			c.Moved = append(c.Moved, Move{County: names[k], BaseTotal: base[k].Total, NewTotal: next[k].Total,
				BaseGrade: base[k].Grade, NewGrade: next[k].Grade})
			switch {
			case j < i:
				c.Up++
			case j > i:
				c.Down++
			}
		}
	}
	return c
}
