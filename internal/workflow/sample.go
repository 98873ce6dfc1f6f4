package workflow

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"

	"lvzhi/internal/eval"
	"lvzhi/internal/framework"
)

// Candidate is a participating county as sampling sees it.
type Candidate struct {
	County  string
	Stratum string // the city it is sampled in (region.Set.Stratum)
	// LastCredibility is last year's credibility, nil if last year's
	// self-assessment was not checked or the county did not take part.
	LastCredibility *framework.Decimal
	// LastGrade is last year's final grade, "" if none.
	LastGrade string
	// Gap is how far the county's self-scores this year exceed the
	// reviewers' scores so far (Σ over-claims on the points the city
	// scored; see SampleGap).
	Gap framework.Points
	// LastVisit is the last year the county was checked on site, 0 if
	// never.
	LastVisit int
}

// SampleOptions configures Sample. Zero thresholds take the defaults.
type SampleOptions struct {
	N    int    // how many counties to check on site
	Seed uint64 // recorded with the sample, so anyone can redraw it
	Year int    // this campaign's year, for rotation
	// RiskCredibility: last year's R below this is a risk (default 0.85).
	RiskCredibility framework.Decimal
	// RiskGrades: last year's grades that are a risk (default C and D).
	RiskGrades []string
	// RiskGap: a self-score gap at least this large is a risk (default 5
	// points).
	RiskGap framework.Points
	// MaxRisk caps the risk picks (default: half of N, at least 1).
	MaxRisk int
}

// Pick is one county chosen for an on-site check.
type Pick struct {
	County, Stratum string
	Risk            bool
	Reason          string // Chinese: why it was picked
}

// Sample chooses counties for on-site verification, reproducibly: the same
// candidates, options and seed always give the same picks.
//
// Method (domain.md d.10). First, risk picks: counties with last year's
// credibility below RiskCredibility, last year's grade in RiskGrades, or a
// self-score gap of at least RiskGap; ordered by the number of risks, then
// lowest credibility, then largest gap, then code; at most MaxRisk. The
// rest of N is drawn at random, stratified by city: if there are at least
// as many places as cities, every city gets one and the remaining places go
// to cities in proportion to their remaining counties (largest remainder,
// ties by the random source); otherwise the cities that get a place are
// drawn at random. Within a city, counties not visited in the last two
// years are drawn first (rotation, so each county is seen about once in
// three years). The random source is PCG seeded with Seed.
func Sample(cands []Candidate, opt SampleOptions) ([]Pick, error) {
	if opt.N < 1 {
		return nil, fmt.Errorf("抽查数量须至少为 1: %w", eval.ErrInvalid)
	}
	if opt.N > len(cands) {
		return nil, fmt.Errorf("抽查数量 %d 多于参评县区数 %d: %w", opt.N, len(cands), eval.ErrInvalid)
	}
	if opt.RiskCredibility == 0 {
		opt.RiskCredibility = MinCredibility
	}
	if opt.RiskGrades == nil {
		opt.RiskGrades = []string{"C", "D"}
	}
	if opt.RiskGap == 0 {
		opt.RiskGap = 50
	}
	if opt.MaxRisk == 0 {
		opt.MaxRisk = max(1, opt.N/2)
	}
	cs := append([]Candidate(nil), cands...)
	sort.Slice(cs, func(i, j int) bool { return cs[i].County < cs[j].County })

	type risky struct {
		c       Candidate
		reasons []string
	}
	var risks []risky
	for _, c := range cs {
		var why []string
		if c.LastCredibility != nil && *c.LastCredibility < opt.RiskCredibility {
			why = append(why, fmt.Sprintf("上年自评可信度 %s 低于 %s", *c.LastCredibility, opt.RiskCredibility))
		}
		for _, g := range opt.RiskGrades {
			if c.LastGrade == g {
				why = append(why, fmt.Sprintf("上年等级为 %s", g))
			}
		}
		if c.Gap >= opt.RiskGap {
			why = append(why, fmt.Sprintf("自评分高出审核分 %s 分", c.Gap))
		}
		if len(why) > 0 {
			risks = append(risks, risky{c, why})
		}
	}
	sort.SliceStable(risks, func(i, j int) bool {
		a, b := risks[i], risks[j]
		if len(a.reasons) != len(b.reasons) {
			return len(a.reasons) > len(b.reasons)
		}
		ca, cb := credOr(a.c), credOr(b.c)
		if ca != cb {
			return ca < cb
		}
		return a.c.Gap > b.c.Gap
	})
	nRisk := min(len(risks), opt.MaxRisk, opt.N)
	picked := map[string]bool{}
	var out []Pick
	for _, r := range risks[:nRisk] {
		picked[r.c.County] = true
		out = append(out, Pick{County: r.c.County, Stratum: r.c.Stratum, Risk: true, Reason: "风险抽取：" + strings.Join(r.reasons, "；")})
	}

	rng := rand.New(rand.NewPCG(opt.Seed, 0x6c767a6869)) // second word: "lvzhi"
	strata := map[string][]Candidate{}
	var names []string
	for _, c := range cs {
		if picked[c.County] {
			continue
		}
		if _, ok := strata[c.Stratum]; !ok {
			names = append(names, c.Stratum)
		}
		strata[c.Stratum] = append(strata[c.Stratum], c)
	}
	sort.Strings(names)
	quota := allocate(names, strata, opt.N-nRisk, rng)
	for _, s := range names {
		if quota[s] == 0 {
			continue
		}
		for _, c := range draw(strata[s], quota[s], opt.Year, rng) {
			out = append(out, Pick{County: c.County, Stratum: s, Reason: fmt.Sprintf("随机抽取（%s 分层）", s)})
		}
	}
	return out, nil
}

