package framework

import (
	"math"

	"github.com/expr-lang/expr/ast"
)

// Lint decides, where it can, whether a rule may return a score outside
// [0, max]. It first computes an interval that contains every value the rule
// can take given the items' allowed ranges (interval arithmetic over the
// compiled syntax tree). If that interval lies inside [0, max] the rule is
// safe. If not, the interval may be loose (x - x spans more than 0), so lint
// looks for a witness: item values inside their ranges for which the rule
// really leaves [0, max]. A witness makes an error that shows it; without
// one the rule gets a warning.

type interval struct{ lo, hi float64 }

var unbounded = interval{math.Inf(-1), math.Inf(1)}

func point(v float64) interval { return interval{v, v} }

func (a interval) union(b interval) interval {
	return interval{math.Min(a.lo, b.lo), math.Max(a.hi, b.hi)}
}

// fix replaces NaN bounds (from ∞ − ∞ or 0 × ∞) by the widest bound.
func (a interval) fix() interval {
	if math.IsNaN(a.lo) {
		a.lo = math.Inf(-1)
	}
	if math.IsNaN(a.hi) {
		a.hi = math.Inf(1)
	}
	return a
}

func mulInterval(a, b interval) interval {
	c := []float64{a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi}
	out := interval{math.Inf(1), math.Inf(-1)}
	for _, v := range c {
		if math.IsNaN(v) {
			return unbounded
		}
		out.lo, out.hi = math.Min(out.lo, v), math.Max(out.hi, v)
	}
	return out
}

// boundsAnalyzer computes value intervals of expression nodes.
type boundsAnalyzer struct {
	vars map[string]interval // item ranges
	lets map[string]interval
}

// bounds returns an interval containing every value n can take, or false if
// n is not a number or its interval cannot be computed.
func (b *boundsAnalyzer) bounds(n ast.Node) (interval, bool) {
	switch n := n.(type) {
	case *ast.IntegerNode:
		return point(float64(n.Value)), true
	case *ast.FloatNode:
		return point(n.Value), true
	case *ast.ConstantNode:
		switch v := n.Value.(type) {
		case int:
			return point(float64(v)), true
		case float64:
			return point(v), true
		}
		return interval{}, false
	case *ast.IdentifierNode:
		if iv, ok := b.lets[n.Value]; ok {
			return iv, true
		}
		iv, ok := b.vars[n.Value]
		return iv, ok
	case *ast.VariableDeclaratorNode:
		if iv, ok := b.bounds(n.Value); ok {
			if b.lets == nil {
				b.lets = map[string]interval{}
			}
			b.lets[n.Name] = iv
		}
		return b.bounds(n.Expr)
	case *ast.UnaryNode:
		iv, ok := b.bounds(n.Node)
		if !ok {
			return iv, false
		}
		switch n.Operator {
		case "-":
			return interval{-iv.hi, -iv.lo}, true
		case "+":
			return iv, true
		}
		return interval{}, false
	case *ast.ConditionalNode:
		x, ok1 := b.bounds(n.Exp1)
		y, ok2 := b.bounds(n.Exp2)
		if !ok1 || !ok2 {
			return interval{}, false
		}
		return x.union(y), true
	case *ast.BinaryNode:
		return b.binary(n)
	case *ast.BuiltinNode:
		return b.builtin(n.Name, n.Arguments)
	case *ast.CallNode:
		if id, ok := n.Callee.(*ast.IdentifierNode); ok {
			return b.builtin(id.Value, n.Arguments)
		}
	}
	return interval{}, false
}

func (b *boundsAnalyzer) args(nodes []ast.Node) ([]interval, bool) {
	out := make([]interval, len(nodes))
	for i, n := range nodes {
		iv, ok := b.bounds(n)
		if !ok {
			return nil, false
		}
		out[i] = iv
	}
	return out, true
}

func (b *boundsAnalyzer) binary(n *ast.BinaryNode) (interval, bool) {
	x, ok1 := b.bounds(n.Left)
	y, ok2 := b.bounds(n.Right)
	if !ok1 || !ok2 {
		return interval{}, false
	}
	switch n.Operator {
	case "+":
		return interval{x.lo + y.lo, x.hi + y.hi}.fix(), true
	case "-":
		return interval{x.lo - y.hi, x.hi - y.lo}.fix(), true
	case "*":
		return mulInterval(x, y), true
	case "/":
		if y.lo <= 0 && y.hi >= 0 {
			return unbounded, true
		}
		return mulInterval(x, interval{1 / y.hi, 1 / y.lo}), true
	}
	return interval{}, false
}

func (b *boundsAnalyzer) builtin(name string, nodes []ast.Node) (interval, bool) {
	a, ok := b.args(nodes)
	if !ok || len(a) == 0 {
		return interval{}, false
	}
	switch name {
	case "min", "max":
		out := a[0]
		for _, iv := range a[1:] {
			if name == "min" {
				out = interval{math.Min(out.lo, iv.lo), math.Min(out.hi, iv.hi)}
			} else {
				out = interval{math.Max(out.lo, iv.lo), math.Max(out.hi, iv.hi)}
			}
		}
		return out, true
	case "abs":
		iv := a[0]
		if iv.lo >= 0 {
			return iv, true
		}
		if iv.hi <= 0 {
			return interval{-iv.hi, -iv.lo}, true
		}
		return interval{0, math.Max(-iv.lo, iv.hi)}, true
	case "floor":
		return interval{math.Floor(a[0].lo), math.Floor(a[0].hi)}, true
	case "ceil":
		return interval{math.Ceil(a[0].lo), math.Ceil(a[0].hi)}, true
	case "round":
		return interval{math.Round(a[0].lo), math.Round(a[0].hi)}, true
	case "linear":
		if len(a) == 4 {
			return interval{0, 0}.union(a[3]), true
		}
	case "clamp":
		if len(a) == 3 {
			lower := interval{math.Max(a[0].lo, a[1].lo), math.Max(a[0].hi, a[1].hi)}
			return interval{math.Min(lower.lo, a[2].lo), math.Min(lower.hi, a[2].hi)}, true
		}
	case "deduct":
		if len(a) == 3 {
			lost := mulInterval(a[0], a[1])
			return interval{math.Max(0, a[2].lo-lost.hi), math.Max(0, a[2].hi-lost.lo)}.fix(), true
		}
	case "steps", "steps_le":
		out := point(0)
		for i := 2; i < len(a); i += 2 {
			out = out.union(a[i])
		}
		return out, true
	case "pct":
		if len(a) == 2 {
			q, ok := b.binary(&ast.BinaryNode{Operator: "/", Left: nodes[0], Right: nodes[1]})
			return mulInterval(q, point(100)), ok
		}
	}
	return interval{}, false
}
