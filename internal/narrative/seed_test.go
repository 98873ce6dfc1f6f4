package narrative

import (
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"lvzhi/internal/demo"
	"lvzhi/internal/framework"
)

// seedText reads the founding report from ../shared/seeds beside the
// repository. Its text is never committed; the test skips when the folder
// is absent (a clone outside the project's workspace).
func seedText(tb testing.TB) string {
	tb.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	dir := filepath.Join(root, "..", "shared", "seeds")
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("the seed folder %s is absent, so the founding report cannot be checked: %v", dir, err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "000_0435f6d3190c0ba4.txt"))
	if err != nil {
		tb.Fatalf("read the founding report: %v", err)
	}
	return string(b)
}

// demoFacts returns the default framework's facts with the demo district's
// data.
func demoFacts(tb testing.TB) *Facts {
	tb.Helper()
	fw := framework.Default()
	county, err := demo.Wuxing(fw)
	if err != nil {
		tb.Fatalf("demo.Wuxing: %v", err)
	}
	return FactsFrom(fw, county.Input.Values)
}

// TestSeed is the acceptance test: on the founding report exactly
// the population contradiction is reported, and the score sentence, the
// school total and the class sizes are recognised and pass — with the
// framework only, and with the demo district's data.
func TestSeed(t *testing.T) {
	text := seedText(t)
	for _, tc := range []struct {
		name  string
		facts *Facts
	}{
		{"text only", nil},
		{"framework", FactsFrom(framework.Default(), nil)},
		{"demo data", demoFacts(t)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Check(text, tc.facts)
			if len(r.Findings) != 1 {
				t.Fatalf("Check(seed) gave %d findings, want 1: %+v", len(r.Findings), r.Findings)
			}
			f := r.Findings[0]
			if f.Kind != Contradiction || f.Text != "62.99万" || len(f.Spans) != 2 ||
				text[f.Spans[0].Start:f.Spans[0].End] != "62.7万" {
				t.Errorf("Check(seed) finding = %+v, want the contradiction 62.7万 / 62.99万", f)
			}
			if r.Passed() {
				t.Error("Check(seed).Passed() = true, want false (the contradiction is an error)")
			}
			checked := map[string]bool{}
			for _, c := range r.Checked {
				checked[string(c.Kind)+" "+c.Text] = true
			}
			for _, want := range []string{
				"score_arithmetic 24项",    // 22 + 2 = 24 points
				"score_arithmetic 98.5分",  // 100 − 3.5 + 2 = 98.5
				"sum_mismatch 132所",       // 24 + 20 + 79 + 9 = 132
				"sum_mismatch 64人",        // 22 + 19 + 10 + 13 = 64
				"average_bound 45人及以下",    // 5717 / 139 = 41.1
				"average_bound 50人及以下",    // 3950 / 91 = 43.4
				"contradiction 871.9平方公里", // stated twice, equal
			} {
				if !checked[want] {
					t.Errorf("Check(seed) did not test %q", want)
				}
			}
			if tc.name == "demo data" {
				for _, want := range []string{"data_mismatch 91750人", "data_mismatch 109722万元", "growth_mismatch 25.93%", "data_mismatch 38.4%"} {
					if !checked[want] {
						t.Errorf("Check(seed, demo) did not test %q", want)
					}
				}
			}
		})
	}
}

// TestSeedMutations plants one error at a time in the founding report (in
// memory; the text is never written anywhere) and checks that exactly that
// error is reported besides the population contradiction. Each change is
// named by a figure that occurs once in the report, not by its words.
func TestSeedMutations(t *testing.T) {
	text := seedText(t)
	facts := demoFacts(t)
	tests := []struct {
		name, from, to string
		kind           Kind
		at             string   // the finding's claim text
		also           []string // findings that follow from the change too
	}{
		// 134 also disagrees with the data's 132.
		{"school total", "132所", "134所", SumMismatch, "134所", []string{"data_mismatch 134所"}},
		{"leaders total", "13人", "15人", SumMismatch, "64人", nil},
		{"deduction", "3.5分", "2.5分", ScoreArithmetic, "98.5分", nil},
		{"points count", "22个", "21个", ScoreArithmetic, "24项", nil},
		{"grade", "A等", "B等", ScoreArithmetic, "98.5分", nil},
		{"classes", "139个班", "119个班", AverageBound, "45人及以下", nil},
		{"growth", "25.93%", "24.93%", GrowthMismatch, "24.93%", nil},
		{"pupils", "91750人", "91570人", DataMismatch, "91570人", nil},
		// A smaller amount no longer grew by 25.93% over last year's data.
		{"spending", "109722万元", "107922万元", DataMismatch, "107922万元", []string{"growth_mismatch 25.93%"}},
		{"canteen share", "38.4%", "36.4%", DataMismatch, "36.4%", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if strings.Count(text, tc.from) != 1 {
				t.Fatalf("the founding report has %d copies of %q, want 1", strings.Count(text, tc.from), tc.from)
			}
			r := Check(strings.Replace(text, tc.from, tc.to, 1), facts)
			var got []string
			for _, f := range r.Findings {
				got = append(got, string(f.Kind)+" "+f.Text)
			}
			want := []string{"contradiction 62.99万", string(tc.kind) + " " + tc.at}
			want = append(want, tc.also...)
			sort.Strings(got)
			sort.Strings(want)
			if strings.Join(got, "; ") != strings.Join(want, "; ") {
				t.Errorf("after %q → %q, findings = %v, want %v", tc.from, tc.to, got, want)
			}
		})
	}
}
