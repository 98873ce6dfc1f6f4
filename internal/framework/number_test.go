package framework

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/expr-lang/expr/vm"
)

func TestPointsFromFloat(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		want string
	}{
		{"exact", 98.5, "98.5"},
		{"whole", 4, "4"},
		{"float noise below a half", 2.2499999999999982, "2.3"}, // the stack.md case: 153/200 rule
		{"float noise below a half 2", 1.4999999999999978, "1.5"},
		{"half rounds away from zero", 0.25, "0.3"},
		{"below half", 0.2499, "0.2"},
		{"negative half", -0.25, "-0.3"},
		{"zero", 0, "0"},
		{"tiny", 1e-12, "0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := PointsFromFloat(tc.in)
			if err != nil || got.String() != tc.want {
				t.Errorf("PointsFromFloat(%v) = %s, %v; want %s", tc.in, got, err, tc.want)
			}
		})
	}
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1e15} {
		if _, err := PointsFromFloat(bad); err == nil {
			t.Errorf("PointsFromFloat(%v) succeeded, want an error", bad)
		}
	}
}

func TestParseNumbers(t *testing.T) {
	tests := []struct {
		in      string
		points  string // "" means an error
		decimal string
	}{
		{"98.5", "98.5", "98.5"},
		{"3", "3", "3"},
		{"-1.5", "-1.5", "-1.5"},
		{"+2", "2", "2"},
		{".5", "0.5", "0.5"},
		{"0.25", "", "0.25"},
		{"80.91", "", "80.91"},
		{"0.52501", "", ""},
		{"1e3", "", ""},
		{"", "", ""},
		{"-", "", ""},
		{"5.", "", ""},
		{"1,000", "", ""},
		{"１２", "", ""}, // full-width digits are a front end's job
		{"99999999999999", "99999999999999", "99999999999999"},
		{"999999999999999", "", ""},
	}
	for _, tc := range tests {
		p, err := ParsePoints(tc.in)
		if got := p.String(); (err == nil) != (tc.points != "") || err == nil && got != tc.points {
			t.Errorf("ParsePoints(%q) = %s, %v; want %q", tc.in, got, err, tc.points)
		}
		d, err := ParseDecimal(tc.in)
		if got := d.String(); (err == nil) != (tc.decimal != "") || err == nil && got != tc.decimal {
			t.Errorf("ParseDecimal(%q) = %s, %v; want %q", tc.in, got, err, tc.decimal)
		}
	}
}

func TestDecimalArithmetic(t *testing.T) {
	if got := Decimal(6000).MulPoints(30); got != 18 {
		t.Errorf("0.6 × 3 = %s, want 1.8", got)
	}
	if got := Decimal(3333).MulPoints(10); got != 3 {
		t.Errorf("0.3333 × 1 = %s, want 0.3", got)
	}
	if got := Decimal(5000).MulPoints(1); got != 1 {
		t.Errorf("0.5 × 0.1 = %s, want 0.1 (half away from zero)", got)
	}
	it := &Item{Type: TypePercent, Unit: "%"}
	if got := it.Display(23342); got != "2.33" {
		t.Errorf("Display(2.3342%%) = %s, want 2.33", got)
	}
	if got := it.Display(23350); got != "2.34" {
		t.Errorf("Display(2.335%%) = %s, want 2.34", got)
	}
	if got := (&Item{Type: TypeInteger}).Display(DecimalFromInt(132)); got != "132" {
		t.Errorf("Display(132) = %s", got)
	}
	b, _ := json.Marshal(struct{ P Points }{985})
	if string(b) != `{"P":98.5}` {
		t.Errorf("json = %s", b)
	}
	var p Points
	if err := json.Unmarshal([]byte("3.5"), &p); err != nil || p != 35 {
		t.Errorf("Unmarshal 3.5 = %v, %v", p, err)
	}
}

