package workflow

import (
	"errors"
	"strings"
	"testing"
	"time"

	"lvzhi/internal/eval"
)

func TestStagesOf(t *testing.T) {
	with := Campaign{CityReview: true}.StagesOf()
	without := Campaign{}.StagesOf()
	if len(with) != 6 || len(without) != 5 || without[1] != StageProvinceVerification {
		t.Fatalf("with %v without %v", with, without)
	}
	c := Campaign{Stage: StageSelfAssessment}
	if next, _ := c.NextStage(); next != StageProvinceVerification {
		t.Errorf("without city review, after self-assessment comes %s", next)
	}
	c.CityReview = true
	if next, _ := c.NextStage(); next != StageCityReview {
		t.Errorf("with city review, after self-assessment comes %s", next)
	}
	c.Stage = StageRectification
	if _, ok := c.NextStage(); ok {
		t.Error("a stage after rectification")
	}
}

func TestCheckAdvance(t *testing.T) {
	admin := actorFor(RoleProvinceAdmin)
	tests := []struct {
		name   string
		stage  Stage
		city   bool
		states map[State]int
		objs   int
		force  bool
		want   Stage
		kind   error
		text   string
	}{
		{"all submitted", StageSelfAssessment, true, map[State]int{StateSubmitted: 90}, 0, false, StageCityReview, nil, ""},
		{"drafts left", StageSelfAssessment, true, map[State]int{StateSubmitted: 89, StateDraft: 1}, 0, false, "", eval.ErrConflict, "1 个县区“草稿”"},
		{"drafts forced", StageSelfAssessment, false, map[State]int{StateSubmitted: 1, StateDraft: 89}, 0, true, StageProvinceVerification, nil, ""},
		{"city review pending", StageCityReview, true, map[State]int{StateSubmitted: 2, StateReturned: 1, StateCityReviewed: 5, StateDraft: 3}, 0, false, "", eval.ErrConflict, "2 个县区“已提交”，1 个县区“已退回”"},
		{"city review done", StageCityReview, true, map[State]int{StateCityReviewed: 5, StateDraft: 3}, 0, false, StageProvinceVerification, nil, ""},
		{"verification pending", StageProvinceVerification, true, map[State]int{StateCityReviewed: 1, StateVerified: 4}, 0, false, "", eval.ErrConflict, "1 个县区“市级已审核”"},
		{"verification done", StageProvinceVerification, false, map[State]int{StateVerified: 5}, 0, false, StageResults, nil, ""},
		{"not all final", StageResults, false, map[State]int{StateVerified: 1, StateFinal: 4}, 0, false, "", eval.ErrConflict, "1 个县区“省级已核查”"},
		{"objection pending", StageResults, false, map[State]int{StateFinal: 5}, 1, false, "", eval.ErrConflict, "1 项异议未处理"},
		{"publish", StageResults, false, map[State]int{StateFinal: 5}, 0, false, StagePublished, nil, ""},
		{"to rectification", StagePublished, false, nil, 0, false, StageRectification, nil, ""},
		{"last stage", StageRectification, false, nil, 0, false, "", eval.ErrConflict, "最后"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Campaign{Year: 2019, Region: "33", Stage: tt.stage, Opened: true, CityReview: tt.city}
			got, err := CheckAdvance(admin, c, Progress{States: tt.states, PendingObjections: tt.objs}, tt.force)
			if tt.kind == nil {
				if err != nil || got != tt.want {
					t.Fatalf("got %s, %v; want %s", got, err, tt.want)
				}
				return
			}
			if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.text) {
				t.Fatalf("got %v, want %v with %q", err, tt.kind, tt.text)
			}
		})
	}
}

