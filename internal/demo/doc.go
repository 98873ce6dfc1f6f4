// Package demo holds lvzhi's demonstration data: the founding report's
// district (湖州市吴兴区, 2019) as an embedded county data file, and a
// generator of synthetic counties for benchmarks and what-if tests.
//
// The synthetic counties are made from a seeded generator, so the same seed
// always gives the same counties. Nothing here performs I/O.
package demo
