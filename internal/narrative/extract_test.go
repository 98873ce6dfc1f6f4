package narrative

import (
	"fmt"
	"strings"
	"testing"

	"lvzhi/internal/framework"
)

// describe writes a claim compactly for table tests: text=value unit
// «quantity» and its flags.
func describe(c Claim) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s=%s", c.Text, c.Value)
	if c.Unit != "" {
		b.WriteString(" " + c.Unit)
	}
	if c.Quantity != "" {
		b.WriteString(" «" + c.Quantity + "»")
	}
	flags := []struct {
		on   bool
		name string
	}{
		{c.Bound == BoundMax, "max"}, {c.Bound == BoundMin, "min"},
		{c.Approx == Near, "near"}, {c.Approx == About, "about"}, {c.Approx == Over, "over"},
		{c.Change == Up, "up"}, {c.Change == Down, "down"}, {c.Compare, "compare"},
		{c.Points, "points"}, {c.Part, "part"}, {c.Contained, "contained"}, {c.Scoped, "scoped"},
	}
	for _, f := range flags {
		if f.on {
			b.WriteString(" " + f.name)
		}
	}
	return b.String()
}

func TestExtract(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"scale and precision", "总人口62.7万。", []string{"62.7万=627000 «总人口»"}},
		{"thousands separator", "在校学生91,750人", []string{"91,750人=91750 人 «在校学生»"}},
		{"full-width digits", "学校１２３所，占比９８．５％", []string{"１２３所=123 所 «学校»", "９８．５％=98.5 % «占比»"}},
		{"money in 万元 and 亿元", "经费109722万元，投入3.5亿元", []string{"109722万元=1097220000 元 «经费»", "3.5亿元=350000000 元 «投入»"}},
		{"Chinese numerals", "二十四个测评点，两万人，三点五亿元，贰佰零伍人", []string{"二十四个=24 个", "两万人=20000 人", "三点五亿元=350000000 元", "贰佰零伍人=205 人"}},
		{"colloquial 六万二", "补助六万二千元，另有六万二人次", []string{"六万二千元=62000 元 «补助»", "六万二人次=62000 人次"}},
		{"percent forms", "覆盖率达80.91%，百分之三十的学校", []string{"80.91%=80.91 % «覆盖率»", "百分之三十=30 %"}},
		{"growth", "比上年增长25.93%", []string{"25.93%=25.93 % up compare"}},
		{"decline", "辍学率较去年下降0.2个百分点", []string{"0.2个百分点=0.2 % «辍学率» down compare points"}},
		{"bounds", "班额控制在45人及以下，不超过50人，30周岁以上", []string{"45人及以下=45 人 «班额» max", "50人=50 人 max", "30周岁以上=30 周岁 min"}},
		{"approximations", "投资近800万元，约3个百分点，700余万元，130多项，60余所", []string{
			"800万元=8000000 元 «投资» near", "3个百分点=3 % about points", "700余万元=7000000 元 over", "130多项=130 项 over", "60余所=60 所 over"}},
		{"parts and contained", "学校132所，其中小学24所、初中20所（含民办3所）", []string{"132所=132 所 «学校»", "24所=24 所 «小学» part", "20所=20 所 «初中» part", "3所=3 所 «民办» contained"}},
		{"scope words", "全区普惠性民办园达31所", []string{"31所=31 所 «普惠性民办园» scoped"}},
		{"year before the quantity", "2019年小学新生5717人", []string{"5717人=5717 人 «小学新生»"}},
		{"units after", "共139个班，23名学生，871.9平方公里，3次", []string{"139个班=139 班", "23名=23 名", "871.9平方公里=871.9 平方公里", "3次=3 次"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, c := range Extract(tc.text) {
				got = append(got, describe(c))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("Extract(%q) =\n  %s\nwant\n  %s", tc.text, strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
		})
	}
}

