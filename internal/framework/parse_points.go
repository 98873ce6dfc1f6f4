package framework

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
	"go.yaml.in/yaml/v3"
)

func (p *parser) areas(fareas []fileArea) {
	fw := p.fw
	fw.pointByCode = map[string]*Point{}
	fw.critByCode = map[string]*Criterion{}
	codes := map[string]int{} // every area, point and criterion code -> line
	claim := func(path, code, what string) bool {
		if code == "" {
			p.errorf(path, "%s缺少 code", what)
			return false
		}
		if !pointCodeRE.MatchString(code) {
			p.errorf(path+".code", "%s代码“%s”只能含字母、数字、.、-、_", what, code)
			return false
		}
		if line, dup := codes[code]; dup {
			p.errorf(path+".code", "代码 %s 重复（第%d行已使用）", code, line)
			return false
		}
		codes[code] = p.line(path)
		return true
	}
	var sum Points
	for i, fa := range fareas {
		apath := fmt.Sprintf("areas[%d]", i)
		a := &Area{Code: fa.Code, Name: fa.Name, Line: p.line(apath)}
		claim(apath, fa.Code, "评价方面")
		if a.Name == "" {
			p.errorf(apath, "评价方面 %s 缺少名称 name", a.Code)
		}
		if len(fa.Points) == 0 {
			p.errorf(apath, "评价方面 %s 没有测评点 points", a.Code)
		}
		for j, fp := range fa.Points {
			ppath := fmt.Sprintf("%s.points[%d]", apath, j)
			if !claim(ppath, fp.Code, "测评点") {
				continue
			}
			pt := p.point(ppath, fp, claim)
			pt.Area = a
			a.Points = append(a.Points, pt)
			fw.pointByCode[pt.Code] = pt
			fw.points = append(fw.points, pt)
			for _, c := range pt.Criteria {
				fw.critByCode[c.Code] = c
			}
			sum += pt.Max
		}
		fw.Areas = append(fw.Areas, a)
	}
	if len(fw.pointByCode) == 0 {
		p.errorf("areas", "框架没有任何测评点（areas → points）")
	} else if sum != fw.Meta.Total {
		p.errorf("framework.total", "各测评点满分之和为%s，与 framework.total %s 不符", sum, fw.Meta.Total)
	}
}

func (p *parser) point(path string, fp filePoint, claim func(path, code, what string) bool) *Point {
	pt := &Point{Code: fp.Code, Name: fp.Name, Mode: Mode(fp.Mode), Evidence: fp.Evidence, Line: p.line(path)}
	if pt.Name == "" {
		p.errorf(path, "测评点 %s 缺少名称 name", pt.Code)
	}
	max, err := ParsePoints(fp.Max)
	if err != nil || max <= 0 {
		p.errorf(path+".max", "测评点 %s 的满分 max 应为正数（最多1位小数），实际为“%s”", pt.Code, fp.Max)
	}
	pt.Max = max
	pointRating := p.rating(path+".rating", &fp.Rating)

	if len(fp.Criteria) > 0 {
		if fp.Rule != "" || fp.Reason != "" || fp.Rubric != "" {
			p.errorf(path, "测评点 %s 已分细则 criteria，rule、reason、rubric 应写在各细则中", pt.Code)
		}
		var sum Points
		for k, fc := range fp.Criteria {
			cpath := fmt.Sprintf("%s.criteria[%d]", path, k)
			if fc.Code == "" {
				fc.Code = fmt.Sprintf("%s.%d", pt.Code, k+1)
			}
			if !claim(cpath, fc.Code, "细则") {
				continue
			}
			c := p.criterion(cpath, fc, pt, pointRating)
			sum += c.Max
			pt.Criteria = append(pt.Criteria, c)
		}
		if sum != pt.Max && max > 0 {
			p.errorf(path+".max", "测评点 %s 的满分为%s，但其细则满分之和为%s", pt.Code, pt.Max, sum)
		}
	} else {
		fc := fileCriterion{Code: pt.Code, Name: pt.Name, Max: fp.Max, Rule: fp.Rule, Reason: fp.Reason, Rubric: fp.Rubric}
		if fp.Rule == "" && pt.Mode != ModeManual {
			p.errorf(path, "测评点 %s 既没有规则 rule，也没有细则 criteria；人工评分的测评点请写 mode: manual", pt.Code)
		}
		pt.Criteria = []*Criterion{p.criterion(path, fc, pt, pointRating)}
	}

	auto, manual := 0, 0
	for _, c := range pt.Criteria {
		if c.Manual() {
			manual++
		} else {
			auto++
		}
	}
	switch pt.Mode {
	case ModeAuto:
		if manual > 0 {
			p.errorf(path+".mode", "测评点 %s 为 auto（按数据自动计分），但有%d条细则没有规则 rule", pt.Code, manual)
		}
	case ModeManual:
		if auto > 0 {
			p.errorf(path+".mode", "测评点 %s 为 manual（人工评分），但有%d条细则写了规则 rule；部分自动计分请用 mixed", pt.Code, auto)
		}
	case ModeMixed:
		if auto == 0 || manual == 0 {
			p.errorf(path+".mode", "测评点 %s 为 mixed，应既有自动计分细则（有 rule）又有人工评分细则（无 rule）", pt.Code)
		}
	default:
		p.errorf(path+".mode", "测评点 %s 的 mode 应为 auto、manual 或 mixed，实际为“%s”", pt.Code, fp.Mode)
	}
	if len(pointRating) > 0 && manual == 0 {
		p.errorf(path+".rating", "测评点 %s 没有人工评分细则，rating 无处使用", pt.Code)
	}

	for k, fv := range fp.Veto {
		vpath := fmt.Sprintf("%s.veto[%d]", path, k)
		v := &Veto{When: strings.TrimSpace(fv.When), Reason: fv.Reason, Line: p.line(vpath)}
		if v.Reason == "" {
			p.errorf(vpath, "测评点 %s 的否决条件缺少原因 reason", pt.Code)
		}
		if v.When == "" {
			p.errorf(vpath, "测评点 %s 的否决条件缺少 when", pt.Code)
			continue
		}
		if c := p.use(vpath+".when", v.When, "测评点 "+pt.Code+" 的否决条件", resultBool); c != nil {
			v.program = p.evaluator(c, resultBool)
			p.needValues(c, "测评点 "+pt.Code+" 的否决条件")
		}
		p.checkPlaceholders(vpath+".reason", v.Reason)
		pt.Vetoes = append(pt.Vetoes, v)
	}
	return pt
}

