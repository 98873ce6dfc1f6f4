package framework

import (
	"errors"
	"os"
	"strings"
	"testing"

	"lvzhi/internal/eval"
)

func mustReadSmall(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile("testdata/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(src)
}

func TestParseSmall(t *testing.T) {
	fw, problems, err := Parse("small.yaml", []byte(mustReadSmall(t)))
	if err != nil || len(problems) > 0 {
		t.Fatalf("Parse(small.yaml) = %v, problems %v", err, problems)
	}
	if fw.Meta.ID != "test-small" || fw.Meta.Year != 2020 || fw.Meta.Version != 2 || fw.Meta.Total != 100 {
		t.Errorf("Meta = %+v", fw.Meta)
	}
	a1 := fw.Point("A1")
	if a1 == nil || len(a1.Criteria) != 3 || a1.Mode != ModeMixed || len(a1.Vetoes) != 1 {
		t.Fatalf("A1 = %+v", a1)
	}
	if got := []string{a1.Criteria[0].Code, a1.Criteria[1].Code, a1.Criteria[2].Code}; strings.Join(got, ",") != "A1.1,A1.2,A1.3" {
		t.Errorf("criterion codes = %v, want A1.1,A1.2,A1.3", got)
	}
	if !a1.Criteria[2].Manual() || a1.Criteria[0].Manual() {
		t.Errorf("A1.3 should be manual and A1.1 auto")
	}
	if got := a1.Criteria[1].Inputs(); strings.Join(got, ",") != "rate,zero_rate,full_rate" {
		t.Errorf("A1.2 inputs = %v", got)
	}
	a2 := fw.Criterion("A2")
	if a2 == nil || len(a2.Rating) != 3 || a2.Rating[1].Label != "B" || a2.Rating[1].Share != 6000 {
		t.Errorf("A2 rating = %+v", a2)
	}
	if fw.Bonus.Cap != 20 || len(fw.Bonus.Items) != 2 {
		t.Errorf("Bonus = %+v", fw.Bonus)
	}
	if len(fw.Grades) != 3 || fw.Grades[1].Min != 70 || fw.Grades[2].Label != "合格" {
		t.Errorf("Grades = %+v", fw.Grades)
	}
	if d := fw.Downgrades[1]; d.Kind != DowngradeDrop || d.Floor != "C" {
		t.Errorf("G2 = %+v, want drop with floor defaulting to the lowest grade", d)
	}
	if it := fw.Item("danger"); it.Required || it.Default == nil || it.Default.Num != 0 {
		t.Errorf("danger = %+v", it)
	}
	if it := fw.Item("rate"); !it.Derived() || it.Required {
		t.Errorf("rate should be derived and not required")
	}
	if got := fw.Item("schools").Line; got != 12 {
		t.Errorf("schools line = %d, want 12", got)
	}
}

// TestLintErrors covers every class of framework problem: each case changes
// one thing in testdata/small.yaml and expects a problem at a line, with a
// message containing a fragment.
func TestLintErrors(t *testing.T) {
	tests := []struct {
		name, from, to string
		line           int
		want           string
	}{
		{"points do not sum to total", "  total: 10", "  total: 12", 7, "满分之和为10，与 framework.total 12 不符"},
		{"criteria do not sum to point max", "        max: 6\n", "        max: 7\n", 41, "细则满分之和为6"},
		{"duplicate item code", "code: primary,", "code: schools,", 13, "数据项代码 schools 重复（第12行已定义）"},
		{"duplicate point code", "      - code: A2\n", "      - code: A1\n", 49, "代码 A1 重复（第39行已使用）"},
		{"duplicate area and point code", "  - code: A\n", "  - code: A2\n", 49, "代码 A2 重复（第36行已使用）"},
		{"duplicate parameter and item", "  full_rate: 90", "  full_rate: 90\n  schools: 3", 13, "数据项代码 schools 与参数同名"},
		{"unknown item in a rule", `rule: "plan_ok ? 2 : 0"`, `rule: "plan_okk ? 2 : 0"`, 46, "未定义的数据项或参数“plan_okk”"},
		{"unknown item in a formula", "formula: min(100, pct(done, planned))", "formula: min(100, pct(don, planned))", 23, "未定义的数据项或参数“don”"},
		{"unknown item inside a helper's arguments", `rule: "linear(rate, zero_rate, full_rate, 2)"`, `rule: "linear(rat, zero_rate, full_rate, 2)"`, 47, "未定义的数据项或参数“rat”（第8列）"},
		{"unknown item in a validation", "expr: schools == primary + others", "expr: schools == primary + other", 29, "未定义的数据项或参数“other”"},
		{"unknown function", `rule: "plan_ok ? 2 : 0"`, `rule: "now() > 0 ? 2 : 0"`, 46, "未定义的数据项或参数“now”"},
		{"rule of wrong type", `rule: "plan_ok ? 2 : 0"`, `rule: "plan_ok"`, 46, "结果应为数值，实际为是/否"},
		{"condition of wrong type", "when: danger > 0, reason: 有危房不得评A", "when: danger, reason: 有危房不得评A", 64, "结果应为是/否，实际为数值"},
		{"comparing a number with a text", `rule: "plan_ok ? 2 : 0"`, `rule: "note > 1 ? 2 : 0"`, 46, "表达式有误"},
		{"rule above max", `rule: "plan_ok ? 2 : 0"`, `rule: "plan_ok ? 3 : 0"`, 46, "可能得出3分，超过满分2（例如 plan_ok=true）"},
		{"rule below zero", `rule: "plan_ok ? 2 : 0"`, `rule: "plan_ok ? 2 : -1"`, 46, "可能得出-1分，小于0"},
		{"rule unbounded by an item without max", `rule: "plan_ok ? 2 : 0"`, `rule: "schools * 2"`, 46, "超过满分2（例如 schools=1000000）"},
		{"grade bands with a gap", "min: 7, below: 9", "min: 7, below: 8", 61, "等级之间有空档：B 止于 8，而 A 从 9 开始"},
		{"grade bands overlapping", "min: 7, below: 9", "min: 7, below: 9.5", 61, "等级相互重叠"},
		{"grade bands out of order", "min: 7, below: 9", "min: 9.5, below: 9", 61, "等级应从高到低排列"},
		{"lowest band above zero", "{grade: C, label: 合格, min: 0, below: 7}", "{grade: C, label: 合格, min: 1, below: 7}", 62, "下限应为0"},
		{"cycle among derived items", "formula: min(100, pct(done, planned))", "formula: rate + 1", 17, "循环引用: rate → rate"},
		{"bonus cap above the sum", "  cap: 2", "  cap: 5", 55, "加分上限 5 高于各加分项上限之和 4"},
		{"unknown field", "  version: 2", "  version: 2\n  colour: red", 7, "未知字段“colour”"},
		{"bad item type", "type: boolean}", "type: bool}", 24, "类型“bool”无效"},
		{"min above max", "code: planned, name: 计划数, unit: 个, type: integer, min: 1}", "code: planned, name: 计划数, unit: 个, type: integer, min: 1, max: 0}", 16, "最小值1大于最大值0"},
		{"read item without a value", "{code: danger, name: 危房数, unit: 处, type: integer, min: 0, required: false, default: \"0\"}", "{code: danger, name: 危房数, unit: 处, type: integer, min: 0, required: false}", 25, "既非必填也无默认值"},
		{"mode auto with a manual criterion", "        mode: mixed", "        mode: auto", 42, "有1条细则没有规则"},
		{"mode manual with a rule", "        mode: manual", "        mode: manual\n        rule: \"1\"", 52, "为 manual（人工评分），但有1条细则写了规则"},
		{"rating share above one", "{A: 1, B: 0.6, C: 0}", "{A: 1, B: 1.6, C: 0}", 53, "得分比例应在0到1之间"},
		{"unknown placeholder", `reason: "有{danger}处危房"`, `reason: "有{dangers}处危房"`, 44, "{dangers} 不是数据项或参数"},
		{"downgrade to an unknown grade", "kind: cap, grade: B", "kind: cap, grade: E", 64, "不是已定义的等级"},
		{"bad downgrade kind", "kind: cap, grade: B", "kind: lower, grade: B", 64, "kind 应为 cap"},
		{"missing name", "  name: 测试框架\n", "", 1, "缺少 framework.name"},
		{"not yaml", "framework:", "framework: [", 2, "YAML 格式错误"},
		{"wrong shape", "aliases: [学校]", "aliases: 学校", 12, "值的形式不对：这里需要列表，文件中是单个值"},
	}
	base := mustReadSmall(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(base, tc.from) {
				t.Fatalf("fixture has no %q", tc.from)
			}
			src := strings.Replace(base, tc.from, tc.to, 1)
			fw, problems, err := Parse("small.yaml", []byte(src))
			if err == nil || fw != nil {
				t.Fatalf("Parse = %v, nil error; want a lint error", fw)
			}
			if !errors.Is(err, eval.ErrInvalid) {
				t.Errorf("error %v does not match eval.ErrInvalid", err)
			}
			wants := strings.Split(tc.want, "|")
			for _, p := range problems {
				for _, w := range wants {
					if strings.Contains(p.Message, w) && (p.Line == tc.line) {
						return
					}
				}
			}
			t.Errorf("no problem at line %d containing %q; got:\n%v", tc.line, tc.want, err)
		})
	}
}

