package scoring_test

import (
	"math"
	"testing"

	"lvzhi/internal/demo"
	"lvzhi/internal/framework"
	"lvzhi/internal/scoring"
)

// The nation benchmark scores 2,846 synthetic counties (China's county-level
// units) with the default framework, then builds the what-if grade matrix
// against a framework with stricter bands. handScore is the limit: the same
// rules written by hand in Go; a test checks that it agrees with the engine
// on every county, so the comparison is fair.

func BenchmarkScoreNation(b *testing.B) {
	fw := framework.Default()
	nation := demo.Nation(demo.NationSize, 2019)
	s := scoring.NewScorer(fw)
	b.ResetTimer()
	for b.Loop() {
		for _, c := range nation {
			if _, err := s.Score(c.Input, scoring.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/demo.NationSize, "ns/county")
}

func BenchmarkScoreNationBrief(b *testing.B) {
	fw := framework.Default()
	nation := demo.Nation(demo.NationSize, 2019)
	s := scoring.NewScorer(fw)
	b.ResetTimer()
	for b.Loop() {
		for _, c := range nation {
			if _, err := s.Score(c.Input, scoring.Options{Brief: true}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/demo.NationSize, "ns/county")
}

func BenchmarkWhatIfNation(b *testing.B) {
	base := framework.Default()
	stricter := mustStricter(b)
	nation := demo.Nation(demo.NationSize, 2019)
	names := make([]string, len(nation))
	for i, c := range nation {
		names[i] = c.Name
	}
	sb, sn := scoring.NewScorer(base), scoring.NewScorer(stricter)
	b.ResetTimer()
	for b.Loop() {
		rb := make([]*scoring.Result, len(nation))
		rn := make([]*scoring.Result, len(nation))
		for i, c := range nation {
			rb[i], _ = sb.Score(c.Input, scoring.Options{Brief: true})
			rn[i], _ = sn.Score(c.Input, scoring.Options{Brief: true})
		}
		cmp := scoring.Compare(base, stricter, names, rb, rn)
		if len(cmp.Moved) == 0 {
			b.Fatal("no county moved under stricter bands")
		}
	}
}

func BenchmarkHandWrittenNation(b *testing.B) {
	nation := demo.Nation(demo.NationSize, 2019)
	b.ResetTimer()
	for b.Loop() {
		for _, c := range nation {
			handScore(c.Input)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/demo.NationSize, "ns/county")
}

func TestHandWrittenAgreesWithEngine(t *testing.T) {
	fw := framework.Default()
	s := scoring.NewScorer(fw)
	for i, c := range demo.Nation(demo.NationSize, 2019) {
		res, err := s.Score(c.Input, scoring.Options{})
		if err != nil {
			t.Fatal(err)
		}
		total, grade := handScore(c.Input)
		if total != res.Total || grade != res.Grade {
			t.Fatalf("county %d: hand-written %s %s, engine %s %s", i, total, grade, res.Total, res.Grade)
		}
	}
}

func mustStricter(tb testing.TB) *framework.Framework {
	src := string(framework.DefaultSource())
	src = replaceOnce(tb, src, "{grade: A, label: 优秀, min: 90}", "{grade: A, label: 优秀, min: 95}")
	src = replaceOnce(tb, src, "{grade: B, label: 良好, min: 80, below: 90}", "{grade: B, label: 良好, min: 85, below: 95}")
	src = replaceOnce(tb, src, "{grade: C, label: 合格, min: 65, below: 80}", "{grade: C, label: 合格, min: 65, below: 85}")
	fw, _, err := framework.Parse("stricter.yaml", []byte(src))
	if err != nil {
		tb.Fatal(err)
	}
	return fw
}

func replaceOnce(tb testing.TB, s, from, to string) string {
	for i := 0; i+len(from) <= len(s); i++ {
		if s[i:i+len(from)] == from {
			return s[:i] + to + s[i+len(from):]
		}
	}
	tb.Fatalf("no %q in the default framework", from)
	return s
}

// handScore is the default framework's rules written directly in Go: no
// checks, no explanations, just the arithmetic.
func handScore(in scoring.Input) (framework.Points, string) {
	v := func(code string) float64 { return in.Values[code].Num.Float() }
	b := func(code string) bool { return in.Values[code].Bool }
	// Derived items, rounded to four decimals like the engine stores them.
	d4 := func(x float64) float64 { return math.Round(x*1e4) / 1e4 }
	pct := func(a, c float64) float64 { return a / c * 100 }
	ifz := func(c, whenZero, x float64) float64 {
		if c == 0 {
			return whenZero
		}
		return x
	}
	completion := d4(ifz(v("projects_planned"), 100, pct(v("projects_completed"), v("projects_planned"))))
	partyCov := d4(pct(v("public_schools_with_party_org"), v("public_schools")))
	rectRate := d4(ifz(v("last_problems_total"), 100, pct(v("last_problems_closed"), v("last_problems_total"))))
	growth := d4(pct(v("edu_spending")-v("edu_spending_prev"), v("edu_spending_prev")))
	perPupil := d4(ifz(v("pupils_total"), 0, v("edu_spending")*10000/v("pupils_total")))
	perPupilPrev := d4(v("edu_spending_prev") * 10000 / v("pupils_prev"))
	payRatio := d4(v("teacher_avg_pay") / v("civil_servant_avg_pay"))
	largeShare := d4(pct(v("large_classes"), v("compulsory_classes")))
	migrantShare := d4(ifz(v("migrant_children"), 100, pct(v("migrant_children_public"), v("migrant_children"))))
	disabledRate := d4(ifz(v("disabled_children_identified"), 100, math.Min(100, pct(v("disabled_special_school")+v("disabled_mainstream")+v("disabled_home_teaching"), v("disabled_children_identified")))))
	rotShare := d4(pct(v("teachers_rotated"), v("rotation_eligible")))
	keyShare := d4(ifz(v("teachers_rotated"), 0, pct(v("key_teachers_rotated"), v("teachers_rotated"))))
	canteenA := d4(ifz(v("canteens_total"), 0, pct(v("canteens_grade_a"), v("canteens_total"))))
	monitoring := d4(ifz(v("canteens_total"), 100, pct(v("canteens_online_monitoring"), v("canteens_total"))))
	tutoring := d4(ifz(v("tutoring_problem_institutions"), 100, math.Min(100, pct(v("tutoring_rectified")+v("tutoring_closed"), v("tutoring_problem_institutions")))))

	linear := func(x, zero, full, max float64) float64 {
		t := (x - zero) / (full - zero)
		return max * math.Min(1, math.Max(0, t))
	}
	yes := func(c bool, p float64) float64 {
		if c {
			return p
		}
		return 0
	}
	deduct := func(n, per, max float64) float64 { return math.Max(0, max-n*per) }
	tenths := func(x float64) framework.Points { p, _ := framework.PointsFromFloat(x); return p }

	var base framework.Points
	add := func(x float64) { base += tenths(x) }
	// A
	add(yes(b("layout_plan_in_force"), 1))
	add(linear(completion, 50, 90, 1))
	add(yes(partyCov >= 100, 2))
	steps4 := 0.0
	switch {
	case rectRate >= 100:
		steps4 = 4
	case rectRate >= 90:
		steps4 = 3
	case rectRate >= 75:
		steps4 = 2
	case rectRate >= 50:
		steps4 = 1
	}
	add(math.Max(0, steps4-yes(v("key_problems_overdue") > 0, 1)))
	// B
	add(yes(v("edu_spending") >= v("edu_spending_prev"), 3))
	add(yes(perPupil >= perPupilPrev, 3))
	add(yes(growth >= v("regular_revenue_growth"), 2))
	add(yes(v("edu_budget_share") >= v("edu_budget_share_required"), 2))
	if pct(v("schools_public_funds_short"), v("public_schools")) <= 10 {
		add(deduct(v("categories_public_funds_short"), 1, 5))
	}
	switch {
	case payRatio >= 1:
		add(5)
	case payRatio >= 0.97:
		add(2)
	}
	add(yes(b("preschool_funding_standard"), 2))
	add(yes(v("students_aided") >= v("students_aid_eligible"), 1))
	// C
	add(linear(v("puhui_coverage"), 70, 80, 2))
	add(yes(v("public_kindergarten_share") >= 50, 1))
	add(yes(v("preschool_gross_enrolment") >= 95, 1))
	if v("super_large_classes") == 0 {
		add(deduct(math.Floor(largeShare), 1, 4))
		add(yes(v("primary_entry_max_class") <= 45 && v("junior_entry_max_class") <= 50, 1))
	}
	add(linear(v("cv_primary"), 0.65, 0.50, 2))
	add(linear(v("cv_junior"), 0.55, 0.45, 2))
	add(linear(migrantShare, 75, 85, 2))
	add(linear(disabledRate, 85, 95, 2))
	add(yes(v("junior_retention_rate") >= 95, 2))
	add(yes(v("dropouts_returned") >= v("dropouts_identified"), 1))
	add(yes(v("upper_secondary_gross_enrolment") >= 95, 2))
	add(yes(v("training_share") >= 30, 1))
	// D
	add(yes(b("staffing_meets_standard"), 2))
	add(deduct(v("schools_lacking_specialists"), 1, 2))
	add(linear(rotShare, 5, 10, 2))
	add(linear(keyShare, 10, 20, 2))
	add(yes(v("training_on_track_share") >= 95, 2))
	add(yes(v("training_budget_share") >= 5, 2))
	// E
	e1Veto := v("d_grade_buildings") > 0 || v("major_liability_accidents") > 0
	if !e1Veto {
		add(yes(v("security_coverage") >= 100, 2))
	}
	add(yes(monitoring >= 100, 2))
	add(yes(canteenA >= 30, 1))
	add(yes(v("food_safety_incidents") == 0, 1))
	add(yes(v("fitness_good_rate") >= 50, 1))
	add(yes(v("fitness_good_rate") >= v("fitness_good_rate_prev"), 1))
	add(yes(v("counselling_room_coverage") >= 100, 1))
	add(linear(tutoring, 90, 100, 2))
	add(deduct(v("school_breaches"), 1, 2))
	switch s := v("satisfaction"); {
	case s >= 85:
		add(5)
	case s >= 80:
		add(4)
	case s >= 75:
		add(3)
	case s >= 70:
		add(2)
	}
	// Manual criteria.
	for code, m := range in.Manual {
		if code == "E1.2" && e1Veto {
			continue
		}
		switch {
		case m.Score != nil:
			base += *m.Score
		case m.Rating == "A":
			base += 40
		case m.Rating == "B":
			base += 24
		}
	}
	// Bonus: N1 2 each up to 4, P1 1 each up to 3, cap 5.
	var n1, p1 framework.Points
	for _, c := range in.Bonus {
		if c.Rejected {
			continue
		}
		switch c.Item {
		case "N1":
			n1 += 20
		case "P1":
			p1 += 10
		}
	}
	total := base + min(min(n1, 40)+min(p1, 30), 50)

	grade := 3
	switch {
	case total >= 900:
		grade = 0
	case total >= 800:
		grade = 1
	case total >= 650:
		grade = 2
	}
	if b("funds_misappropriated") || b("teacher_pay_arrears") {
		grade = 3
	}
	drop := func(c bool) {
		if c {
			grade = min(grade+1, 3)
		}
	}
	drop(b("falsification_found"))
	drop(v("major_liability_accidents") > 0)
	drop(v("health_decline_years") >= 3)
	drop(v("cv_primary") > 0.65 || v("cv_junior") > 0.55)
	if v("d_grade_buildings") > 0 || v("super_large_classes") > 0 || payRatio < 1 || b("major_violation_2y") {
		grade = max(grade, 1)
	}
	return total, []string{"A", "B", "C", "D"}[grade]
}
