package datafile

import (
	"errors"
	"strings"
	"testing"

	"lvzhi/internal/eval"
	"lvzhi/internal/framework"
	"lvzhi/internal/scoring"
)

const goodFile = `county: 测试县
code: "330599"
year: 2019
values:
  schools_total: 12
  area_km2: {value: 100.5, assumed: true, note: 估算}
manual:
  A1.1: 1
  D4: {rating: B, justification: 个别方面欠缺}
bonus:
  - {item: P1, title: 省级试点区}
`

func TestParse(t *testing.T) {
	fw := framework.Default()
	c, err := Parse("good.yaml", []byte(goodFile), fw)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "测试县" || c.Code != "330599" || c.Year != 2019 {
		t.Errorf("county = %+v", c)
	}
	if v := c.Input.Values["area_km2"]; v.Num.String() != "100.5" {
		t.Errorf("area = %v", v)
	}
	if strings.Join(c.Assumed, ",") != "area_km2" || c.Notes["area_km2"] != "估算" {
		t.Errorf("assumed %v notes %v", c.Assumed, c.Notes)
	}
	if m := c.Input.Manual["D4"]; m.Rating != "B" || m.Justification == "" {
		t.Errorf("D4 = %+v", m)
	}
	if m := c.Input.Manual["A1.1"]; m.Score == nil || *m.Score != 10 {
		t.Errorf("A1.1 = %+v", m)
	}
	if len(c.Input.Bonus) != 1 || c.Input.Bonus[0].Title != "省级试点区" {
		t.Errorf("bonus = %+v", c.Input.Bonus)
	}
}

// TestParseErrors checks that each kind of bad data file is reported at its
// line with a reason.
func TestParseErrors(t *testing.T) {
	fw := framework.Default()
	tests := []struct {
		name, from, to string
		line           int
		want           string
	}{
		{"unknown item with suggestion", "  schools_total: 12", "  schools_totl: 12", 5, "没有数据项 schools_totl（是否应为 schools_total？）"},
		{"derived item", "  schools_total: 12", "  large_class_share: 3", 5, "由公式计算，不能填写"},
		{"not a number", "  schools_total: 12", "  schools_total: 十二", 5, "“十二”不是数字"},
		{"not a truth value", "  schools_total: 12", "  layout_plan_in_force: 也许", 5, "不是“是”或“否”"},
		{"value missing in mapping", "{value: 100.5, assumed: true, note: 估算}", "{assumed: true}", 6, "缺少 value"},
		{"unknown value field", "note: 估算}", "notes: 估算}", 6, "未知字段“notes”"},
		{"bad manual score", "  A1.1: 1", "  A1.1: 0.25", 8, "分数“0.25”无效"},
		{"unknown bonus item", "{item: P1, title: 省级试点区}", "{item: P9, title: 省级试点区}", 11, "没有加分项 P9"},
		{"bonus without title", "{item: P1, title: 省级试点区}", "{item: P1}", 11, "title"},
		{"unknown top-level field", "year: 2019", "year: 2019\nyaer: 2019", 4, "yaer"},
		{"bad year", "year: 2019", "year: 二〇一九", 1, "year 应为年份"},
		{"not yaml", "county: 测试县", "county: [测试县", 1, "格式错误"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := strings.Replace(goodFile, tc.from, tc.to, 1)
			if src == goodFile {
				t.Fatalf("fixture has no %q", tc.from)
			}
			c, err := Parse("bad.yaml", []byte(src), fw)
			var de *Error
			if c != nil || !errors.As(err, &de) || !errors.Is(err, eval.ErrInvalid) {
				t.Fatalf("Parse = %v, %v; want a *Error", c, err)
			}
			for _, p := range de.Problems {
				if p.Line == tc.line && strings.Contains(p.Message, tc.want) {
					return
				}
			}
			t.Errorf("no problem at line %d containing %q; got:\n%v", tc.line, tc.want, err)
		})
	}
}

// TestLocate maps the engine's problems (by item code) to lines of the file.
func TestLocate(t *testing.T) {
	fw := framework.Default()
	c, err := Parse("good.yaml", []byte(goodFile), fw)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Score(fw, scoring.Options{})
	var de *Error
	if !errors.As(err, &de) {
		t.Fatalf("Score = %v, want located problems (the file lacks most items)", err)
	}
	found := map[string]int{}
	for _, p := range de.Problems {
		if strings.Contains(p.Message, "缺少必填数据项 小学数") {
			found["missing"] = p.Line
		}
		if strings.Contains(p.Message, "D4") && strings.Contains(p.Message, "尚未评分") {
			found["pending"] = p.Line
		}
	}
	if found["missing"] != 4 {
		t.Errorf("missing item reported at line %d, want 4 (the values: key); problems:\n%v", found["missing"], err)
	}
	if strings.Contains(err.Error(), "D4（D4）尚未评分") {
		t.Error("D4 has a rating and must not be reported as unscored")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(goodFile))
	f.Add([]byte("values: [1, 2]\nmanual: 3\n"))
	f.Add([]byte("county: x\nyear: 1\nvalues: {schools_total: {value: {a: 1}}}\n"))
	f.Add([]byte("\x00\xff"))
	fw := framework.Default()
	f.Fuzz(func(t *testing.T, src []byte) {
		c, err := Parse("fuzz.yaml", src, fw)
		if err != nil {
			return
		}
		if _, err := c.Score(fw, scoring.Options{AllowPending: true}); err != nil {
			var de *Error
			if !errors.As(err, &de) {
				t.Fatalf("Score error is not located: %v", err)
			}
		}
	})
}
