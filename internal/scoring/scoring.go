package scoring

import (
	"fmt"
	"sort"
	"strings"

	"lvzhi/internal/eval"
	"lvzhi/internal/framework"
)

// Input is what a county (and later its reviewers) supplies for scoring.
type Input struct {
	// Values are the entered data items by code. Derived items are
	// computed, never entered.
	Values map[string]framework.Value
	// Manual holds the scores of manual criteria by criterion code.
	Manual map[string]Manual
	// Bonus lists the bonus claims.
	Bonus []BonusClaim
}

// Manual is a person's score for a manual criterion: a number of points, or
// a rating label where the criterion has a rating scale.
type Manual struct {
	Score  *framework.Points
	Rating string
	// Justification is required when the score is below the maximum.
	Justification string
}

// BonusClaim is one achievement a county claims for a bonus item.
type BonusClaim struct {
	Item     string // bonus item code
	Title    string // what was achieved, e.g. 省STEM教育试点区
	Evidence string
	// Rejected claims (by a reviewer) earn nothing.
	Rejected bool
}

// Options change how strictly Score treats incomplete input.
type Options struct {
	// AllowPending scores a draft: missing manual scores count 0 and are
	// listed in Result.Pending instead of being an error.
	AllowPending bool
	// Stage is the word the summary sentence uses for the total: "自评"
	// (the default), "审核", "核定".
	Stage string
	// Brief skips the explanations (rule inputs, reasons, explanation
	// texts, summary) for callers that need only scores and grades, such
	// as rankings and what-if over many counties. Scores are the same.
	Brief bool
}

// Problem is one thing wrong with the input: an item, a manual score or a
// bonus claim, identified by Code, with a Chinese message. Rule names the
// validation rule or criterion involved, if any.
type Problem struct {
	Code    string
	Rule    string
	Message string
}

// DataError lists every problem that stops a county from being scored. It
// matches eval.ErrInvalid under errors.Is.
type DataError struct {
	Problems []Problem
}

func (e *DataError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Code + ": " + p.Message
	}
	return "scoring: " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, eval.ErrInvalid) true.
func (e *DataError) Is(target error) bool { return target == eval.ErrInvalid }

// Result is a county's score, explained.
type Result struct {
	Framework string // framework id
	Version   int
	Points    []PointResult
	// Base is the sum of the points' scores; Deduction is the framework
	// total minus Base.
	Base, Deduction framework.Points
	// FullMarks and Deducted count the points at their maximum and below it.
	FullMarks, Deducted int
	BonusItems          []BonusResult
	// BonusClaimed is the bonus before the cap; Bonus after it.
	BonusClaimed, Bonus framework.Points
	Total               framework.Points
	// BandGrade is the grade the total's band gives; Grade is the grade
	// after downgrades, GradeLabel its label (优秀 …).
	BandGrade, Grade, GradeLabel string
	Downgrades                   []AppliedDowngrade
	// Warnings are failed warning-level validation rules.
	Warnings []Problem
	// Values are all item values used, entered and derived.
	Values map[string]framework.Value
	// Pending lists manual criteria not yet scored (only with AllowPending).
	Pending []string
	Summary string
}

// PointResult is one evaluation point's score and its explanation.
type PointResult struct {
	Code, Name, Area string
	Mode             framework.Mode
	Max, Score       framework.Points
	Lost             framework.Points
	Criteria         []CriterionResult
	// Veto is the reason the point was set to 0, if a veto applied.
	Veto        string
	Explanation string
}

// CriterionResult is one criterion's score and why.
type CriterionResult struct {
	Code, Name string
	Manual     bool
	Max, Score framework.Points
	// Rule is the rule text; Inputs the values it read.
	Rule   string
	Inputs []InputValue
	// Reason says why marks were lost (empty at full marks).
	Reason        string
	Rating        string
	Justification string
	Pending       bool
}

// InputValue is one value a rule read, as shown to a reader.
type InputValue struct {
	Name  string // item code or parameter name
	Label string // Chinese name, or "参数"
	Value string // formatted with unit
}

// BonusResult is one bonus item's earned points.
type BonusResult struct {
	Code, Name string
	Claims     []string // titles of the accepted claims
	Points     framework.Points
}

// AppliedDowngrade records a downgrade rule that changed (or held) the
// grade, and why.
type AppliedDowngrade struct {
	Code     string
	Kind     framework.DowngradeKind
	From, To string
	Reason   string
}

