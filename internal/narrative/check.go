package narrative

import (
	"fmt"
	"math/big"
	"sort"
	"strings"
	"unicode/utf8"
)

// Kind names what a finding is about.
type Kind string

// The finding kinds.
const (
	// DataMismatch: a figure disagrees with the county's data, at the
	// precision the text writes it.
	DataMismatch Kind = "data_mismatch"
	// Contradiction: the same quantity stated twice with different values.
	Contradiction Kind = "contradiction"
	// SumMismatch: the parts listed after 其中 do not add up to the total.
	SumMismatch Kind = "sum_mismatch"
	// ScoreArithmetic: the score sentence does not add up (points with full
	// marks and with deductions, full marks − deductions + bonus, grade).
	ScoreArithmetic Kind = "score_arithmetic"
	// AverageBound: pupils per class above the class size the text states.
	AverageBound Kind = "average_bound"
	// PerCapitaMismatch: count × amount per head is not the stated total.
	PerCapitaMismatch Kind = "per_capita_mismatch"
	// GrowthMismatch: a growth rate or increase that does not follow from
	// the stated or stored previous-year value.
	GrowthMismatch Kind = "growth_mismatch"
)

// Kinds lists every kind, in the order the documentation gives them.
var Kinds = []Kind{DataMismatch, Contradiction, SumMismatch, ScoreArithmetic, AverageBound, PerCapitaMismatch, GrowthMismatch}

// Severity is how sure a finding is: an error is a figure that cannot be
// right; a warning one that is probably wrong.
type Severity string

// The severities.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// MaxFindings is the most findings Check reports for one text.
const MaxFindings = 1000

// Finding is one disagreement, placed at the claim that shows it.
type Finding struct {
	Kind     Kind
	Severity Severity
	Line     int // of the claim the finding is placed at
	Column   int
	Text     string // that claim as written
	Message  string // in Chinese: what disagrees with what
	// Spans are the byte ranges of every claim involved, in text order.
	Spans []Span
}

// Result is what Check found in one text.
type Result struct {
	Claims   int // how many numeric claims the text makes
	Findings []Finding
	// Checked lists every relation a check recognised and tested, whether
	// it held or not: which score sentences, sums, class sizes… were seen.
	Checked []Checked
	// Truncated is set when the text held more than MaxClaims claims or
	// produced more than MaxFindings findings; the rest was not checked.
	Truncated bool
}

// Checked is one relation a check tested, placed at its main claim.
type Checked struct {
	Kind  Kind
	Line  int
	Text  string
	Spans []Span
}

// Passed reports whether no finding is an error.
func (r *Result) Passed() bool {
	return r.Errors() == 0
}

// Errors counts the findings of severity error.
func (r *Result) Errors() int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == SeverityError {
			n++
		}
	}
	return n
}

