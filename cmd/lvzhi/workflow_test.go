package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"lvzhi/internal/app"
	"lvzhi/internal/auth"
	"lvzhi/internal/demo"
	"lvzhi/internal/store/storetest"
)

// auditHash is the audit chain's head hash, which changes from run to run
// (password hashes have random salts, and their fingerprints are audited).
var auditHash = regexp.MustCompile(`哈希 [0-9a-f]{64}`)

func init() {
	// Cheap hashes: the tests check the flow, not argon2id's cost.
	app.PasswordParams = auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
}

// session runs lvzhi commands against one database with a settable
// environment and keeps a transcript of every command and its output.
type session struct {
	t     *testing.T
	env   map[string]string
	dir   string
	trans strings.Builder
}

func newSession(t *testing.T, dsn string) *session {
	dir := t.TempDir()
	if dsn == "" {
		dsn = filepath.Join(dir, "lvzhi.db")
	}
	return &session{t: t, dir: dir, env: map[string]string{envDB: dsn, envPassword: "secret123", envNow: "2020-07-01T09:00:00+08:00"}}
}

// run runs one command, records it, and checks its exit status.
func (s *session) run(wantCode int, args ...string) string {
	s.t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &out, &errOut, func(k string) string { return s.env[k] })
	code := exitCode(err, &errOut)
	shown := strings.ReplaceAll(strings.Join(args, " "), s.dir, "$DIR")
	s.trans.WriteString("$ lvzhi " + shown + "\n")
	s.trans.WriteString(auditHash.ReplaceAllString(strings.ReplaceAll(out.String(), s.dir, "$DIR"), "哈希 …"))
	if errOut.Len() > 0 {
		s.trans.WriteString(strings.ReplaceAll(errOut.String(), s.dir, "$DIR"))
	}
	if code != 0 {
		s.trans.WriteString("(exit " + itoa(code) + ")\n")
	}
	if code != wantCode {
		s.t.Fatalf("lvzhi %s: exit %d, want %d\nstdout: %s\nstderr: %s", shown, code, wantCode, out.String(), errOut.String())
	}
	return out.String()
}

// at sets the clock for the following commands.
func (s *session) at(rfc3339 string) {
	s.env[envNow] = rfc3339
	s.trans.WriteString("# LVZHI_NOW=" + rfc3339 + "\n")
}

func (s *session) write(name string, data []byte) string {
	s.t.Helper()
	p := filepath.Join(s.dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		s.t.Fatal(err)
	}
	return p
}