func (p *parser) criterion(path string, fc fileCriterion, pt *Point, pointRating []Rating) *Criterion {
	c := &Criterion{Code: fc.Code, Name: fc.Name, Point: pt, Rule: strings.TrimSpace(fc.Rule), Reason: fc.Reason, Rubric: fc.Rubric, Line: p.line(path)}
	if c.Name == "" {
		p.errorf(path, "细则 %s 缺少名称 name", c.Code)
	}
	max, err := ParsePoints(fc.Max)
	if err != nil || max <= 0 {
		p.errorf(path+".max", "细则 %s 的满分 max 应为正数（最多1位小数），实际为“%s”", c.Code, fc.Max)
	}
	c.Max = max
	c.Rating = pointRating
	if own := p.rating(path+".rating", &fc.Rating); len(own) > 0 {
		c.Rating = own
	}
	if !c.Manual() {
		if len(c.Rating) > 0 && fc.Rating.Kind != 0 {
			p.errorf(path+".rating", "细则 %s 按规则计分，不能有 rating", c.Code)
		}
		c.Rating = nil
		if cc := p.use(path+".rule", c.Rule, "细则 "+c.Code+" 的规则", resultNumber); cc != nil {
			p.needValues(cc, "细则 "+c.Code+" 的规则")
			c.program = p.evaluator(cc, resultNumber)
			c.inputs = cc.names
			if max > 0 {
				p.checkRuleBounds(path+".rule", c, cc)
			}
		}
	}
	p.checkPlaceholders(path+".reason", c.Reason)
	return c
}

// rating reads an ordered rating scale such as {A: 1, B: 0.6, C: 0}.
func (p *parser) rating(path string, n *yaml.Node) []Rating {
	if n.Kind == 0 {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		p.errorf(path, "rating 应为“等级: 得分比例”的映射，如 {A: 1, B: 0.6, C: 0}")
		return nil
	}
	var out []Rating
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		label, raw := n.Content[i].Value, n.Content[i+1].Value
		share, err := ParseDecimal(raw)
		switch {
		case err != nil || share < 0 || share > DecimalOne:
			p.errorf(path, "评定等级 %s 的得分比例应在0到1之间，实际为“%s”", label, raw)
		case seen[label]:
			p.errorf(path, "评定等级 %s 重复", label)
		default:
			out = append(out, Rating{Label: label, Share: share})
		}
		seen[label] = true
	}
	if len(out) < 2 {
		p.errorf(path, "rating 至少需要两个等级")
	}
	return out
}

