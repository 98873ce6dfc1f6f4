package framework

import "github.com/expr-lang/expr/vm"

// Framework is one version of an indicator framework, loaded and compiled.
// A *Framework returned by Parse or Load has passed every lint check and is
// never modified afterwards, so it may be shared between goroutines.
type Framework struct {
	Meta        Meta
	Params      []Param
	Items       []*Item
	Validations []*Validation
	Areas       []*Area
	Bonus       Bonus
	Grades      []*Band
	Downgrades  []*Downgrade

	// Source is the YAML text the framework was read from, kept so that a
	// stored framework version can be shown and re-read exactly.
	Source []byte

	itemByCode  map[string]*Item
	points      []*Point
	pointByCode map[string]*Point
	critByCode  map[string]*Criterion
	bonusByCode map[string]*BonusItem
	derived     []*Item // derived items in an order where inputs come first
	envTemplate map[string]any
	// slots counts the items of each kind (numbers, truth values, texts);
	// locals is the most let variables one expression uses; needsVM is true
	// when some expression runs in expr's virtual machine.
	slots   [3]int
	locals  int
	needsVM bool
}

// evaluator is a compiled expression: expr's program, and the same
// expression as closures where it falls in the translated subset.
type evaluator struct {
	program *vm.Program
	fast    *fastExpr
}

// Meta identifies a framework version.
type Meta struct {
	ID      string `yaml:"id"`
	Name    string `yaml:"name"`
	Year    int    `yaml:"year"`
	Level   string `yaml:"level"` // "county" or "city"
	Version int    `yaml:"version"`
	Total   Points `yaml:"total"` // sum of the points' maxima, usually 100
	// Issuer is the office that publishes the framework (optional).
	Issuer string `yaml:"issuer,omitempty"`
}

// Param is a named constant (a threshold, a standard) that rules refer to by
// name, so that next year's framework changes a number, not a rule.
type Param struct {
	Name  string
	Value Decimal
	Note  string
}

// ItemType is the kind of value a data item holds.
type ItemType string

// The item types.
const (
	TypeInteger ItemType = "integer"
	TypeDecimal ItemType = "decimal"
	TypePercent ItemType = "percent" // written as a number of percent: 80.91
	TypeBoolean ItemType = "boolean"
	TypeEnum    ItemType = "enum"
	TypeText    ItemType = "text"
)

// Numeric reports whether values of t are numbers.
func (t ItemType) Numeric() bool {
	return t == TypeInteger || t == TypeDecimal || t == TypePercent
}

// Item is one figure a county reports (or lvzhi derives): the number of
// schools, last year's spending, whether a layout plan is in force.
type Item struct {
	Code     string
	Name     string
	Aliases  []string // other wordings reports use for the same figure
	Unit     string   // 所, 人, 万元, %, … ("" for booleans and text)
	Type     ItemType
	Min, Max *Decimal // allowed range for numbers (nil: unbounded)
	Values   []string // allowed values of an enum
	Required bool
	Default  *Value // used when an optional item is absent
	// Formula makes the item derived: it is computed from other items and
	// never entered.
	Formula string
	// Prev names the item that holds this item's value of the year before,
	// so that growth claims can be checked.
	Prev string
	// Decimals is how many decimals a reader is shown (explanations,
	// reports); nil means 0 for integers, 2 for percentages, 4 otherwise.
	// Values are kept exactly whatever this says.
	Decimals *int
	Note     string

	Line    int // line of the item in the framework file
	formula *evaluator
	slot    int // index into the Env's slots of the item's kind
	index   int // position in Framework.Items
}

// Index returns the item's position in Framework.Items.
func (it *Item) Index() int { return it.index }

// Derived reports whether the item is computed by a formula.
func (it *Item) Derived() bool { return it.Formula != "" }

// Severity says whether a failed validation blocks scoring.
type Severity string

// The severities.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Validation is a rule between items that the data must satisfy, such as
// "the school total equals the sum of the school types".
type Validation struct {
	Code     string
	Expr     string
	Severity Severity
	Message  string // Chinese, shown to the county when the rule fails
	Line     int
	program  *evaluator
	inputs   []string
}

// Area is a level-1 group of evaluation points (领导与统筹, 经费保障, …).
type Area struct {
	Code   string
	Name   string
	Points []*Point
	Line   int
}