// Scorer scores counties against one framework, reusing its working memory
// between counties. It is not safe for concurrent use; make one per
// goroutine.
type Scorer struct {
	fw     *framework.Framework
	env    *framework.Env
	values valueSet
	given  []bool
}

// NewScorer returns a Scorer for fw.
func NewScorer(fw *framework.Framework) *Scorer {
	n := len(fw.Items)
	return &Scorer{fw: fw, env: fw.NewEnv(), given: make([]bool, n),
		values: valueSet{fw: fw, vals: make([]framework.Value, n), has: make([]bool, n)}}
}

// Score scores one county with default options.
func Score(fw *framework.Framework, in Input) (*Result, error) {
	return NewScorer(fw).Score(in, Options{})
}

// Score checks the input completely and, if it is acceptable, scores it.
// Unacceptable input (an unknown, missing, mistyped or out-of-range value; a
// failed error-level validation rule; a bad manual score or bonus claim)
// returns a *DataError listing every problem, and nothing is scored.
func (s *Scorer) Score(in Input, opt Options) (*Result, error) {
	fw, vs := s.fw, &s.values
	var probs []Problem
	add := func(code, rule, format string, args ...any) {
		probs = append(probs, Problem{Code: code, Rule: rule, Message: fmt.Sprintf(format, args...)})
	}

	// 1. Entered values: known, not derived, right type and range. Every
	// item's slot in the expression environment is written, so nothing
	// leaks from the county scored before. The input map is walked once
	// (its entries are cold in memory; the framework's index is warm).
	clear(s.given)
	clear(vs.has)
	unknown := false
	for code, v := range in.Values {
		it := fw.Item(code)
		if it == nil {
			unknown = true
			continue
		}
		s.given[it.Index()] = true
		vs.vals[it.Index()] = v
	}
	for i, it := range fw.Items {
		given := s.given[i]
		switch {
		case it.Derived():
			if given {
				add(it.Code, "", "%s（%s）由公式计算，不能填写", it.Name, it.Code)
			}
		case given:
			if err := it.CheckValue(vs.vals[i]); err != nil {
				add(it.Code, "", "%s（%s）%v", it.Name, it.Code, err)
				continue
			}
			vs.has[i] = true
			s.env.SetItem(it, vs.vals[i])
		case it.Default != nil:
			vs.set(it, *it.Default)
			s.env.SetItem(it, *it.Default)
		case it.Required:
			add(it.Code, "", "缺少必填数据项 %s（%s）", it.Name, it.Code)
		default:
			s.env.Clear(it)
		}
	}
	if unknown {
		for _, code := range sortedCodes(in.Values) {
			if fw.Item(code) == nil {
				add(code, "", "框架中没有数据项 %s", code)
			}
		}
	}
	if len(probs) > 0 {
		return nil, &DataError{Problems: probs}
	}

	// 2. Derived items, in dependency order.
	for _, it := range fw.Derived() {
		v, err := s.env.Compute(it)
		if err != nil {
			add(it.Code, "", "%s（%s）无法计算: %v", it.Name, it.Code, err)
			continue
		}
		vs.set(it, v)
	}
	if len(probs) > 0 {
		return nil, &DataError{Problems: probs}
	}

	res := &Result{Framework: fw.Meta.ID, Version: fw.Meta.Version}

	// 3. Validation rules between items; skipped when an input is absent.
	for _, v := range fw.Validations {
		if !vs.all(v.Inputs()) {
			continue
		}
		ok, err := s.env.Holds(v)
		if err != nil {
			add(firstOr(v.Inputs(), v.Code), v.Code, "校验规则 %s 无法计算: %v", v.Code, err)
			continue
		}
		if ok {
			continue
		}
		p := Problem{Code: firstOr(v.Inputs(), v.Code), Rule: v.Code, Message: fmt.Sprintf("%s（校验规则 %s：%s）", v.Message, v.Code, vs.describe(v.Inputs()))}
		if v.Severity == framework.SeverityWarning {
			res.Warnings = append(res.Warnings, p)
		} else {
			probs = append(probs, p)
		}
	}

	// 4. Manual scores and bonus claims refer to things that exist.
	badManual := false
	for code := range in.Manual {
		if c := fw.Criterion(code); c == nil || !c.Manual() {
			badManual = true
		}
	}
	if badManual {
		for _, code := range sortedCodes(in.Manual) {
			c := fw.Criterion(code)
			switch {
			case c == nil:
				add(code, "", "框架中没有细则或测评点 %s", code)
			case !c.Manual():
				add(code, "", "%s（%s）按数据自动计分，不能人工填写分数", c.Name, code)
			}
		}
	}
	for i, b := range in.Bonus {
		if fw.BonusItem(b.Item) == nil {
			add(fmt.Sprintf("bonus[%d]", i), "", "框架中没有加分项 %s", b.Item)
		}
	}

	// 5. Points. One backing array holds every criterion's result; brief
	// scoring keeps none.
	res.Points = make([]PointResult, 0, len(fw.Points()))
	var crits []CriterionResult
	if !opt.Brief {
		crits = make([]CriterionResult, 0, fw.CriteriaCount())
	}
	for _, pt := range fw.Points() {
		res.Points = append(res.Points, s.point(pt, in, opt, res, add, &crits))
	}
	if len(probs) > 0 {
		return nil, &DataError{Problems: probs}
	}
	if !opt.Brief {
		res.Values = vs.toMap()
	}
	s.finish(res, in, opt)
	return res, nil
}

