package narrative

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"lvzhi/internal/framework"
)

// corpusCase is one paragraph of the test corpus with its data and the
// findings it must give.
type corpusCase struct {
	file, name string
	line       int
	text       string
	values     map[string]framework.Value
	expect     []string // "kind text"
	tested     []string // "kind text": relations that must be recognised
}

// readCorpus reads a corpus file: cases start with "=== name", "@data
// code=value …" gives data, "@expect kind text" a finding, "#" lines are
// comments, every other line is report text.
func readCorpus(t *testing.T, path string) []corpusCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fw := framework.Default()
	var cases []corpusCase
	var cur *corpusCase
	var text []string
	flush := func() {
		if cur != nil {
			cur.text = strings.Join(text, "\n")
			cases = append(cases, *cur)
		}
		text = nil
	}
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "#") && cur == nil:
		case strings.HasPrefix(line, "=== "):
			flush()
			name, _, _ := strings.Cut(strings.TrimPrefix(line, "=== "), " ")
			cur = &corpusCase{file: filepath.Base(path), name: name, line: n, values: map[string]framework.Value{}}
		case cur == nil:
		case strings.HasPrefix(line, "@data "):
			for _, kv := range strings.Fields(strings.TrimPrefix(line, "@data ")) {
				code, val, ok := strings.Cut(kv, "=")
				it := fw.Item(code)
				if !ok || it == nil {
					t.Fatalf("%s:%d: bad @data %q", path, n, kv)
				}
				v, err := it.ParseValue(val)
				if err != nil {
					t.Fatalf("%s:%d: @data %s: %v", path, n, kv, err)
				}
				cur.values[code] = v
			}
		case strings.HasPrefix(line, "@tested "):
			kind, text, ok := strings.Cut(strings.TrimPrefix(line, "@tested "), " ")
			if !ok || !knownKind(Kind(kind)) {
				t.Fatalf("%s:%d: bad @tested %q", path, n, line)
			}
			cur.tested = append(cur.tested, kind+" "+text)
		case strings.HasPrefix(line, "@expect "):
			kind, text, ok := strings.Cut(strings.TrimPrefix(line, "@expect "), " ")
			if !ok || !knownKind(Kind(kind)) {
				t.Fatalf("%s:%d: bad @expect %q", path, n, line)
			}
			cur.expect = append(cur.expect, kind+" "+text)
		default:
			text = append(text, line)
		}
	}
	flush()
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

func knownKind(k Kind) bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// score counts, per kind, findings expected and found (tp), found but not
// expected (fp) and expected but not found (fn).
type score struct{ tp, fp, fn int }

func (s score) precision() float64 {
	if s.tp+s.fp == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fp)
}

func (s score) recall() float64 {
	if s.tp+s.fn == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fn)
}

// measure checks every case and returns the scores per kind, with a line
// per disagreement.
func measure(t *testing.T, cases []corpusCase) (map[Kind]*score, []string, int) {
	scores, misses, clean, _ := measureAll(t, cases)
	return scores, misses, clean
}

// measureAll is measure that also counts the @tested relations that were
// not recognised.
func measureAll(t *testing.T, cases []corpusCase) (scores map[Kind]*score, misses []string, clean, unrecognised int) {
	fw := framework.Default()
	scores = map[Kind]*score{}
	for _, k := range Kinds {
		scores[k] = &score{}
	}
	for _, c := range cases {
		r := Check(c.text, FactsFrom(fw, c.values))
		want := map[string]int{}
		for _, e := range c.expect {
			want[e]++
		}
		if len(c.expect) == 0 {
			clean++
		}
		for _, f := range r.Findings {
			key := string(f.Kind) + " " + f.Text
			if want[key] > 0 {
				want[key]--
				scores[f.Kind].tp++
				continue
			}
			scores[f.Kind].fp++
			misses = append(misses, fmt.Sprintf("%s:%d %s: unexpected %s (%s)", c.file, c.line, c.name, key, f.Message))
		}
		checked := map[string]bool{}
		for _, x := range r.Checked {
			checked[string(x.Kind)+" "+x.Text] = true
		}
		for _, key := range c.tested {
			if !checked[key] {
				misses = append(misses, fmt.Sprintf("%s:%d %s: not recognised: %s", c.file, c.line, c.name, key))
				unrecognised++
			}
		}
		for key, n := range want {
			for range n {
				kind, _, _ := strings.Cut(key, " ")
				scores[Kind(kind)].fn++
				misses = append(misses, fmt.Sprintf("%s:%d %s: missed %s", c.file, c.line, c.name, key))
			}
		}
	}
	sort.Strings(misses)
	return scores, misses, clean, unrecognised
}