var placeholderRE = regexp.MustCompile(`\{([^{}]*)\}`)

// checkPlaceholders checks that every {name} in a reason names an item or a
// parameter.
func (p *parser) checkPlaceholders(path, text string) {
	for _, m := range placeholderRE.FindAllStringSubmatch(text, -1) {
		name := m[1]
		if _, isItem := p.env[name]; isItem {
			continue
		}
		if _, isParam := p.params[name]; !isParam {
			p.errorf(path, "说明文字中的 {%s} 不是数据项或参数", name)
		}
	}
}

// checkRuleBounds reports a rule that can return less than 0 or more than
// the criterion's maximum; see bounds.go.
func (p *parser) checkRuleBounds(path string, c *Criterion, cc *compiled) {
	vars := map[string]interval{}
	for _, it := range p.fw.Items {
		iv := unbounded
		if it.Min != nil {
			iv.lo = it.Min.Float()
		}
		if it.Max != nil {
			iv.hi = it.Max.Float()
		}
		vars[it.Code] = iv
	}
	b := &boundsAnalyzer{vars: vars}
	iv, ok := b.bounds(cc.program.Node())
	max := c.Max.Float()
	if ok && iv.lo >= 0 && roundedAtMost(iv.hi, c.Max) {
		return
	}
	if w, got, found := p.findWitness(cc, c.Max); found {
		what := "超过满分" + c.Max.String()
		if got < 0 {
			what = "小于0"
		}
		p.errorf(path, "细则 %s 的规则可能得出%s分，%s（例如 %s）；可用 clamp(…, 0, %s) 限定", c.Code, formatFloat(got), what, w, c.Max)
		return
	}
	lo, hi := "−∞", "+∞"
	if ok {
		lo, hi = formatFloat(iv.lo), formatFloat(iv.hi)
	}
	p.warnf(path, "无法确定细则 %s 的规则得分总在0到%s之间（估计范围 %s～%s）；建议用 clamp(…, 0, %s) 限定", c.Code, formatFloat(max), lo, hi, c.Max)
}

func roundedAtMost(x float64, max Points) bool {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return false
	}
	v, err := PointsFromFloat(x)
	return err == nil && v <= max
}

func formatFloat(x float64) string {
	if math.IsInf(x, 1) {
		return "+∞"
	}
	if math.IsInf(x, -1) {
		return "−∞"
	}
	if v, err := DecimalFromFloat(x); err == nil {
		return v.String()
	}
	return fmt.Sprintf("%g", x)
}

// findWitness evaluates the rule on combinations of boundary values of the
// items it reads (their range ends and the constants of the rule) and
// returns one where the score leaves [0, max].
func (p *parser) findWitness(cc *compiled, max Points) (string, float64, bool) {
	var consts []float64
	ast.Find(cc.program.Node(), func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.IntegerNode:
			consts = append(consts, float64(n.Value))
		case *ast.FloatNode:
			consts = append(consts, n.Value)
		}
		return false
	})
	var names []string
	var cands [][]any
	for _, name := range cc.names {
		it := p.fw.itemByCode[name]
		if it == nil {
			continue
		}
		names = append(names, name)
		cands = append(cands, candidates(it, consts))
	}
	env := make(map[string]any, len(p.env))
	for k, v := range p.env {
		env[k] = v
	}
	var machine vm.VM
	idx := make([]int, len(cands))
	for tries := 0; tries < 20000; tries++ {
		for i, n := range names {
			env[n] = cands[i][idx[i]]
		}
		if out, err := (&compiled{program: cc.program}).eval(&machine, env); err == nil {
			if x, ok := out.(float64); ok && !math.IsNaN(x) && !math.IsInf(x, 0) {
				if v, err := PointsFromFloat(x); err == nil && (v < 0 || v > max) {
					var parts []string
					for i, n := range names {
						v := cands[i][idx[i]]
						if f, ok := v.(float64); ok {
							v = strconv.FormatFloat(f, 'f', -1, 64)
						}
						parts = append(parts, fmt.Sprintf("%s=%v", n, v))
					}
					return strings.Join(parts, ", "), x, true
				}
			}
		}
		// Next combination (odometer order).
		i := 0
		for ; i < len(idx); i++ {
			idx[i]++
			if idx[i] < len(cands[i]) {
				break
			}
			idx[i] = 0
		}
		if i == len(idx) {
			break
		}
	}
	return "", 0, false
}

