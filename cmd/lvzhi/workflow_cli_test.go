package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// runWith runs one command with the given environment and standard input.
func runWith(env map[string]string, stdin string, args ...string) (string, string, int) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut, func(k string) string { return env[k] })
	code := exitCode(err, &errOut)
	return out.String(), errOut.String(), code
}

func TestWorkflowCommandLine(t *testing.T) {
	env := map[string]string{envDB: filepath.Join(t.TempDir(), "x.db")}
	if _, e, code := runWith(env, "", "migrate"); code != 0 {
		t.Fatalf("migrate: %s", e)
	}
	tests := []struct {
		name, stdin string
		env         map[string]string
		args        []string
		code        int
		out, err    string
	}{
		{"password from stdin", "secret123\n", nil, []string{"user", "add", "--name", "admin", "--role", "province_admin", "--region", "33"}, 0, "已添加用户 admin", ""},
		{"no password", "", nil, []string{"user", "add", "--as", "admin", "--name", "b", "--role", "expert", "--region", "33"}, 2, "", "请在环境变量 LVZHI_PASSWORD 或标准输入中给出新用户的密码"},
		{"short password", "1234\n", nil, []string{"user", "add", "--as", "admin", "--name", "b", "--role", "expert", "--region", "33"}, 1, "", "密码至少需要 8 个字符"},
		{"user from env", "", map[string]string{envUser: "admin"}, []string{"user", "list"}, 0, "省级管理员", ""},
		{"no user", "", nil, []string{"campaign", "open", "--year", "2019"}, 1, "", "请用 --as 或 LVZHI_USER 指明操作用户"},
		{"unknown user", "", nil, []string{"campaign", "open", "--as", "nobody", "--year", "2019"}, 1, "", "用户 nobody 不存在"},
		{"no campaign", "", nil, []string{"campaign", "open", "--as", "admin", "--year", "2019"}, 1, "", "未找到: 没有 2019 年度的评价"},
		{"no year", "", nil, []string{"campaign", "show"}, 2, "", "请用 --year 给出评价年度"},
		{"bad deadline", "", nil, []string{"campaign", "create", "--as", "admin", "--year", "2019", "--participants", "33", "--deadline", "soon=2020-01-01"}, 2, "", "截止时间“soon=2020-01-01”应写作"},
		{"bad region", "", nil, []string{"campaign", "create", "--as", "admin", "--year", "2019", "--participants", "3x"}, 1, "", "区划代码“3x”只能由数字组成"},
		{"bad clock", "", map[string]string{envNow: "tomorrow"}, []string{"campaign", "show", "--year", "2019"}, 2, "", "LVZHI_NOW 应为 RFC 3339 时间"},
		{"unknown subcommand", "", nil, []string{"problems", "fix"}, 2, "", "未知的 problems 子命令“fix”"},
		{"results before publishing", "", nil, []string{"results", "--campaign", "2019"}, 1, "", "没有 2019 年度的评价"},
		{"bad format", "", nil, []string{"results", "--campaign", "2019", "--format", "xml"}, 2, "", "--format 应为 text、csv 或 json"},
		{"bad score", "", nil, []string{"review", "--as", "admin", "--campaign", "2019", "--county", "330502", "--point", "C2", "--score", "2.55"}, 2, "", "不是分数"},
		{"bad evidence flag", "", nil, []string{"submission", "save", "--as", "admin", "--campaign", "2019", "--data", "x.yaml", "--evidence", "C2"}, 2, "", "应写作 测评点=文件"},
		{"backup needs a file", "", nil, []string{"backup"}, 2, "", "用法: lvzhi backup"},
		{"audit", "", nil, []string{"audit", "verify"}, 0, "审计日志完好", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := map[string]string{envPassword: ""}
			for k, v := range env {
				e[k] = v
			}
			for k, v := range tt.env {
				e[k] = v
			}
			out, errOut, code := runWith(e, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errOut, tt.err) {
				t.Fatalf("lvzhi %s: exit %d\nstdout: %s\nstderr: %s\nwant exit %d, stdout with %q, stderr with %q",
					strings.Join(tt.args, " "), code, out, errOut, tt.code, tt.out, tt.err)
			}
			if strings.Contains(errOut, "store:") || strings.Contains(errOut, "auth:") || strings.Contains(errOut, ": forbidden") || strings.Contains(errOut, ": invalid input") {
				t.Errorf("stderr shows internal words: %s", errOut)
			}
		})
	}
}

// audit verify names each row edited, deleted or inserted behind lvzhi's
// back, and exits 1.
func TestAuditVerifyCLI(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.db")
	env := map[string]string{envDB: path, envPassword: "secret123"}
	for _, args := range [][]string{
		{"migrate"},
		{"user", "add", "--name", "admin", "--role", "province_admin", "--region", "33"},
		{"user", "add", "--as", "admin", "--name", "expert", "--role", "expert", "--region", "33"},
	} {
		if _, e, code := runWith(env, "", args...); code != 0 {
			t.Fatalf("%v: %s", args, e)
		}
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var last int64
	if err := db.QueryRow("SELECT max(seq) FROM audit_log").Scan(&last); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"DROP TRIGGER audit_log_no_update",
		"DROP TRIGGER audit_log_no_delete",
		"UPDATE audit_log SET actor = 'intruder' WHERE seq = 5",
		"DELETE FROM audit_log WHERE seq = 9",
		fmt.Sprintf("INSERT INTO audit_log (seq, at, actor, entity, entity_id, action, prev_hash, hash) SELECT %d, at, actor, entity, entity_id, action, hash, hash FROM audit_log WHERE seq = %d", last+1, last),
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	out, _, code := runWith(env, "", "audit", "verify")
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, want := range []string{"#5 被改动", "#9 被删除", fmt.Sprintf("#%d 被插入", last+1), "审计日志已被篡改: 3 处问题"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