// Mode says who scores an evaluation point.
type Mode string

// The scoring modes.
const (
	ModeAuto   Mode = "auto"   // rules compute the score from data items
	ModeManual Mode = "manual" // an assessor scores against the rubric
	ModeMixed  Mode = "mixed"  // some criteria each way
)

// Point is an evaluation point (测评点). Its score is the sum of its
// criteria's scores, or 0 when a veto applies.
type Point struct {
	Code     string
	Name     string
	Area     *Area
	Max      Points
	Mode     Mode
	Evidence []string // documents the county must upload
	Criteria []*Criterion
	Vetoes   []*Veto
	Line     int
}

// Criterion is one scored part of a point (a 细则 line). An auto criterion
// has a rule; a manual one is scored by a person, as a number of points or,
// where the point has a rating scale, as a rating such as "B".
type Criterion struct {
	Code   string // "C2" for a point's only criterion, else "C2.1", "C2.2" …
	Name   string
	Point  *Point
	Max    Points
	Rule   string // expression giving the score; empty for manual criteria
	Reason string // why marks were lost, with {item} placeholders
	Rubric string // what the assessor checks (manual criteria)
	Rating []Rating
	Line   int

	program *evaluator
	inputs  []string // item and param names the rule reads, in order of first use
}

// Manual reports whether a person scores the criterion.
func (c *Criterion) Manual() bool { return c.Rule == "" }

// Inputs returns the names of the items and parameters the rule reads.
func (c *Criterion) Inputs() []string { return c.inputs }

// Rating is one step of an A/B/C rating scale: the letter and the share of
// the maximum it earns.
type Rating struct {
	Label string
	Share Decimal
}

// Veto sets a point's score to 0 when its condition holds, for example any
// dangerous building in use.
type Veto struct {
	When    string
	Reason  string
	Line    int
	program *evaluator
}

// Bonus describes the bonus items (加分项) and their overall cap.
type Bonus struct {
	Cap   Points
	Items []*BonusItem
}

// BonusItem is a kind of achievement a county may claim, each claim earning
// Each points, up to Max for the item.
type BonusItem struct {
	Code string
	Name string
	Each Points
	Max  Points
	Note string
	Line int
}

// Band is a grade band: a total from Min (inclusive) up to the next band's
// Min earns Grade. Bands are kept best first.
type Band struct {
	Grade string // "A", or the label itself
	Label string // "优秀"; equal to Grade where the scheme uses letters only
	Min   Points
	Line  int
}

// DowngradeKind is what a downgrade rule does to the grade.
type DowngradeKind string

// The downgrade kinds.
const (
	DowngradeCap  DowngradeKind = "cap"  // the grade may be no better than Grade
	DowngradeDrop DowngradeKind = "drop" // one grade lower, not below Floor
)

// Downgrade is a rule applied after banding, in file order.
type Downgrade struct {
	Code    string
	Kind    DowngradeKind
	Grade   string // for cap: the best grade allowed
	Floor   string // for drop: the lowest grade it drops to
	When    string
	Reason  string
	Line    int
	program *evaluator
}

// Item returns the item with the code, or nil.
func (f *Framework) Item(code string) *Item { return f.itemByCode[code] }

// Point returns the evaluation point with the code, or nil.
func (f *Framework) Point(code string) *Point { return f.pointByCode[code] }

// Criterion returns the criterion with the code, or nil.
func (f *Framework) Criterion(code string) *Criterion { return f.critByCode[code] }

// BonusItem returns the bonus item with the code, or nil.
func (f *Framework) BonusItem(code string) *BonusItem { return f.bonusByCode[code] }

// Points returns every evaluation point in file order. The slice is
// shared: do not modify it.
func (f *Framework) Points() []*Point { return f.points }

// CriteriaCount returns the number of criteria of all points.
func (f *Framework) CriteriaCount() int { return len(f.critByCode) }

// BandIndex returns the index in f.Grades of grade, or -1.
func (f *Framework) BandIndex(grade string) int {
	for i, b := range f.Grades {
		if b.Grade == grade {
			return i
		}
	}
	return -1
}

// GradeFor returns the index of the band a total falls in.
func (f *Framework) GradeFor(total Points) int {
	for i, b := range f.Grades {
		if total >= b.Min {
			return i
		}
	}
	return len(f.Grades) - 1
}
