package demo

import (
	"fmt"
	"math"
	"math/rand/v2"

	"lvzhi/internal/framework"
	"lvzhi/internal/scoring"
)

// NationSize is the number of county-level units in China, the size of the
// synthetic nation the benchmarks score.
const NationSize = 2846

// Synthetic is one generated county.
type Synthetic struct {
	Name, Code string
	Input      scoring.Input
}

// Nation generates n synthetic counties for the default framework from
// seed. Each county has a hidden quality level that drives its figures, so
// the grades spread over A to D roughly as real rounds do (most A and B, a
// few C and D, rare downgrades); every county passes the default
// framework's error-level validation rules.
func Nation(n int, seed uint64) []Synthetic {
	out := make([]Synthetic, n)
	for i := range out {
		r := rand.New(rand.NewPCG(seed, uint64(i)))
		g := gen{r: r, q: clamp01(0.78 + 0.14*r.NormFloat64())}
		out[i] = Synthetic{
			Name:  fmt.Sprintf("样例县%04d", i+1),
			Code:  fmt.Sprintf("%06d", 110101+i),
			Input: g.county(),
		}
	}
	return out
}

// gen draws one county's figures; q in [0, 1] is how well it performs.
type gen struct {
	r *rand.Rand
	q float64
	v map[string]framework.Value
}

func clamp01(x float64) float64 { return math.Min(1, math.Max(0, x)) }

func (g *gen) between(lo, hi float64) float64 { return lo + (hi-lo)*g.r.Float64() }

// good returns a value between bad and best, closer to best for a better
// county, with some noise.
func (g *gen) good(bad, best float64) float64 {
	t := clamp01(g.q + 0.15*g.r.NormFloat64())
	return bad + (best-bad)*t
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) intv(code string, n int) int {
	if n < 0 {
		n = 0
	}
	g.v[code] = framework.Number(framework.DecimalFromInt(int64(n)))
	return n
}

func (g *gen) dec(code string, x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	x = math.Round(x*p) / p
	d, _ := framework.DecimalFromFloat(x)
	g.v[code] = framework.Number(d)
	return x
}

func (g *gen) boolv(code string, b bool) { g.v[code] = framework.Bool(b) }

