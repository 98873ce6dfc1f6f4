package narrative

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"lvzhi/internal/framework"
)

// fuzzSeeds are the inputs the issue names (empty, binary, invalid UTF-8,
// emoji) and a few report sentences.
var fuzzSeeds = []string{
	"",
	"\x00\x01\x02\xff\xfe",
	"学校\xff132\xc0所，总人口62.7\xe4万",
	"🏫学校132所😀，其中小学24所👍、初中20所",
	"总人口62.7万（其中开发区17.21万）。总人口62.99万。",
	"24项测评点中，有22个测评点得满分，2个测评点扣3.5分，加分指标得2分，自评合计得分为98.5分，等级为A等。",
	"小学新生5717人，共139个班，班额控制在45人及以下",
	"由上年的8.62亿元增加到9.47亿元，增长9.9%",
	"每生每天4元，按200天计，1620名，共计129.6万元",
	"（（（（其中含含1所）））））”“《《2019年〔2020〕30号",
	"一二三四五六七八九十百千万亿点点点两两两",
	"99999999999999999999999999999999.99999999999999999999万亿%",
	"1,234,567.89万元，1,23,4",
}

// checkInvariants fails when a result is not well formed for text.
func checkInvariants(t *testing.T, text string, claims []Claim, r *Result) {
	t.Helper()
	prevEnd := 0
	for _, c := range claims {
		if c.Start < prevEnd || c.End <= c.Start || c.End > len(text) || text[c.Start:c.End] != c.Text {
			t.Fatalf("claim %+v has a bad span in a text of %d bytes", c, len(text))
		}
		if c.Line < 1 || c.Column < 1 {
			t.Fatalf("claim %q at %d:%d", c.Text, c.Line, c.Column)
		}
		prevEnd = c.End
	}
	if r == nil {
		return
	}
	if r.Claims != len(claims) {
		t.Fatalf("Check counted %d claims, Extract gave %d", r.Claims, len(claims))
	}
	for _, f := range r.Findings {
		if f.Message == "" || !knownKind(f.Kind) || (f.Severity != SeverityError && f.Severity != SeverityWarning) {
			t.Fatalf("bad finding %+v", f)
		}
		for _, s := range f.Spans {
			if s.Start < 0 || s.End > len(text) || s.End <= s.Start {
				t.Fatalf("finding %+v has a bad span", f)
			}
		}
		if utf8.ValidString(text) && !utf8.ValidString(f.Message) {
			t.Fatalf("finding message is not UTF-8: %q", f.Message)
		}
	}
}

func FuzzExtract(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkInvariants(t, text, Extract(text), nil)
	})
}

func FuzzCheck(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	facts := FactsFrom(framework.Default(), map[string]framework.Value{
		"population_total":  framework.Number(framework.DecimalFromInt(629900)),
		"edu_spending":      framework.Number(framework.DecimalFromInt(109722)),
		"edu_spending_prev": framework.Number(framework.DecimalFromInt(87130)),
	})
	f.Fuzz(func(t *testing.T, text string) {
		checkInvariants(t, text, Extract(text), Check(text, facts))
		checkInvariants(t, text, Extract(text), Check(text, nil))
	})
}

// generated returns a text of at least n bytes made of the corpus
// paragraphs, as one line when oneLine is set.
func generated(tb testing.TB, n int, oneLine bool) string {
	tb.Helper()
	files, _ := filepath.Glob(filepath.Join("testdata", "corpus", "*.txt"))
	var parts []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if line != "" && !strings.HasPrefix(line, "#") && !strings.HasPrefix(line, "=") && !strings.HasPrefix(line, "@") {
				parts = append(parts, line)
			}
		}
	}
	sep := "\n"
	if oneLine {
		sep = ""
	}
	var b strings.Builder
	for b.Len() < n {
		for _, p := range parts {
			b.WriteString(p)
			b.WriteString(sep)
		}
	}
	return b.String()
}

// TestLargeInputs runs the inputs the issue names as bad: a 1 MB line, 10
// MB of report text, 1 MB of one digit, of one numeral, of brackets, of
// invalid bytes. Each must give a result (timing is for the benchmarks).
func TestLargeInputs(t *testing.T) {
	const mb = 1 << 20
	inputs := map[string]string{
		"1 MB line":         generated(t, mb, true),
		"10 MB":             generated(t, 10*mb, false),
		"1 MB of digits":    strings.Repeat("7", mb),
		"1 MB of numerals":  strings.Repeat("一", mb/3),
		"1 MB of brackets":  strings.Repeat("（其中", mb/9),
		"1 MB of bad bytes": strings.Repeat("\xff1", mb/2),
		"1 MB of claims":    strings.Repeat("增长5%，", mb/10),
	}
	facts := FactsFrom(framework.Default(), nil)
	for name, text := range inputs {
		t.Run(name, func(t *testing.T) {
			r := Check(text, facts)
			if r == nil {
				t.Fatal("Check returned nil")
			}
			if len(r.Findings) > MaxFindings {
				t.Errorf("%d findings, more than MaxFindings", len(r.Findings))
			}
		})
	}
}
