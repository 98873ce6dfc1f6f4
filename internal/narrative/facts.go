package narrative

import (
	"slices"
	"strings"
	"unicode/utf8"

	"lvzhi/internal/framework"
)

// Facts is what a text is checked against: the framework's items (how
// reports name them, in what unit), the county's data, and the scoring
// scheme (full marks and grade bands) for the score sentence. The zero
// Facts checks a text against itself only.
type Facts struct {
	// Year is the year the data is for; a claim in a sentence that names
	// another year is not compared with the data.
	Year int
	// Items are the figures a report may state, by code.
	Items map[string]*Fact
	// Full is the most points the evaluation points give together (100);
	// zero means 100.
	Full Number
	// Grades are the grade bands, best first.
	Grades []Grade

	names nameIndex // built by FactsFrom; Check builds its own otherwise
}

// nameIndex maps item names and aliases to items.
type nameIndex map[string]*Fact

// Fact is one framework item as the check sees it.
type Fact struct {
	Code  string
	Name  string
	Names []string // the name and the aliases
	// Unit is the item's unit as the framework writes it (人, 万元, %).
	Unit string
	// Value is the county's value, if known; Prev the value of the year
	// before (from the item the framework names as its previous year).
	Value, Prev *Number
}

// Grade is one grade band: a total of Min or more (and less than the band
// before) earns Grade.
type Grade struct {
	Grade, Label string
	Min          Number
}

// FactsFrom builds the facts for a framework and a county's values (the
// entered values by item code; nil checks against the framework only).
// Items that are not numbers (truth values, texts) are left out.
func FactsFrom(fw *framework.Framework, values map[string]framework.Value) *Facts {
	f := &Facts{Year: fw.Meta.Year, Items: map[string]*Fact{}}
	f.Full = pointsNumber(fw.Meta.Total)
	for _, b := range fw.Grades {
		f.Grades = append(f.Grades, Grade{Grade: b.Grade, Label: b.Label, Min: pointsNumber(b.Min)})
	}
	values = withDerived(fw, values)
	for _, it := range fw.Items {
		if !it.Type.Numeric() {
			continue
		}
		fact := &Fact{Code: it.Code, Name: it.Name, Unit: it.Unit, Names: append([]string{it.Name}, it.Aliases...)}
		if v, ok := values[it.Code]; ok && v.Kind == framework.KindNumber {
			n := decimalNumber(v.Num)
			fact.Value = &n
		}
		if it.Prev != "" {
			if v, ok := values[it.Prev]; ok && v.Kind == framework.KindNumber {
				n := decimalNumber(v.Num)
				fact.Prev = &n
			}
		}
		f.Items[it.Code] = fact
	}
	f.names = f.buildIndex()
	return f
}

// withDerived returns the values with the derived items (rates, amounts per
// pupil) computed by the framework's formulas, so that "A级食堂占比38.4%"
// is checked too. A derived item is computed only when every item its
// formula names has a value (or is itself computed): a missing input would
// count as zero and give a false figure.
func withDerived(fw *framework.Framework, values map[string]framework.Value) map[string]framework.Value {
	if len(values) == 0 {
		return values
	}
	out := make(map[string]framework.Value, len(values)+len(fw.Derived()))
	for k, v := range values {
		out[k] = v
	}
	env := fw.NewEnv()
	for code, v := range values {
		env.Set(code, v)
	}
	for _, it := range fw.Derived() {
		if _, given := out[it.Code]; given || !inputsKnown(fw, it.Formula, out) {
			continue
		}
		v, err := env.Compute(it)
		if err != nil {
			continue // 除以0等：没有可核对的值
		}
		out[it.Code] = v
	}
	return out
}

// inputsKnown reports whether every item code named in a formula has a
// value. Names that are not item codes (functions, parameters) are skipped.
func inputsKnown(fw *framework.Framework, formula string, values map[string]framework.Value) bool {
	isName := func(b byte) bool {
		return b == '_' || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
	}
	for i := 0; i < len(formula); {
		if !isName(formula[i]) {
			i++
			continue
		}
		j := i
		for j < len(formula) && isName(formula[j]) {
			j++
		}
		name := formula[i:j]
		i = j
		if fw.Item(name) == nil {
			continue
		}
		if _, ok := values[name]; !ok {
			return false
		}
	}
	return true
}

// decimalNumber converts a framework decimal (ten-thousandths) exactly.
func decimalNumber(d framework.Decimal) Number {
	n := Number{Mant: int64(d), Exp: -4}
	for n.Exp < 0 && n.Mant%10 == 0 {
		n.Mant /= 10
		n.Exp++
	}
	return n
}

