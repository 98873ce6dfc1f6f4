package workflow

import (
	"sort"

	"lvzhi/internal/framework"
	"lvzhi/internal/scoring"
)

// Ranked is a county's total with its ranks.
type Ranked struct {
	County, Stratum string
	Total           framework.Points
	// Rank is within all the counties ranked together (the province);
	// StratumRank within the county's city. Ties share a rank
	// (competition ranking: 1, 2, 2, 4).
	Rank, StratumRank int
	// Of and StratumOf are the numbers ranked.
	Of, StratumOf int
}

// Rank ranks counties by total within the whole set and within each
// stratum, using scoring.Ranks. The result is sorted by rank, then code.
func Rank(counties []Ranked) []Ranked {
	out := append([]Ranked(nil), counties...)
	sort.Slice(out, func(i, j int) bool { return out[i].County < out[j].County })
	totals := make([]framework.Points, len(out))
	groups := map[string][]int{}
	for i, c := range out {
		totals[i] = c.Total
		groups[c.Stratum] = append(groups[c.Stratum], i)
	}
	for i, r := range scoring.Ranks(totals) {
		out[i].Rank, out[i].Of = r, len(out)
	}
	for _, idx := range groups {
		ts := make([]framework.Points, len(idx))
		for k, i := range idx {
			ts[k] = out[i].Total
		}
		for k, r := range scoring.Ranks(ts) {
			out[idx[k]].StratumRank, out[idx[k]].StratumOf = r, len(idx)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Rank < out[j].Rank })
	return out
}
