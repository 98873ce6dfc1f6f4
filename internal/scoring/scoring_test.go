package scoring

import (
	"errors"
	"os"
	"strings"
	"testing"

	"lvzhi/internal/eval"
	"lvzhi/internal/framework"
)

func mustSmallFramework(t *testing.T) *framework.Framework {
	t.Helper()
	src, err := os.ReadFile("../framework/testdata/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fw, _, err := framework.Parse("small.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	return fw
}

func num(n int64) framework.Value { return framework.Number(framework.DecimalFromInt(n)) }

func pts(s string) *framework.Points {
	p, err := framework.ParsePoints(s)
	if err != nil {
		panic(err)
	}
	return &p
}

// goodInput scores full marks on the small framework.
func goodInput() Input {
	return Input{
		Values: map[string]framework.Value{
			"schools": num(10), "primary": num(6), "others": num(4),
			"done": num(9), "planned": num(10), "plan_ok": framework.Bool(true),
		},
		Manual: map[string]Manual{"A1.3": {Score: pts("2")}, "A2": {Rating: "A"}},
	}
}

func TestScore(t *testing.T) {
	fw := mustSmallFramework(t)
	tests := []struct {
		name   string
		change func(in *Input)
		opt    Options
		// wants
		total, grade, band string
		points             map[string]string // code -> score
		summary            string            // substring
		downgrades         string            // codes joined
		warnings           int
		pending            string
	}{
		{name: "full marks", change: func(in *Input) {}, total: "10", grade: "A", band: "A",
			points: map[string]string{"A1": "6", "A2": "4"}, summary: "在2项测评点中,2个测评点均得满分,加分指标得0分,自评合计得分为10分,等级为A等。"},
		{name: "rating B with justification", change: func(in *Input) {
			in.Manual["A2"] = Manual{Rating: "B", Justification: "个别方面欠缺"}
		}, total: "8.4", grade: "B", band: "B", points: map[string]string{"A2": "2.4"},
			summary: "有1个测评点得满分,1个测评点扣1.6分"},
		{name: "linear criterion partly met", change: func(in *Input) {
			in.Values["done"] = num(7) // 70% → linear(70, 50, 90, 2) = 1
		}, total: "9", grade: "A", band: "A", points: map[string]string{"A1": "5"}},
		{name: "veto sets the point to zero and caps the grade", change: func(in *Input) {
			in.Values["danger"] = num(2)
		}, total: "4", grade: "C", band: "C", points: map[string]string{"A1": "0"}, downgrades: "G1"},
		{name: "cap recorded even when the band is already lower", change: func(in *Input) {
			in.Values["danger"] = num(1)
			in.Manual["A1.3"] = Manual{Score: pts("2")}
			in.Bonus = []BonusClaim{{Item: "N1", Title: "国家级试点"}, {Item: "P1", Title: "省级试点"}}
		}, total: "6", grade: "C", band: "C", downgrades: "G1"},
		{name: "drop one grade", change: func(in *Input) {
			in.Values["plan_ok"] = framework.Bool(false)
		}, total: "8", grade: "C", band: "B", points: map[string]string{"A1": "4"}, downgrades: "G2"},
		{name: "bonus capped", change: func(in *Input) {
			in.Manual["A2"] = Manual{Rating: "C", Justification: "未落实"}
			in.Bonus = []BonusClaim{{Item: "N1", Title: "甲"}, {Item: "P1", Title: "乙"}, {Item: "P1", Title: "丙"}, {Item: "P1", Title: "丁"}}
		}, total: "8", grade: "B", band: "B", summary: "加分指标得2分"},
		{name: "rejected claim earns nothing", change: func(in *Input) {
			in.Manual["A2"] = Manual{Rating: "C", Justification: "未落实"}
			in.Bonus = []BonusClaim{{Item: "P1", Title: "乙", Rejected: true}}
		}, total: "6", grade: "C", band: "C"},
		{name: "warning rule reported, still scored", change: func(in *Input) {
			in.Values["done"] = num(12)
		}, total: "10", grade: "A", band: "A", warnings: 1},
		{name: "draft with a missing manual score", change: func(in *Input) {
			delete(in.Manual, "A2")
		}, opt: Options{AllowPending: true}, total: "6", grade: "C", band: "C", pending: "A2"},
		{name: "stage word", change: func(in *Input) {}, opt: Options{Stage: "核定"}, total: "10", grade: "A", band: "A",
			summary: "核定合计得分为10分"},
		{name: "nothing lost anywhere but everything lost", change: func(in *Input) {
			in.Values["plan_ok"] = framework.Bool(false)
			in.Values["done"] = num(5)
			in.Manual["A1.3"] = Manual{Score: pts("0"), Justification: "未做"}
			in.Manual["A2"] = Manual{Rating: "C", Justification: "未做"}
		}, total: "0", grade: "C", band: "C", summary: "在2项测评点中,2个测评点共扣10分,", downgrades: "G2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := goodInput()
			tc.change(&in)
			res, err := NewScorer(fw).Score(in, tc.opt)
			if err != nil {
				t.Fatalf("Score: %v", err)
			}
			if res.Total.String() != tc.total || res.Grade != tc.grade || res.BandGrade != tc.band {
				t.Errorf("total %s grade %s band %s; want %s %s %s", res.Total, res.Grade, res.BandGrade, tc.total, tc.grade, tc.band)
			}
			for _, p := range res.Points {
				if want, ok := tc.points[p.Code]; ok && p.Score.String() != want {
					t.Errorf("point %s = %s, want %s (%s)", p.Code, p.Score, want, p.Explanation)
				}
			}
			if !strings.Contains(res.Summary, tc.summary) {
				t.Errorf("summary %q does not contain %q", res.Summary, tc.summary)
			}
			var codes []string
			for _, d := range res.Downgrades {
				codes = append(codes, d.Code)
			}
			if got := strings.Join(codes, ","); got != tc.downgrades {
				t.Errorf("downgrades = %q, want %q", got, tc.downgrades)
			}
			if len(res.Warnings) != tc.warnings {
				t.Errorf("warnings = %v, want %d", res.Warnings, tc.warnings)
			}
			if got := strings.Join(res.Pending, ","); got != tc.pending {
				t.Errorf("pending = %q, want %q", got, tc.pending)
			}
		})
	}
}