func (s *Scorer) point(pt *framework.Point, in Input, opt Options, res *Result, add func(code, rule, format string, args ...any), crits *[]CriterionResult) PointResult {
	fw, vs := s.fw, &s.values
	pr := PointResult{Code: pt.Code, Name: pt.Name, Area: pt.Area.Name, Mode: pt.Mode, Max: pt.Max}
	start := len(*crits)
	for _, c := range pt.Criteria {
		cr := CriterionResult{Code: c.Code, Name: c.Name, Manual: c.Manual(), Max: c.Max}
		if c.Manual() {
			m, ok := in.Manual[c.Code]
			switch {
			case !ok:
				if opt.AllowPending {
					cr.Pending = true
					res.Pending = append(res.Pending, c.Code)
				} else {
					add(c.Code, "", "人工评分细则 %s（%s）尚未评分", c.Name, c.Code)
				}
			default:
				score, err := manualScore(c, m)
				if err != nil {
					add(c.Code, "", "%s（%s）%v", c.Name, c.Code, err)
				}
				cr.Score, cr.Rating, cr.Justification = score, m.Rating, m.Justification
				if score < c.Max {
					cr.Reason = m.Justification
				}
			}
		} else {
			score, err := s.env.Score(c)
			if err != nil {
				add(c.Code, c.Code, "细则 %s 的规则无法计算: %v", c.Code, err)
			}
			cr.Score = score
			if !opt.Brief {
				cr.Rule = c.Rule
				cr.Inputs = s.inputs(c.Inputs())
				if score < c.Max {
					cr.Reason = render(fw, c.Reason, vs.get)
				}
			}
		}
		pr.Score += cr.Score
		if !opt.Brief {
			*crits = append(*crits, cr)
		}
	}
	if !opt.Brief {
		// The backing array was sized for every criterion, so this slice
		// stays valid while later points append.
		pr.Criteria = (*crits)[start:len(*crits):len(*crits)]
	}
	for _, v := range pt.Vetoes {
		hit, err := s.env.Vetoed(v)
		if err != nil {
			add(pt.Code, pt.Code, "测评点 %s 的否决条件无法计算: %v", pt.Code, err)
			continue
		}
		if hit {
			pr.Veto = render(fw, v.Reason, vs.get)
			pr.Score = 0
			break
		}
	}
	pr.Lost = pr.Max - pr.Score
	if !opt.Brief {
		pr.Explanation = explain(pr)
	}
	return pr
}

// manualScore checks a manual score against its criterion.
func manualScore(c *framework.Criterion, m Manual) (framework.Points, error) {
	var score framework.Points
	switch {
	case m.Rating != "" && m.Score != nil:
		return 0, fmt.Errorf("只能填分数或评定等级之一")
	case m.Rating != "":
		if len(c.Rating) == 0 {
			return 0, fmt.Errorf("没有评定等级，请填写分数")
		}
		found := false
		var labels []string
		for _, r := range c.Rating {
			labels = append(labels, r.Label)
			if r.Label == m.Rating {
				score, found = r.Share.MulPoints(c.Max), true
			}
		}
		if !found {
			return 0, fmt.Errorf("评定等级“%s”无效，应为 %s 之一", m.Rating, strings.Join(labels, "、"))
		}
	case m.Score != nil:
		score = *m.Score
		if score < 0 || score > c.Max {
			return 0, fmt.Errorf("分数%s超出0到%s分的范围", score, c.Max)
		}
	default:
		return 0, fmt.Errorf("没有填写分数")
	}
	if score < c.Max && strings.TrimSpace(m.Justification) == "" {
		return score, fmt.Errorf("得分%s低于满分%s，须填写扣分理由", score, c.Max)
	}
	return score, nil
}

