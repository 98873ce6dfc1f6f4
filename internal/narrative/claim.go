package narrative

// Claim is one number a text states: its value, unit and the words that say
// what it counts.
type Claim struct {
	// Text is the claim as written, from its first digit to the end of its
	// unit and markers: "62.7万", "45人及以下", "3.5分".
	Text string
	// Value is the number in the base unit, scale applied: 109722万元 is
	// 1,097,220,000 元 written to the nearest 10^4. Percentages are in
	// percent (80.91% is 80.91).
	Value Number
	// Unit is the base unit: 人, 所, 元, 平方公里, %, 分…; "" when none was
	// written.
	Unit string
	// Written is the unit as written, scale included: 万元, 万人, 万.
	Written string
	// Quantity is what the number counts, from the words before it with
	// verbs, scope words (全区, 辖区内) and markers removed: 总人口, 小学新生.
	// It is empty when the words before say nothing ("共139个班").
	Quantity string
	// After is the run of words right after the claim (a few characters),
	// for claims whose noun follows them: 测评点得满分.
	After string
	// Item is the code of the framework item Quantity names, if any (set
	// by ExtractWith and inside Check; Extract leaves it empty).
	Item string

	Bound   Bound  // 及以下, 不超过, 以上…
	Approx  Approx // 近, 约, 余, 多
	Change  Change // 增长/增加/提高 or 下降/减少 right before the number
	Percent bool   // a percentage: %, 百分之
	Points  bool   // 个百分点
	// Compare is set when the words before compare with last year (比上年,
	// 较去年, 同比).
	Compare bool
	// Part is set for a figure listed after 其中 (a part of a total stated
	// before), Contained for one inside "（含…）".
	Part, Contained bool
	// Scoped is set when the quantity was introduced by 全区, 全县, 辖区…:
	// a district-wide figure, stated once.
	Scoped bool
	// Year is the year the sentence names before the claim (2019年…), 0 if
	// none.
	Year int

	Line, Column int // 1-based; the column counts characters, not bytes
	Start, End   int // byte span in the text

	sentence  int // index into the sentences of the text
	partGroup int // which 其中 list the claim belongs to (0: none)
	depth     int // bracket depth the claim sits at
	prev      int // byte offset where the claim's leading words may start
	fromMark  bool
	toMark    bool
}

// Bound says whether a claim is a limit rather than a value.
type Bound uint8

// The bounds.
const (
	BoundNone Bound = iota
	BoundMax        // 45人及以下, 不超过, 以内
	BoundMin        // 以上, 不少于, 超过
)

// Approx says how loosely a claim states its value.
type Approx uint8

// The approximations.
const (
	Exact Approx = iota
	Near         // 近800万元: a little less than
	About        // 约3个百分点, 左右: give or take one step of the last digit
	Over         // 700余万元, 130多项: at least, less than the next step
)

// Change says whether a claim is an increase or a decrease.
type Change uint8

// The changes.
const (
	NoChange Change = iota
	Up              // 增长, 增加, 提高, 提升, 上升
	Down            // 下降, 减少, 降低
)

// Span is a byte range of the text.
type Span struct {
	Start, End int
}

// span returns the claim's byte range.
func (c *Claim) span() Span { return Span{c.Start, c.End} }

// allowed returns the values the claim allows at its written precision and
// approximation.
func (c *Claim) allowed() interval {
	iv := c.Value.around()
	v := c.Value.Rat()
	if c.Value.Exp == 0 && !c.Percent {
		// A whole number written out to the unit (91750人, 31所) is a
		// count, not a rounding.
		iv = interval{Lo: v, Hi: v}
	}
	switch c.Approx {
	case Near:
		// 近800万元: less than 800万, by less than one step of its
		// leading digit.
		iv.Lo = subRat(v, pow10Rat(c.Value.lastNonZeroExp()))
		iv.Hi = v
	case About:
		// 约42万: rounded, give or take one step of the last written
		// non-zero digit.
		step := pow10Rat(c.Value.lastNonZeroExp())
		iv.Lo, iv.Hi = subRat(v, step), addRat(v, step)
	case Over:
		iv.Lo = v
		iv.Hi = addRat(v, pow10Rat(c.Value.lastNonZeroExp()))
	}
	switch c.Bound {
	case BoundMax:
		iv.Lo = nil
	case BoundMin:
		iv.Hi = nil
	}
	return iv
}

// lastNonZeroExp returns the power of ten of the lowest non-zero digit: 2
// for 700, 1 for 130.
func (n Number) lastNonZeroExp() int {
	m, e := n.Mant, n.Exp
	for m != 0 && m%10 == 0 {
		m /= 10
		e++
	}
	return e
}