// TestScoreRefuses covers every kind of bad input: each is reported with the
// code it concerns, and nothing is scored.
func TestScoreRefuses(t *testing.T) {
	fw := mustSmallFramework(t)
	tests := []struct {
		name   string
		change func(in *Input)
		code   string
		want   string
	}{
		{"missing required item", func(in *Input) { delete(in.Values, "primary") }, "primary", "缺少必填数据项 小学数"},
		{"unknown item", func(in *Input) { in.Values["pupils"] = num(1) }, "pupils", "框架中没有数据项 pupils"},
		{"derived item entered", func(in *Input) { in.Values["rate"] = num(90) }, "rate", "由公式计算，不能填写"},
		{"wrong type", func(in *Input) { in.Values["plan_ok"] = num(1) }, "plan_ok", "应为是/否"},
		{"not a whole number", func(in *Input) { in.Values["schools"] = framework.Number(105000) }, "schools", "应为整数"},
		{"below min", func(in *Input) { in.Values["planned"] = num(0) }, "planned", "小于允许的最小值1"},
		{"failed error rule", func(in *Input) { in.Values["others"] = num(5) }, "schools", "学校数应等于小学与其他学校之和（校验规则 V1：学校数 10所，小学数 6所，其他学校数 5所）"},
		{"manual score missing", func(in *Input) { delete(in.Manual, "A1.3") }, "A1.3", "尚未评分"},
		{"manual score above max", func(in *Input) { in.Manual["A1.3"] = Manual{Score: pts("3")} }, "A1.3", "超出0到2分的范围"},
		{"manual score below max without reason", func(in *Input) { in.Manual["A1.3"] = Manual{Score: pts("1.5")} }, "A1.3", "须填写扣分理由"},
		{"manual score for an auto criterion", func(in *Input) { in.Manual["A1.1"] = Manual{Score: pts("2")} }, "A1.1", "按数据自动计分，不能人工填写"},
		{"manual score for an unknown criterion", func(in *Input) { in.Manual["Z9"] = Manual{Score: pts("2")} }, "Z9", "没有细则或测评点 Z9"},
		{"unknown rating", func(in *Input) { in.Manual["A2"] = Manual{Rating: "D"} }, "A2", "评定等级“D”无效，应为 A、B、C 之一"},
		{"rating where there is no scale", func(in *Input) { in.Manual["A1.3"] = Manual{Rating: "A"} }, "A1.3", "没有评定等级"},
		{"both score and rating", func(in *Input) { in.Manual["A2"] = Manual{Rating: "A", Score: pts("4")} }, "A2", "只能填分数或评定等级之一"},
		{"unknown bonus item", func(in *Input) { in.Bonus = []BonusClaim{{Item: "X1", Title: "甲"}} }, "bonus[0]", "没有加分项 X1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := goodInput()
			tc.change(&in)
			res, err := NewScorer(fw).Score(in, Options{})
			if res != nil {
				t.Fatalf("Score returned a result; want none")
			}
			var de *DataError
			if !errors.As(err, &de) || !errors.Is(err, eval.ErrInvalid) {
				t.Fatalf("err = %v, want a *DataError matching ErrInvalid", err)
			}
			for _, p := range de.Problems {
				if p.Code == tc.code && strings.Contains(p.Message, tc.want) {
					return
				}
			}
			t.Errorf("no problem for %s containing %q; got %+v", tc.code, tc.want, de.Problems)
		})
	}
}

func TestScoreIsDeterministicAndReusable(t *testing.T) {
	fw := mustSmallFramework(t)
	s := NewScorer(fw)
	bad := goodInput()
	bad.Values["danger"] = num(3)
	first, err := s.Score(goodInput(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Score(bad, Options{}); err != nil {
		t.Fatal(err)
	}
	again, err := s.Score(goodInput(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if first.Total != again.Total || first.Summary != again.Summary || len(again.Downgrades) != 0 {
		t.Errorf("reusing a Scorer leaked state: %v vs %v", first.Summary, again.Summary)
	}
}

func TestRanks(t *testing.T) {
	got := Ranks([]framework.Points{900, 985, 900, 700, 985})
	want := []int{3, 1, 3, 5, 1}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Ranks = %v, want %v", got, want)
		}
	}
}