func credOr(c Candidate) framework.Decimal {
	if c.LastCredibility == nil {
		return framework.DecimalOne
	}
	return *c.LastCredibility
}

// allocate shares n places among the strata (see Sample).
func allocate(names []string, strata map[string][]Candidate, n int, rng *rand.Rand) map[string]int {
	quota := map[string]int{}
	if n <= 0 || len(names) == 0 {
		return quota
	}
	if n < len(names) {
		order := append([]string(nil), names...)
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, s := range order[:n] {
			quota[s] = 1
		}
		return quota
	}
	total := 0
	for _, s := range names {
		quota[s] = 1
		total += len(strata[s]) - 1
	}
	left := n - len(names)
	if left == 0 || total == 0 {
		return quota
	}
	type share struct {
		name string
		rem  int // remainder numerator over total
		tie  uint64
	}
	var shares []share
	given := 0
	for _, s := range names {
		room := len(strata[s]) - 1
		q := left * room / total
		quota[s] += q
		given += q
		shares = append(shares, share{s, left*room - q*total, rng.Uint64()})
	}
	sort.Slice(shares, func(i, j int) bool {
		if shares[i].rem != shares[j].rem {
			return shares[i].rem > shares[j].rem
		}
		return shares[i].tie < shares[j].tie
	})
	for i := 0; given < left && i < len(shares); i++ {
		s := shares[i].name
		if quota[s] < len(strata[s]) {
			quota[s]++
			given++
		}
	}
	return quota
}

// draw picks k counties of one stratum: those not visited in the last two
// years first, each group in random order.
func draw(cs []Candidate, k, year int, rng *rand.Rand) []Candidate {
	var fresh, recent []Candidate
	for _, c := range cs {
		if c.LastVisit > 0 && year > 0 && year-c.LastVisit <= 2 {
			recent = append(recent, c)
		} else {
			fresh = append(fresh, c)
		}
	}
	rng.Shuffle(len(fresh), func(i, j int) { fresh[i], fresh[j] = fresh[j], fresh[i] })
	rng.Shuffle(len(recent), func(i, j int) { recent[i], recent[j] = recent[j], recent[i] })
	all := append(fresh, recent...)
	out := all[:min(k, len(all))]
	sort.Slice(out, func(i, j int) bool { return out[i].County < out[j].County })
	return out
}

// SampleGap is the self-score gap sampling looks at: the sum over points of
// how far the county's self-score exceeds the city's score, where the city
// scored. Before city review (or without it) the gap is 0.
func SampleGap(points []PointOutcome) framework.Points {
	var gap framework.Points
	for _, p := range points {
		if p.City != nil {
			gap += max(0, p.Self-*p.City)
		}
	}
	return gap
}