// scenario is the "done when": a 2019 campaign with Zhejiang's
// counties; the demo district submits, is returned, resubmits, is verified;
// results are published with ranks; its problem list is carried into 2020.
// Two other Huzhou counties (test data) take part so that ranks mean
// something; refusals along the way must change nothing.
func scenario(s *session, sqlite bool) {
	wuxing := s.write("wuxing-2019.yaml", demo.WuxingSource())
	report := s.write("wuxing-report.txt", []byte("# 总体情况\n吴兴区2019年度自评得分98.5分，等级为A等。\n# 满意度调查\n共回收问卷1,200份。\n"))
	evidence := s.write("survey.pdf", []byte("%PDF-1.4 满意度调查样本清单"))

	s.run(0, "migrate")
	s.run(0, "user", "add", "--name", "admin", "--role", "province_admin", "--region", "33", "--display", "省教育督导室")
	for _, u := range [][]string{
		{"huzhou", "city_reviewer", "3305"}, {"expert", "expert", "33"},
		{"wx-filler", "county_filler", "330502"}, {"wx-approver", "county_approver", "330502"},
		{"nx-approver", "county_approver", "330503"}, {"dq-approver", "county_approver", "330521"},
	} {
		s.run(0, "user", "add", "--as", "admin", "--name", u[0], "--role", u[1], "--region", u[2])
	}
	s.run(1, "user", "add", "--as", "wx-filler", "--name", "x", "--role", "expert", "--region", "33")
	s.run(1, "user", "add", "--as", "admin", "--name", "y", "--role", "county_filler", "--region", "3305")
	s.run(0, "user", "list", "--as", "admin")
	s.run(0, "region", "list", "--under", "3305")

	// The 2019 campaign: every Zhejiang county, with city review.
	s.run(1, "campaign", "create", "--as", "huzhou", "--year", "2019", "--participants", "33")
	s.run(0, "campaign", "create", "--as", "admin", "--year", "2019", "--participants", "33", "--city-review",
		"--deadline", "self_assessment=2020-08-31", "--deadline", "results=2020-11-07")
	s.run(1, "submission", "save", "--as", "wx-filler", "--campaign", "2019", "--data", wuxing)
	s.run(0, "campaign", "open", "--as", "admin", "--year", "2019")

	// Self-assessment: 吴兴区 fills in; only its approver may submit.
	s.run(0, "submission", "save", "--as", "wx-filler", "--campaign", "2019", "--data", wuxing, "--narrative", report,
		"--evidence", "E5="+evidence, "--evidence", "P1="+evidence)
	s.run(1, "submission", "save", "--as", "wx-filler", "--campaign", "2019", "--data", wuxing, "--evidence", "Z9="+evidence)
	s.run(1, "submission", "save", "--as", "nx-approver", "--campaign", "2019", "--county", "330502", "--data", wuxing)
	s.run(1, "submission", "submit", "--as", "wx-filler", "--campaign", "2019", "--county", "330502")
	s.run(0, "submission", "submit", "--as", "wx-approver", "--campaign", "2019", "--county", "330502")
	s.run(1, "submission", "save", "--as", "wx-filler", "--campaign", "2019", "--data", wuxing)
	for _, c := range [][]string{{"nx-approver", "nanxun-2019.yaml", "330503"}, {"dq-approver", "deqing-2019.yaml", "330521"}} {
		s.run(0, "submission", "save", "--as", c[0], "--campaign", "2019", "--data", filepath.Join("testdata", "workflow", c[1]))
		s.run(0, "submission", "submit", "--as", c[0], "--campaign", "2019", "--county", c[2])
	}
	s.run(1, "campaign", "advance", "--as", "admin", "--year", "2019")
	s.run(0, "campaign", "advance", "--as", "admin", "--year", "2019", "--force")
	s.run(0, "submission", "list", "--campaign", "2019", "--state", "submitted")

	// City review: Huzhou lowers C2 and returns 吴兴区 with a reason.
	s.run(0, "review", "--as", "huzhou", "--campaign", "2019", "--county", "330502", "--point", "C2", "--score", "2", "--comment", "大班额比例核实为2.6%")
	s.run(1, "submission", "return", "--as", "huzhou", "--campaign", "2019", "--county", "330502")
	s.run(1, "submission", "return", "--as", "nx-approver", "--campaign", "2019", "--county", "330502", "--reason", "x")
	s.run(0, "submission", "return", "--as", "huzhou", "--campaign", "2019", "--county", "330502", "--reason", "请补充满意度调查样本说明")
	s.run(0, "submission", "show", "--as", "wx-filler", "--campaign", "2019", "--county", "330502")

	// 吴兴区 resubmits; the city passes all three.
	s.run(0, "submission", "save", "--as", "wx-filler", "--campaign", "2019", "--data", wuxing, "--narrative", report)
	s.run(0, "submission", "submit", "--as", "wx-approver", "--campaign", "2019", "--county", "330502")
	for _, c := range []string{"330502", "330503", "330521"} {
		s.run(0, "submission", "city-review", "--as", "huzhou", "--campaign", "2019", "--county", c)
	}
	s.run(0, "campaign", "advance", "--as", "admin", "--year", "2019")

	// Province verification: sample, on-site score, verification.
	s.run(1, "sample", "--as", "expert", "--campaign", "2019", "--n", "2", "--seed", "7")
	s.run(0, "sample", "--as", "admin", "--campaign", "2019", "--n", "2", "--seed", "7")
	s.run(1, "sample", "--as", "admin", "--campaign", "2019", "--n", "2", "--seed", "8")
	s.run(0, "sample", "--campaign", "2019")
	s.run(0, "review", "--as", "expert", "--campaign", "2019", "--county", "330502", "--point", "C2", "--score", "3", "--comment", "现场核实大班额比例为2.33%，与自评一致")
	s.run(1, "submission", "verify", "--as", "expert", "--campaign", "2019", "--county", "330502")
	for _, c := range []string{"330502", "330503", "330521"} {
		s.run(0, "submission", "verify", "--as", "admin", "--campaign", "2019", "--county", c)
	}
	s.run(0, "campaign", "advance", "--as", "admin", "--year", "2019")
	s.run(1, "results", "--as", "wx-approver", "--campaign", "2019")
	s.run(0, "results", "--as", "admin", "--campaign", "2019")

	// An objection inside the window, rejected with reasons.
	s.run(0, "objection", "file", "--as", "wx-approver", "--campaign", "2019", "--county", "330502", "--point", "E5",
		"--reason", "满意度应按补充样本计算", "--evidence", evidence)
	s.run(1, "submission", "finalize", "--as", "admin", "--campaign", "2019", "--county", "330502")
	s.run(0, "objection", "decide", "--as", "admin", "--id", "1", "--reject", "--decision", "样本量已达要求，维持原评分")
	// 南浔区's objection is accepted and its E5 score corrected.
	s.run(0, "objection", "file", "--as", "nx-approver", "--campaign", "2019", "--county", "330503", "--point", "E5", "--reason", "满意度调查漏计家长问卷")
	s.run(1, "review", "--as", "expert", "--campaign", "2019", "--county", "330503", "--point", "E5", "--score", "5", "--comment", "x")
	s.run(0, "objection", "decide", "--as", "admin", "--id", "2", "--accept", "--decision", "补计家长问卷后满意度85.6%")
	s.run(0, "review", "--as", "admin", "--campaign", "2019", "--county", "330503", "--point", "E5", "--score", "5", "--comment", "按异议补计问卷，满意度85.6%")
	s.run(0, "objection", "list", "--as", "admin", "--campaign", "2019")
	s.run(0, "campaign", "show", "--year", "2019")
	s.at("2020-11-08T09:00:00+08:00")
	s.run(1, "objection", "file", "--as", "nx-approver", "--campaign", "2019", "--county", "330503", "--reason", "逾期提出")
	for _, c := range []string{"330502", "330503", "330521"} {
		s.run(0, "submission", "finalize", "--as", "admin", "--campaign", "2019", "--county", c)
	}

	// Publish: a frozen snapshot with ranks, and problem lists.
	s.run(0, "publish", "--as", "admin", "--campaign", "2019")
	s.run(1, "publish", "--as", "admin", "--campaign", "2019")
	s.run(0, "results", "--campaign", "2019")
	s.run(0, "results", "--campaign", "2019", "--format", "csv")
	s.run(0, "problems", "list", "--as", "wx-filler", "--campaign", "2019")

	// Rectification: one problem fixed and re-checked, the other overdue.
	s.run(1, "problems", "update", "--as", "nx-approver", "--id", "2", "--status", "done", "--note", "x")
	s.run(0, "problems", "update", "--as", "wx-filler", "--id", "2", "--status", "done", "--note", "新建初中一所，校际差异系数降至0.43", "--owner", "区教育局")
	s.run(1, "problems", "update", "--as", "wx-filler", "--id", "2", "--status", "verified", "--note", "x")
	s.run(0, "problems", "update", "--as", "expert", "--id", "2", "--status", "verified", "--note", "复核属实")
	s.at("2021-06-01T09:00:00+08:00")
	s.run(0, "problems", "overdue", "--as", "admin", "--campaign", "2019")

	// 2020: the open problem is carried over and feeds A4.
	s.run(0, "campaign", "create", "--as", "admin", "--year", "2020", "--participants", "33")
	s.run(1, "problems", "carry", "--as", "huzhou", "--campaign", "2019", "--to", "2020")
	s.run(0, "problems", "carry", "--as", "admin", "--campaign", "2019", "--to", "2020")
	s.run(0, "campaign", "open", "--as", "admin", "--year", "2020")
	s.run(0, "problems", "list", "--as", "wx-filler", "--campaign", "2020")
	s.run(0, "submission", "save", "--as", "wx-filler", "--campaign", "2020", "--county", "330502", "--data", wuxing)
	s.run(0, "campaign", "show", "--year", "2020")

	// A renamed county comes in by import; a broken file is refused at its line.
	rename := s.write("rename.csv", []byte("code,name,parent\n330599,测试新区,3305\n"))
	broken := s.write("broken.csv", []byte("code,name,parent\n330598,甲区,3305\n330597,,3305\n32059x,乙区,3205\n"))
	s.run(1, "region", "import", "--as", "huzhou", rename)
	s.run(1, "region", "import", "--as", "admin", broken)
	s.run(0, "region", "import", "--as", "admin", rename)

	s.run(0, "audit", "verify")
	if sqlite {
		s.run(0, "backup", filepath.Join(s.dir, "backup.db"))
		s.run(1, "backup", filepath.Join(s.dir, "backup.db"))
	}
}

