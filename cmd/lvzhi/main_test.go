package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// runCLI runs the program as a user would and returns its output and exit
// status.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &out, &errOut, func(string) string { return "" })
	code = exitCode(err, &errOut)
	return out.String(), errOut.String(), code
}

// golden compares got with testdata/name.golden (rewritten with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test -update after checking):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"score-demo", []string{"score", "--demo"}, 0},
		{"score-demo-json", []string{"score", "--demo", "--format", "json"}, 0},
		{"score-dir", []string{"score", "--data", "testdata/counties"}, 0},
		{"whatif", []string{"whatif", "--data", "testdata/counties", "--framework", "testdata/strict.yaml"}, 0},
		{"lint-bad", []string{"framework", "lint", "testdata/bad.yaml"}, 1},
		{"lint-good", []string{"framework", "lint", "testdata/strict.yaml"}, 0},
		{"framework-show", []string{"framework", "show"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, tc.args...)
			if code != tc.code {
				t.Fatalf("lvzhi %s: exit %d, want %d\nstderr: %s", strings.Join(tc.args, " "), code, tc.code, errOut)
			}
			golden(t, tc.name, out)
		})
	}
}

// TestDemoJSON checks the figures the issue names, independently of the
// golden file.
func TestDemoJSON(t *testing.T) {
	out, _, code := runCLI(t, "score", "--demo", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var r struct {
		County         string                  `json:"county"`
		Year           int                     `json:"year"`
		Total          json.Number             `json:"total"`
		Grade          string                  `json:"grade"`
		FullMarks      int                     `json:"full_marks"`
		DeductedPoints int                     `json:"deducted_points"`
		Deduction      json.Number             `json:"deduction"`
		Bonus          json.Number             `json:"bonus"`
		Downgrades     []any                   `json:"downgrades"`
		Points         []struct{ Code string } `json:"points"`
		Summary        string                  `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.County != "吴兴区" || r.Year != 2019 || r.Total != "98.5" || r.Grade != "A" || r.FullMarks != 22 ||
		r.DeductedPoints != 2 || r.Deduction != "3.5" || r.Bonus != "2" || len(r.Points) != 24 || r.Downgrades == nil {
		t.Errorf("demo JSON = %+v", r)
	}
	if !strings.Contains(r.Summary, "自评合计得分为98.5分,等级为A等。") {
		t.Errorf("summary = %s", r.Summary)
	}
}

func TestCLIErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	src, err := os.ReadFile("testdata/counties/wuxing.yaml")
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(src), "  schools_total: 132", "  schools_total: 133", 1)
	broken = strings.Replace(broken, "  pupils_total: 91750", "  pupils_total: 九万", 1)
	if err := os.WriteFile(bad, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string // in stderr
	}{
		{"no command", []string{"frobnicate"}, 2, "未知的子命令"},
		{"no data", []string{"score"}, 2, "--data FILE|DIR 或 --demo"},
		{"bad flag", []string{"score", "--demo", "--colour"}, 2, "colour"},
		{"bad format", []string{"score", "--demo", "--format", "xml"}, 2, "--format 应为 text 或 json"},
		{"missing file", []string{"score", "--data", filepath.Join(dir, "none.yaml")}, 1, "none.yaml"},
		{"bad value at its line", []string{"score", "--data", bad}, 1, "bad.yaml:19: 数据项 在校学生数（pupils_total）的值“九万”不是数字"},
		{"framework that fails lint is refused", []string{"score", "--demo", "--framework", "testdata/bad.yaml"}, 1, "框架未通过检查，不能使用"},
		{"whatif without framework", []string{"whatif", "--data", "testdata/counties"}, 2, "--framework NEW"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := runCLI(t, tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Errorf("lvzhi %s: exit %d, stderr %q; want exit %d and %q", strings.Join(tc.args, " "), code, errOut, tc.code, tc.want)
			}
		})
	}
	// The failed validation rule is reported once the value parses.
	fixed := strings.Replace(broken, "  pupils_total: 九万", "  pupils_total: 91750", 1)
	if err := os.WriteFile(bad, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCLI(t, "score", "--data", bad)
	if code != 1 || !strings.Contains(errOut, "各级各类学校数应等于小学、初中、幼儿园、成人文化技术学校数之和（校验规则 V01") {
		t.Errorf("validation failure: exit %d, stderr %s", code, errOut)
	}
}