// Check extracts the claims of text and checks them against each other and,
// when facts is not nil, against the framework and the county's data. It
// never fails: any text gives a result.
func Check(text string, facts *Facts) *Result {
	ex := extract(text)
	ck := &checker{ex: &ex, facts: facts, res: &Result{Claims: len(ex.claims), Truncated: ex.truncated}}
	ck.year = ck.reportYear()
	ck.resolve()
	ck.bySentence()
	ck.contradictionsAndData()
	for _, cs := range ck.sentences {
		if len(cs) > 0 {
			ck.score(cs)
		}
	}
	ck.sums()
	for _, cs := range ck.sentences {
		if len(cs) == 0 {
			continue
		}
		ck.classSizes(cs)
		ck.perCapita(cs)
		ck.growth(cs)
	}
	sort.SliceStable(ck.res.Findings, func(i, j int) bool {
		a, b := ck.res.Findings[i], ck.res.Findings[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return ck.res
}

type checker struct {
	ex        *extraction
	facts     *Facts
	res       *Result
	sentences [][]*Claim // claims per sentence
	reported  map[*Claim]bool
	scored    map[*Claim]bool // claims of a score sentence
	// year is the year the report is about: the data's, or else the year
	// its sentences name most often. Claims of that year and claims that
	// name none speak of the same time.
	year int
}

func (ck *checker) reportYear() int {
	if ck.facts != nil && ck.facts.Year != 0 {
		return ck.facts.Year
	}
	count := map[int]int{}
	best := 0
	for i := range ck.ex.claims {
		y := ck.ex.claims[i].Year
		if y == 0 {
			continue
		}
		count[y]++
		if count[y] > count[best] || (count[y] == count[best] && y > best) {
			best = y
		}
	}
	return best
}

// resolve names the framework item of each claim, letting a claim whose
// words say nothing ("…提升3个百分点，达80.91%") take the quantity of the
// change before it.
func (ck *checker) resolve() { resolve(ck.ex.claims, ck.facts) }

func resolve(cl []Claim, facts *Facts) {
	names := facts.index()
	for i := range cl {
		c := &cl[i]
		if c.Quantity == "" && i > 0 && cl[i-1].sentence == c.sentence && cl[i-1].Change != NoChange &&
			c.Change == NoChange && !c.Compare && !c.Part {
			c.Quantity, c.Scoped = cl[i-1].Quantity, cl[i-1].Scoped
		}
		if f := names.lookup(c); f != nil {
			c.Item = f.Code
		}
	}
}

func (ck *checker) bySentence() {
	ck.sentences = make([][]*Claim, len(ck.ex.sentences)+1)
	for i := range ck.ex.claims {
		c := &ck.ex.claims[i]
		if c.sentence < len(ck.sentences) {
			ck.sentences[c.sentence] = append(ck.sentences[c.sentence], c)
		}
	}
}

// tested records that a relation was recognised and tested.
func (ck *checker) tested(kind Kind, at *Claim, involved ...*Claim) {
	if len(ck.res.Checked) >= MaxFindings {
		return
	}
	ck.res.Checked = append(ck.res.Checked, Checked{Kind: kind, Line: at.Line, Text: at.Text, Spans: spansOf(involved)})
}

func spansOf(involved []*Claim) []Span {
	spans := make([]Span, 0, len(involved))
	for _, c := range involved {
		if c != nil {
			spans = append(spans, c.span())
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
	return spans
}

func (ck *checker) add(kind Kind, sev Severity, at *Claim, msg string, involved ...*Claim) {
	if len(ck.res.Findings) >= MaxFindings {
		ck.res.Truncated = true
		return
	}
	ck.res.Findings = append(ck.res.Findings, Finding{
		Kind: kind, Severity: sev, Line: at.Line, Column: at.Column, Text: at.Text, Message: msg, Spans: spansOf(involved),
	})
}

// plain reports whether a claim states a value (not a change, a limit or a
// comparison).
func plain(c *Claim) bool {
	return c.Change == NoChange && !c.Compare && !c.Points && c.Bound == BoundNone
}

// sameYear reports whether the claim speaks of the data's year.
func (ck *checker) sameYear(c *Claim) bool {
	return c.Year == 0 || ck.year == 0 || c.Year == ck.year
}

// groupKey is what makes two claims statements of the same quantity.
func (ck *checker) groupKey(c *Claim) string {
	if !plain(c) || c.Contained {
		return ""
	}
	year := c.Year
	if year == ck.year {
		year = 0
	}
	if c.Item != "" {
		return fmt.Sprintf("item:%s|%d", c.Item, year)
	}
	if c.Part || utf8.RuneCountInString(c.Quantity) < 2 {
		return ""
	}
	// Without an item, only a district-wide figure or a total is taken to
	// be stated once: the same verb phrase (投入资金) often repeats for
	// different things.
	if !c.Scoped && !strings.Contains(c.Quantity, "总") {
		return ""
	}
	for _, w := range actionWords {
		if strings.Contains(c.Quantity, w) {
			return "" // 全区投入资金…: the same action recurs for different things
		}
	}
	unit := c.Unit
	if c.Percent {
		unit = "%"
	}
	return fmt.Sprintf("q:%s|%s|%d", c.Quantity, unit, year)
}

// sameValue reports whether two statements of a quantity can be the same
// value at their written precision. Plain figures of moderate size are
// compared in int64 (the common case, and the hot loop on large texts);
// anything else exactly with big.Rat.
func sameValue(a, b *Claim) bool {
	if ok, overlap := quickOverlap(a, b); ok {
		return overlap
	}
	return a.allowed().overlaps(b.allowed())
}

// quickOverlap compares two exact (not approximate, not bounded) claims in
// int64 arithmetic, at twice the finer of their two scales so that half
// units are whole. ok is false when the numbers are too large for that.
func quickOverlap(a, b *Claim) (ok, overlap bool) {
	if a.Approx != Exact || b.Approx != Exact || a.Bound != BoundNone || b.Bound != BoundNone {
		return false, false
	}
	e := min(a.Value.Exp, b.Value.Exp)
	da, db := a.Value.Exp-e, b.Value.Exp-e
	const limit = 1e12
	if da > 6 || db > 6 || a.Value.Mant > limit || b.Value.Mant > limit || a.Value.Mant < 0 || b.Value.Mant < 0 {
		return false, false
	}
	va, vb := 2*a.Value.Mant*pow10Int(da), 2*b.Value.Mant*pow10Int(db)
	// The half unit of a rounded figure, doubled; a whole count has none.
	ha, hb := pow10Int(da), pow10Int(db)
	if a.Value.Exp == 0 && !a.Percent {
		ha = 0
	}
	if b.Value.Exp == 0 && !b.Percent {
		hb = 0
	}
	diff := va - vb
	if diff < 0 {
		diff = -diff
	}
	return true, diff <= ha+hb
}

// contradictionsAndData compares each claim with the first statement of the
// same quantity and with the data. A claim in a contradiction is not also
// reported as a data mismatch: the contradiction's message says which
// statement the data supports.
func (ck *checker) contradictionsAndData() {
	ck.reported = map[*Claim]bool{}
	first := map[string]*Claim{}
	for i := range ck.ex.claims {
		c := &ck.ex.claims[i]
		key := ck.groupKey(c)
		if key == "" {
			continue
		}
		a, ok := first[key]
		if !ok {
			first[key] = c
			continue
		}
		ck.tested(Contradiction, c, a, c)
		if sameValue(a, c) {
			continue
		}
		name := c.Quantity
		if f := ck.fact(c); f != nil {
			name = f.Name
		}
		msg := fmt.Sprintf("“%s”前后不一致：第%d行第%d列写作%s，此处写作%s", name, a.Line, a.Column, a.Text, c.Text)
		if f := ck.fact(c); f != nil && f.Value != nil && ck.sameYear(c) {
			okA, okC := ck.matchesData(a, f), ck.matchesData(c, f)
			data := formatFact(*f.Value, f.Unit)
			switch {
			case okA && !okC:
				msg += fmt.Sprintf("；数据为%s，与第%d行的%s一致", data, a.Line, a.Text)
			case okC && !okA:
				msg += fmt.Sprintf("；数据为%s，与此处一致", data)
			case !okA && !okC:
				msg += fmt.Sprintf("；数据为%s，两处都不符", data)
			}
		}
		ck.add(Contradiction, SeverityError, c, msg, a, c)
		ck.reported[a], ck.reported[c] = true, true
	}
	if ck.facts == nil {
		return
	}
	for i := range ck.ex.claims {
		c := &ck.ex.claims[i]
		f := ck.fact(c)
		if f == nil || f.Value == nil || ck.reported[c] || !ck.sameYear(c) {
			continue
		}
		if c.Change != NoChange || c.Compare || c.Points {
			continue
		}
		ck.tested(DataMismatch, c, c)
		if !ck.matchesData(c, f) {
			ck.add(DataMismatch, SeverityError, c,
				fmt.Sprintf("“%s”写作%s，与数据%s不符", f.Name, c.Text, formatFact(*f.Value, f.Unit)), c)
		}
	}
}

func (ck *checker) fact(c *Claim) *Fact {
	if ck.facts == nil || c.Item == "" {
		return nil
	}
	return ck.facts.Items[c.Item]
}

// factIn returns a stored value in the claim's base unit.
func factIn(c *Claim, f *Fact, v Number) (*big.Rat, bool) {
	exp, ok := unitFactor(c, f)
	if !ok {
		return nil, false
	}
	return Number{Mant: v.Mant, Exp: v.Exp + exp}.Rat(), true
}

// matchesData reports whether the data value is one the claim allows.
func (ck *checker) matchesData(c *Claim, f *Fact) bool {
	v, ok := factIn(c, f, *f.Value)
	if !ok {
		return true
	}
	return c.allowed().contains(v)
}

// formatFact writes a stored value with its item's unit: 629900人, 109722万元.
func formatFact(v Number, unit string) string {
	return v.String() + unit
}

func unitsFit(a, b *Claim) bool {
	if a.Percent != b.Percent {
		return false
	}
	return a.Unit == b.Unit || (isPeople(a.Unit) && isPeople(b.Unit))
}

// sums checks each 其中 list against the total stated before it.
func (ck *checker) sums() {
	cl := ck.ex.claims
	for i := 0; i < len(cl); {
		c := &cl[i]
		if c.partGroup == 0 {
			i++
			continue
		}
		g := c.partGroup
		j := i
		var parts []*Claim
		other := false
		for ; j < len(cl) && (cl[j].partGroup == g || cl[j].Contained || cl[j].depth > c.depth); j++ {
			p := &cl[j]
			if p.partGroup != g || p.Contained || !plain(p) || !unitsFit(p, c) {
				continue
			}
			parts = append(parts, p)
			if strings.HasPrefix(p.Quantity, "其他") || strings.HasPrefix(p.Quantity, "其余") || strings.HasPrefix(p.Quantity, "其它") {
				other = true
			}
		}
		total := ck.totalBefore(i, c)
		i = j
		if total == nil || len(parts) < 2 || c.Percent || ck.scored[total] {
			// The points of the score sentence are the score check's.
			continue
		}
		if !ck.sumDiffers(total, parts) {
			continue
		}
		sum := new(big.Rat)
		var terms []string
		for _, p := range parts {
			sum.Add(sum, p.Value.Rat())
			terms = append(terms, inUnitOf(p.Value.Rat(), total, false))
		}
		tv := total.Value.Rat()
		involved := append([]*Claim{total}, parts...)
		sumText := strings.Join(terms, "+") + "=" + inUnitOf(sum, total, true)
		if sum.Cmp(tv) > 0 {
			ck.add(SumMismatch, SeverityError, total,
				fmt.Sprintf("“其中”所列各项之和%s，超过总数%s", sumText, total.Text), involved...)
			continue
		}
		// Parts short of the total may be a partial list; only a list that
		// claims to be complete (其他…) or comes close is reported.
		short := new(big.Rat).Sub(tv, sum)
		if other || short.Cmp(mulRat(tv, 1, 10)) <= 0 {
			sev := SeverityWarning
			if other {
				sev = SeverityError
			}
			ck.add(SumMismatch, sev, total,
				fmt.Sprintf("“其中”所列各项之和%s，与总数%s不符（差%s）", sumText, total.Text, inUnitOf(short, total, true)), involved...)
		}
	}
}

// sumDiffers tests whether the parts fail to add up to the total, and
// records the test. Parts with an open bound (50人以上) cannot be tested.
func (ck *checker) sumDiffers(total *Claim, parts []*Claim) bool {
	involved := append([]*Claim{total}, parts...)
	if ok, equal := wholeSum(total, parts); ok {
		ck.tested(SumMismatch, total, involved...)
		return !equal
	}
	lo, hi := new(big.Rat), new(big.Rat)
	for _, p := range parts {
		iv := p.allowed()
		if iv.Lo == nil || iv.Hi == nil {
			return false
		}
		lo.Add(lo, iv.Lo)
		hi.Add(hi, iv.Hi)
	}
	ck.tested(SumMismatch, total, involved...)
	return !total.allowed().overlaps(interval{lo, hi})
}

// wholeSum adds whole counts (31所, 22人) in int64; ok is false when some
// figure is rounded or too large, and the caller uses exact intervals.
func wholeSum(total *Claim, parts []*Claim) (ok, equal bool) {
	const limit = 1e15
	whole := func(c *Claim) bool {
		return c.Value.Exp == 0 && !c.Percent && c.Approx == Exact && c.Value.Mant >= 0 && c.Value.Mant < limit
	}
	if !whole(total) {
		return false, false
	}
	var sum int64
	for _, p := range parts {
		if !whole(p) {
			return false, false
		}
		sum += p.Value.Mant
	}
	return true, sum == total.Value.Mant
}

// inUnitOf writes a value (in base units) in the scale and unit a claim is
// written in: 12700000 as 1270万元 beside "1280万元"; withUnit adds the unit.
func inUnitOf(v *big.Rat, like *Claim, withUnit bool) string {
	scale := 0
	switch {
	case strings.HasPrefix(like.Written, "万亿"):
		scale = 12
	case strings.HasPrefix(like.Written, "亿"):
		scale = 8
	case strings.HasPrefix(like.Written, "万"):
		scale = 4
	}
	out := plainDecimal(new(big.Rat).Quo(v, pow10Rat(scale)))
	if withUnit {
		if like.Written != "" {
			out += like.Written
		} else {
			out += like.Unit
		}
	}
	return out
}

// plainDecimal writes a rational in decimal notation without trailing
// zeros, to at most six places: 99, 97.2, 0.125.
func plainDecimal(v *big.Rat) string {
	s := v.FloatString(6)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// totalBefore returns the total a 其中 list starting at claim index i
// divides: the nearest plain claim before it, in the same or the previous
// sentence, in a fitting unit.
func (ck *checker) totalBefore(i int, first *Claim) *Claim {
	cl := ck.ex.claims
	for k := i - 1; k >= 0 && k >= i-12; k-- {
		t := &cl[k]
		if t.sentence < first.sentence-1 {
			break
		}
		if t.partGroup != 0 || t.Contained || t.depth > first.depth {
			continue
		}
		if plain(t) && unitsFit(t, first) {
			return t
		}
	}
	return nil
}

// score checks the score sentence: points with full marks and points with
// deductions make the number of points; full marks − deductions + bonus
// make the total; the total falls in the stated grade's band.
func (ck *checker) score(cs []*Claim) {
	var n, full, docked, deduct, bonus, total, maxScore *Claim
	for _, c := range cs {
		isCount := c.Unit == "项" || c.Unit == "个"
		switch {
		case isCount && strings.Contains(c.After, "满分"):
			full = c
		case isCount && strings.HasPrefix(c.After, "测评点") && strings.Contains(c.After, "扣"):
			docked = c
		case isCount && (strings.HasPrefix(c.After, "测评点") || strings.HasPrefix(c.After, "个测评点")) && n == nil:
			n = c
		case c.Unit == "分" && strings.Contains(c.Quantity, "扣"):
			deduct = c
		case c.Unit == "分" && strings.Contains(c.Quantity, "加分"):
			bonus = c
		case c.Unit == "分" && strings.Contains(c.Quantity, "满分"):
			maxScore = c
		case c.Unit == "分" && (strings.Contains(c.Quantity, "合计") || strings.Contains(c.Quantity, "总分") ||
			strings.Contains(c.Quantity, "得分") || strings.Contains(c.Quantity, "总计")):
			total = c
		}
	}
	if n == nil && total == nil {
		return
	}
	if ck.scored == nil {
		ck.scored = map[*Claim]bool{}
	}
	for _, c := range []*Claim{n, full, docked, deduct, bonus, total} {
		if c != nil {
			ck.scored[c] = true
		}
	}
	if n != nil && full != nil && docked != nil {
		ck.tested(ScoreArithmetic, n, n, full, docked)
		sum := full.Value.Mant*pow10Int(max(0, full.Value.Exp)) + docked.Value.Mant*pow10Int(max(0, docked.Value.Exp))
		want := n.Value.Mant * pow10Int(max(0, n.Value.Exp))
		if sum != want {
			ck.add(ScoreArithmetic, SeverityError, n,
				fmt.Sprintf("测评点数不合：得满分%s加扣分%s共%d个，与测评点总数%s不符", full.Text, docked.Text, sum, n.Text),
				n, full, docked)
		}
	}
	if total == nil {
		return
	}
	fullMarks := Number{Mant: 100}
	if ck.facts != nil && ck.facts.Full.Mant != 0 {
		fullMarks = ck.facts.Full
	}
	if maxScore != nil {
		fullMarks = maxScore.Value
	}
	if deduct != nil || bonus != nil || (full != nil && n != nil && full.Value == n.Value) {
		want := fullMarks.Rat()
		terms := fullMarks.String()
		if deduct != nil {
			want.Sub(want, deduct.Value.Rat())
			terms += "−" + deduct.Value.String()
		}
		if bonus != nil {
			want.Add(want, bonus.Value.Rat())
			terms += "+" + bonus.Value.String()
		}
		ck.tested(ScoreArithmetic, total, deduct, bonus, total)
		if !total.allowed().contains(want) {
			ck.add(ScoreArithmetic, SeverityError, total,
				fmt.Sprintf("得分不合：%s=%s，报告写作%s", terms, plainDecimal(want), total.Text),
				deduct, bonus, total)
		}
	}
	grade := ck.statedGrade(total)
	if grade == "" || ck.facts == nil || len(ck.facts.Grades) == 0 {
		return
	}
	ck.tested(ScoreArithmetic, total, total)
	want := ck.facts.gradeFor(total.Value.Rat())
	if want != nil && want.Grade != grade && want.Label != grade {
		ck.add(ScoreArithmetic, SeverityError, total,
			fmt.Sprintf("等级不合：%s对应%s等，报告写作%s等", total.Text, want.Grade, grade), total)
	}
}

// statedGrade finds the grade named in the score sentence after the total:
// 等级为A等, 评为A等, 等级为优秀.
func (ck *checker) statedGrade(total *Claim) string {
	s := ck.ex.text
	end := len(s)
	if total.sentence < len(ck.ex.sentences) {
		end = ck.ex.sentences[total.sentence].end
	}
	rest := s[total.End:end]
	for _, marker := range []string{"等级为", "等级评定为", "等次为", "评定为", "评为", "等级"} {
		k := strings.Index(rest, marker)
		if k < 0 {
			continue
		}
		after := rest[k+len(marker):]
		r, _ := utf8.DecodeRuneInString(after)
		if r >= 'A' && r <= 'E' {
			return string(r)
		}
		if r >= 'Ａ' && r <= 'Ｅ' {
			return string('A' + (r - 'Ａ'))
		}
		if ck.facts != nil {
			for _, g := range ck.facts.Grades {
				if g.Label != "" && strings.HasPrefix(after, g.Label) {
					return g.Label
				}
			}
		}
	}
	return ""
}

// gradeFor returns the band a total falls in.
func (f *Facts) gradeFor(total *big.Rat) *Grade {
	for i := range f.Grades {
		if total.Cmp(f.Grades[i].Min.Rat()) >= 0 {
			return &f.Grades[i]
		}
	}
	if len(f.Grades) == 0 {
		return nil
	}
	return &f.Grades[len(f.Grades)-1]
}

// classSizes checks that pupils divided by classes stay within the class
// size the sentence states (45人及以下), and match a stated average.
func (ck *checker) classSizes(cs []*Claim) {
	var count, classes *Claim
	for _, c := range cs {
		switch {
		case c.Unit == "班" || (c.Unit == "个" && (strings.HasPrefix(c.After, "班") || strings.HasPrefix(c.After, "教学班"))):
			if plain(c) && c.Approx == Exact {
				classes = c
			}
		case isPeople(c.Unit) && plain(c) && c.Approx == Exact && !strings.Contains(c.Quantity, "班"):
			count, classes = c, nil
		case isPeople(c.Unit) && classSizeWords(c) && count != nil && classes != nil:
			ck.classSize(count, classes, c)
			count, classes = nil, nil
		}
	}
}

// classSizeWords reports whether a claim after a count of pupils and of
// classes speaks of class size: 班额45人及以下, or with the subject left out
// (全部控制在50人以内).
func classSizeWords(c *Claim) bool {
	if c.Part {
		return false
	}
	switch c.Quantity {
	case "", "全部", "均", "全部均", "均已", "一律":
		return c.Bound == BoundMax
	}
	return strings.Contains(c.Quantity, "班")
}

func (ck *checker) classSize(count, classes, size *Claim) {
	if classes.Value.Mant == 0 {
		return
	}
	ck.tested(AverageBound, size, count, classes, size)
	avg := new(big.Rat).Quo(count.Value.Rat(), classes.Value.Rat())
	avgText := avg.FloatString(1)
	switch {
	case size.Bound == BoundMax:
		if avg.Cmp(size.Value.Rat()) > 0 {
			ck.add(AverageBound, SeverityError, size,
				fmt.Sprintf("%s分为%s，平均每班%s人，已超过所说的班额%s", count.Text, classes.Text, avgText, size.Text),
				count, classes, size)
		}
	case size.Bound == BoundNone && strings.Contains(size.Quantity, "平均"):
		if !size.allowed().contains(avg) {
			ck.add(AverageBound, SeverityError, size,
				fmt.Sprintf("%s分为%s，平均每班%s人，与所说的平均班额%s不符", count.Text, classes.Text, avgText, size.Text),
				count, classes, size)
		}
	}
}

// perCapita checks count × amount per head against the stated total.
func (ck *checker) perCapita(cs []*Claim) {
	var per *Claim
	for _, c := range cs {
		if c.Unit == "元" && plain(c) && isPerHead(c.Quantity) {
			if per != nil {
				// Two rates (小学每生1000元、初中每生1250元) need the
				// split of the count, which the sentence does not give.
				return
			}
			per = c
		}
	}
	if per == nil || per.Approx != Exact {
		return
	}
	// An amount per head and day (每生每天4元) is multiplied by the days
	// the sentence gives (按200天计); per month likewise.
	var periodUnit string
	switch {
	case strings.Contains(per.Quantity, "每天") || strings.Contains(per.Quantity, "每日"):
		periodUnit = "天"
	case strings.Contains(per.Quantity, "每月"):
		periodUnit = "月"
	}
	var count, total, period *Claim
	for _, c := range cs {
		if c == per || !plain(c) {
			continue
		}
		if count == nil && isPeople(c.Unit) {
			count = c
		}
		if total == nil && c.Unit == "元" && !isPerHead(c.Quantity) {
			total = c
		}
		if period == nil && periodUnit != "" && (c.Unit == periodUnit || (c.Unit == "个" && strings.HasPrefix(c.After, periodUnit))) {
			period = c
		}
	}
	if count == nil || total == nil || count.Approx != Exact || (periodUnit != "" && period == nil) {
		return
	}
	factor := count.Value.Rat()
	factorText := count.Text
	if period != nil {
		factor = new(big.Rat).Mul(factor, period.Value.Rat())
		factorText += "×" + period.Text
		if period.Unit == "个" {
			factorText += periodUnit // 12个月
		}
	}
	ck.tested(PerCapitaMismatch, total, count, per, period, total)
	product := new(big.Rat).Mul(factor, per.Value.Rat())
	pIv := per.allowed()
	lo := new(big.Rat).Mul(factor, pIv.Lo)
	hi := new(big.Rat).Mul(factor, pIv.Hi)
	if total.allowed().overlaps(interval{lo, hi}) {
		return
	}
	ck.add(PerCapitaMismatch, SeverityError, total,
		fmt.Sprintf("%s×%s=%s，与所说的总额%s不符", factorText, per.Text, inUnitOf(product, total, true), total.Text),
		count, per, period, total)
}

func isPerHead(q string) bool {
	return strings.Contains(q, "每") || strings.Contains(q, "人均") || strings.Contains(q, "生均")
}

// growth checks each stated change against the previous-year value the
// sentence states (从…增加到…, 上年…) or the data holds.
func (ck *checker) growth(cs []*Claim) {
	fromTo := false
	for _, c := range cs {
		fromTo = fromTo || c.toMark
	}
	for gi, g := range cs {
		// A bare 增加206人 is a change only beside 比上年 or 由…到….
		if g.Change == NoChange || (!g.Percent && !g.Points && !g.Compare && !fromTo) {
			continue
		}
		// Only the claims near the change take part, so that a sentence
		// with thousands of changes is still checked in linear time.
		lo, hi := max(0, gi-growthWindow), min(len(cs), gi+growthWindow+1)
		near := cs[lo:hi]
		cur := ck.current(near, gi-lo)
		if cur == nil {
			continue
		}
		prevRat, prevIv, prevText, prevClaim := ck.previous(near, cur)
		if prevRat == nil {
			continue
		}
		curIv := cur.allowed()
		if curIv.Lo == nil || curIv.Hi == nil {
			continue
		}
		stated := g.allowed()
		if stated.Lo == nil || stated.Hi == nil {
			continue
		}
		if g.Change == Down {
			stated = interval{Lo: new(big.Rat).Neg(stated.Hi), Hi: new(big.Rat).Neg(stated.Lo)}
		}
		var got interval
		var exact *big.Rat
		var what string
		switch {
		case g.Percent:
			if cur.Percent || prevIv.Lo.Sign() <= 0 {
				continue
			}
			// growth = (cur − prev) / prev × 100 is increasing in cur and
			// decreasing in prev, so the corners bound it.
			got = interval{
				Lo: mulRat(new(big.Rat).Quo(subRat(curIv.Lo, prevIv.Hi), prevIv.Hi), 100, 1),
				Hi: mulRat(new(big.Rat).Quo(subRat(curIv.Hi, prevIv.Lo), prevIv.Lo), 100, 1),
			}
			exact = mulRat(new(big.Rat).Quo(subRat(cur.Value.Rat(), prevRat), prevRat), 100, 1)
			what = "增长率"
			if g.Change == Down {
				what = "降幅"
			}
		case g.Points:
			if !cur.Percent {
				continue
			}
			got = interval{Lo: subRat(curIv.Lo, prevIv.Hi), Hi: subRat(curIv.Hi, prevIv.Lo)}
			exact = subRat(cur.Value.Rat(), prevRat)
			what = "变化"
		default:
			if !unitsFit(g, cur) {
				continue
			}
			got = interval{Lo: subRat(curIv.Lo, prevIv.Hi), Hi: subRat(curIv.Hi, prevIv.Lo)}
			exact = subRat(cur.Value.Rat(), prevRat)
			what = "增减量"
		}
		ck.tested(GrowthMismatch, g, prevClaim, cur, g)
		if got.overlaps(stated) {
			continue
		}
		places := max(1, -g.Value.Exp)
		shown := new(big.Rat).Set(exact)
		if g.Change == Down {
			shown.Neg(shown)
		}
		unit := ""
		switch {
		case g.Percent:
			unit = "%"
		case g.Points:
			unit = "个百分点"
		default:
			unit = g.Unit
			places = max(0, -g.Value.Exp)
		}
		ck.add(GrowthMismatch, SeverityError, g,
			fmt.Sprintf("由%s到%s，%s应为%s%s，报告写作%s", prevText, cur.Text, what, shown.FloatString(places), unit, g.Text),
			prevClaim, cur, g)
	}
}

// growthWindow is how many claims either side of a change may be its
// current and previous values.
const growthWindow = 8

// current returns the claim a change at index gi is about: the value the
// sentence reached (…增加到Y), else the nearest value before the change,
// else the value right after it (提升3个百分点，达80.91%).
func (ck *checker) current(cs []*Claim, gi int) *Claim {
	g := cs[gi]
	for _, c := range cs {
		if c.toMark && plain(c) {
			return c
		}
	}
	fits := func(c *Claim) bool {
		if !plain(c) || c.fromMark || namesLastYear(c) {
			return false
		}
		switch {
		case g.Points:
			return c.Percent
		case g.Percent:
			return !c.Percent
		}
		return unitsFit(c, g)
	}
	for k := gi - 1; k >= 0; k-- {
		if fits(cs[k]) {
			return cs[k]
		}
	}
	if gi+1 < len(cs) && fits(cs[gi+1]) {
		return cs[gi+1]
	}
	return nil
}

// namesLastYear reports whether a claim's words say it is last year's
// figure (上年为11.28亿元).
func namesLastYear(c *Claim) bool {
	for _, p := range []string{"上年", "去年", "上一年", "上年度"} {
		if strings.HasPrefix(c.Quantity, p) {
			return true
		}
	}
	return false
}

// previous returns last year's value for cur: stated in the sentence, or
// else held in the data.
func (ck *checker) previous(cs []*Claim, cur *Claim) (*big.Rat, interval, string, *Claim) {
	for _, c := range cs {
		if c == cur || !plain(c) {
			continue
		}
		lastYear := c.fromMark || namesLastYear(c) || (cur.Year != 0 && c.Year == cur.Year-1)
		if lastYear && unitsFit(c, cur) {
			return c.Value.Rat(), c.allowed(), c.Text, c
		}
	}
	f := ck.fact(cur)
	if f == nil || f.Prev == nil {
		return nil, interval{}, "", nil
	}
	v, ok := factIn(cur, f, *f.Prev)
	if !ok {
		return nil, interval{}, "", nil
	}
	return v, interval{Lo: v, Hi: v}, "上年数据" + formatFact(*f.Prev, f.Unit), nil
}
