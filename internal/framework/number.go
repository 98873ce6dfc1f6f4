package framework

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Points is a score in tenths of a point: Points(985) is 98.5 points.
// Scores are integers from the moment a rule has produced them, so sums and
// differences are exact and 98.5 never prints as 98.49999.
//
// Rounding rule (the only one in lvzhi): a rule's float64 result is first
// written with 9 decimals, which removes binary noise such as
// 2.2499999999999982 for 2.25, and then rounded half away from zero to
// tenths. PointsFromFloat is the one place that does this.
type Points int64

// Decimal is an exact data value in ten-thousandths: Decimal(809100) is
// 80.91. It holds every figure a county reports (counts, money, percentages,
// coefficients) with at most four decimals, between about ±9.2e14.
type Decimal int64

const (
	pointsPlaces  = 1
	decimalPlaces = 4
	// DecimalOne is the Decimal for 1.
	DecimalOne Decimal = 10000
)

// errNotFinite and errTooLarge are the two ways a float cannot become an
// exact number.
var (
	errNotFinite = errors.New("not a finite number")
	errTooLarge  = errors.New("number too large")
)

// PointsFromFloat converts a rule's result to tenths, rounding as described
// on Points. NaN and infinities are errors.
func PointsFromFloat(x float64) (Points, error) {
	v, err := roundFloat(x, pointsPlaces)
	return Points(v), err
}

// DecimalFromFloat converts a computed value (a derived item) to
// ten-thousandths with the same rounding rule as PointsFromFloat.
func DecimalFromFloat(x float64) (Decimal, error) {
	v, err := roundFloat(x, decimalPlaces)
	return Decimal(v), err
}

// DecimalFromInt returns n as a Decimal.
func DecimalFromInt(n int64) Decimal { return Decimal(n * int64(DecimalOne)) }

// ParsePoints reads a score written in decimal ("98.5", "3", "-1.5"). A score
// with more than one decimal is refused, not rounded: typed scores are exact.
func ParsePoints(s string) (Points, error) {
	v, err := parseFixed(s, pointsPlaces)
	return Points(v), err
}

// ParseDecimal reads a value written in decimal with at most four decimals
// ("80.91", "-3", "0.5125"). Thousands separators, units and percent signs
// are not accepted here; front ends strip them where their format allows.
func ParseDecimal(s string) (Decimal, error) {
	v, err := parseFixed(s, decimalPlaces)
	return Decimal(v), err
}

// String writes p with at most one decimal and no trailing ".0": "98.5", "2".
func (p Points) String() string { return formatFixed(int64(p), pointsPlaces) }

// Float returns p as a float64 (for rules and charts, never for sums).
func (p Points) Float() float64 { return float64(p) / 10 }

// Decimal returns p as a Decimal.
func (p Points) Decimal() Decimal { return Decimal(int64(p) * 1000) }

// String writes d with as few decimals as it needs: "80.91", "132".
func (d Decimal) String() string { return formatFixed(int64(d), decimalPlaces) }

// Float returns d as a float64.
func (d Decimal) Float() float64 { return float64(d) / float64(DecimalOne) }

// IsInteger reports whether d has no fractional part.
func (d Decimal) IsInteger() bool { return d%DecimalOne == 0 }

// MulPoints returns the share d (a fraction such as 0.6) of p, rounded to
// tenths as described on Points.
func (d Decimal) MulPoints(p Points) Points {
	// d has 4 decimals and p has 1: the product has 5; round to 1.
	prod := int64(d) * int64(p)
	q, r := prod/10000, prod%10000
	if r >= 5000 {
		q++
	} else if r <= -5000 {
		q--
	}
	return Points(q)
}

// roundFloat rounds x to the given number of decimal places and returns it
// as an integer count of 10^-places units. See Points for the rule.
func roundFloat(x float64, places int) (int64, error) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, errNotFinite
	}
	if math.Abs(x) >= 1e14 {
		return 0, errTooLarge
	}
	// Fast path: x already sits on the grid (2, 0.5, 1.8): scaling lands on
	// a whole number, and that number is what the slow path would find,
	// since x is within float noise of it.
	scale := math.Pow10(places)
	if k := x * scale; k == math.Trunc(k) && math.Abs(k) < 1<<53 {
		return int64(k), nil
	}
	// Nine decimals are exact for every float64 below 1e14 at the precision
	// rules need, and they turn 2.2499999999999982 into 2.250000000.
	var buf [40]byte
	s := string(strconv.AppendFloat(buf[:0], x, 'f', 9, 64))
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	dot := strings.IndexByte(s, '.')
	digits := s[:dot] + s[dot+1:dot+1+places]
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, errTooLarge
	}
	if s[dot+1+places] >= '5' {
		n++
	}
	if neg {
		n = -n
	}
	return n, nil
}

// parseFixed reads a decimal string with at most places decimals as an
// integer count of 10^-places units.
func parseFixed(s string, places int) (int64, error) {
	orig := s
	if s == "" {
		return 0, fmt.Errorf("%q is not a number", orig)
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" && frac == "" || hasDot && frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return 0, fmt.Errorf("%q is not a number", orig)
	}
	if len(frac) > places {
		return 0, fmt.Errorf("%q has more than %d decimal places", orig, places)
	}
	if len(intPart) > 14 {
		return 0, fmt.Errorf("%q is too large", orig)
	}
	frac += strings.Repeat("0", places-len(frac))
	n, err := strconv.ParseInt(intPart+frac, 10, 64)
	if intPart == "" {
		n, err = strconv.ParseInt(frac, 10, 64)
	}
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", orig)
	}
	if neg {
		n = -n
	}
	return n, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// formatFixed writes v (in 10^-places units) without trailing zeros.
func formatFixed(v int64, places int) string {
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-v)
	}
	s := strconv.FormatUint(u, 10)
	if len(s) <= places {
		s = strings.Repeat("0", places-len(s)+1) + s
	}
	intPart, frac := s[:len(s)-places], strings.TrimRight(s[len(s)-places:], "0")
	out := intPart
	if frac != "" {
		out += "." + frac
	}
	if neg && out != "0" {
		out = "-" + out
	}
	return out
}

// MarshalJSON writes p as a JSON number with its exact decimal digits: 98.5.
func (p Points) MarshalJSON() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalJSON reads a JSON number with at most one decimal.
func (p *Points) UnmarshalJSON(b []byte) error {
	v, err := ParsePoints(strings.Trim(string(b), `"`))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// MarshalJSON writes d as a JSON number with its exact decimal digits.
func (d Decimal) MarshalJSON() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalJSON reads a JSON number with at most four decimals.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	v, err := ParseDecimal(strings.Trim(string(b), `"`))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
