package narrative

import (
	"strings"

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

	names map[string]*Fact // name or alias → fact
}

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
	// Decimals is how many decimals a report is expected to print.
	Decimals int
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
	return f
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

// index builds the name lookup once.
func (f *Facts) index() {
	if f == nil || f.names != nil {
		return
	}
	f.names = map[string]*Fact{}
	for _, fact := range f.Items {
		for _, n := range fact.Names {
			n = strings.TrimSpace(n)
			if n == "" {
				continue
			}
			f.addName(n, fact)
			if short, ok := strings.CutSuffix(n, "数"); ok && short != "" {
				f.addName(short, fact)
			}
		}
	}
}

// addName maps a name to an item. Exact names win over names shortened by
// a trailing 数; between equals the smaller code wins, so the result does
// not depend on map order.
func (f *Facts) addName(n string, fact *Fact) {
	if old, ok := f.names[n]; ok {
		oldExact := slicesContains(old.Names, n)
		newExact := slicesContains(fact.Names, n)
		if oldExact && !newExact || (oldExact == newExact && old.Code < fact.Code) {
			return
		}
	}
	f.names[n] = fact
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// lookup returns the item a claim's quantity names, if its unit fits.
func (f *Facts) lookup(c *Claim) *Fact {
	if f == nil || c.Quantity == "" {
		return nil
	}
	fact := f.names[c.Quantity]
	if fact == nil {
		// 在校学生数 is named 在校学生 as often as not, and 幼儿园总数 is
		// the 幼儿园 item.
		for _, suffix := range []string{"总数", "数量", "数"} {
			if q, ok := strings.CutSuffix(c.Quantity, suffix); ok && q != "" {
				fact = f.names[q]
				break
			}
		}
	}
	if fact == nil {
		return nil
	}
	if _, ok := unitFactor(c, fact); !ok {
		return nil
	}
	return fact
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
