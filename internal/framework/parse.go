package framework

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Load reads and parses the framework file name from fsys.
func Load(fsys fs.FS, name string) (*Framework, []Problem, error) {
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, nil, fmt.Errorf("framework: read %s: %w", name, err)
	}
	return Parse(name, src)
}

// Parse reads a framework from YAML, checks it completely and compiles its
// expressions. It returns every problem found (warnings included). If any
// problem is an error it returns a *LintError and no framework: a framework
// that fails lint is never used. file names the source in problems.
func Parse(file string, src []byte) (*Framework, []Problem, error) {
	p := &parser{fw: &Framework{Source: src}}
	root, err := parseNode(src)
	p.linter = newLinter(file, root)
	if err != nil {
		p.problems = append(p.problems, Problem{File: file, Line: yamlErrorLine(err), Message: yamlErrorMessage(err)})
		_, lintErr := p.result()
		return nil, p.problems, lintErr
	}
	var ff fileFramework
	if err := decodeStrict(src, &ff); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			for _, e := range te.Errors {
				p.problems = append(p.problems, Problem{File: file, Line: yamlErrorLine(errors.New(e)), Message: yamlErrorMessage(errors.New(e))})
			}
		} else {
			p.problems = append(p.problems, Problem{File: file, Line: yamlErrorLine(err), Message: yamlErrorMessage(err)})
		}
		problems, lintErr := p.result()
		return nil, problems, lintErr
	}
	p.build(&ff)
	problems, lintErr := p.result()
	if lintErr != nil {
		return nil, problems, lintErr
	}
	return p.fw, problems, nil
}

// parseNode parses src into a node tree; a panic in the YAML library becomes
// an error.
func parseNode(src []byte) (root *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, fmt.Errorf("yaml: %v", r)
		}
	}()
	var n yaml.Node
	if err := yaml.Unmarshal(src, &n); err != nil {
		return nil, err
	}
	if n.Kind == 0 || len(n.Content) == 0 || n.Content[0].Kind != yaml.MappingNode {
		return &n, errors.New("文件为空或顶层不是映射（应以 framework: 开始）")
	}
	return &n, nil
}

func decodeStrict(src []byte, out *fileFramework) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	return dec.Decode(out)
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

func yamlErrorLine(err error) int {
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		if n, convErr := strconv.Atoi(m[1]); convErr == nil {
			return n
		}
	}
	return 1
}

var (
	unknownFieldRE = regexp.MustCompile(`field (\S+) not found in type`)
	cannotDecodeRE = regexp.MustCompile(`cannot unmarshal (\S+)(?: ` + "`" + `[^` + "`" + `]*` + "`" + `)? into (\S+)`)
)

func yamlErrorMessage(err error) string {
	msg := err.Error()
	if m := unknownFieldRE.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("未知字段“%s”（字段名见 docs/framework.md）", m[1])
	}
	if m := cannotDecodeRE.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("值的形式不对：这里需要%s，文件中是%s", yamlKindName(m[2]), yamlKindName(m[1]))
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	msg = yamlLineRE.ReplaceAllString(msg, "")
	msg = strings.TrimLeft(msg, ": ")
	if strings.HasPrefix(msg, "文件") {
		return msg
	}
	return "YAML 格式错误: " + msg
}

func yamlKindName(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "列表"
	case t == "!!seq":
		return "列表"
	case t == "!!map" || strings.HasPrefix(t, "framework.file") || strings.HasPrefix(t, "map"):
		return "映射（键: 值）"
	case t == "string" || t == "!!str" || t == "!!int" || t == "!!float":
		return "单个值"
	}
	return t
}

// parser turns the decoded file into a Framework, collecting problems.
type parser struct {
	*linter
	fw     *Framework
	params map[string]float64
	env    map[string]any
	// reads lists, for each item, the expressions that read it (for the
	// "read items must have a value" check).
	readers map[string][]string
}

var codeRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
var pointCodeRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

func (p *parser) build(ff *fileFramework) {
	p.readers = map[string][]string{}
	p.meta(ff.Framework)
	p.paramsFrom(&ff.Params)
	p.items(ff.Items)
	p.compileFormulas(ff.Items)
	p.validations(ff.Validations)
	p.areas(ff.Areas)
	p.bonus(ff.Bonus)
	p.grades(ff.Grades)
	p.downgrades(ff.Downgrades)
	p.checkReadItemsHaveValues()
}

