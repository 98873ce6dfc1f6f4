package workflow

import (
	"fmt"

	"lvzhi/internal/framework"
)

// Credibility thresholds (domain.md d.9): below MinCredibility, or with one
// point over-claimed by more than half its maximum, the self-assessment is
// sent for a falsification review (which may lead to the one-grade drop of
// d.8-2; that decision is a person's, not this package's).
const (
	MinCredibility framework.Decimal = 8500 // 0.85
)

// Credibility measures how far a county's self-scores can be trusted,
// comparing them with the reviewers' scores on the points reviewers
// scored.
//
// Formula (domain.md d.9, with the reviewed points as the checked set K):
// K is the set of points with a reviewer's score (verified, else city);
// R = 1 − Σ_{i∈K} max(0, self_i − checked_i) / Σ_{i∈K} max_i. Only
// over-claims count: a county that under-claims is not less credible. R is
// rounded half up to four decimals. With K empty R is 1 and Checked is 0:
// nothing was checked, so nothing speaks against the county.
//
// Unlike d.9's proposal, R does not scale the unchecked points' scores: the
// final score of a point is the reviewed one where reviewed, else the
// self-score (see Decide). R is shown beside the score, drives the
// falsification review, and next year's sampling picks counties with a low
// R.
type Credibility struct {
	R       framework.Decimal
	Checked int              // points in K
	Over    framework.Points // Σ over-claims in K
	Max     framework.Points // Σ maxima in K
	// OverHalf lists the points over-claimed by more than half their
	// maximum.
	OverHalf []string
	// Review is true when a falsification review should be opened;
	// Reasons say why, in Chinese.
	Review  bool
	Reasons []string
}

// Credible computes the credibility of a county's self-assessment from its
// points' outcomes.
func Credible(points []PointOutcome) Credibility {
	c := Credibility{R: framework.DecimalOne}
	for _, p := range points {
		var checked framework.Points
		switch {
		case p.Verified != nil:
			checked = *p.Verified
		case p.City != nil:
			checked = *p.City
		default:
			continue
		}
		c.Checked++
		c.Max += p.Max
		over := max(0, p.Self-checked)
		c.Over += over
		if 2*over > p.Max {
			c.OverHalf = append(c.OverHalf, p.Code)
		}
	}
	if c.Max > 0 {
		// R = (Max − Over) / Max in ten-thousandths, half up.
		num := int64(c.Max-c.Over) * int64(framework.DecimalOne)
		c.R = framework.Decimal((2*num + int64(c.Max)) / (2 * int64(c.Max)))
	}
	if c.Checked > 0 && c.R < MinCredibility {
		c.Review = true
		c.Reasons = append(c.Reasons, fmt.Sprintf("自评可信度 %s 低于 %s", c.R, MinCredibility))
	}
	for _, code := range c.OverHalf {
		c.Review = true
		c.Reasons = append(c.Reasons, fmt.Sprintf("测评点 %s 自评分高出核查分一半满分以上", code))
	}
	return c
}

// String shows R as a percentage with one decimal ("93.8%"), or "未核查".
func (c Credibility) String() string {
	if c.Checked == 0 {
		return "未核查"
	}
	// R in ten-thousandths → percent in tenths, half up.
	tenths := (int64(c.R) + 5) / 10
	return fmt.Sprintf("%d.%d%%", tenths/10, tenths%10)
}