// TestHelpers runs each scoring helper through the expression compiler, as
// rules use them.
func TestHelpers(t *testing.T) {
	tests := []struct {
		name, expr string
		x          float64
		want       float64
	}{
		{"linear below zero point", "linear(x, 70, 80, 2)", 65, 0},
		{"linear at zero point", "linear(x, 70, 80, 2)", 70, 0},
		{"linear midway", "linear(x, 70, 80, 2)", 75, 1},
		{"linear at full", "linear(x, 70, 80, 2)", 80, 2},
		{"linear above full", "linear(x, 70, 80, 2)", 95, 2},
		{"linear lower is better", "linear(x, 0.55, 0.45, 2)", 0.525, 0.5},
		{"linear lower is better, full", "linear(x, 0.55, 0.45, 2)", 0.40, 2},
		{"linear degenerate", "linear(x, 5, 5, 2)", 5, 2},
		{"steps top", "steps(x, 85, 5, 80, 4, 75, 3, 70, 2)", 91, 5},
		{"steps exactly at threshold", "steps(x, 85, 5, 80, 4, 75, 3, 70, 2)", 80, 4},
		{"steps below all", "steps(x, 85, 5, 80, 4, 75, 3, 70, 2)", 69.9, 0},
		{"steps_le best", "steps_le(x, 0.45, 2, 0.55, 1)", 0.4, 2},
		{"steps_le middle", "steps_le(x, 0.45, 2, 0.55, 1)", 0.5, 1},
		{"steps_le above all", "steps_le(x, 0.45, 2, 0.55, 1)", 0.6, 0},
		{"deduct some", "deduct(x, 1, 4)", 2, 2},
		{"deduct floor at zero", "deduct(x, 1, 4)", 9, 0},
		{"deduct half points", "deduct(x, 0.5, 2)", 3, 0.5},
		{"clamp inside", "clamp(x, 0, 5)", 3, 3},
		{"clamp low", "clamp(x, 0, 5)", -3, 0},
		{"clamp high", "clamp(x, 0, 5)", 7, 5},
		{"pct", "pct(x, 200)", 153, 76.5},
		{"floor builtin", "floor(x)", 2.99, 2},
		{"max builtin", "max(0, x - 5)", 3, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := compileExpr(tc.expr, map[string]any{"x": 0.0}, nil, resultNumber)
			if err != nil {
				t.Fatalf("compile %s: %v", tc.expr, err)
			}
			var m vm.VM
			out, err := c.eval(&m, map[string]any{"x": tc.x})
			if err != nil || math.Abs(out.(float64)-tc.want) > 1e-9 {
				t.Errorf("%s with x=%v = %v, %v; want %v", tc.expr, tc.x, out, err, tc.want)
			}
		})
	}
}

func TestBounds(t *testing.T) {
	vars := map[string]interval{"p": {0, 100}, "n": {0, math.Inf(1)}, "b": {-1, 1}}
	tests := []struct {
		expr   string
		lo, hi float64
		ok     bool
	}{
		{"linear(p, 70, 80, 2)", 0, 2, true},
		{"p / 50", 0, 2, true},
		{"p - p", -100, 100, true},
		{"n * 2", 0, math.Inf(1), true},
		{"p > 50 ? 3 : 1", 1, 3, true},
		{"deduct(floor(p), 1, 4)", 0, 4, true},
		{"clamp(n, 0, 5)", 0, 5, true},
		{"steps(p, 85, 5, 70, 2)", 0, 5, true},
		{"max(0, 4 - n)", 0, 4, true},
		{"min(b, 0)", -1, 0, true},
		{"abs(b)", 0, 1, true},
		{"-b", -1, 1, true},
		{"1 / b", math.Inf(-1), math.Inf(1), true},
		{"let r = p / 100; r * 4", 0, 4, true},
	}
	env := map[string]any{"p": 0.0, "n": 0.0, "b": 0.0}
	for _, tc := range tests {
		c, err := compileExpr(tc.expr, env, nil, resultNumber)
		if err != nil {
			t.Fatalf("compile %s: %v", tc.expr, err)
		}
		got, ok := (&boundsAnalyzer{vars: vars}).bounds(c.program.Node())
		if ok != tc.ok || ok && (got.lo != tc.lo || got.hi != tc.hi) {
			t.Errorf("bounds(%s) = %v, %v; want [%v, %v], %v", tc.expr, got, ok, tc.lo, tc.hi, tc.ok)
		}
	}
}