func (p *parser) meta(m fileMeta) {
	fw := p.fw
	fw.Meta = Meta{ID: m.ID, Name: m.Name, Level: m.Level, Issuer: m.Issuer}
	if m.ID == "" {
		p.errorf("framework.id", "缺少 framework.id（框架标识，如 zj-county-2019）")
	} else if !pointCodeRE.MatchString(m.ID) {
		p.errorf("framework.id", "framework.id “%s”只能含字母、数字、-、_、.", m.ID)
	}
	if m.Name == "" {
		p.errorf("framework.name", "缺少 framework.name（框架名称）")
	}
	if y, err := strconv.Atoi(m.Year); err != nil || y < 1990 || y > 2200 {
		p.errorf("framework.year", "framework.year 应为年份，实际为“%s”", m.Year)
	} else {
		fw.Meta.Year = y
	}
	if m.Level != "county" && m.Level != "city" {
		p.errorf("framework.level", "framework.level 应为 county（县级）或 city（市级），实际为“%s”", m.Level)
	}
	fw.Meta.Version = 1
	if m.Version != "" {
		if v, err := strconv.Atoi(m.Version); err != nil || v < 1 {
			p.errorf("framework.version", "framework.version 应为正整数，实际为“%s”", m.Version)
		} else {
			fw.Meta.Version = v
		}
	}
	total, err := ParsePoints(m.Total)
	if err != nil || total <= 0 {
		p.errorf("framework.total", "framework.total 应为正的分值（如 100），实际为“%s”", m.Total)
	}
	fw.Meta.Total = total
}

func (p *parser) paramsFrom(n *yaml.Node) {
	p.params = map[string]float64{}
	if n.Kind == 0 {
		return
	}
	if n.Kind != yaml.MappingNode {
		p.errorf("params", "params 应为“名称: 数值”的映射")
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		path := "params." + k.Value
		name := k.Value
		raw, note := v.Value, ""
		if v.Kind == yaml.MappingNode {
			raw = ""
			for j := 0; j+1 < len(v.Content); j += 2 {
				switch v.Content[j].Value {
				case "value":
					raw = v.Content[j+1].Value
				case "note":
					note = v.Content[j+1].Value
				default:
					p.errorf(path, "参数 %s 的未知字段“%s”（可用 value、note）", name, v.Content[j].Value)
				}
			}
		} else if v.Kind != yaml.ScalarNode {
			p.errorf(path, "参数 %s 应为数值，或含 value、note 的映射", name)
			continue
		}
		if !codeRE.MatchString(name) {
			p.errorf(path, "参数名“%s”只能用小写字母、数字和下划线，并以字母开头", name)
			continue
		}
		if _, dup := p.params[name]; dup {
			p.errorf(path, "参数 %s 重复定义", name)
			continue
		}
		d, err := ParseDecimal(raw)
		if err != nil {
			p.errorf(path, "参数 %s 的值“%s”不是数值（最多4位小数）", name, raw)
			continue
		}
		p.params[name] = d.Float()
		p.fw.Params = append(p.fw.Params, Param{Name: name, Value: d, Note: note})
	}
}

