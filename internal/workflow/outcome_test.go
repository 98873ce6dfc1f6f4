package workflow

import (
	"errors"
	"testing"

	"lvzhi/internal/demo"
	"lvzhi/internal/eval"
	"lvzhi/internal/framework"
	"lvzhi/internal/scoring"
)

func mustWuxing(t *testing.T) (*framework.Framework, *scoring.Result) {
	t.Helper()
	fw := framework.Default()
	c, err := demo.Wuxing(fw)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Score(fw, scoring.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return fw, res
}

func pts(s string) framework.Points {
	p, err := framework.ParsePoints(s)
	if err != nil {
		panic(err)
	}
	return p
}

func TestDecideWuxing(t *testing.T) {
	fw, self := mustWuxing(t)
	tests := []struct {
		name           string
		city, verified map[string]ReviewScore
		total, grade   string
		levels         map[string]Level
		r              string
	}{
		{"self only", nil, nil, "98.5", "A", map[string]Level{"C2": LevelSelf}, "未核查"},
		{"city lowers C2", map[string]ReviewScore{"C2": {pts("2"), "大班额 45 个"}}, nil, "97.5", "A",
			map[string]Level{"C2": LevelCity}, "80.0%"},
		{"verified beats city", map[string]ReviewScore{"C2": {pts("2"), "x"}}, map[string]ReviewScore{"C2": {pts("3"), "核实"}}, "98.5", "A",
			map[string]Level{"C2": LevelVerified}, "100.0%"},
		{"bonus cut by verification", nil, map[string]ReviewScore{"P1": {pts("1"), "仅认定省STEM教育试点区"}}, "97.5", "A", nil, "未核查"},
		{"verification drops below A", nil, map[string]ReviewScore{"B3": {pts("0"), "公用经费未足额拨付"}, "E5": {pts("0"), "满意度调查样本不足"}, "A1": {pts("1"), "y"}},
			"85.5", "B", map[string]Level{"B3": LevelVerified, "C2": LevelSelf}, "7.1%"}, // over 13 of 14,
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := Decide(fw, self, tt.city, tt.verified)
			if err != nil {
				t.Fatal(err)
			}
			if o.Total.String() != tt.total || o.Grade != tt.grade {
				t.Errorf("total %s grade %s, want %s %s", o.Total, o.Grade, tt.total, tt.grade)
			}
			if o.SelfTotal.String() != "98.5" {
				t.Errorf("self total %s", o.SelfTotal)
			}
			for code, lvl := range tt.levels {
				for _, p := range o.Points {
					if p.Code == code && p.Level != lvl {
						t.Errorf("%s level %s, want %s", code, p.Level, lvl)
					}
				}
			}
			if got := o.Credibility.String(); got != tt.r {
				t.Errorf("credibility %s, want %s", got, tt.r)
			}
		})
	}
}