// TestNotClaims lists numbers that are not quantities.
func TestNotClaims(t *testing.T) {
	tests := []struct{ name, text string }{
		{"years", "2019年，2019年度，2010年至今"},
		{"dates", "2020年8月24日，发布时间：2020-08-24，5月全面实施"},
		{"document number", "浙政教督办函〔2020〕30号，国发[2017]49号"},
		{"ordinals", "第一名，第四届，第2批，位居全市第一"},
		{"ranks", "进入全省前三名"},
		{"list numbering", "一是加强领导。二是完善机制。\n1.坚持党的领导\n2、优化布局\n（一）基本情况\n(2)主要做法"},
		{"codes", "A1.2测评点，GB/T 2260，5G网络，代码330502，电话0572-5021234"},
		{"times and ratios", "15:30放学，师生比1∶1"},
		{"year ranges", "规划期为2013-2020年，2013—2020"},
		{"quoted names", "“三个增长”、“两个提高”、“一校一品”、《规划（2013-2020）》"},
		{"words with numerals", "一个重要，九年一贯制，统一，长三角，千万不要，十四五规划，一批"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Extract(tc.text); len(got) != 0 {
				var d []string
				for _, c := range got {
					d = append(d, describe(c))
				}
				t.Errorf("Extract(%q) = %v, want no claims", tc.text, d)
			}
		})
	}
}

func TestClaimPlace(t *testing.T) {
	text := "第一行\n全区学校１３２所，学生91750人"
	cs := Extract(text)
	if len(cs) != 2 {
		t.Fatalf("Extract(%q) gave %d claims, want 2", text, len(cs))
	}
	for i, want := range []struct {
		line, col int
		text      string
	}{{2, 5, "１３２所"}, {2, 12, "91750人"}} {
		c := cs[i]
		if c.Line != want.line || c.Column != want.col || text[c.Start:c.End] != want.text || c.Text != want.text {
			t.Errorf("claim %d at %d:%d %q (span %q), want %d:%d %q", i, c.Line, c.Column, c.Text, text[c.Start:c.End], want.line, want.col, want.text)
		}
	}
}

func TestParseChinese(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"二十四", "24", true}, {"十二", "12", true}, {"十", "10", true}, {"两", "2", true},
		{"一百零五", "105", true}, {"一千零五", "1005", true}, {"三千五", "3500", true},
		{"两万", "20000", true}, {"六万二", "62000", true}, {"六万二千", "62000", true},
		{"十万", "100000", true}, {"一亿二千万", "120000000", true}, {"三点五亿", "350000000", true},
		{"五点八", "5.8", true}, {"贰佰零伍", "205", true}, {"一百二十三万四千五百六十七", "1234567", true},
		{"千万", "", false}, {"百", "", false}, {"一二", "", false}, {"十四五", "", false}, {"零", "", false},
	}
	for _, tc := range tests {
		n, ok := parseChinese(tc.in)
		if ok != tc.ok || (ok && n.String() != tc.want) {
			t.Errorf("parseChinese(%q) = %s, %v; want %s, %v", tc.in, n, ok, tc.want, tc.ok)
		}
	}
}

func TestExtractWith(t *testing.T) {
	facts := FactsFrom(framework.Default(), nil)
	tests := []struct{ text, want string }{
		{"总人口62.7万", "population_total"},
		{"在校学生91750人", "pupils_total"},
		{"全区普惠性民办园达31所", "puhui_private_kindergartens"},
		{"2019年一般公共预算教育经费为109722万元", "edu_spending"},
		{"学校食堂A级食堂占比38.4%", "canteen_a_share"},
		{"户籍人口47.9万人", ""},  // not the total population
		{"新增民办幼儿园3所", ""},   // an addition, not the stock
		{"新增无线覆盖学校10所", ""}, // 学校 is too short to match at the end
		{"小学新生5717人", "primary_entrants"},
		{"小学新生50%", ""}, // unit does not fit
	}
	for _, tc := range tests {
		cs := ExtractWith(tc.text, facts)
		if len(cs) != 1 || cs[0].Item != tc.want {
			t.Errorf("ExtractWith(%q) = %+v, want one claim of item %q", tc.text, cs, tc.want)
		}
	}
}
