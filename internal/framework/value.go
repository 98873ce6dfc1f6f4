package framework

import (
	"fmt"
	"strings"
)

// ValueKind is the representation a Value holds.
type ValueKind uint8

// The value kinds.
const (
	KindNone ValueKind = iota // no value
	KindNumber
	KindBool
	KindText
)

// Value is one data value: a number (integer, decimal and percent items), a
// truth value or a text (enum and text items).
type Value struct {
	Kind ValueKind
	Num  Decimal
	Bool bool
	Text string
}

// Number, Bool and Text make Values.
func Number(d Decimal) Value { return Value{Kind: KindNumber, Num: d} }

// Bool makes a truth value.
func Bool(b bool) Value { return Value{Kind: KindBool, Bool: b} }

// Text makes a text value.
func Text(s string) Value { return Value{Kind: KindText, Text: s} }

// IsSet reports whether v holds a value.
func (v Value) IsSet() bool { return v.Kind != KindNone }

// String writes the value plainly: "80.91", "true", "A".
func (v Value) String() string {
	switch v.Kind {
	case KindNumber:
		return v.Num.String()
	case KindBool:
		if v.Bool {
			return "true"
		}
		return "false"
	case KindText:
		return v.Text
	}
	return ""
}

// exprValue is the value as the expression language sees it: float64, bool
// or string.
func (v Value) exprValue() any {
	switch v.Kind {
	case KindNumber:
		return v.Num.Float()
	case KindBool:
		return v.Bool
	case KindText:
		return v.Text
	}
	return nil
}

// kindOf returns the value kind an item type holds.
func kindOf(t ItemType) ValueKind {
	switch {
	case t.Numeric():
		return KindNumber
	case t == TypeBoolean:
		return KindBool
	}
	return KindText
}

// Format writes v for a reader, with the item's unit: "80.91%", "132所",
// "是".
func (it *Item) Format(v Value) string {
	switch v.Kind {
	case KindBool:
		if v.Bool {
			return "是"
		}
		return "否"
	case KindNumber:
		return it.Display(v.Num) + it.Unit
	}
	return v.String()
}

// Display writes a number of the item as a reader sees it, rounded half
// away from zero to the item's display decimals: 2.3313 → "2.33" for a
// percentage.
func (it *Item) Display(d Decimal) string {
	places := 4
	switch {
	case it.Decimals != nil:
		places = *it.Decimals
	case it.Type == TypeInteger:
		places = 0
	case it.Type == TypePercent:
		places = 2
	}
	unit := int64(1)
	for i := places; i < decimalPlaces; i++ {
		unit *= 10
	}
	n := int64(d)
	q, r := n/unit, n%unit
	if 2*r >= unit {
		q++
	} else if -2*r >= unit {
		q--
	}
	return Decimal(q * unit).String()
}

// ParseValue reads a value for the item as typed by a person or found in a
// spreadsheet cell: numbers with optional thousands separators (and a
// trailing % for percent items), 是/否 or true/false for booleans. It does
// not check the range; CheckValue does.
func (it *Item) ParseValue(s string) (Value, error) {
	s = strings.TrimSpace(s)
	switch it.Type {
	case TypeInteger, TypeDecimal, TypePercent:
		t := strings.ReplaceAll(s, ",", "")
		if it.Type == TypePercent {
			t = strings.TrimSuffix(t, "%")
		}
		d, err := ParseDecimal(t)
		if err != nil {
			return Value{}, fmt.Errorf("“%s”不是数字", s)
		}
		return Number(d), nil
	case TypeBoolean:
		switch strings.ToLower(s) {
		case "是", "有", "true", "yes", "y", "1":
			return Bool(true), nil
		case "否", "无", "false", "no", "n", "0":
			return Bool(false), nil
		}
		return Value{}, fmt.Errorf("“%s”不是“是”或“否”", s)
	}
	return Text(s), nil
}

// CheckValue reports, in Chinese, why v is not an acceptable value for the
// item: wrong kind, not a whole number, out of range, not one of the enum's
// values. It returns nil for an acceptable value.
func (it *Item) CheckValue(v Value) error {
	want := kindOf(it.Type)
	if v.Kind != want {
		return fmt.Errorf("应为%s，实际为“%s”", typeNames[it.Type], v.String())
	}
	switch it.Type {
	case TypeInteger:
		if !v.Num.IsInteger() {
			return fmt.Errorf("应为整数，实际为%s", v.Num)
		}
	case TypeEnum:
		for _, a := range it.Values {
			if a == v.Text {
				return nil
			}
		}
		return fmt.Errorf("“%s”不是可选值（%s）之一", v.Text, strings.Join(it.Values, "、"))
	}
	if v.Kind == KindNumber {
		if it.Min != nil && v.Num < *it.Min {
			return fmt.Errorf("%s小于允许的最小值%s", it.Format(v), it.Min)
		}
		if it.Max != nil && v.Num > *it.Max {
			return fmt.Errorf("%s大于允许的最大值%s", it.Format(v), it.Max)
		}
	}
	return nil
}

var typeNames = map[ItemType]string{
	TypeInteger: "整数",
	TypeDecimal: "数值",
	TypePercent: "百分数",
	TypeBoolean: "是/否",
	TypeEnum:    "选项",
	TypeText:    "文本",
}