func candidates(it *Item, consts []float64) []any {
	switch kindOf(it.Type) {
	case KindBool:
		return []any{false, true}
	case KindText:
		out := []any{""}
		for _, v := range it.Values {
			out = append(out, v)
		}
		return out
	}
	lo, hi := -1e6, 1e6
	if it.Min != nil {
		lo = it.Min.Float()
	}
	if it.Max != nil {
		hi = it.Max.Float()
	}
	vals := []float64{lo, hi, (lo + hi) / 2}
	for _, c := range consts {
		for _, v := range []float64{c, c - 0.5, c + 0.5} {
			if v > lo && v < hi {
				vals = append(vals, v)
			}
		}
	}
	out := make([]any, 0, len(vals))
	seen := map[float64]bool{}
	for _, v := range vals {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
		if len(out) == 12 {
			break
		}
	}
	return out
}

func (p *parser) bonus(fb fileBonus) {
	fw := p.fw
	fw.bonusByCode = map[string]*BonusItem{}
	var sum Points
	for i, fi := range fb.Items {
		path := fmt.Sprintf("bonus.items[%d]", i)
		b := &BonusItem{Code: fi.Code, Name: fi.Name, Note: fi.Note, Line: p.line(path)}
		if b.Code == "" || !pointCodeRE.MatchString(b.Code) {
			p.errorf(path, "加分项缺少代码 code，或代码含非法字符")
			continue
		}
		if fw.bonusByCode[b.Code] != nil || fw.pointByCode[b.Code] != nil {
			p.errorf(path+".code", "加分项代码 %s 重复", b.Code)
			continue
		}
		if b.Name == "" {
			p.errorf(path, "加分项 %s 缺少名称 name", b.Code)
		}
		var err error
		if b.Each, err = ParsePoints(fi.Each); err != nil || b.Each <= 0 {
			p.errorf(path+".each", "加分项 %s 的每项分值 each 应为正数，实际为“%s”", b.Code, fi.Each)
		}
		if b.Max, err = ParsePoints(fi.Max); err != nil || b.Max <= 0 {
			p.errorf(path+".max", "加分项 %s 的上限 max 应为正数，实际为“%s”", b.Code, fi.Max)
		} else if b.Max < b.Each {
			p.errorf(path+".max", "加分项 %s 的上限 %s 小于每项分值 %s", b.Code, b.Max, b.Each)
		}
		sum += b.Max
		fw.bonusByCode[b.Code] = b
		fw.Bonus.Items = append(fw.Bonus.Items, b)
	}
	if fb.Cap == "" {
		fw.Bonus.Cap = sum
		return
	}
	cap, err := ParsePoints(fb.Cap)
	switch {
	case err != nil || cap < 0:
		p.errorf("bonus.cap", "加分上限 cap 应为非负分值，实际为“%s”", fb.Cap)
	case cap > sum:
		p.errorf("bonus.cap", "加分上限 %s 高于各加分项上限之和 %s", cap, sum)
	}
	fw.Bonus.Cap = cap
}