func (s *Scorer) inputs(names []string) []InputValue {
	out := make([]InputValue, 0, len(names))
	for _, n := range names {
		if it := s.fw.Item(n); it != nil {
			v, _ := s.values.get(n)
			out = append(out, InputValue{Name: n, Label: it.Name, Value: it.Format(v)})
		} else if d, ok := s.fw.ParamValue(n); ok {
			out = append(out, InputValue{Name: n, Label: "参数", Value: d.String()})
		}
	}
	return out
}

// finish adds up the points, the bonus, the total and the grade.
func (s *Scorer) finish(res *Result, in Input, opt Options) {
	fw := s.fw
	for _, p := range res.Points {
		res.Base += p.Score
		if p.Lost == 0 {
			res.FullMarks++
		} else {
			res.Deducted++
		}
	}
	res.Deduction = fw.Meta.Total - res.Base

	for _, bi := range fw.Bonus.Items {
		br := BonusResult{Code: bi.Code, Name: bi.Name}
		for _, c := range in.Bonus {
			if c.Item == bi.Code && !c.Rejected {
				br.Claims = append(br.Claims, c.Title)
				br.Points += bi.Each
			}
		}
		br.Points = min(br.Points, bi.Max)
		res.BonusClaimed += br.Points
		res.BonusItems = append(res.BonusItems, br)
	}
	res.Bonus = min(res.BonusClaimed, fw.Bonus.Cap)
	res.Total = res.Base + res.Bonus

	band := fw.GradeFor(res.Total)
	res.BandGrade = fw.Grades[band].Grade
	grade := band
	for _, d := range fw.Downgrades {
		hit, err := s.env.Applies(d)
		if err != nil || !hit {
			// Conditions only read items that lint made sure have values,
			// and the data passed every check; an error here cannot be
			// caused by the county, so it does not block the result.
			continue
		}
		from := grade
		switch d.Kind {
		case framework.DowngradeCap:
			grade = max(grade, fw.BandIndex(d.Grade))
		case framework.DowngradeDrop:
			grade = min(grade+1, max(grade, fw.BandIndex(d.Floor)))
		}
		res.Downgrades = append(res.Downgrades, AppliedDowngrade{Code: d.Code, Kind: d.Kind,
			From: fw.Grades[from].Grade, To: fw.Grades[grade].Grade, Reason: render(fw, d.Reason, s.values.get)})
	}
	res.Grade, res.GradeLabel = fw.Grades[grade].Grade, fw.Grades[grade].Label
	if opt.Brief {
		return
	}
	stage := opt.Stage
	if stage == "" {
		stage = "自评"
	}
	res.Summary = Summary(res, len(fw.Points()), stage)
}

// valueSet holds one county's values (entered, defaulted and derived) by
// item position, reused from county to county.
type valueSet struct {
	fw   *framework.Framework
	vals []framework.Value
	has  []bool
}

func (vs *valueSet) set(it *framework.Item, v framework.Value) {
	vs.vals[it.Index()], vs.has[it.Index()] = v, true
}

func (vs *valueSet) get(code string) (framework.Value, bool) {
	it := vs.fw.Item(code)
	if it == nil || !vs.has[it.Index()] {
		return framework.Value{}, false
	}
	return vs.vals[it.Index()], true
}

func (vs *valueSet) all(codes []string) bool {
	for _, c := range codes {
		if _, ok := vs.get(c); !ok {
			return false
		}
	}
	return true
}

func (vs *valueSet) toMap() map[string]framework.Value {
	m := make(map[string]framework.Value, len(vs.vals))
	for i, it := range vs.fw.Items {
		if vs.has[i] {
			m[it.Code] = vs.vals[i]
		}
	}
	return m
}

// describe lists items with their values: "学校数 10所，小学数 6所".
func (vs *valueSet) describe(codes []string) string {
	parts := make([]string, 0, len(codes))
	for _, c := range codes {
		v, _ := vs.get(c)
		it := vs.fw.Item(c)
		parts = append(parts, fmt.Sprintf("%s %s", it.Name, it.Format(v)))
	}
	return strings.Join(parts, "，")
}

func firstOr(s []string, def string) string {
	if len(s) > 0 {
		return s[0]
	}
	return def
}

func sortedCodes[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
