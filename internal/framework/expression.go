package framework

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
)

// Rules, formulas and conditions are written in the expr language
// (github.com/expr-lang/expr): typed, side-effect free, compiled once when
// the framework loads. Items are variables; parameters are replaced by their
// constant values before compiling. Only the builtins below are available,
// so a rule cannot read the clock or the environment.

// allowedBuiltins are expr's own functions that rules may use.
var allowedBuiltins = []string{"abs", "ceil", "floor", "round", "max", "min"} // keep in step with functionNames

// functionNames are the names rules may call.
var functionNames = map[string]bool{
	"abs": true, "ceil": true, "floor": true, "round": true, "max": true, "min": true,
	"linear": true, "steps": true, "steps_le": true, "deduct": true, "clamp": true, "pct": true,
}

// helperFuncs are the scoring helpers documented in docs/framework.md.
var helperFuncs = []expr.Option{
	// linear(x, zero, full, max): 0 at or beyond zero, max at or beyond
	// full, a straight line between. zero may lie above full ("the lower
	// the better").
	expr.Function("linear", func(p ...any) (any, error) {
		return linear(num(p[0]), num(p[1]), num(p[2]), num(p[3])), nil
	}, new(func(float64, float64, float64, float64) float64)),
	// steps(x, t1, s1, t2, s2, …): s of the first threshold t with x >= t,
	// thresholds from high to low; 0 when x is below them all.
	expr.Function("steps", func(p ...any) (any, error) {
		return steps(p, func(x, t float64) bool { return x >= t }), nil
	}, new(func(float64, ...float64) float64)),
	// steps_le(x, t1, s1, …): s of the first threshold t with x <= t,
	// thresholds from low to high; 0 when x is above them all.
	expr.Function("steps_le", func(p ...any) (any, error) {
		return steps(p, func(x, t float64) bool { return x <= t }), nil
	}, new(func(float64, ...float64) float64)),
	// deduct(count, per, max): max minus per for each unit, not below 0.
	expr.Function("deduct", func(p ...any) (any, error) {
		return math.Max(0, num(p[2])-num(p[0])*num(p[1])), nil
	}, new(func(float64, float64, float64) float64)),
	// clamp(x, lo, hi): x limited to [lo, hi].
	expr.Function("clamp", func(p ...any) (any, error) {
		return math.Min(math.Max(num(p[0]), num(p[1])), num(p[2])), nil
	}, new(func(float64, float64, float64) float64)),
	// pct(part, whole): part / whole × 100.
	expr.Function("pct", func(p ...any) (any, error) {
		return num(p[0]) / num(p[1]) * 100, nil
	}, new(func(float64, float64) float64)),
}

func linear(x, zero, full, max float64) float64 {
	if zero == full {
		if x >= full {
			return max
		}
		return 0
	}
	t := (x - zero) / (full - zero)
	return max * math.Min(1, math.Max(0, t))
}

func steps(p []any, reached func(x, t float64) bool) float64 {
	x := num(p[0])
	for i := 1; i+1 < len(p); i += 2 {
		if reached(x, num(p[i])) {
			return num(p[i+1])
		}
	}
	return 0
}

func num(v any) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case int:
		return float64(n)
	case int64:
		return float64(n)
	}
	return math.NaN()
}

// exprResult is what an expression must produce.
type exprResult int

const (
	resultNumber exprResult = iota
	resultBool
	resultText
)

// compiled is a compiled expression and what it reads.
type compiled struct {
	program *vm.Program
	// names are the items and parameters the expression reads, in order of
	// first use.
	names []string
}

// exprError is a compile error with its line and column inside the
// expression.
type exprError struct {
	line, col int
	msg       string
}

func (e *exprError) Error() string { return e.msg }

