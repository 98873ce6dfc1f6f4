package narrative

import (
	"testing"

	"lvzhi/internal/framework"
)

// BenchmarkCheckSeed checks the founding report (about 15 KB) against the
// demo district's data: the time per report the 5 ms goal is about.
func BenchmarkCheckSeed(b *testing.B) {
	text := seedText(b)
	facts := demoFacts(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Check(text, facts)
	}
}

// BenchmarkExtractSeed extracts the founding report's claims only.
func BenchmarkExtractSeed(b *testing.B) {
	text := seedText(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Extract(text)
	}
}

// BenchmarkCheck1MB checks 1 MB of report paragraphs (the corpus repeated).
func BenchmarkCheck1MB(b *testing.B) {
	text := generated(b, 1<<20, false)
	facts := FactsFrom(framework.Default(), nil)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Check(text, facts)
	}
}

// BenchmarkCheck1MBLine checks the same text as one 1 MB line.
func BenchmarkCheck1MBLine(b *testing.B) {
	text := generated(b, 1<<20, true)
	facts := FactsFrom(framework.Default(), nil)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Check(text, facts)
	}
}

// BenchmarkFactsFrom builds the facts of the default framework and the demo
// data, which a caller may do once per save.
func BenchmarkFactsFrom(b *testing.B) {
	fw := framework.Default()
	b.ReportAllocs()
	for b.Loop() {
		FactsFrom(fw, nil)
	}
}