func TestWorkflowEndToEnd(t *testing.T) {
	s := newSession(t, "")
	scenario(s, true)
	golden(t, "workflow/scenario", s.trans.String())

	// The published figures, independently of the golden file.
	out := s.run(0, "results", "--campaign", "2019", "--format", "json")
	var doc resultsJSONDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if !doc.Published || len(doc.Results) != 3 || len(doc.NotSubmitted) != 87 {
		t.Fatalf("published %v, %d results, %d not submitted", doc.Published, len(doc.Results), len(doc.NotSubmitted))
	}
	for _, r := range doc.Results {
		if r.County == "330502" {
			if r.Total.String() != "98.5" || r.Grade != "A" || r.Rank != 3 || r.CityRank != 3 || r.Of != 3 {
				t.Errorf("吴兴区: %+v", r)
			}
		}
	}
	// The backup is a working database with the same results.
	b := newSession(t, filepath.Join(s.dir, "backup.db"))
	if got := b.run(0, "results", "--campaign", "2019", "--format", "json"); got != out {
		t.Errorf("backup's results differ:\n%s\nvs\n%s", got, out)
	}
}

// TestWorkflowEndToEndPostgres runs the same scenario on PostgreSQL and
// expects the same transcript, apart from the line naming the database.
func TestWorkflowEndToEndPostgres(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	pg := newSession(t, dsn)
	scenario(pg, false)
	lite := newSession(t, "")
	scenario(lite, false)
	strip := func(s string) string {
		var keep []string
		for _, line := range strings.Split(s, "\n") {
			if !strings.HasPrefix(line, "数据库 ") && !strings.HasPrefix(line, "审计日志完好") {
				keep = append(keep, line)
			}
		}
		return strings.Join(keep, "\n")
	}
	if a, b := strip(pg.trans.String()), strip(lite.trans.String()); a != b {
		t.Errorf("PostgreSQL transcript differs from SQLite's:\n%s", firstDiff(a, b))
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "line " + itoa(i+1) + ":\n  postgres: " + al[i] + "\n  sqlite:   " + bl[i]
		}
	}
	return "lengths differ"
}
