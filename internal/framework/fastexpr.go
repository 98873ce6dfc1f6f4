package framework

import (
	"math"
	"reflect"

	"github.com/expr-lang/expr/ast"
)

// Expressions are parsed and type-checked by the expr library, which also
// runs them in its virtual machine. For speed, lvzhi also translates the
// checked syntax tree of an expression into Go closures that read the
// county's values from typed slots (no map lookups, no boxing). Only a small,
// well-understood subset is translated: numbers, items, parameters,
// arithmetic, comparisons, logic, conditionals, let, the builtins and the
// scoring helpers. Anything else runs in the virtual machine. A differential
// test and a fuzz target hold the two to the same results.

type (
	numFn  func(e *Env) float64
	boolFn func(e *Env) bool
	textFn func(e *Env) string
)

// fastExpr is an expression translated to a closure; exactly one of the
// fields is set.
type fastExpr struct {
	num  numFn
	bool boolFn
}

// fastCompiler translates checked syntax trees for one framework.
type fastCompiler struct {
	items  map[string]*Item
	lets   map[string]int // let name -> index in Env.locals
	locals int            // locals used by the expression being translated
}

type nodeKind int

const (
	kindUnknown nodeKind = iota
	kindNum
	kindBool
	kindText
)

func (fc *fastCompiler) kind(n ast.Node) nodeKind {
	switch n := n.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
		return kindNum
	case *ast.BoolNode:
		return kindBool
	case *ast.StringNode:
		return kindText
	case *ast.IdentifierNode:
		if _, ok := fc.lets[n.Value]; ok {
			return kindNum
		}
		if it := fc.items[n.Value]; it != nil {
			switch kindOf(it.Type) {
			case KindNumber:
				return kindNum
			case KindBool:
				return kindBool
			}
			return kindText
		}
		return kindUnknown
	case *ast.ConditionalNode:
		// Its checked type is "any" when the branches mix int and float.
		if k := fc.kind(n.Exp1); k == fc.kind(n.Exp2) {
			return k
		}
		return kindUnknown
	case *ast.BuiltinNode:
		if n.Name == "min" || n.Name == "max" {
			for _, a := range n.Arguments {
				if fc.kind(a) != kindNum {
					return kindUnknown
				}
			}
			return kindNum
		}
	}
	t := n.Type()
	if t == nil {
		return kindUnknown
	}
	switch t.Kind() {
	case reflect.Float64, reflect.Float32, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return kindNum
	case reflect.Bool:
		return kindBool
	case reflect.String:
		return kindText
	}
	return kindUnknown
}

// translate returns the closure for a whole expression, or false when part
// of it is outside the subset.
func (fc *fastCompiler) translate(n ast.Node, want exprResult) (*fastExpr, bool) {
	fc.lets, fc.locals = map[string]int{}, 0
	switch want {
	case resultNumber:
		if f, ok := fc.num(n); ok {
			return &fastExpr{num: f}, true
		}
	case resultBool:
		if f, ok := fc.boolean(n); ok {
			return &fastExpr{bool: f}, true
		}
	}
	return nil, false
}