func (p *parser) items(fitems []fileItem) {
	fw := p.fw
	fw.itemByCode = map[string]*Item{}
	p.env = map[string]any{}
	for i, fi := range fitems {
		path := fmt.Sprintf("items[%d]", i)
		it := &Item{Code: fi.Code, Name: fi.Name, Aliases: fi.Aliases, Unit: fi.Unit, Type: ItemType(fi.Type),
			Values: fi.Values, Formula: strings.TrimSpace(fi.Formula), Prev: fi.Prev, Decimals: fi.Decimals, Note: fi.Note, Line: p.line(path)}
		if it.Decimals != nil && (*it.Decimals < 0 || *it.Decimals > 4) {
			p.errorf(path+".decimals", "数据项 %s 的显示小数位 decimals 应在0到4之间", it.Code)
			it.Decimals = nil
		}
		switch {
		case it.Code == "":
			p.errorf(path, "数据项缺少 code")
			continue
		case !codeRE.MatchString(it.Code):
			p.errorf(path+".code", "数据项代码“%s”只能用小写字母、数字和下划线，并以字母开头", it.Code)
			continue
		case fw.itemByCode[it.Code] != nil:
			p.errorf(path+".code", "数据项代码 %s 重复（第%d行已定义）", it.Code, fw.itemByCode[it.Code].Line)
			continue
		}
		if _, isParam := p.params[it.Code]; isParam {
			p.errorf(path+".code", "数据项代码 %s 与参数同名", it.Code)
		}
		if reservedNames[it.Code] || functionNames[it.Code] {
			p.errorf(path+".code", "数据项代码 %s 是保留字", it.Code)
		}
		if it.Name == "" {
			p.errorf(path, "数据项 %s 缺少中文名称 name", it.Code)
		}
		switch it.Type {
		case TypeInteger, TypeDecimal, TypePercent, TypeBoolean, TypeText:
			if len(it.Values) > 0 {
				p.errorf(path+".values", "只有 enum 类型的数据项可以列出 values")
			}
		case TypeEnum:
			if len(it.Values) == 0 {
				p.errorf(path+".values", "enum 类型的数据项 %s 需要列出可选值 values", it.Code)
			}
		case "":
			p.errorf(path, "数据项 %s 缺少类型 type（integer、decimal、percent、boolean、enum、text）", it.Code)
		default:
			p.errorf(path+".type", "数据项 %s 的类型“%s”无效，应为 integer、decimal、percent、boolean、enum、text 之一", it.Code, fi.Type)
		}
		it.Min = p.optDecimal(path+".min", fi.Min, it)
		it.Max = p.optDecimal(path+".max", fi.Max, it)
		if it.Min != nil && it.Max != nil && *it.Min > *it.Max {
			p.errorf(path+".min", "数据项 %s 的最小值%s大于最大值%s", it.Code, it.Min, it.Max)
		}
		it.Required = fi.Required == nil || *fi.Required
		if it.Derived() {
			if fi.Required != nil && *fi.Required {
				p.errorf(path+".required", "数据项 %s 由公式计算，不能同时是必填项", it.Code)
			}
			it.Required = false
			if fi.Default != "" {
				p.errorf(path+".default", "数据项 %s 由公式计算，不能有默认值", it.Code)
			}
		}
		if fi.Default != "" && it.Type != "" {
			v, err := it.ParseValue(fi.Default)
			if err == nil {
				err = it.CheckValue(v)
			}
			if err != nil {
				p.errorf(path+".default", "数据项 %s 的默认值有误: %v", it.Code, err)
			} else {
				it.Default = &v
			}
		}
		fw.itemByCode[it.Code] = it
		it.index = len(fw.Items)
		fw.Items = append(fw.Items, it)
		k := kindOf(it.Type)
		p.env[it.Code] = Value{Kind: k}.zero()
		it.slot = fw.slots[slotIndex(k)]
		fw.slots[slotIndex(k)]++
	}
	for i, it := range fw.Items {
		if it.Prev == "" {
			continue
		}
		prev := fw.itemByCode[it.Prev]
		switch {
		case prev == nil:
			p.errorf(fmt.Sprintf("items[%d].prev", i), "数据项 %s 的上年值 prev 引用了未定义的数据项 %s", it.Code, it.Prev)
		case prev.Type != it.Type || prev.Unit != it.Unit:
			p.errorf(fmt.Sprintf("items[%d].prev", i), "数据项 %s 与其上年值 %s 的类型或单位不同", it.Code, it.Prev)
		}
	}
	fw.envTemplate = p.env
}

// reservedNames cannot be item codes: they are words of the expression
// language (function names are reserved too).
var reservedNames = map[string]bool{
	"true": true, "false": true, "nil": true, "and": true, "or": true, "not": true, "in": true,
	"matches": true, "contains": true, "let": true, "if": true, "else": true,
}

func (v Value) zero() any {
	switch v.Kind {
	case KindNumber:
		return 0.0
	case KindBool:
		return false
	}
	return ""
}

func (p *parser) optDecimal(path, raw string, it *Item) *Decimal {
	if raw == "" {
		return nil
	}
	if !it.Type.Numeric() {
		p.errorf(path, "只有数值型数据项可以设置取值范围")
		return nil
	}
	d, err := ParseDecimal(raw)
	if err != nil {
		p.errorf(path, "数据项 %s 的取值范围“%s”不是数值", it.Code, raw)
		return nil
	}
	return &d
}

// use compiles an expression read at path and records which items it reads.
func (p *parser) use(path, src, what string, want exprResult) *compiled {
	src = strings.TrimSpace(src)
	c, err := compileExpr(src, p.env, p.params, want)
	if err != nil {
		var ee *exprError
		if errors.As(err, &ee) {
			p.problems = append(p.problems, Problem{File: p.file, Line: p.exprLine(path, ee.line),
				Message: fmt.Sprintf("%s: %s（第%d列）", what, ee.msg, ee.col)})
		} else {
			p.errorf(path, "%s: %v", what, err)
		}
		return nil
	}
	return c
}

// evaluator pairs a compiled expression with its translation to closures,
// when it has one.
func (p *parser) evaluator(c *compiled, want exprResult) *evaluator {
	ev := &evaluator{program: c.program}
	fc := &fastCompiler{items: p.fw.itemByCode}
	if f, ok := fc.translate(c.program.Node(), want); ok {
		ev.fast = f
		p.fw.locals = max(p.fw.locals, fc.locals)
	} else {
		p.fw.needsVM = true
	}
	return ev
}