// compileExpr compiles src against env (item codes with zero values of
// their types) with params inlined as constants.
func compileExpr(src string, env map[string]any, params map[string]float64, want exprResult) (*compiled, error) {
	names := &nameCollector{params: params, seen: map[string]bool{}}
	opts := []expr.Option{expr.Env(env), expr.DisableAllBuiltins(), expr.Patch(names), expr.MaxNodes(2000)}
	for _, b := range allowedBuiltins {
		opts = append(opts, expr.EnableBuiltin(b))
	}
	opts = append(opts, helperFuncs...)
	switch want {
	case resultNumber:
		opts = append(opts, expr.AsFloat64())
	case resultBool:
		opts = append(opts, expr.AsBool())
	}
	program, err := compileSafely(src, opts)
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) {
			return nil, &exprError{line: fe.Line, col: fe.Column + 1, msg: translateExprMessage(fe.Message)}
		}
		return nil, &exprError{line: 1, col: 1, msg: translateExprMessage(err.Error())}
	}
	// A let variable is seen before its declaration (the walk is
	// bottom-up): drop let names now that all are known.
	var read []string
	for _, n := range names.order {
		if !names.lets[n] {
			read = append(read, n)
		}
	}
	names.order = read
	// The expression compiler lets an unknown name pass inside the
	// arguments of a typed function (pct(x, y) with no x); catch it here.
	for _, n := range names.order {
		_, isItem := env[n]
		_, isParam := params[n]
		if !isItem && !isParam {
			line, col := position(src, n)
			return nil, &exprError{line: line, col: col, msg: fmt.Sprintf("引用了未定义的数据项或参数“%s”", n)}
		}
	}
	return &compiled{program: program, names: names.order}, nil
}

// position returns the line and column (1-based, in characters) of the first
// occurrence of name in src.
func position(src, name string) (int, int) {
	i := strings.Index(src, name)
	if i < 0 {
		return 1, 1
	}
	before := src[:i]
	line := 1 + strings.Count(before, "\n")
	lineStart := strings.LastIndex(before, "\n") + 1
	return line, 1 + utf8.RuneCountInString(before[lineStart:])
}

// compileSafely turns a panic inside the expression compiler into an error:
// a framework file must never crash lvzhi.
func compileSafely(src string, opts []expr.Option) (p *vm.Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("表达式无法编译: %v", r)
		}
	}()
	return expr.Compile(src, opts...)
}

// nameCollector records the identifiers an expression reads and replaces
// parameters by their values.
type nameCollector struct {
	params map[string]float64
	seen   map[string]bool
	order  []string
	lets   map[string]bool
}

func (c *nameCollector) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.VariableDeclaratorNode:
		if c.lets == nil {
			c.lets = map[string]bool{}
		}
		c.lets[n.Name] = true
	case *ast.IdentifierNode:
		if c.lets[n.Value] || functionNames[n.Value] {
			return
		}
		if !c.seen[n.Value] {
			c.seen[n.Value] = true
			c.order = append(c.order, n.Value)
		}
		if v, ok := c.params[n.Value]; ok {
			ast.Patch(node, &ast.FloatNode{Value: v})
		}
	}
}

// translateExprMessage turns the expression compiler's most common messages
// into Chinese; others pass through unchanged.
func translateExprMessage(m string) string {
	var name string
	if _, err := fmt.Sscanf(m, "unknown name %s", &name); err == nil {
		return fmt.Sprintf("引用了未定义的数据项或参数“%s”", trimPunct(name))
	}
	if _, err := fmt.Sscanf(m, "unknown func %s", &name); err == nil {
		return fmt.Sprintf("引用了不可用的函数“%s”", trimPunct(name))
	}
	var want, got string
	if _, err := fmt.Sscanf(m, "expected %s but got %s", &want, &got); err == nil {
		return fmt.Sprintf("结果应为%s，实际为%s", typeWord(strings.TrimSuffix(want, ",")), typeWord(got))
	}
	return "表达式有误: " + m
}

// typeWord names an expression type for a reader.
func typeWord(t string) string {
	switch t {
	case "float64", "int", "float":
		return "数值"
	case "bool":
		return "是/否"
	case "string":
		return "文字"
	}
	return t
}

func trimPunct(s string) string {
	for len(s) > 0 && (s[len(s)-1] == ')' || s[len(s)-1] == '(' || s[len(s)-1] == '.') {
		s = s[:len(s)-1]
	}
	return s
}

// Eval runs a compiled expression on env. A runtime error (a failed type
// assertion, a panic in the VM) becomes an error, never a crash.
func (c *compiled) eval(machine *vm.VM, env map[string]any) (out any, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%v", r)
		}
	}()
	return machine.Run(c.program, env)
}
