package framework

import (
	"fmt"

	"github.com/expr-lang/expr/vm"
)

// Env holds one county's values as the framework's expressions see them and
// evaluates those expressions. Values live in typed slots read by the
// translated closures (see fastexpr.go); a map for expr's virtual machine is
// kept only when some expression needs it. An Env is reused from county to
// county; it is not safe for concurrent use: make one per goroutine.
type Env struct {
	fw     *Framework
	nums   []float64
	bools  []bool
	texts  []string
	locals []float64

	vars    map[string]any // for the virtual machine; nil when not needed
	machine vm.VM
}

// NewEnv returns an Env for f with every item at its zero value.
func (f *Framework) NewEnv() *Env {
	e := &Env{fw: f, nums: make([]float64, f.slots[0]), bools: make([]bool, f.slots[1]),
		texts: make([]string, f.slots[2]), locals: make([]float64, f.locals)}
	if f.needsVM {
		e.vars = make(map[string]any, len(f.envTemplate))
	}
	e.Reset()
	return e
}

// Reset sets every item back to the zero value of its type.
func (e *Env) Reset() {
	clear(e.nums)
	clear(e.bools)
	clear(e.texts)
	if e.vars != nil {
		for k, v := range e.fw.envTemplate {
			e.vars[k] = v
		}
	}
}

// Set gives the item with the code its value for the expressions.
func (e *Env) Set(code string, v Value) {
	if it := e.fw.itemByCode[code]; it != nil {
		e.SetItem(it, v)
	}
}

// SetItem gives an item its value for the expressions.
func (e *Env) SetItem(it *Item, v Value) {
	switch v.Kind {
	case KindNumber:
		e.nums[it.slot] = v.Num.Float()
	case KindBool:
		e.bools[it.slot] = v.Bool
	case KindText:
		e.texts[it.slot] = v.Text
	}
	if e.vars != nil {
		e.vars[it.Code] = v.exprValue()
	}
}

// Clear sets an item back to the zero value of its type (an optional item
// with no value that no expression needs).
func (e *Env) Clear(it *Item) {
	e.SetItem(it, Value{Kind: kindOf(it.Type)})
}

// Compute evaluates a derived item's formula on the values set so far and
// sets the item to the result, rounded to a Decimal (numbers) as described
// on Points, so that rules read exactly the value that is stored and shown.
func (e *Env) Compute(it *Item) (Value, error) {
	var v Value
	if kindOf(it.Type) == KindBool {
		b, err := e.cond(it.formula)
		if err != nil {
			return Value{}, err
		}
		v = Bool(b)
	} else {
		x, err := e.number(it.formula)
		if err != nil {
			return Value{}, err
		}
		d, err := DecimalFromFloat(x)
		if err != nil {
			return Value{}, fmt.Errorf("结果不是有限数值（可能除以了0）")
		}
		v = Number(d)
	}
	e.SetItem(it, v)
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
	x, err := e.number(c.program)
	if err != nil {
		return 0, err
	}
	p, err := PointsFromFloat(x)
	if err != nil {
		return 0, fmt.Errorf("规则结果不是有限数值（可能除以了0）")
	}
	if p < 0 || p > c.Max {
		return 0, fmt.Errorf("规则得出%s分，超出0到%s分的范围", p, c.Max)
	}
	return p, nil
}

func (e *Env) number(ev *evaluator) (float64, error) {
	if ev != nil && ev.fast != nil && ev.fast.num != nil {
		return ev.fast.num(e), nil
	}
	out, err := e.run(ev)
	if err != nil {
		return 0, err
	}
	x, _ := out.(float64)
	return x, nil
}

func (e *Env) cond(ev *evaluator) (bool, error) {
	if ev != nil && ev.fast != nil && ev.fast.bool != nil {
		return ev.fast.bool(e), nil
	}
	out, err := e.run(ev)
	if err != nil {
		return false, err
	}
	b, _ := out.(bool)
	return b, nil
}

// run evaluates ev in expr's virtual machine. A panic there becomes an
// error, never a crash.
func (e *Env) run(ev *evaluator) (out any, err error) {
	if ev == nil || ev.program == nil {
		return nil, fmt.Errorf("表达式未编译")
	}
	if e.vars == nil {
		return nil, fmt.Errorf("表达式需要虚拟机，但环境未准备")
	}
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("表达式运行出错: %v", r)
		}
	}()
	out, err = e.machine.Run(ev.program, e.vars)
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