func (g *gen) county() scoring.Input {
	g.v = map[string]framework.Value{}
	r := g.r
	primary := g.intv("primary_schools", 10+r.IntN(50))
	junior := g.intv("junior_schools", 8+r.IntN(32))
	kg := g.intv("kindergartens", 20+r.IntN(130))
	adult := g.intv("adult_schools", 1+r.IntN(14))
	total := g.intv("schools_total", primary+junior+kg+adult)
	privKg := g.intv("private_kindergartens", kg*(2+r.IntN(4))/10)
	g.intv("puhui_private_kindergartens", privKg*(3+r.IntN(7))/10)
	pupils := g.intv("pupils_total", 20000+r.IntN(180000))
	g.intv("pupils_prev", int(float64(pupils)*g.between(0.97, 1.03)))
	g.intv("population_total", pupils*(5+r.IntN(3)))
	g.dec("area_km2", g.between(300, 3000), 1)
	g.intv("staff_total", pupils/12)

	g.boolv("layout_plan_in_force", g.chance(0.85+0.15*g.q))
	planned := g.intv("projects_planned", r.IntN(20))
	g.intv("projects_completed", int(math.Min(float64(planned), math.Round(float64(planned)*g.good(0.4, 1.05)))))
	public := g.intv("public_schools", max(1, total-privKg-r.IntN(4)))
	withOrg := public
	if g.q < 0.5 {
		withOrg = max(0, public-r.IntN(3))
	}
	g.intv("public_schools_with_party_org", withOrg)
	probs := g.intv("last_problems_total", r.IntN(12))
	g.intv("last_problems_closed", int(math.Min(float64(probs), math.Round(float64(probs)*g.good(0.3, 1.1)))))
	overdue := 0
	if g.q < 0.4 {
		overdue = r.IntN(3)
	}
	g.intv("key_problems_overdue", overdue)

	spendPerPupil := g.between(0.9, 1.6) // 万元 per pupil
	spend := g.dec("edu_spending", float64(pupils)*spendPerPupil, 1)
	growth := g.good(-0.06, 0.2)
	g.dec("edu_spending_prev", spend/(1+growth), 1)
	g.dec("regular_revenue_growth", g.between(2, 12), 1)
	g.dec("edu_budget_share", g.good(14, 24), 2)
	g.dec("edu_budget_share_required", g.between(15, 20), 2)
	short := 0
	if g.q < 0.3 {
		short = r.IntN(public/6 + 1)
	}
	g.intv("schools_public_funds_short", short)
	cats := 0
	if short > 0 {
		cats = min(5, 1+r.IntN(3))
	}
	g.intv("categories_public_funds_short", cats)
	teacherPay := g.dec("teacher_avg_pay", g.between(90000, 160000), 0)
	g.dec("civil_servant_avg_pay", teacherPay/g.good(0.94, 1.05), 0)
	g.boolv("preschool_funding_standard", g.chance(0.7+0.3*g.q))
	eligible := g.intv("students_aid_eligible", 200+r.IntN(2800))
	aided := eligible
	if g.q < 0.35 {
		aided = eligible - r.IntN(20)
	}
	g.intv("students_aided", aided)

	g.dec("puhui_coverage", g.good(60, 95), 2)
	g.dec("public_kindergarten_share", g.good(30, 80), 1)
	g.dec("preschool_gross_enrolment", g.good(85, 105), 1)
	classes := g.intv("compulsory_classes", max(1, pupils*7/10/42))
	large := g.intv("large_classes", int(float64(classes)*clamp01(g.good(0.08, -0.01))))
	super := 0
	if g.q < 0.2 && large > 0 {
		super = min(large, r.IntN(4))
	}
	g.intv("super_large_classes", super)
	pEntr := g.intv("primary_entrants", pupils*8/100)
	pMax := 45
	if g.q < 0.3 {
		pMax = 45 + r.IntN(8)
	}
	g.intv("primary_entry_classes", (pEntr+41)/42)
	g.intv("primary_entry_max_class", pMax)
	jEntr := g.intv("junior_entrants", pupils*6/100)
	jMax := 50
	if g.q < 0.3 {
		jMax = 50 + r.IntN(6)
	}
	g.intv("junior_entry_classes", (jEntr+46)/47)
	g.intv("junior_entry_max_class", jMax)
	g.dec("cv_primary", g.good(0.72, 0.3), 3)
	g.dec("cv_junior", g.good(0.62, 0.3), 3)
	migrants := g.intv("migrant_children", r.IntN(30000))
	g.intv("migrant_children_public", int(float64(migrants)*clamp01(g.good(0.7, 1.02))))
	identified := g.intv("disabled_children_identified", 50+r.IntN(350))
	enrolled := int(float64(identified) * clamp01(g.good(0.8, 1.02)))
	special := g.intv("disabled_special_school", enrolled*3/10)
	home := g.intv("disabled_home_teaching", enrolled/10)
	g.intv("disabled_mainstream", enrolled-special-home)
	g.dec("junior_retention_rate", math.Min(100, g.good(90, 100.5)), 1)
	drop := g.intv("dropouts_identified", r.IntN(10))
	ret := drop
	if g.q < 0.3 && drop > 0 {
		ret = drop - 1
	}
	g.intv("dropouts_returned", ret)
	g.dec("upper_secondary_gross_enrolment", g.good(85, 100), 1)
	g.dec("training_share", g.good(10, 60), 2)

	g.boolv("staffing_meets_standard", g.chance(0.75+0.25*g.q))
	lacking := 0
	if g.q < 0.5 {
		lacking = r.IntN(4)
	}
	g.intv("schools_lacking_specialists", lacking)
	elig := g.intv("rotation_eligible", 300+r.IntN(2700))
	rotated := g.intv("teachers_rotated", int(float64(elig)*g.good(0.03, 0.14)))
	g.intv("key_teachers_rotated", int(float64(rotated)*clamp01(g.good(0.05, 0.3))))
	g.dec("training_on_track_share", math.Min(100, g.good(85, 101)), 1)
	g.dec("training_budget_share", g.good(2, 8), 1)

	g.dec("security_coverage", math.Min(100, g.good(90, 103)), 1)
	danger := 0
	if g.q < 0.12 && g.chance(0.5) {
		danger = 1 + r.IntN(2)
	}
	g.intv("d_grade_buildings", danger)
	accidents := 0
	if g.chance(0.004) {
		accidents = 1
	}
	g.intv("major_liability_accidents", accidents)
	canteens := g.intv("canteens_total", total*9/10)
	g.intv("canteens_grade_a", int(float64(canteens)*g.good(0.1, 0.6)))
	g.intv("canteens_online_monitoring", int(float64(canteens)*math.Min(1, g.good(0.8, 1.05))))
	incidents := 0
	if g.chance(0.01) {
		incidents = 1
	}
	g.intv("food_safety_incidents", incidents)
	fit := g.dec("fitness_good_rate", g.good(40, 65), 1)
	g.dec("fitness_good_rate_prev", fit+g.between(-2, 2), 1)
	decline := 0
	if g.q < 0.2 && g.chance(0.3) {
		decline = 1 + r.IntN(3)
	}
	g.intv("health_decline_years", decline)
	g.dec("counselling_room_coverage", math.Min(100, g.good(80, 103)), 1)
	problem := g.intv("tutoring_problem_institutions", r.IntN(300))
	fixed := int(float64(problem) * clamp01(g.good(0.85, 1.02)))
	closed := g.intv("tutoring_closed", fixed/3)
	g.intv("tutoring_rectified", fixed-closed)
	g.intv("tutoring_inspected", problem*2+r.IntN(100))
	breaches := 0
	if g.q < 0.4 {
		breaches = r.IntN(3)
	}
	g.intv("school_breaches", breaches)
	g.dec("satisfaction", g.good(65, 97), 1)
	g.boolv("funds_misappropriated", g.chance(0.003))
	g.boolv("teacher_pay_arrears", g.chance(0.003))

	in := scoring.Input{Values: g.v, Manual: map[string]scoring.Manual{}}
	for _, code := range []string{"A1.1", "A1.2", "A1.3", "A1.4", "A2.3", "A3.2", "B5.2", "C6.3", "E3.4"} {
		if g.chance(0.75 + 0.25*g.q) {
			in.Manual[code] = scoring.Manual{Score: points(10)}
		} else {
			in.Manual[code] = scoring.Manual{Score: points(0), Justification: "核查未见材料"}
		}
	}
	switch rating := g.good(0, 1); {
	case rating > 0.6:
		in.Manual["D4"] = scoring.Manual{Rating: "A"}
	case rating > 0.3:
		in.Manual["D4"] = scoring.Manual{Rating: "B", Justification: "个别方面有欠缺"}
	default:
		in.Manual["D4"] = scoring.Manual{Rating: "C", Justification: "待遇未全部落实"}
	}
	if found := int(3 * (1 - g.q) * g.r.Float64()); found > 0 {
		in.Manual["E1.2"] = scoring.Manual{Score: points(int64(30 - 10*found)), Justification: fmt.Sprintf("现场发现%d处隐患", found)}
	} else {
		in.Manual["E1.2"] = scoring.Manual{Score: points(30)}
	}
	if g.chance(0.05) {
		in.Bonus = append(in.Bonus, scoring.BonusClaim{Item: "N1", Title: "国家级改革试验区"})
	}
	for k := range r.IntN(1 + int(3*g.q)) {
		in.Bonus = append(in.Bonus, scoring.BonusClaim{Item: "P1", Title: fmt.Sprintf("省级试点%d", k+1)})
	}
	return in
}

func points(tenths int64) *framework.Points {
	p := framework.Points(tenths)
	return &p
}
