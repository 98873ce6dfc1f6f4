package framework

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// evaluators lists every compiled expression of fw with a name.
func evaluators(fw *Framework) map[string]*evaluator {
	out := map[string]*evaluator{}
	for _, it := range fw.Items {
		if it.formula != nil {
			out["formula "+it.Code] = it.formula
		}
	}
	for _, v := range fw.Validations {
		out["validation "+v.Code] = v.program
	}
	for _, p := range fw.Points() {
		for _, c := range p.Criteria {
			if c.program != nil {
				out["rule "+c.Code] = c.program
			}
		}
		for i, v := range p.Vetoes {
			out[fmt.Sprintf("veto %s/%d", p.Code, i)] = v.program
		}
	}
	for _, d := range fw.Downgrades {
		out["downgrade "+d.Code] = d.program
	}
	return out
}

// randomValues fills e with values drawn near the interesting points of each
// item's range.
func randomValues(r *rand.Rand, fw *Framework, e *Env) {
	for _, it := range fw.Items {
		switch kindOf(it.Type) {
		case KindBool:
			e.SetItem(it, Bool(r.IntN(2) == 0))
		case KindText:
			t := ""
			if len(it.Values) > 0 {
				t = it.Values[r.IntN(len(it.Values))]
			}
			e.SetItem(it, Text(t))
		default:
			lo, hi := -50.0, 5000.0
			if it.Min != nil {
				lo = it.Min.Float()
			}
			if it.Max != nil {
				hi = it.Max.Float()
			}
			var x float64
			switch r.IntN(5) {
			case 0:
				x = lo
			case 1:
				x = hi
			case 2:
				x = 0
			default:
				x = lo + (hi-lo)*r.Float64()
			}
			d, _ := DecimalFromFloat(x)
			e.SetItem(it, Number(d))
		}
	}
}

func sameResult(a, b any) bool {
	if x, ok := a.(float64); ok {
		y, ok := b.(float64)
		return ok && (x == y || math.IsNaN(x) && math.IsNaN(y))
	}
	return a == b
}

// TestFastMatchesVM runs every expression of the default and the small
// framework both ways on many random counties.
func TestFastMatchesVM(t *testing.T) {
	src, err := os.ReadFile("testdata/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	small, _, err := Parse("small.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	for _, fw := range []*Framework{Default(), small} {
		if fw.needsVM {
			t.Errorf("%s: some expression is not translated to closures", fw.Meta.ID)
		}
		e := fw.NewEnv()
		e.vars = make(map[string]any, len(fw.envTemplate))
		e.Reset()
		r := rand.New(rand.NewPCG(1, 2))
		evs := evaluators(fw)
		for round := range 300 {
			randomValues(r, fw, e)
			for name, ev := range evs {
				if ev.fast == nil {
					t.Fatalf("%s: %s not translated", fw.Meta.ID, name)
				}
				var fast any
				if ev.fast.num != nil {
					fast = ev.fast.num(e)
				} else {
					fast = ev.fast.bool(e)
				}
				vm, err := e.run(ev)
				if err != nil {
					t.Fatalf("%s round %d: VM: %v", name, round, err)
				}
				if !sameResult(fast, vm) {
					t.Fatalf("%s round %d: closures give %v, VM gives %v", name, round, fast, vm)
				}
			}
		}
	}
}

// FuzzFastMatchesVM compiles arbitrary expressions over a few items and,
// where the closure translation applies, holds it to the VM's result.
func FuzzFastMatchesVM(f *testing.F) {
	for _, s := range []string{
		"x + y * 2", "x > y ? linear(x, 0, 10, 2) : deduct(y, 1, 3)", "steps(x, 5, 2, 1, 1)", "!b && x == y",
		"let r = x / 3; r * r", "max(x, y, 3) - min(1, y)", "clamp(pct(x, y), 0, 100)", "x % 3 + 2 ** y",
		"floor(x) + ceil(y) + round(x / 7) + abs(-y)", "t == \"甲\" ? 1 : 0", "b != (x < 2)", "-x ^ 2",
	} {
		f.Add(s, 3.5, -2.0, true)
	}
	items := map[string]*Item{
		"x": {Code: "x", Type: TypeDecimal, slot: 0}, "y": {Code: "y", Type: TypeDecimal, slot: 1},
		"b": {Code: "b", Type: TypeBoolean, slot: 0}, "t": {Code: "t", Type: TypeEnum, slot: 0},
	}
	env := map[string]any{"x": 0.0, "y": 0.0, "b": false, "t": ""}
	f.Fuzz(func(t *testing.T, src string, x, y float64, b bool) {
		for _, want := range []exprResult{resultNumber, resultBool} {
			c, err := compileExpr(src, env, nil, want)
			if err != nil {
				continue
			}
			fc := &fastCompiler{items: items}
			fe, ok := fc.translate(c.program.Node(), want)
			if !ok {
				continue
			}
			e := &Env{nums: []float64{x, y}, bools: []bool{b}, texts: []string{"甲"}, locals: make([]float64, fc.locals),
				vars: map[string]any{"x": x, "y": y, "b": b, "t": "甲"}}
			vm, err := e.run(&evaluator{program: c.program})
			if err != nil {
				continue // the VM refuses at run time (say, integer division by zero)
			}
			var fast any
			if fe.num != nil {
				fast = fe.num(e)
			} else {
				fast = fe.bool(e)
			}
			if !sameResult(fast, vm) {
				t.Fatalf("%q with x=%v y=%v b=%v: closures %v, VM %v", src, x, y, b, fast, vm)
			}
		}
	})
}