func (p *parser) grades(fbands []fileBand) {
	fw := p.fw
	if len(fbands) < 2 {
		p.errorf("grades", "至少需要两个等级 grades")
	}
	seen := map[string]bool{}
	for i, fb := range fbands {
		path := fmt.Sprintf("grades[%d]", i)
		b := &Band{Grade: fb.Grade, Label: fb.Label, Line: p.line(path)}
		if b.Grade == "" {
			p.errorf(path, "等级缺少 grade")
			continue
		}
		if seen[b.Grade] {
			p.errorf(path+".grade", "等级 %s 重复", b.Grade)
		}
		seen[b.Grade] = true
		if b.Label == "" {
			b.Label = b.Grade
		}
		min, err := ParsePoints(fb.Min)
		if err != nil {
			p.errorf(path+".min", "等级 %s 的下限 min 应为分值，实际为“%s”", b.Grade, fb.Min)
			continue
		}
		b.Min = min
		top := fw.Meta.Total + fw.Bonus.Cap
		if len(fw.Grades) == 0 {
			if fb.Below != "" {
				if below, err := ParsePoints(fb.Below); err != nil || below <= top {
					p.errorf(path+".below", "最高等级 %s 的上限 below 应高于可能的最高分 %s，否则高分无等级", b.Grade, top)
				}
			}
		} else {
			prev := fw.Grades[len(fw.Grades)-1]
			below := prev.Min
			if fb.Below != "" {
				if below, err = ParsePoints(fb.Below); err != nil {
					p.errorf(path+".below", "等级 %s 的上限 below 应为分值，实际为“%s”", b.Grade, fb.Below)
					below = prev.Min
				}
			}
			switch {
			case min >= prev.Min:
				p.errorf(path+".min", "等级应从高到低排列：%s 的下限 %s 不低于 %s 的下限 %s", b.Grade, min, prev.Grade, prev.Min)
			case below < prev.Min:
				p.errorf(path+".below", "等级之间有空档：%s 止于 %s，而 %s 从 %s 开始，%s～%s 分没有等级", b.Grade, below, prev.Grade, prev.Min, below, prev.Min)
			case below > prev.Min:
				p.errorf(path+".below", "等级相互重叠：%s 止于 %s，而 %s 从 %s 开始，%s～%s 分同属两个等级", b.Grade, below, prev.Grade, prev.Min, prev.Min, below)
			}
		}
		fw.Grades = append(fw.Grades, b)
	}
	if n := len(fw.Grades); n > 0 && fw.Grades[n-1].Min > 0 {
		p.errorf(fmt.Sprintf("grades[%d].min", n-1), "最低等级 %s 的下限应为0，否则 0～%s 分没有等级", fw.Grades[n-1].Grade, fw.Grades[n-1].Min)
	}
}

func (p *parser) downgrades(fds []fileDowngrade) {
	fw := p.fw
	seen := map[string]bool{}
	for i, fd := range fds {
		path := fmt.Sprintf("downgrades[%d]", i)
		d := &Downgrade{Code: fd.Code, Kind: DowngradeKind(fd.Kind), Grade: fd.Grade, Floor: fd.Floor, When: strings.TrimSpace(fd.When), Reason: fd.Reason, Line: p.line(path)}
		if d.Code == "" {
			p.errorf(path, "降等规则缺少 code")
		} else if seen[d.Code] {
			p.errorf(path+".code", "降等规则代码 %s 重复", d.Code)
		}
		seen[d.Code] = true
		switch d.Kind {
		case DowngradeCap:
			if fw.BandIndex(d.Grade) < 0 {
				p.errorf(path+".grade", "降等规则 %s 的 grade “%s”不是已定义的等级", d.Code, d.Grade)
			}
			if d.Floor != "" {
				p.errorf(path+".floor", "cap 规则不用 floor")
			}
		case DowngradeDrop:
			if d.Floor == "" && len(fw.Grades) > 0 {
				d.Floor = fw.Grades[len(fw.Grades)-1].Grade
			}
			if fw.BandIndex(d.Floor) < 0 {
				p.errorf(path+".floor", "降等规则 %s 的 floor “%s”不是已定义的等级", d.Code, d.Floor)
			}
			if d.Grade != "" {
				p.errorf(path+".grade", "drop 规则用 floor 指定最低降到的等级，不用 grade")
			}
		default:
			p.errorf(path+".kind", "降等规则 %s 的 kind 应为 cap（最高只能评为）或 drop（降一等），实际为“%s”", d.Code, fd.Kind)
		}
		if d.Reason == "" {
			p.errorf(path, "降等规则 %s 缺少原因 reason", d.Code)
		}
		p.checkPlaceholders(path+".reason", d.Reason)
		if d.When == "" {
			p.errorf(path, "降等规则 %s 缺少条件 when", d.Code)
			continue
		}
		if c := p.use(path+".when", d.When, "降等规则 "+d.Code, resultBool); c != nil {
			d.program = p.evaluator(c, resultBool)
			p.needValues(c, "降等规则 "+d.Code)
		}
		fw.Downgrades = append(fw.Downgrades, d)
	}
}

// checkReadItemsHaveValues makes sure every item an expression reads will
// have a value when a county is scored: it is required, has a default, or
// is derived.
func (p *parser) checkReadItemsHaveValues() {
	for _, it := range p.fw.Items {
		users := p.readers[it.Code]
		if len(users) == 0 || it.Required || it.Default != nil || it.Derived() {
			continue
		}
		p.problems = append(p.problems, Problem{File: p.file, Line: it.Line,
			Message: fmt.Sprintf("数据项 %s 被%s使用，但既非必填也无默认值 default；请设为必填或给出默认值", it.Code, users[0])})
	}
}
