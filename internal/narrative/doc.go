// Package narrative finds the numbers in a Chinese report (a county's
// self-assessment, a section of it) and checks them: against the county's
// data, and against each other (the same figure stated twice, parts that do
// not add up to their total, the score sentence, class sizes, amounts per
// head, growth rates).
//
// Extract turns text into claims: each number with its exact decimal value,
// the precision it was written with, its unit, the words that say what it
// counts and the framework item those words name. Check runs every check and
// returns findings with Chinese messages and the byte spans of the claims
// involved, so that an editor can underline them.
//
// The package performs no I/O and keeps no state; every function is safe for
// concurrent use. Work is linear in the length of the text: each rune is
// looked at a bounded number of times. It imports only the standard library
// and package framework (for FactsFrom, which reads item names, aliases,
// units and grade bands from a framework); it must not import scoring,
// datafile, store or anything above them.
package narrative
