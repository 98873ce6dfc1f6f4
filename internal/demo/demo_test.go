package demo

import (
	"strings"
	"testing"

	"lvzhi/internal/framework"
	"lvzhi/internal/scoring"
)

// TestWuxingReproducesTheReport checks the founding report's own figures:
// 24 points, 22 at full marks, 2 losing 3.5 together, bonus 2, total 98.5,
// grade A; the two points losing marks are the ones the report's problem
// section names, the bonus its two provincial pilot zones.
func TestWuxingReproducesTheReport(t *testing.T) {
	fw := framework.Default()
	c, err := Wuxing(fw)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "吴兴区" || c.Code != "330502" || c.Year != 2019 {
		t.Errorf("county = %s %s %d", c.Name, c.Code, c.Year)
	}
	res, err := c.Score(fw, scoring.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Points) != 24 || res.FullMarks != 22 || res.Deducted != 2 {
		t.Errorf("points %d, full %d, deducted %d; want 24, 22, 2", len(res.Points), res.FullMarks, res.Deducted)
	}
	if res.Deduction.String() != "3.5" || res.Bonus.String() != "2" || res.Total.String() != "98.5" || res.Grade != "A" {
		t.Errorf("deduction %s bonus %s total %s grade %s; want 3.5 2 98.5 A", res.Deduction, res.Bonus, res.Total, res.Grade)
	}
	want := "在24项测评点中,有22个测评点得满分,2个测评点扣3.5分,加分指标得2分,自评合计得分为98.5分,等级为A等。"
	if res.Summary != want {
		t.Errorf("summary\n got %s\nwant %s", res.Summary, want)
	}
	lost := map[string]string{}
	for _, p := range res.Points {
		if p.Lost > 0 {
			lost[p.Code] = p.Explanation
		}
	}
	// Class size (large classes in the central city and 织里) and balance
	// between schools (the urban–rural gap).
	if !strings.Contains(lost["C2"], "大班额") || !strings.Contains(lost["C3"], "差异系数") || len(lost) != 2 {
		t.Errorf("points losing marks = %v, want C2 (class size) and C3 (balance)", lost)
	}
	if b := res.BonusItems[1]; b.Code != "P1" || len(b.Claims) != 2 || !strings.Contains(strings.Join(b.Claims, ""), "STEM") {
		t.Errorf("bonus = %+v, want the two provincial pilot zones", res.BonusItems)
	}
	if len(c.Assumed) == 0 {
		t.Error("the demo data file should mark assumed values")
	}
}

func TestNation(t *testing.T) {
	fw := framework.Default()
	nation := Nation(NationSize, 2019)
	again := Nation(3, 2019)
	s := scoring.NewScorer(fw)
	grades := map[string]int{}
	downgraded := 0
	for i, c := range nation {
		res, err := s.Score(c.Input, scoring.Options{})
		if err != nil {
			t.Fatalf("county %d: %v", i, err)
		}
		grades[res.Grade]++
		if len(res.Downgrades) > 0 {
			downgraded++
		}
		if i < len(again) {
			r2, _ := s.Score(again[i].Input, scoring.Options{})
			if r2.Total != res.Total {
				t.Errorf("county %d: the same seed gave %s and %s", i, res.Total, r2.Total)
			}
		}
	}
	t.Logf("grades %v, downgraded %d", grades, downgraded)
	for _, g := range []string{"A", "B", "C", "D"} {
		if grades[g] == 0 {
			t.Errorf("no county graded %s: %v", g, grades)
		}
	}
	if grades["A"]+grades["B"] < NationSize/2 {
		t.Errorf("grades %v: most counties should be A or B", grades)
	}
	if downgraded == 0 {
		t.Error("no downgrade applied anywhere")
	}
}
