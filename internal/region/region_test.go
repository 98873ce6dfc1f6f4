package region

import (
	"errors"
	"strings"
	"testing"

	"lvzhi/internal/eval"
)

func TestChinaWuxing(t *testing.T) {
	c := China()
	want := []Region{
		{Code: "33", Name: "浙江省"},
		{Code: "3305", Name: "湖州市", Parent: "33"},
		{Code: "330502", Name: "吴兴区", Parent: "3305"},
	}
	got := c.Path("330502")
	if len(got) != len(want) {
		t.Fatalf("Path(330502) = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Path(330502)[%d] = %v, want %v", i, got[i], want[i])
		}
	}
	if n := c.FullName("330502"); n != "浙江省湖州市吴兴区" {
		t.Errorf("FullName = %q", n)
	}
	var huzhou []string
	for _, r := range c.Children("3305") {
		huzhou = append(huzhou, r.Code+r.Name)
	}
	if got := strings.Join(huzhou, " "); got != "330502吴兴区 330503南浔区 330521德清县 330522长兴县 330523安吉县" {
		t.Errorf("Huzhou's counties = %s", got)
	}
}

// The counts were read from the package's CSV files with awk (SOURCE.md);
// this test checks the embedded file says the same.
func TestChinaCounts(t *testing.T) {
	c := China()
	count := func(level Level, under string) int {
		n := 0
		for _, r := range c.All() {
			if r.Level() == level && Contains(under, r.Code) {
				n++
			}
		}
		return n
	}
	tests := []struct {
		name  string
		level Level
		under string
		want  int
	}{
		{"浙江省地级", LevelCity, "33", 11},
		{"浙江省县级", LevelCounty, "33", 90},
		{"湖州市县级", LevelCounty, "3305", 5},
		{"杭州市县级", LevelCounty, "3301", 13},
		{"全国省级", LevelProvince, "", 0}, // an empty scope contains nothing
	}
	for _, tt := range tests {
		if got := count(tt.level, tt.under); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
	levels := map[Level]int{}
	for _, r := range c.All() {
		levels[r.Level()]++
	}
	if levels[LevelProvince] != 31 || levels[LevelCity] != 337 || levels[LevelCounty] != 2846 {
		t.Errorf("levels = %v, want 31 provinces, 337 cities, 2846 counties", levels)
	}
	if n := len(c.Units("33")); n != 90 {
		t.Errorf("Units(33) = %d, want 90", n)
	}
	// Guangdong: 东莞 and 中山 have no counties and are units themselves.
	units := c.Units("44")
	var cities []string
	for _, u := range units {
		if u.Level() == LevelCity {
			cities = append(cities, u.Name)
		}
	}
	if strings.Join(cities, ",") != "东莞市,中山市" {
		t.Errorf("Guangdong city units = %v", cities)
	}
	if n := len(c.Units("")); n != 0 {
		t.Errorf("Units(\"\") = %d, want 0", n)
	}
}

func TestEveryCountyHasParentOneTierUp(t *testing.T) {
	c := China()
	for _, r := range c.All() {
		if r.Parent == "" {
			if r.Level() != LevelProvince {
				t.Errorf("%v has no parent", r)
			}
			continue
		}
		p, ok := c.Get(r.Parent)
		if !ok {
			t.Errorf("%v: parent missing", r)
			continue
		}
		if p.Level() >= r.Level() || !Contains(p.Code, r.Code) {
			t.Errorf("%v: bad parent %v", r, p)
		}
	}
}

func TestStratum(t *testing.T) {
	c := China()
	tests := map[string]string{
		"330502": "3305", // county → its city
		"110101": "11",   // Beijing district → the municipality
		"4419":   "4419", // Dongguan is its own group
		"999999": "999999",
	}
	for code, want := range tests {
		if got := c.Stratum(code); got != want {
			t.Errorf("Stratum(%s) = %s, want %s", code, got, want)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"33", "33", true},
		{"330000", "33", true},
		{"3305", "3305", true},
		{"330500", "3305", true},
		{" 330502 ", "330502", true},
		{"", "", false},
		{"3", "", false},
		{"33050", "", false},
		{"3305021", "", false},
		{"33a502", "", false},
		{"000000", "", false},
		{"330002", "", false},
		{"３３", "", false},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && !errors.Is(err, eval.ErrInvalid) {
			t.Errorf("Normalize(%q) error %v is not ErrInvalid", tt.in, err)
		}
	}
}

func TestContains(t *testing.T) {
	tests := []struct {
		scope, code string
		want        bool
	}{
		{"33", "330502", true},
		{"3305", "330502", true},
		{"330502", "330502", true},
		{"3306", "330502", false},
		{"32", "330502", false},
		{"330502", "3305", false},
		{"", "330502", false},
	}
	for _, tt := range tests {
		if got := Contains(tt.scope, tt.code); got != tt.want {
			t.Errorf("Contains(%q, %q) = %v", tt.scope, tt.code, got)
		}
	}
}

func TestFind(t *testing.T) {
	c := China()
	if r, err := c.Find("330500"); err != nil || r.Name != "湖州市" {
		t.Errorf("Find(330500) = %v, %v", r, err)
	}
	if _, err := c.Find("339999"); !errors.Is(err, eval.ErrNotFound) {
		t.Errorf("Find(339999) error = %v, want ErrNotFound", err)
	}
	if _, err := c.Find("x"); !errors.Is(err, eval.ErrInvalid) {
		t.Errorf("Find(x) error = %v, want ErrInvalid", err)
	}
}
