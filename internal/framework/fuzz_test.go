package framework

import (
	"math"
	"os"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the framework loader: it must return a
// framework or problems, never panic, and a framework it returns must be
// usable (an Env scores without crashing).
func FuzzParse(f *testing.F) {
	small, err := os.ReadFile("testdata/small.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(small)
	f.Add(DefaultSource())
	f.Add([]byte(strings.Replace(string(small), "min: 7, below: 9", "min: 7, below: 8", 1)))
	f.Add([]byte(strings.Replace(string(small), "formula: min(100, pct(done, planned))", "formula: rate + 1", 1)))
	f.Add([]byte("framework: {id: x}\nitems: [{code: a, type: integer}]\nareas: [{code: A, points: [{code: A1, max: 1, rule: a}]}]"))
	f.Add([]byte("a: &a [*a, *a]\n"))
	f.Add([]byte("\xff\xfe\x00"))
	f.Fuzz(func(t *testing.T, src []byte) {
		fw, _, err := Parse("fuzz.yaml", src)
		if err != nil {
			if fw != nil {
				t.Fatal("Parse returned both a framework and an error")
			}
			return
		}
		e := fw.NewEnv()
		for _, it := range fw.Derived() {
			_, _ = e.Compute(it)
		}
		for _, p := range fw.Points() {
			for _, c := range p.Criteria {
				if !c.Manual() {
					_, _ = e.Score(c)
				}
			}
		}
	})
}

// FuzzCompileRule compiles arbitrary rule text against a few items: no
// panic, and the bounds analysis and closure translation survive whatever
// compiles.
func FuzzCompileRule(f *testing.F) {
	for _, s := range []string{
		"linear(rate, 70, 80, 2)", "ok ? 2 : 0", "deduct(floor(n), 1, 4)", "steps(rate, 85, 5, 80, 4)",
		"let r = n / 3; clamp(r, 0, 5)", "max(0, 4 - (n > 0 ? 1 : 0))", "pct(n, rate)", "1..10", "n in [1, 2]",
		"(((((((((n)))))))))", "n ** 9 ** 9", "level == \"A\" ? 1 : 0", "-", "", "rate +", "\x00",
	} {
		f.Add(s)
	}
	env := map[string]any{"rate": 0.0, "n": 0.0, "ok": false, "level": ""}
	items := map[string]*Item{
		"rate": {Code: "rate", Type: TypePercent, slot: 0}, "n": {Code: "n", Type: TypeInteger, slot: 1},
		"ok": {Code: "ok", Type: TypeBoolean, slot: 0}, "level": {Code: "level", Type: TypeEnum, slot: 0},
	}
	params := map[string]float64{"full": 90}
	f.Fuzz(func(t *testing.T, src string) {
		for _, want := range []exprResult{resultNumber, resultBool} {
			c, err := compileExpr(src, env, params, want)
			if err != nil {
				continue
			}
			b := &boundsAnalyzer{vars: map[string]interval{"rate": {0, 100}, "n": {0, math.Inf(1)}}}
			b.bounds(c.program.Node())
			fc := &fastCompiler{items: items}
			if fe, ok := fc.translate(c.program.Node(), want); ok {
				e := &Env{nums: []float64{50, 3}, bools: []bool{true}, texts: []string{"A"}, locals: make([]float64, fc.locals)}
				if fe.num != nil {
					fe.num(e)
				} else {
					fe.bool(e)
				}
			}
		}
	})
}

// FuzzNumbers checks that every number the parsers accept prints back to
// itself.
func FuzzNumbers(f *testing.F) {
	for _, s := range []string{"98.5", "-1.5", "0.0001", "80.91", "+3", ".5", "1e3", "99999999999999.9999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := ParseDecimal(s); err == nil {
			again, err := ParseDecimal(d.String())
			if err != nil || again != d {
				t.Fatalf("ParseDecimal(%q) = %s, which reads back as %s, %v", s, d, again, err)
			}
		}
		if p, err := ParsePoints(s); err == nil {
			again, err := ParsePoints(p.String())
			if err != nil || again != p {
				t.Fatalf("ParsePoints(%q) = %s, which reads back as %s, %v", s, p, again, err)
			}
		}
	})
}