func TestCheckCampaign(t *testing.T) {
	open := Campaign{Year: 2019, Region: "33", Stage: StageSelfAssessment, Opened: true}
	tests := []struct {
		name  string
		actor Actor
		a     CampaignAction
		c     Campaign
		kind  error
	}{
		{"admin creates", actorFor(RoleProvinceAdmin), CampaignCreate, Campaign{Region: "33"}, nil},
		{"expert cannot", actorFor(RoleExpert), CampaignCreate, Campaign{Region: "33"}, eval.ErrForbidden},
		{"city reviewer cannot", Actor{Role: RoleCityReviewer, Region: "3305"}, CampaignOpen, Campaign{Region: "3305"}, eval.ErrForbidden},
		{"open twice", actorFor(RoleProvinceAdmin), CampaignOpen, open, eval.ErrConflict},
		{"advance unopened", actorFor(RoleProvinceAdmin), CampaignAdvance, Campaign{Region: "33"}, eval.ErrConflict},
		{"sample in self-assessment", actorFor(RoleProvinceAdmin), CampaignSample, open, nil},
		{"sample after results", actorFor(RoleProvinceAdmin), CampaignSample, Campaign{Region: "33", Opened: true, Stage: StageResults}, eval.ErrConflict},
		{"publish early", actorFor(RoleProvinceAdmin), CampaignPublish, open, eval.ErrConflict},
		{"carry before publish", actorFor(RoleProvinceAdmin), CampaignCarry, open, eval.ErrConflict},
		{"carry after publish", actorFor(RoleProvinceAdmin), CampaignCarry, Campaign{Region: "33", Opened: true, Stage: StagePublished}, nil},
	}
	for _, tt := range tests {
		err := CheckCampaign(tt.actor, tt.a, tt.c)
		if (tt.kind == nil) != (err == nil) || (tt.kind != nil && !errors.Is(err, tt.kind)) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.kind)
		}
	}
}

func TestParseDeadlines(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	d, err := ParseDeadlines([]string{"self_assessment=2020-08-31", " results = 2020-11-30"}, loc)
	if err != nil {
		t.Fatal(err)
	}
	if got := d[StageSelfAssessment].Format(time.RFC3339); got != "2020-08-31T23:59:59+08:00" {
		t.Errorf("self_assessment %s", got)
	}
	for _, bad := range []string{"x=2020-01-01", "results", "results=2020-13-01"} {
		if _, err := ParseDeadlines([]string{bad}, loc); !errors.Is(err, eval.ErrInvalid) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestUserScope(t *testing.T) {
	tests := []struct {
		role Role
		code string
		unit bool
		ok   bool
	}{
		{RoleProvinceAdmin, "33", false, true},
		{RoleProvinceAdmin, "3305", false, false},
		{RoleExpert, "33", false, true},
		{RoleCityReviewer, "3305", false, true},
		{RoleCityReviewer, "33", false, false},
		{RoleCountyFiller, "330502", true, true},
		{RoleCountyApprover, "4419", true, true}, // 东莞市 is a unit
		{RoleCountyApprover, "3305", false, false},
		{"boss", "33", false, false},
	}
	for _, tt := range tests {
		err := CheckUserScope(tt.role, tt.code, tt.unit)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, eval.ErrInvalid)) {
			t.Errorf("%s %s: %v", tt.role, tt.code, err)
		}
	}
}

