package workflow

import (
	"errors"
	"strings"
	"testing"
	"time"

	"lvzhi/internal/eval"
	"lvzhi/internal/framework"
)

func TestProblemsFromOutcome(t *testing.T) {
	fw, self := mustWuxing(t)
	o, err := Decide(fw, self, nil, map[string]ReviewScore{"E5": {pts("4"), "家长满意度样本不足"}})
	if err != nil {
		t.Fatal(err)
	}
	due := time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC)
	ps := Problems("330502", o, due)
	var got []string
	for _, p := range ps {
		got = append(got, p.Point)
		if p.County != "330502" || !p.Deadline.Equal(due) {
			t.Errorf("problem %+v", p)
		}
	}
	if strings.Join(got, " ") != "C2 C3 E5" {
		t.Fatalf("problems for %v, want C2 C3 E5", got)
	}
	if !strings.Contains(ps[0].Description, "C2 班额控制 失分 2 分（得 3 分，满分 5 分）：扣2分：大班额比例扣2分") {
		t.Errorf("C2: %s", ps[0].Description)
	}
	if ps[2].Finding != "家长满意度样本不足" || !strings.Contains(ps[2].Description, "省级核查意见：家长满意度样本不足") {
		t.Errorf("E5: %+v", ps[2])
	}
}

func TestCarry(t *testing.T) {
	due := time.Date(2021, 6, 30, 0, 0, 0, 0, time.UTC)
	old := []ProblemRecord{
		{ID: 1, County: "330502", Point: "C2", Description: "C2 班额", Status: ProblemOpen},
		{ID: 2, County: "330502", Point: "C3", Description: "C3 均衡", Status: ProblemVerified},
		{ID: 3, County: "330503", Point: "E5", Description: "E5", Status: ProblemDone},
		{ID: 4, County: "330502", Description: "（2018 年度遗留）旧问题", Status: ProblemInProgress},
	}
	got := Carry(old, 2019, due)
	if len(got) != 3 {
		t.Fatalf("carried %d, want 3 (all but the verified one)", len(got))
	}
	if got[0].CarriedFrom != 1 || got[0].Description != "（2019 年度遗留）C2 班额" || !got[0].Deadline.Equal(due) {
		t.Errorf("first: %+v", got[0])
	}
	if got[1].CarriedFrom != 4 || got[1].Description != "（2018 年度遗留）旧问题" {
		t.Errorf("second keeps its origin: %+v", got[1])
	}
	if got[2].County != "330503" {
		t.Errorf("order: %+v", got)
	}
}

func TestRectificationValues(t *testing.T) {
	fw := framework.Default()
	now := time.Date(2020, 9, 1, 0, 0, 0, 0, time.UTC)
	past, future := now.Add(-time.Hour), now.Add(time.Hour)
	last := []ProblemRecord{
		{Status: ProblemVerified, Deadline: &past},
		{Status: ProblemDone, Deadline: &past}, // done but not re-checked: not closed, not overdue
		{Status: ProblemOpen, Deadline: &past}, // overdue
		{Status: ProblemInProgress, Deadline: &future},
		{Status: ProblemOpen},
	}
	v := RectificationValues(fw, last, now)
	want := map[string]int64{ItemLastProblemsTotal: 5, ItemLastProblemsClosed: 1, ItemKeyProblemsOverdue: 1}
	for code, n := range want {
		if v[code] != framework.Number(framework.DecimalFromInt(n)) {
			t.Errorf("%s = %v, want %d", code, v[code], n)
		}
	}
	if len(v) != 3 {
		t.Errorf("values %v", v)
	}
}

func TestProblemMoves(t *testing.T) {
	type move struct{ from, to ProblemStatus }
	// Who may do each allowed move, written out.
	allowedBy := map[move][]Role{
		{ProblemOpen, ProblemInProgress}: {RoleCountyFiller, RoleCountyApprover},
		{ProblemOpen, ProblemDone}:       {RoleCountyFiller, RoleCountyApprover},
		{ProblemInProgress, ProblemDone}: {RoleCountyFiller, RoleCountyApprover},
		{ProblemDone, ProblemInProgress}: {RoleCountyApprover, RoleProvinceAdmin},
		{ProblemDone, ProblemVerified}:   {RoleProvinceAdmin, RoleExpert},
	}
	for _, role := range Roles {
		for _, from := range ProblemStatuses {
			for _, to := range ProblemStatuses {
				err := CheckProblemMove(actorFor(role), "330502", from, to, "已整改，见附件")
				roles, exists := allowedBy[move{from, to}]
				allowed := false
				for _, r := range roles {
					allowed = allowed || r == role
				}
				switch {
				case allowed && err != nil:
					t.Errorf("%s %s→%s refused: %v", role, from, to, err)
				case !allowed && err == nil:
					t.Errorf("%s %s→%s allowed", role, from, to)
				case !allowed && exists && !errors.Is(err, eval.ErrForbidden):
					t.Errorf("%s %s→%s: %v, want forbidden", role, from, to, err)
				case !exists && !errors.Is(err, eval.ErrConflict):
					t.Errorf("%s %s→%s: %v, want conflict", role, from, to, err)
				}
			}
		}
	}
	if err := CheckProblemMove(actorFor(RoleCountyFiller), "330502", ProblemOpen, ProblemDone, " "); !errors.Is(err, eval.ErrInvalid) {
		t.Errorf("done without a note: %v", err)
	}
	if err := CheckProblemMove(actorFor(RoleCountyFiller), "330502", ProblemOpen, "closed", "x"); !errors.Is(err, eval.ErrInvalid) {
		t.Errorf("unknown status: %v", err)
	}
}

func TestOverdue(t *testing.T) {
	now := time.Date(2020, 9, 1, 0, 0, 0, 0, time.UTC)
	past := now.Add(-time.Second)
	for _, tt := range []struct {
		p    ProblemRecord
		want bool
	}{
		{ProblemRecord{Status: ProblemOpen, Deadline: &past}, true},
		{ProblemRecord{Status: ProblemInProgress, Deadline: &past}, true},
		{ProblemRecord{Status: ProblemDone, Deadline: &past}, false},
		{ProblemRecord{Status: ProblemVerified, Deadline: &past}, false},
		{ProblemRecord{Status: ProblemOpen, Deadline: &now}, false},
		{ProblemRecord{Status: ProblemOpen}, false},
	} {
		if got := tt.p.Overdue(now); got != tt.want {
			t.Errorf("%+v: %v", tt.p, got)
		}
	}
}
