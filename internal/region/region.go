package region

import (
	"fmt"
	"sort"
	"strings"

	"lvzhi/internal/eval"
)

// Level is a division's tier.
type Level int

// The three tiers lvzhi knows.
const (
	LevelProvince Level = 1 // 省级: 2-digit code
	LevelCity     Level = 2 // 地级: 4-digit code
	LevelCounty   Level = 3 // 县级: 6-digit code
)

// Label is the tier's Chinese name.
func (l Level) Label() string {
	switch l {
	case LevelProvince:
		return "省级"
	case LevelCity:
		return "地级"
	case LevelCounty:
		return "县级"
	}
	return "未知层级"
}

// LevelOf returns the tier of a short code by its length, or 0 if the
// length is not 2, 4 or 6.
func LevelOf(code string) Level {
	switch len(code) {
	case 2:
		return LevelProvince
	case 4:
		return LevelCity
	case 6:
		return LevelCounty
	}
	return 0
}

// Region is one administrative division.
type Region struct {
	Code   string // short GB/T 2260 code: "33", "3305", "330502"
	Name   string // 浙江省, 湖州市, 吴兴区
	Parent string // code of the division above; "" for a province
}

// Level returns the region's tier.
func (r Region) Level() Level { return LevelOf(r.Code) }

// Normalize turns a code as people write it into its short form: "33",
// "330000" → "33"; "3305", "330500" → "3305"; "330502" stays. Anything else
// is an error matching eval.ErrInvalid.
func Normalize(code string) (string, error) {
	c := strings.TrimSpace(code)
	for _, r := range c {
		if r < '0' || r > '9' {
			return "", fmt.Errorf("区划代码“%s”只能由数字组成: %w", code, eval.ErrInvalid)
		}
	}
	switch len(c) {
	case 2, 4:
	case 6:
		switch {
		case strings.HasSuffix(c, "0000"):
			c = c[:2]
		case strings.HasSuffix(c, "00"):
			c = c[:4]
		}
	default:
		return "", fmt.Errorf("区划代码“%s”应为 2 位（省）、4 位（市）或 6 位（县）数字: %w", code, eval.ErrInvalid)
	}
	if strings.HasPrefix(c, "00") || (len(c) >= 4 && c[2:4] == "00") {
		return "", fmt.Errorf("区划代码“%s”无效: %w", code, eval.ErrInvalid)
	}
	return c, nil
}

// Contains reports whether code lies in the subtree of scope (or is scope
// itself). Both are short codes; an empty scope contains nothing.
func Contains(scope, code string) bool {
	return scope != "" && strings.HasPrefix(code, scope)
}

// Set is a collection of regions indexed by code. A Set is never modified
// after it is built, so it may be shared.
type Set struct {
	byCode   map[string]Region
	children map[string][]string // parent → child codes, sorted
	codes    []string            // all codes, sorted
}

// NewSet builds a Set from regions. Later regions replace earlier ones with
// the same code. Parents are not checked; Parse checks them.
func NewSet(regions ...Region) *Set {
	s := &Set{byCode: make(map[string]Region, len(regions)), children: map[string][]string{}}
	for _, r := range regions {
		s.byCode[r.Code] = r
	}
	for code, r := range s.byCode {
		s.codes = append(s.codes, code)
		if r.Parent != "" {
			s.children[r.Parent] = append(s.children[r.Parent], code)
		}
	}
	sort.Strings(s.codes)
	for _, c := range s.children {
		sort.Strings(c)
	}
	return s
}

// With returns a new Set holding s's regions and then regions (which
// replace those with the same code).
func (s *Set) With(regions []Region) *Set {
	all := s.All()
	return NewSet(append(all, regions...)...)
}

// Len is the number of regions.
func (s *Set) Len() int { return len(s.codes) }

// Get returns the region with the short code.
func (s *Set) Get(code string) (Region, bool) {
	r, ok := s.byCode[code]
	return r, ok
}

// Find returns the region with the code in any written form ("330000" or
// "33"), or an error matching eval.ErrNotFound or eval.ErrInvalid.
func (s *Set) Find(code string) (Region, error) {
	c, err := Normalize(code)
	if err != nil {
		return Region{}, err
	}
	r, ok := s.byCode[c]
	if !ok {
		return Region{}, fmt.Errorf("没有区划代码为 %s 的地区: %w", c, eval.ErrNotFound)
	}
	return r, nil
}

// All returns every region sorted by code.
func (s *Set) All() []Region {
	out := make([]Region, len(s.codes))
	for i, c := range s.codes {
		out[i] = s.byCode[c]
	}
	return out
}

// Children returns the regions directly under code, sorted by code.
func (s *Set) Children(code string) []Region {
	kids := s.children[code]
	out := make([]Region, len(kids))
	for i, c := range kids {
		out[i] = s.byCode[c]
	}
	return out
}

// Units returns the county-level units evaluated in the subtree of code,
// sorted by code: every county-level region, and every prefecture-level
// city that has no county-level regions under it (东莞市, 中山市, 儋州市,
// 嘉峪关市 are governed without counties, so the city itself is the unit).
// A county code returns itself.
func (s *Set) Units(code string) []Region {
	var out []Region
	for _, c := range s.codes {
		if !Contains(code, c) {
			continue
		}
		r := s.byCode[c]
		switch r.Level() {
		case LevelCounty:
			out = append(out, r)
		case LevelCity:
			if len(s.children[c]) == 0 {
				out = append(out, r)
			}
		}
	}
	return out
}

// Path returns the region and its ancestors, province first. Missing
// ancestors are skipped.
func (s *Set) Path(code string) []Region {
	var rev []Region
	for c := code; c != ""; {
		r, ok := s.byCode[c]
		if !ok {
			break
		}
		rev = append(rev, r)
		c = r.Parent
	}
	out := make([]Region, len(rev))
	for i, r := range rev {
		out[len(rev)-1-i] = r
	}
	return out
}

// FullName is the region's name with its ancestors': "浙江省湖州市吴兴区".
func (s *Set) FullName(code string) string {
	var b strings.Builder
	for _, r := range s.Path(code) {
		b.WriteString(r.Name)
	}
	if b.Len() == 0 {
		return code
	}
	return b.String()
}

// Stratum returns the code of the group a unit is sampled and ranked in:
// its prefecture-level city, or its province for the districts of a
// municipality, or the unit itself for a city without counties.
func (s *Set) Stratum(code string) string {
	r, ok := s.byCode[code]
	if !ok || r.Level() != LevelCounty || r.Parent == "" {
		return code
	}
	return r.Parent
}