// slotIndex is the Env slot array a value kind lives in.
func slotIndex(k ValueKind) int {
	switch k {
	case KindNumber:
		return 0
	case KindBool:
		return 1
	}
	return 2
}

// needValues records that the expression what must have a value for every
// item it reads when a county is scored (rules, formulas, vetoes,
// downgrades; not validations, which are skipped when an input is absent).
func (p *parser) needValues(c *compiled, what string) {
	for _, n := range c.names {
		if _, ok := p.env[n]; ok {
			p.readers[n] = append(p.readers[n], what)
		}
	}
}

func (p *parser) compileFormulas(fitems []fileItem) {
	fw := p.fw
	deps := map[string][]string{}
	for i, it := range fw.Items {
		if !it.Derived() {
			continue
		}
		path := fmt.Sprintf("items[%d].formula", indexOfItem(fitems, it.Code, i))
		var want exprResult
		switch it.Type {
		case TypeInteger, TypeDecimal, TypePercent:
			want = resultNumber
		case TypeBoolean:
			want = resultBool
		default:
			p.errorf(path, "只有数值型和是/否型数据项可以由公式计算")
			continue
		}
		c := p.use(path, it.Formula, "数据项 "+it.Code+" 的公式", want)
		if c == nil {
			continue
		}
		p.needValues(c, "数据项 "+it.Code+" 的公式")
		it.formula = p.evaluator(c, want)
		for _, n := range c.names {
			if _, ok := fw.itemByCode[n]; ok {
				deps[it.Code] = append(deps[it.Code], n)
			}
		}
	}
	// Order derived items so that each comes after the derived items it
	// reads; a cycle is an error naming its members.
	state := map[string]int{} // 1 visiting, 2 done
	var stack []string
	var visit func(code string) bool
	visit = func(code string) bool {
		switch state[code] {
		case 1:
			start := 0
			for i, s := range stack {
				if s == code {
					start = i
				}
			}
			cycle := append(append([]string{}, stack[start:]...), code)
			it := fw.itemByCode[code]
			p.problems = append(p.problems, Problem{File: p.file, Line: it.Line,
				Message: fmt.Sprintf("派生数据项的公式循环引用: %s", strings.Join(cycle, " → "))})
			return false
		case 2:
			return true
		}
		state[code] = 1
		stack = append(stack, code)
		ok := true
		for _, d := range deps[code] {
			if fw.itemByCode[d].Derived() && !visit(d) {
				ok = false
				break
			}
		}
		stack = stack[:len(stack)-1]
		state[code] = 2
		if ok && fw.itemByCode[code].formula != nil {
			fw.derived = append(fw.derived, fw.itemByCode[code])
		}
		return ok
	}
	for _, it := range fw.Items {
		if it.Derived() && state[it.Code] == 0 {
			visit(it.Code)
		}
	}
}

func indexOfItem(fitems []fileItem, code string, fallback int) int {
	for i, fi := range fitems {
		if fi.Code == code {
			return i
		}
	}
	return fallback
}

func (p *parser) validations(fvs []fileValidation) {
	seen := map[string]bool{}
	for i, fv := range fvs {
		path := fmt.Sprintf("validations[%d]", i)
		v := &Validation{Code: fv.Code, Expr: strings.TrimSpace(fv.Expr), Severity: Severity(fv.Severity), Message: fv.Message, Line: p.line(path)}
		if v.Code == "" {
			p.errorf(path, "校验规则缺少 code")
		} else if seen[v.Code] {
			p.errorf(path+".code", "校验规则代码 %s 重复", v.Code)
		}
		seen[v.Code] = true
		switch v.Severity {
		case "":
			v.Severity = SeverityError
		case SeverityError, SeverityWarning:
		default:
			p.errorf(path+".severity", "校验规则 %s 的 severity 应为 error 或 warning，实际为“%s”", v.Code, fv.Severity)
		}
		if v.Message == "" {
			p.errorf(path, "校验规则 %s 缺少中文提示 message", v.Code)
		}
		if v.Expr == "" {
			p.errorf(path, "校验规则 %s 缺少表达式 expr", v.Code)
			continue
		}
		if c := p.use(path+".expr", v.Expr, "校验规则 "+v.Code, resultBool); c != nil {
			v.program = p.evaluator(c, resultBool)
			for _, n := range c.names {
				if _, isItem := p.env[n]; isItem {
					v.inputs = append(v.inputs, n)
				}
			}
		}
		p.fw.Validations = append(p.fw.Validations, v)
	}
}