func TestDecideRefusesBadScores(t *testing.T) {
	fw, self := mustWuxing(t)
	for name, m := range map[string]map[string]ReviewScore{
		"unknown point": {"Z9": {pts("1"), "x"}},
		"above max":     {"C2": {pts("5.5"), "x"}},
		"negative":      {"C2": {-1, "x"}},
		"no comment":    {"C2": {pts("4"), ""}},
		"bonus bare":    {"P1": {pts("2"), ""}},
		"bonus too big": {"P1": {pts("9"), "x"}},
	} {
		if _, err := Decide(fw, self, m, nil); !errors.Is(err, eval.ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// Without reviews, Decide must give exactly the engine's total, grade and
// downgrades, for counties of every grade and with downgrades.
func TestDecideMatchesEngine(t *testing.T) {
	fw := framework.Default()
	sc := scoring.NewScorer(fw)
	withDowngrade := 0
	for _, c := range demo.Nation(300, 11) {
		res, err := sc.Score(c.Input, scoring.Options{})
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		o, err := Decide(fw, res, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if o.Total != res.Total || o.Grade != res.Grade || o.BandGrade != res.BandGrade || len(o.Downgrades) != len(res.Downgrades) {
			t.Fatalf("%s: outcome %s %s, engine %s %s", c.Name, o.Total, o.Grade, res.Total, res.Grade)
		}
		for i := range o.Downgrades {
			if o.Downgrades[i] != res.Downgrades[i] {
				t.Fatalf("%s: downgrade %v, engine %v", c.Name, o.Downgrades[i], res.Downgrades[i])
			}
		}
		if len(res.Downgrades) > 0 {
			withDowngrade++
			// Raising every point to full marks keeps the downgrades.
			full := map[string]ReviewScore{}
			for _, p := range res.Points {
				full[p.Code] = ReviewScore{Score: p.Max}
			}
			o2, err := Decide(fw, res, nil, full)
			if err != nil {
				t.Fatal(err)
			}
			if o2.BandGrade != fw.Grades[0].Grade || len(o2.Downgrades) != len(res.Downgrades) {
				t.Fatalf("%s: full marks give band %s with %d downgrades", c.Name, o2.BandGrade, len(o2.Downgrades))
			}
			for _, d := range fw.Downgrades {
				for _, ad := range o2.Downgrades {
					if ad.Code == d.Code && d.Kind == framework.DowngradeCap && fw.BandIndex(o2.Grade) < fw.BandIndex(d.Grade) {
						t.Fatalf("%s: cap %s to %s ignored, grade %s", c.Name, d.Code, d.Grade, o2.Grade)
					}
				}
			}
			if o2.Grade == fw.Grades[0].Grade {
				t.Fatalf("%s: downgrades %v left the best grade", c.Name, o2.Downgrades)
			}
		}
	}
	if withDowngrade == 0 {
		t.Fatal("no synthetic county had a downgrade; the test checks nothing about them")
	}
}

func TestCredibility(t *testing.T) {
	p := func(code string, max, self string, city, verified string) PointOutcome {
		po := PointOutcome{Code: code, Max: pts(max), Self: pts(self)}
		if city != "" {
			v := pts(city)
			po.City = &v
		}
		if verified != "" {
			v := pts(verified)
			po.Verified = &v
		}
		return po
	}
	tests := []struct {
		name    string
		points  []PointOutcome
		r       framework.Decimal
		checked int
		review  bool
		half    []string
	}{
		{"nothing checked", []PointOutcome{p("A1", "4", "4", "", "")}, 10000, 0, false, nil},
		{"exact", []PointOutcome{p("A1", "4", "4", "", "4"), p("A2", "3", "3", "3", "")}, 10000, 2, false, nil},
		{"under-claim does not count", []PointOutcome{p("A1", "4", "2", "", "4")}, 10000, 1, false, nil},
		// over 1 of max 7: R = 6/7 = 0.857142… → 0.8571
		{"small over-claim", []PointOutcome{p("A1", "4", "4", "", "3"), p("A2", "3", "3", "", "3")}, 8571, 2, false, nil},
		// verified beats city: city says 1, verified 4
		{"verified used", []PointOutcome{p("A1", "4", "4", "1", "4")}, 10000, 1, false, nil},
		// over 2.5 of max 4 (more than half): R = 1.5/4 = 0.375
		{"over half", []PointOutcome{p("A1", "4", "4", "", "1.5"), p("A2", "5", "5", "", "")}, 3750, 1, true, []string{"A1"}},
		// over 2 of max 12: R = 10/12 = 0.83333 → below 0.85
		{"below threshold", []PointOutcome{p("A1", "4", "4", "", "3"), p("A2", "4", "4", "", "3"), p("A3", "4", "4", "", "4")}, 8333, 3, true, nil},
		// R = 2/3 = 0.66666… rounds half up to 0.6667
		{"rounding", []PointOutcome{p("A1", "3", "3", "", "2")}, 6667, 1, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Credible(tt.points)
			if c.R != tt.r || c.Checked != tt.checked || c.Review != tt.review || len(c.OverHalf) != len(tt.half) {
				t.Fatalf("got %+v, want R %s checked %d review %v half %v", c, tt.r, tt.checked, tt.review, tt.half)
			}
			if c.Review && len(c.Reasons) == 0 {
				t.Error("review without reasons")
			}
		})
	}
}