func pointsNumber(p framework.Points) Number {
	if p == 0 {
		return Number{Mant: 100}
	}
	return decimalNumber(p.Decimal())
}

// index returns the name lookup: the one FactsFrom built, or a new one for
// Facts made by hand. It never modifies f, so that one Facts may serve
// concurrent checks.
func (f *Facts) index() nameIndex {
	if f == nil {
		return nil
	}
	if f.names != nil {
		return f.names
	}
	return f.buildIndex()
}

func (f *Facts) buildIndex() nameIndex {
	idx := nameIndex{}
	for _, fact := range f.Items {
		for _, n := range fact.Names {
			n = strings.TrimSpace(n)
			if n == "" {
				continue
			}
			idx.add(n, fact)
			if short, ok := strings.CutSuffix(n, "数"); ok && short != "" {
				idx.add(short, fact)
			}
		}
	}
	return idx
}

// add maps a name to an item. Exact names win over names shortened by a
// trailing 数; between equals the smaller code wins, so the result does
// not depend on map order.
func (idx nameIndex) add(n string, fact *Fact) {
	if old, ok := idx[n]; ok {
		oldExact := slices.Contains(old.Names, n)
		newExact := slices.Contains(fact.Names, n)
		if oldExact && !newExact || (oldExact == newExact && old.Code < fact.Code) {
			return
		}
	}
	idx[n] = fact
}

// lookup returns the item a claim's quantity names, if its unit fits.
func (idx nameIndex) lookup(c *Claim) *Fact {
	if idx == nil || c.Quantity == "" {
		return nil
	}
	fact := idx[c.Quantity]
	if fact == nil {
		// 在校学生数 is named 在校学生 as often as not, and 幼儿园总数 is
		// the 幼儿园 item.
		for _, suffix := range []string{"总数", "数量", "数"} {
			if q, ok := strings.CutSuffix(c.Quantity, suffix); ok && q != "" {
				fact = idx[q]
				break
			}
		}
	}
	if fact == nil {
		fact = idx.suffixName(c.Quantity)
	}
	if fact == nil {
		return nil
	}
	if _, ok := unitFactor(c, fact); !ok {
		return nil
	}
	return fact
}

// minSuffixName is the shortest name matched at the end of longer words:
// "学校食堂A级食堂占比" names A级食堂占比, but "新增无线覆盖学校" must not
// name 学校.
const minSuffixName = 4

// actionWords mark words that describe something done, not a standing
// figure: "新增民办幼儿园3所" is not the number of private kindergartens.
var actionWords = []string{
	"新增", "新建", "新设", "增加", "增设", "完成", "投入", "建成", "建设", "创建", "创成", "改造", "扩建",
	"认定", "评为", "评选", "获得", "获评", "开展", "组织", "招聘", "招收", "招生", "培训", "资助", "发放",
	"减少", "关停", "整改", "排查", "取缔", "选派", "推荐", "交流", "提升", "提高", "实现", "落实", "转为", "撤并",
}

// suffixName finds the longest name of at least minSuffixName characters
// that ends q, when the words before it describe no action.
func (idx nameIndex) suffixName(q string) *Fact {
	for i, n := 0, 0; i < len(q); n++ {
		_, size := utf8.DecodeRuneInString(q[i:])
		i += size
		rest := q[i:]
		if utf8.RuneCountInString(rest) < minSuffixName {
			return nil
		}
		if fact := idx[rest]; fact != nil {
			for _, w := range actionWords {
				if strings.Contains(q[:i], w) {
					return nil
				}
			}
			return fact
		}
	}
	return nil
}

// unitFactor returns the power of ten that turns the item's unit into the
// claim's base unit (4 for an item in 万元 and a claim in 元), and whether
// the two units measure the same thing.
func unitFactor(c *Claim, fact *Fact) (int, bool) {
	unit, exp := fact.Unit, 0
	switch {
	case strings.HasPrefix(unit, "万") && len(unit) > len("万"):
		unit, exp = unit[len("万"):], 4
	case strings.HasPrefix(unit, "亿") && len(unit) > len("亿"):
		unit, exp = unit[len("亿"):], 8
	}
	if unit == "%" {
		return 0, c.Percent
	}
	if c.Percent || c.Points {
		return 0, false
	}
	if c.Unit == "" || c.Unit == unit || (isPeople(c.Unit) && isPeople(unit)) {
		return exp, true
	}
	return 0, false
}

func isPeople(u string) bool { return u == "人" || u == "名" || u == "位" }