// table writes the scores as the Markdown table docs/numbercheck.md shows.
func table(scores map[Kind]*score) string {
	var b strings.Builder
	b.WriteString("| 种类 | 应报 | 报对 | 误报 | 漏报 | 精确率 | 召回率 |\n|---|---|---|---|---|---|---|\n")
	for _, k := range Kinds {
		s := scores[k]
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %.2f | %.2f |\n", k, s.tp+s.fn, s.tp, s.fp, s.fn, s.precision(), s.recall())
	}
	return b.String()
}

// TestCorpus measures precision and recall per kind on the tuning corpus
// and fails below 0.95; every kind must have planted errors.
func TestCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "corpus", "tune-*.txt"))
	if len(files) == 0 {
		t.Fatal("no corpus files in testdata/corpus")
	}
	var cases []corpusCase
	for _, f := range files {
		cases = append(cases, readCorpus(t, f)...)
	}
	scores, misses, clean, unrecognised := measureAll(t, cases)
	tested := 0
	for _, c := range cases {
		tested += len(c.tested)
	}
	t.Logf("corpus: %d paragraphs, %d without findings; %d of %d annotated relations recognised\n%s",
		len(cases), clean, tested-unrecognised, tested, table(scores))
	if unrecognised > 0 {
		t.Errorf("%d annotated relations were not recognised (see the log)", unrecognised)
	}
	for _, m := range misses {
		t.Log(m)
	}
	for _, k := range Kinds {
		s := scores[k]
		if s.tp+s.fn < 3 {
			t.Errorf("%s: only %d planted errors in the corpus, want at least 3", k, s.tp+s.fn)
		}
		if s.precision() < 0.95 || s.recall() < 0.95 {
			t.Errorf("%s: precision %.2f, recall %.2f, want both ≥ 0.95", k, s.precision(), s.recall())
		}
	}
	if clean < 10 {
		t.Errorf("only %d paragraphs must give no finding, want at least 10", clean)
	}
}

// TestHeldOut measures the held-out corpus, written before the rules were
// tuned. It reports the figures (go test -v) and fails only on a panic: its
// purpose is an honest measure, not a gate to tune against.
func TestHeldOut(t *testing.T) {
	cases := readCorpus(t, filepath.Join("testdata", "corpus", "heldout.txt"))
	scores, misses, clean := measure(t, cases)
	t.Logf("held-out: %d paragraphs, %d without findings\n%s", len(cases), clean, table(scores))
	for _, m := range misses {
		t.Log(m)
	}
}

// TestHeldOutTwo measures the second held-out corpus, written after the
// first round of tuning and before the second. Like TestHeldOut it only
// reports.
func TestHeldOutTwo(t *testing.T) {
	cases := readCorpus(t, filepath.Join("testdata", "corpus", "heldout-2.txt"))
	scores, misses, clean := measure(t, cases)
	t.Logf("held-out 2: %d paragraphs, %d without findings\n%s", len(cases), clean, table(scores))
	for _, m := range misses {
		t.Log(m)
	}
}

// TestHeldOutThree measures the third held-out corpus, written after the
// second round of tuning and measured once; like TestHeldOut it only
// reports.
func TestHeldOutThree(t *testing.T) {
	cases := readCorpus(t, filepath.Join("testdata", "corpus", "heldout-3.txt"))
	scores, misses, clean := measure(t, cases)
	t.Logf("held-out 3: %d paragraphs, %d without findings\n%s", len(cases), clean, table(scores))
	for _, m := range misses {
		t.Log(m)
	}
}

var update = flag.Bool("update", false, "rewrite testdata/findings.golden")

// TestFindingsGolden writes every finding of the planted-error corpus, with
// its message, to testdata/findings.golden, so that a change of wording or
// place shows in review (go test -update rewrites it).
func TestFindingsGolden(t *testing.T) {
	cases := readCorpus(t, filepath.Join("testdata", "corpus", "tune-errors.txt"))
	fw := framework.Default()
	var b strings.Builder
	for _, c := range cases {
		r := Check(c.text, FactsFrom(fw, c.values))
		fmt.Fprintf(&b, "%s (%d claims)\n", c.name, r.Claims)
		for _, f := range r.Findings {
			fmt.Fprintf(&b, "  %d:%d %s %s %s: %s\n", f.Line, f.Column, f.Severity, f.Kind, f.Text, f.Message)
		}
	}
	path := filepath.Join("testdata", "findings.golden")
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if b.String() != string(want) {
		t.Errorf("findings differ from %s (run go test -update after checking):\n%s", path, b.String())
	}
}
