package framework

import (
	"fmt"

	"github.com/expr-lang/expr/vm"
)

// Env holds one county's values as the framework's expressions see them and
// evaluates those expressions. It is reused from county to county (Reset) so
// that scoring many counties allocates little. An Env is not safe for
// concurrent use; make one per goroutine.
type Env struct {
	fw      *Framework
	vars    map[string]any
	machine vm.VM
}

// NewEnv returns an Env for f with every item at its zero value.
func (f *Framework) NewEnv() *Env {
	e := &Env{fw: f, vars: make(map[string]any, len(f.envTemplate))}
	e.Reset()
	return e
}

// Reset sets every item back to the zero value of its type.
func (e *Env) Reset() {
	for k, v := range e.fw.envTemplate {
		e.vars[k] = v
	}
}

// Set gives an item its value for the expressions.
func (e *Env) Set(code string, v Value) { e.vars[code] = v.exprValue() }

// Compute evaluates a derived item's formula on the values set so far and
// sets the item to the result, rounded to a Decimal (numbers) as described
// on Points, so that rules read exactly the value that is stored and shown.
func (e *Env) Compute(it *Item) (Value, error) {
	out, err := e.run(it.formula)
	if err != nil {
		return Value{}, err
	}
	var v Value
	switch x := out.(type) {
	case float64:
		d, err := DecimalFromFloat(x)
		if err != nil {
			return Value{}, fmt.Errorf("结果不是有限数值（可能除以了0）")
		}
		v = Number(d)
	case bool:
		v = Bool(x)
	default:
		return Value{}, fmt.Errorf("结果类型不对: %T", out)
	}
	e.Set(it.Code, v)
	return v, nil
}

// Holds reports whether a validation rule holds.
func (e *Env) Holds(v *Validation) (bool, error) { return e.cond(v.program) }

// Vetoed reports whether a veto's condition holds.
func (e *Env) Vetoed(v *Veto) (bool, error) { return e.cond(v.program) }

// Applies reports whether a downgrade rule's condition holds.
func (e *Env) Applies(d *Downgrade) (bool, error) { return e.cond(d.program) }

// Score evaluates an auto criterion's rule and rounds the result to tenths
// (the one rounding, see Points). A result outside [0, max] is an error: lint
// rejects rules that can produce one wherever that is decidable.
func (e *Env) Score(c *Criterion) (Points, error) {
	if c.program == nil {
		return 0, fmt.Errorf("细则 %s 由人工评分，没有规则", c.Code)
	}
	out, err := e.run(c.program)
	if err != nil {
		return 0, err
	}
	x, _ := out.(float64)
	p, err := PointsFromFloat(x)
	if err != nil {
		return 0, fmt.Errorf("规则结果不是有限数值（可能除以了0）")
	}
	if p < 0 || p > c.Max {
		return 0, fmt.Errorf("规则得出%s分，超出0到%s分的范围", p, c.Max)
	}
	return p, nil
}

// Value returns the value of an item or parameter as the expressions see
// it.
func (e *Env) Value(name string) (any, bool) {
	v, ok := e.vars[name]
	return v, ok
}

func (e *Env) cond(p *vm.Program) (bool, error) {
	out, err := e.run(p)
	if err != nil {
		return false, err
	}
	b, _ := out.(bool)
	return b, nil
}

func (e *Env) run(p *vm.Program) (out any, err error) {
	if p == nil {
		return nil, fmt.Errorf("表达式未编译")
	}
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("表达式运行出错: %v", r)
		}
	}()
	out, err = e.machine.Run(p, e.vars)
	if err != nil {
		return nil, fmt.Errorf("表达式运行出错: %w", err)
	}
	return out, nil
}

// Derived returns the derived items in an order where every item comes
// after the derived items its formula reads.
func (f *Framework) Derived() []*Item { return f.derived }

// Inputs returns the items a validation rule reads.
func (v *Validation) Inputs() []string { return v.inputs }

// ParamValue returns the value of a parameter.
func (f *Framework) ParamValue(name string) (Decimal, bool) {
	for _, p := range f.Params {
		if p.Name == name {
			return p.Value, true
		}
	}
	return 0, false
}