func TestLintWarningForLooseBounds(t *testing.T) {
	// x - x is always 0, but interval arithmetic cannot tell; no witness
	// exists, so lint warns instead of refusing.
	src := strings.Replace(mustReadSmall(t), `rule: "plan_ok ? 2 : 0"`, `rule: "rate - rate + 2"`, 1)
	fw, problems, err := Parse("small.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse = %v, want success with a warning", err)
	}
	if fw == nil || len(problems) != 1 || !problems[0].Warning || !strings.Contains(problems[0].Message, "无法确定") {
		t.Errorf("problems = %v, want one warning", problems)
	}
}

func TestDefaultFramework(t *testing.T) {
	fw, problems, err := Load(builtinFS, DefaultFile)
	if err != nil || len(problems) > 0 {
		t.Fatalf("default framework: %v %v", err, problems)
	}
	if got := len(fw.Points()); got != 24 {
		t.Errorf("points = %d, want 24", got)
	}
	if got := len(fw.Areas); got != 5 {
		t.Errorf("areas = %d, want 5", got)
	}
	if fw.Meta.Total != 1000 || fw.Bonus.Cap != 50 {
		t.Errorf("total %s, bonus cap %s; want 100 and 5", fw.Meta.Total, fw.Bonus.Cap)
	}
	var bands []string
	for _, b := range fw.Grades {
		bands = append(bands, b.Grade+b.Label+b.Min.String())
	}
	if got := strings.Join(bands, " "); got != "A优秀90 B良好80 C合格65 D不合格0" {
		t.Errorf("bands = %s", got)
	}
	modes := map[Mode]int{}
	for _, p := range fw.Points() {
		modes[p.Mode]++
	}
	if modes[ModeAuto] == 0 || modes[ModeManual] == 0 || modes[ModeMixed] == 0 {
		t.Errorf("modes = %v, want all three used", modes)
	}
	if Default() != Default() {
		t.Error("Default() should parse once")
	}
}

// TestDocsExample keeps the complete example in docs/framework.md valid.
func TestDocsExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/framework.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```yaml\n")
	example, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("docs/framework.md has no yaml example")
	}
	fw, problems, err := Parse("docs/framework.md", []byte(example))
	if err != nil || len(problems) > 0 {
		t.Fatalf("the example in docs/framework.md does not lint: %v %v", err, problems)
	}
	if len(fw.Points()) != 2 || fw.Meta.Total != 100 {
		t.Errorf("example: %d points, total %s", len(fw.Points()), fw.Meta.Total)
	}
}
