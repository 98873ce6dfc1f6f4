package narrative

import (
	"math/big"
	"strings"
)

// Number is an exact decimal as written in a text: Mant × 10^Exp. The
// exponent is also the precision: "62.7万" is 627 × 10^3 and stands for
// anything from 626,500 up to (not including) 627,500; "91750" is exact to
// the unit.
type Number struct {
	Mant int64
	Exp  int
}

// maxMantissa keeps Mant × 10 inside int64 while digits are read.
const maxMantissa = 1e17

// String writes the number in plain decimal notation: "627000", "80.91".
func (n Number) String() string {
	return n.Rat().FloatString(max(0, -n.Exp))
}

// Rat returns the number as an exact rational.
func (n Number) Rat() *big.Rat {
	r := new(big.Rat).SetInt64(n.Mant)
	return r.Mul(r, pow10Rat(n.Exp))
}

// half returns half of the number's last written unit: 500 for 62.7万, 0.005
// for 80.91.
func (n Number) half() *big.Rat {
	h := pow10Rat(n.Exp)
	return h.Quo(h, big.NewRat(2, 1))
}

// interval is a closed range [Lo, Hi] of values a claim allows; an open end
// is nil. (62.7万 allows 627,500 too, which strictly rounds up to 62.8万: a
// tolerance of one unit in the last place that no check depends on.)
type interval struct {
	Lo, Hi *big.Rat
}

// around returns the values that round to n at its written precision.
func (n Number) around() interval {
	v, h := n.Rat(), n.half()
	return interval{Lo: new(big.Rat).Sub(v, h), Hi: new(big.Rat).Add(v, h)}
}

// overlaps reports whether two intervals share a value.
func (a interval) overlaps(b interval) bool {
	if a.Lo != nil && b.Hi != nil && a.Lo.Cmp(b.Hi) > 0 {
		return false
	}
	if b.Lo != nil && a.Hi != nil && b.Lo.Cmp(a.Hi) > 0 {
		return false
	}
	return true
}

// contains reports whether x lies in the interval.
func (a interval) contains(x *big.Rat) bool {
	return (a.Lo == nil || a.Lo.Cmp(x) <= 0) && (a.Hi == nil || x.Cmp(a.Hi) <= 0)
}

func pow10Rat(e int) *big.Rat {
	if e >= 0 {
		return new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(e)), nil))
	}
	d := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-e)), nil)
	return new(big.Rat).SetFrac(big.NewInt(1), d)
}

// arabicDigit returns the value of an ASCII or full-width digit.
func arabicDigit(r rune) (int64, bool) {
	switch {
	case r >= '0' && r <= '9':
		return int64(r - '0'), true
	case r >= '０' && r <= '９':
		return int64(r - '０'), true
	}
	return 0, false
}

// chineseDigit returns the value of a Chinese digit character (小写 and
// 大写 forms).
func chineseDigit(r rune) (int64, bool) {
	switch r {
	case '零', '〇':
		return 0, true
	case '一', '壹':
		return 1, true
	case '二', '两', '贰':
		return 2, true
	case '三', '叁':
		return 3, true
	case '四', '肆':
		return 4, true
	case '五', '伍':
		return 5, true
	case '六', '陆':
		return 6, true
	case '七', '柒':
		return 7, true
	case '八', '捌':
		return 8, true
	case '九', '玖':
		return 9, true
	}
	return 0, false
}

// chineseUnit returns the power of ten a Chinese unit character stands for
// (十 1, 百 2, 千 3, 万 4, 亿 8).
func chineseUnit(r rune) (int, bool) {
	switch r {
	case '十', '拾':
		return 1, true
	case '百', '佰':
		return 2, true
	case '千', '仟':
		return 3, true
	case '万':
		return 4, true
	case '亿':
		return 8, true
	}
	return 0, false
}