func TestObjection(t *testing.T) {
	opens := time.Date(2020, 11, 1, 0, 0, 0, 0, time.UTC)
	closes := time.Date(2020, 11, 8, 0, 0, 0, 0, time.UTC)
	c := Campaign{Year: 2019, Region: "33", Stage: StageResults, Opened: true, ObjectionOpens: opens, ObjectionCloses: closes}
	inside := opens.Add(time.Hour)
	county := actorFor(RoleCountyApprover)
	tests := []struct {
		name   string
		c      Campaign
		a      Actor
		state  State
		reason string
		now    time.Time
		kind   error
	}{
		{"ok", c, county, StateVerified, "C2 班额数据有误", inside, nil},
		{"filler ok", c, actorFor(RoleCountyFiller), StateVerified, "理由", inside, nil},
		{"before window", c, county, StateVerified, "理由", opens.Add(-time.Second), eval.ErrForbidden},
		{"after window", c, county, StateVerified, "理由", closes.Add(time.Second), eval.ErrForbidden},
		{"admin cannot", c, actorFor(RoleProvinceAdmin), StateVerified, "理由", inside, eval.ErrForbidden},
		{"final", c, county, StateFinal, "理由", inside, eval.ErrConflict},
		{"no reason", c, county, StateVerified, "", inside, eval.ErrInvalid},
		{"wrong stage", Campaign{Year: 2019, Region: "33", Stage: StagePublished, Opened: true}, county, StateFinal, "理由", inside, eval.ErrConflict},
	}
	for _, tt := range tests {
		err := CheckObjection(tt.c, tt.a, "330502", tt.state, tt.reason, tt.now)
		if (tt.kind == nil) != (err == nil) || (tt.kind != nil && !errors.Is(err, tt.kind)) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.kind)
		}
	}
	admin := actorFor(RoleProvinceAdmin)
	decisions := []struct {
		name     string
		a        Actor
		status   ObjectionStatus
		to       ObjectionStatus
		decision string
		kind     error
	}{
		{"accept", admin, ObjectionPending, ObjectionAccepted, "核实后采纳", nil},
		{"reject", admin, ObjectionPending, ObjectionRejected, "证据不足", nil},
		{"twice", admin, ObjectionAccepted, ObjectionRejected, "x", eval.ErrConflict},
		{"to pending", admin, ObjectionPending, ObjectionPending, "x", eval.ErrInvalid},
		{"no text", admin, ObjectionPending, ObjectionAccepted, " ", eval.ErrInvalid},
		{"expert", actorFor(RoleExpert), ObjectionPending, ObjectionAccepted, "x", eval.ErrForbidden},
	}
	for _, tt := range decisions {
		err := CheckDecision(c, tt.a, "330502", tt.status, tt.to, tt.decision)
		if (tt.kind == nil) != (err == nil) || (tt.kind != nil && !errors.Is(err, tt.kind)) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.kind)
		}
	}
}

func TestRank(t *testing.T) {
	in := []Ranked{
		{County: "330502", Stratum: "3305", Total: pts("98.5")},
		{County: "330503", Stratum: "3305", Total: pts("99")},
		{County: "330521", Stratum: "3305", Total: pts("98.5")},
		{County: "330102", Stratum: "3301", Total: pts("97")},
		{County: "330105", Stratum: "3301", Total: pts("100")},
	}
	got := Rank(in)
	want := []struct {
		county         string
		rank, cityRank int
		of, cityOf     int
	}{
		{"330105", 1, 1, 5, 2},
		{"330503", 2, 1, 5, 3},
		{"330502", 3, 2, 5, 3},
		{"330521", 3, 2, 5, 3},
		{"330102", 5, 2, 5, 2},
	}
	for i, w := range want {
		g := got[i]
		if g.County != w.county || g.Rank != w.rank || g.StratumRank != w.cityRank || g.Of != w.of || g.StratumOf != w.cityOf {
			t.Errorf("%d: %+v, want %+v", i, g, w)
		}
	}
}

func FuzzParseDeadlines(f *testing.F) {
	f.Add("self_assessment=2020-08-31")
	f.Add("results= 2020-02-29")
	f.Add("x=y=z")
	f.Fuzz(func(t *testing.T, spec string) {
		d, err := ParseDeadlines([]string{spec}, Zone)
		if err != nil {
			if !errors.Is(err, eval.ErrInvalid) || d != nil {
				t.Fatalf("%q: %v %v", spec, d, err)
			}
			return
		}
		if len(d) != 1 {
			t.Fatalf("%q: %v", spec, d)
		}
		for st, at := range d {
			if !st.Valid() || at.In(Zone).Format("15:04:05") != "23:59:59" {
				t.Fatalf("%q: %s %v", spec, st, at)
			}
		}
	})
}