func (fc *fastCompiler) num(n ast.Node) (numFn, bool) {
	if fc.kind(n) != kindNum {
		return nil, false
	}
	switch n := n.(type) {
	case *ast.IntegerNode:
		v := float64(n.Value)
		return func(*Env) float64 { return v }, true
	case *ast.FloatNode:
		v := n.Value
		return func(*Env) float64 { return v }, true
	case *ast.ConstantNode:
		var v float64
		switch c := n.Value.(type) {
		case int:
			v = float64(c)
		case float64:
			v = c
		default:
			return nil, false
		}
		return func(*Env) float64 { return v }, true
	case *ast.IdentifierNode:
		if i, ok := fc.lets[n.Value]; ok {
			return func(e *Env) float64 { return e.locals[i] }, true
		}
		slot := fc.items[n.Value].slot
		return func(e *Env) float64 { return e.nums[slot] }, true
	case *ast.VariableDeclaratorNode:
		val, ok := fc.num(n.Value)
		if !ok {
			return nil, false
		}
		i := fc.locals
		fc.locals++
		fc.lets[n.Name] = i
		body, ok := fc.num(n.Expr)
		delete(fc.lets, n.Name)
		if !ok {
			return nil, false
		}
		return func(e *Env) float64 { e.locals[i] = val(e); return body(e) }, true
	case *ast.UnaryNode:
		x, ok := fc.num(n.Node)
		if !ok {
			return nil, false
		}
		switch n.Operator {
		case "-":
			return func(e *Env) float64 { return -x(e) }, true
		case "+":
			return x, true
		}
	case *ast.BinaryNode:
		return fc.arith(n)
	case *ast.ConditionalNode:
		c, ok1 := fc.boolean(n.Cond)
		a, ok2 := fc.num(n.Exp1)
		b, ok3 := fc.num(n.Exp2)
		if ok1 && ok2 && ok3 {
			return func(e *Env) float64 {
				if c(e) {
					return a(e)
				}
				return b(e)
			}, true
		}
	case *ast.BuiltinNode:
		return fc.call(n.Name, n.Arguments)
	case *ast.CallNode:
		if id, ok := n.Callee.(*ast.IdentifierNode); ok {
			return fc.call(id.Value, n.Arguments)
		}
	}
	return nil, false
}

func (fc *fastCompiler) arith(n *ast.BinaryNode) (numFn, bool) {
	a, ok1 := fc.num(n.Left)
	b, ok2 := fc.num(n.Right)
	if !ok1 || !ok2 {
		return nil, false
	}
	switch n.Operator {
	case "+":
		return func(e *Env) float64 { return a(e) + b(e) }, true
	case "-":
		return func(e *Env) float64 { return a(e) - b(e) }, true
	case "*":
		return func(e *Env) float64 { return a(e) * b(e) }, true
	case "/":
		return func(e *Env) float64 { return a(e) / b(e) }, true
	case "%":
		return func(e *Env) float64 { return math.Mod(a(e), b(e)) }, true
	case "**", "^":
		return func(e *Env) float64 { return math.Pow(a(e), b(e)) }, true
	}
	return nil, false
}

func (fc *fastCompiler) nums(args []ast.Node) ([]numFn, bool) {
	out := make([]numFn, len(args))
	for i, a := range args {
		f, ok := fc.num(a)
		if !ok {
			return nil, false
		}
		out[i] = f
	}
	return out, true
}

func (fc *fastCompiler) call(name string, args []ast.Node) (numFn, bool) {
	a, ok := fc.nums(args)
	if !ok || len(a) == 0 {
		return nil, false
	}
	switch {
	case name == "abs" && len(a) == 1:
		return func(e *Env) float64 { return math.Abs(a[0](e)) }, true
	case name == "floor" && len(a) == 1:
		return func(e *Env) float64 { return math.Floor(a[0](e)) }, true
	case name == "ceil" && len(a) == 1:
		return func(e *Env) float64 { return math.Ceil(a[0](e)) }, true
	case name == "round" && len(a) == 1:
		return func(e *Env) float64 { return math.Round(a[0](e)) }, true
	case name == "min" || name == "max":
		isMax := name == "max"
		return func(e *Env) float64 {
			best := a[0](e)
			for _, f := range a[1:] {
				// expr compares with < and >, so NaN never wins a
				// comparison; mirror that rather than math.Min.
				v := f(e)
				if isMax && v > best || !isMax && v < best {
					best = v
				}
			}
			return best
		}, true
	case name == "linear" && len(a) == 4:
		return func(e *Env) float64 { return linear(a[0](e), a[1](e), a[2](e), a[3](e)) }, true
	case name == "deduct" && len(a) == 3:
		return func(e *Env) float64 { return math.Max(0, a[2](e)-a[0](e)*a[1](e)) }, true
	case name == "clamp" && len(a) == 3:
		return func(e *Env) float64 { return math.Min(math.Max(a[0](e), a[1](e)), a[2](e)) }, true
	case name == "pct" && len(a) == 2:
		return func(e *Env) float64 { return a[0](e) / a[1](e) * 100 }, true
	case name == "steps" || name == "steps_le":
		le := name == "steps_le"
		return func(e *Env) float64 {
			x := a[0](e)
			for i := 1; i+1 < len(a); i += 2 {
				t := a[i](e)
				if !le && x >= t || le && x <= t {
					return a[i+1](e)
				}
			}
			return 0
		}, true
	}
	return nil, false
}