// isChineseNumeral reports whether r may be part of a Chinese numeral.
func isChineseNumeral(r rune) bool {
	if _, ok := chineseDigit(r); ok {
		return true
	}
	_, ok := chineseUnit(r)
	return ok
}

// parseChinese reads a Chinese numeral such as 二十四, 两万, 六万二 (62,000),
// 一千零五, 三点五亿 or 贰佰零伍. It returns false when s is not a well-formed
// numeral or does not fit.
func parseChinese(s string) (Number, bool) {
	intPart, fracPart, hasPoint := strings.Cut(s, "点")
	if hasPoint {
		// 三点五亿: digits after 点, then at most one scale.
		whole, ok := parseChineseInt(intPart)
		if !ok || whole.Exp != 0 {
			return Number{}, false
		}
		m, exp := whole.Mant, 0
		for _, r := range fracPart {
			if d, ok := chineseDigit(r); ok {
				if m > maxMantissa {
					return Number{}, false
				}
				m = m*10 + d
				exp--
				continue
			}
			u, ok := chineseUnit(r)
			if !ok || u < 4 {
				return Number{}, false
			}
			exp += u
		}
		if exp == 0 && fracPart == "" {
			return Number{}, false
		}
		return Number{Mant: m, Exp: exp}, true
	}
	return parseChineseInt(s)
}

// parseChineseInt reads a Chinese integer numeral. A trailing bare digit
// after a unit takes the next lower unit, as people say it: 六万二 is
// 62,000 and 三千五 is 3,500.
func parseChineseInt(s string) (Number, bool) {
	var total, section, digit int64
	lastUnit := -1   // the last unit seen inside the current 万 section
	lastBig := -1    // the last 万/亿 seen
	sawZero := false // a 零 since the last unit
	sawDigit := false
	pending := false // a digit waits for its unit
	for _, r := range s {
		if d, ok := chineseDigit(r); ok {
			if pending {
				// Two digits in a row (二二) are not a numeral here.
				return Number{}, false
			}
			if d == 0 {
				sawZero = true
				continue
			}
			digit, pending, sawDigit = d, true, true
			continue
		}
		u, ok := chineseUnit(r)
		if !ok {
			return Number{}, false
		}
		switch {
		case u < 4:
			if !pending {
				if u != 1 || section != 0 {
					return Number{}, false
				}
				digit = 1 // 十二 is 12
			}
			section += digit * pow10Int(u)
			lastUnit = u
		default:
			if pending {
				section += digit
			}
			if section == 0 && total == 0 {
				return Number{}, false
			}
			if u == 8 {
				total = (total + section) * pow10Int(8)
			} else {
				total += section * pow10Int(4)
			}
			if total > maxMantissa*10 || total < 0 {
				return Number{}, false
			}
			section, lastBig, lastUnit = 0, u, -1
		}
		digit, pending, sawZero = 0, false, false
	}
	if !sawDigit && lastUnit != 1 && section == 0 && total == 0 {
		return Number{}, false
	}
	if pending {
		switch {
		case sawZero || (lastUnit < 0 && lastBig < 0):
			section += digit
		case lastUnit > 1:
			section += digit * pow10Int(lastUnit-1)
		case lastUnit < 0 && lastBig >= 4:
			// 六万二: the digit is thousands of the next section down.
			section += digit * pow10Int(lastBig-1)
		default:
			section += digit
		}
	}
	total += section
	if total > maxMantissa*10 || total < 0 {
		return Number{}, false
	}
	return Number{Mant: total}, true
}

func pow10Int(e int) int64 {
	p := int64(1)
	for range e {
		p *= 10
	}
	return p
}

func mulRat(v *big.Rat, num, den int64) *big.Rat {
	r := new(big.Rat).Mul(v, big.NewRat(num, den))
	return r
}

func addRat(a, b *big.Rat) *big.Rat { return new(big.Rat).Add(a, b) }

func subRat(a, b *big.Rat) *big.Rat { return new(big.Rat).Sub(a, b) }
