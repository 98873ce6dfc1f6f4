// Package scoring is the rule engine: it scores one county's data, manual
// scores and bonus claims against a framework, and explains every point
// (the rule, the values it read, why marks were lost), the bonus, the total
// and the grade after downgrades. It also ranks counties and compares grades
// under two frameworks (what-if).
//
// It is pure and deterministic: no I/O, no clock, no randomness, and the same
// input always gives the same output, byte for byte.
package scoring
