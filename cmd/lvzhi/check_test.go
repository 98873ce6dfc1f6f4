package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckGolden(t *testing.T) {
	dir := filepath.Join("testdata", "check")
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"clean", []string{"check", "--text", filepath.Join(dir, "report-clean.txt")}, 0},
		{"errors", []string{"check", "--text", filepath.Join(dir, "report-errors.txt")}, 1},
		{"errors-json", []string{"check", "--text", filepath.Join(dir, "report-errors.txt"), "--json"}, 1},
		{"clean-json", []string{"check", "--json", "--text", filepath.Join(dir, "report-clean.txt")}, 0},
		{"data", []string{"check", "--text", filepath.Join(dir, "report-data.txt"), "--data", filepath.Join(dir, "county.yaml")}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, tc.args...)
			if code != tc.code {
				t.Fatalf("lvzhi %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(tc.args, " "), code, tc.code, out, errOut)
			}
			golden(t, filepath.Join("check", tc.name), out)
		})
	}
}

// TestCheckJSONShape checks the JSON keys the issue names, independently of
// the golden file.
func TestCheckJSONShape(t *testing.T) {
	out, _, code := runCLI(t, "check", "--json", "--text", filepath.Join("testdata", "check", "report-errors.txt"))
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	var r map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if len(r) != 2 || r["claims"] == nil || r["findings"] == nil {
		t.Fatalf("top-level keys = %v, want exactly claims and findings", keys(r))
	}
	var findings []map[string]any
	if err := json.Unmarshal(r["findings"], &findings); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, f := range findings {
		if len(f) != 6 {
			t.Errorf("finding has keys %v, want kind, severity, line, column, text, message", f)
		}
		for _, k := range []string{"kind", "severity", "line", "column", "text", "message"} {
			if _, ok := f[k]; !ok {
				t.Errorf("finding %v lacks %q", f, k)
			}
		}
		if s := f["severity"]; s != "error" && s != "warning" {
			t.Errorf("severity %v, want error or warning", s)
		}
		kinds[f["kind"].(string)] = true
	}
	for _, k := range []string{"contradiction", "sum_mismatch", "score_arithmetic", "average_bound", "per_capita_mismatch", "growth_mismatch"} {
		if !kinds[k] {
			t.Errorf("report-errors.txt gave no %s finding", k)
		}
	}
}

func keys(m map[string]json.RawMessage) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestCheckBadInput(t *testing.T) {
	tmp := t.TempDir()
	gbk := filepath.Join(tmp, "gbk.txt")
	// "学校132所" in GBK.
	if err := os.WriteFile(gbk, []byte("\xd1\xa7\xd0\xa3132\xcb\xf9\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(tmp, "empty.txt")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		code    int
		wantErr string
		wantOut string
	}{
		{"no text", []string{"check"}, 2, "请用 --text FILE", ""},
		{"missing file", []string{"check", "--text", filepath.Join(tmp, "none.txt")}, 1, "读取报告", ""},
		{"not utf-8", []string{"check", "--text", gbk}, 1, "不是 UTF-8 编码", ""},
		{"empty", []string{"check", "--text", empty}, 0, "", "共核对 0 个数字，未发现问题"},
		{"bad data", []string{"check", "--text", empty, "--data", filepath.Join("testdata", "check", "report-clean.txt")}, 1, "report-clean.txt", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, tc.args...)
			if code != tc.code {
				t.Fatalf("lvzhi %s: exit %d, want %d\nstderr: %s", strings.Join(tc.args, " "), code, tc.code, errOut)
			}
			if !strings.Contains(errOut, tc.wantErr) {
				t.Errorf("stderr = %q, want it to contain %q", errOut, tc.wantErr)
			}
			if !strings.Contains(out, tc.wantOut) {
				t.Errorf("stdout = %q, want it to contain %q", out, tc.wantOut)
			}
		})
	}
}

// TestCheckFramework checks with another framework: its grade bands decide
// the score sentence's grade.
func TestCheckFramework(t *testing.T) {
	text := filepath.Join(t.TempDir(), "score.txt")
	// 91 is an A under the default bands (A from 90).
	if err := os.WriteFile(text, []byte("我县24个测评点中20个得满分，4个测评点扣9分，自评总分91分，等级为A等。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := runCLI(t, "check", "--text", text); code != 0 {
		t.Fatalf("default framework: exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code := runCLI(t, "check", "--text", text, "--framework", filepath.Join("testdata", "check", "framework-a95.yaml"))
	t.Logf("A from 95:\n%s%s", out, errOut)
	if code != 1 || !strings.Contains(out, "等级不合") {
		t.Errorf("A from 95: exit %d, want 1 with a grade finding", code)
	}
}