func (fc *fastCompiler) boolean(n ast.Node) (boolFn, bool) {
	if fc.kind(n) != kindBool {
		return nil, false
	}
	switch n := n.(type) {
	case *ast.BoolNode:
		v := n.Value
		return func(*Env) bool { return v }, true
	case *ast.ConstantNode:
		v, ok := n.Value.(bool)
		return func(*Env) bool { return v }, ok
	case *ast.IdentifierNode:
		it := fc.items[n.Value]
		if it == nil {
			return nil, false
		}
		slot := it.slot
		return func(e *Env) bool { return e.bools[slot] }, true
	case *ast.UnaryNode:
		x, ok := fc.boolean(n.Node)
		if ok && (n.Operator == "!" || n.Operator == "not") {
			return func(e *Env) bool { return !x(e) }, true
		}
	case *ast.ConditionalNode:
		c, ok1 := fc.boolean(n.Cond)
		a, ok2 := fc.boolean(n.Exp1)
		b, ok3 := fc.boolean(n.Exp2)
		if ok1 && ok2 && ok3 {
			return func(e *Env) bool {
				if c(e) {
					return a(e)
				}
				return b(e)
			}, true
		}
	case *ast.BinaryNode:
		return fc.compare(n)
	}
	return nil, false
}

func (fc *fastCompiler) compare(n *ast.BinaryNode) (boolFn, bool) {
	switch n.Operator {
	case "&&", "and", "||", "or":
		a, ok1 := fc.boolean(n.Left)
		b, ok2 := fc.boolean(n.Right)
		if !ok1 || !ok2 {
			return nil, false
		}
		if n.Operator == "&&" || n.Operator == "and" {
			return func(e *Env) bool { return a(e) && b(e) }, true
		}
		return func(e *Env) bool { return a(e) || b(e) }, true
	}
	lk, rk := fc.kind(n.Left), fc.kind(n.Right)
	switch {
	case lk == kindNum && rk == kindNum:
		a, ok1 := fc.num(n.Left)
		b, ok2 := fc.num(n.Right)
		if !ok1 || !ok2 {
			return nil, false
		}
		switch n.Operator {
		case "<":
			return func(e *Env) bool { return a(e) < b(e) }, true
		case "<=":
			return func(e *Env) bool { return a(e) <= b(e) }, true
		case ">":
			return func(e *Env) bool { return a(e) > b(e) }, true
		case ">=":
			return func(e *Env) bool { return a(e) >= b(e) }, true
		case "==":
			return func(e *Env) bool { return a(e) == b(e) }, true
		case "!=":
			return func(e *Env) bool { return a(e) != b(e) }, true
		}
	case lk == kindBool && rk == kindBool && (n.Operator == "==" || n.Operator == "!="):
		a, ok1 := fc.boolean(n.Left)
		b, ok2 := fc.boolean(n.Right)
		if !ok1 || !ok2 {
			return nil, false
		}
		eq := n.Operator == "=="
		return func(e *Env) bool { return (a(e) == b(e)) == eq }, true
	case lk == kindText && rk == kindText && (n.Operator == "==" || n.Operator == "!="):
		a, ok1 := fc.text(n.Left)
		b, ok2 := fc.text(n.Right)
		if !ok1 || !ok2 {
			return nil, false
		}
		eq := n.Operator == "=="
		return func(e *Env) bool { return (a(e) == b(e)) == eq }, true
	}
	return nil, false
}

func (fc *fastCompiler) text(n ast.Node) (textFn, bool) {
	switch n := n.(type) {
	case *ast.StringNode:
		v := n.Value
		return func(*Env) string { return v }, true
	case *ast.ConstantNode:
		v, ok := n.Value.(string)
		return func(*Env) string { return v }, ok
	case *ast.IdentifierNode:
		it := fc.items[n.Value]
		if it == nil || kindOf(it.Type) != KindText {
			return nil, false
		}
		slot := it.slot
		return func(e *Env) string { return e.texts[slot] }, true
	}
	return nil, false
}
