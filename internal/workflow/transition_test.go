package workflow

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"lvzhi/internal/eval"
)

// allowed is the transition table written out by hand, one line per
// allowed combination: action role from-state stage → to-state, with "city"
// at the end for lines that exist only in campaigns with city review and
// "both" for lines that exist in either kind. Every combination of action ×
// role × state × stage × city review not listed here must be refused.
const allowed = `
save county_filler draft self_assessment draft both
save county_approver draft self_assessment draft both
save county_filler returned city_review returned city
save county_approver returned city_review returned city
save county_filler returned province_verification returned both
save county_approver returned province_verification returned both
submit county_approver draft self_assessment submitted both
submit county_approver returned city_review submitted city
submit county_approver returned province_verification submitted both
return city_reviewer submitted city_review returned city
return province_admin submitted province_verification returned both
return province_admin city_reviewed province_verification returned both
city_score city_reviewer submitted city_review submitted city
city_review city_reviewer submitted city_review city_reviewed city
verify_score province_admin submitted province_verification submitted both
verify_score expert submitted province_verification submitted both
verify_score province_admin city_reviewed province_verification city_reviewed both
verify_score expert city_reviewed province_verification city_reviewed both
verify_score province_admin verified results verified both
verify province_admin submitted province_verification verified both
verify province_admin city_reviewed province_verification verified both
finalize province_admin verified results final both
`

// actorFor returns an actor of role whose scope contains 330502 (吴兴区).
func actorFor(role Role) Actor {
	switch role {
	case RoleProvinceAdmin, RoleExpert:
		return Actor{Name: "p", Role: role, Region: "33"}
	case RoleCityReviewer:
		return Actor{Name: "c", Role: role, Region: "3305"}
	}
	return Actor{Name: "x", Role: role, Region: "330502"}
}

// foreignActor returns an actor of role scoped to a region that does not
// contain 330502: another province, another city, another county.
func foreignActors(role Role) []Actor {
	switch role {
	case RoleProvinceAdmin, RoleExpert:
		return []Actor{{Name: "p", Role: role, Region: "32"}}
	case RoleCityReviewer:
		return []Actor{{Name: "c", Role: role, Region: "3301"}, {Name: "c", Role: role, Region: "3205"}}
	}
	return []Actor{{Name: "x", Role: role, Region: "330503"}, {Name: "x", Role: role, Region: "330102"}}
}

func TestTransitionTable(t *testing.T) {
	want := map[string]State{}
	for _, line := range strings.Split(strings.TrimSpace(allowed), "\n") {
		f := strings.Fields(line)
		for _, city := range []bool{true, false} {
			if f[5] == "city" && !city {
				continue
			}
			want[fmt.Sprintf("%s %s %s %s %v", f[0], f[1], f[2], f[3], city)] = State(f[4])
		}
	}
	now := time.Date(2020, 8, 1, 0, 0, 0, 0, time.UTC)
	tested, ok := 0, 0
	for _, city := range []bool{true, false} {
		for _, stage := range Stages {
			if stage == StageCityReview && !city {
				continue // a campaign without city review never is in that stage
			}
			c := Campaign{Year: 2019, Region: "33", Stage: stage, Opened: true, CityReview: city}
			for _, a := range Actions {
				for _, role := range Roles {
					for _, from := range States {
						key := fmt.Sprintf("%s %s %s %s %v", a, role, from, stage, city)
						to, err := Check(c, Request{Actor: actorFor(role), Action: a, County: "330502", State: from, Reason: "理由", Now: now})
						tested++
						w, allow := want[key]
						if allow {
							ok++
							if err != nil || to != w {
								t.Errorf("%s: got %q, %v; want %q", key, to, err, w)
							}
							continue
						}
						if err == nil {
							t.Errorf("%s: allowed (→ %s), want refused", key, to)
							continue
						}
						var re *RefusedError
						if !errors.As(err, &re) || re.Reason == "" {
							t.Errorf("%s: error %T %v is not a RefusedError", key, err, err)
						}
						// A role the action never allows is forbidden;
						// anything else is the state or the stage.
						kind := eval.ErrConflict
						if !strings.Contains(rolesFor(a), role.Label()) {
							kind = eval.ErrForbidden
						}
						if !errors.Is(err, kind) {
							t.Errorf("%s: error %v, want kind %v", key, err, kind)
						}
					}
				}
			}
		}
	}
	// 11 stages (6 with city review, 5 without) × 8 actions × 5 roles × 6 states.
	if tested != 11*8*5*6 {
		t.Errorf("tested %d combinations", tested)
	}
	// Each line counts once or twice (both kinds of campaign).
	if ok != len(want) {
		t.Errorf("allowed %d combinations, the table lists %d", ok, len(want))
	}
}

func TestForeignRegionAlwaysRefused(t *testing.T) {
	now := time.Date(2020, 8, 1, 0, 0, 0, 0, time.UTC)
	for _, role := range Roles {
		for _, actor := range foreignActors(role) {
			for _, a := range Actions {
				for _, stage := range Stages {
					for _, from := range States {
						c := Campaign{Year: 2019, Region: "33", Stage: stage, Opened: true, CityReview: true}
						_, err := Check(c, Request{Actor: actor, Action: a, County: "330502", State: from, Reason: "理由", Now: now})
						if !errors.Is(err, eval.ErrForbidden) || !strings.Contains(err.Error(), "管辖范围") {
							t.Fatalf("%v %s %s %s: %v, want a scope refusal", actor, a, stage, from, err)
						}
					}
				}
			}
			// Campaign actions and problems too.
			for _, ca := range []CampaignAction{CampaignCreate, CampaignOpen, CampaignAdvance, CampaignSample, CampaignPublish, CampaignCarry} {
				c := Campaign{Year: 2019, Region: "3305", Stage: StageResults, Opened: ca != CampaignOpen}
				if role == RoleProvinceAdmin || role == RoleExpert {
					c.Region = "33"
				}
				if err := CheckCampaign(actor, ca, c); !errors.Is(err, eval.ErrForbidden) {
					t.Errorf("%v %s: %v", actor, ca, err)
				}
			}
			for _, move := range problemMoves {
				if err := CheckProblemMove(actor, "330502", move.From, move.To, "说明"); !errors.Is(err, eval.ErrForbidden) {
					t.Errorf("%v problem %s→%s: %v", actor, move.From, move.To, err)
				}
			}
			res := Campaign{Year: 2019, Region: "33", Stage: StageResults, Opened: true}
			if err := CheckObjection(res, actor, "330502", StateVerified, "理由", now); !errors.Is(err, eval.ErrForbidden) {
				t.Errorf("%v objection: %v", actor, err)
			}
			if err := CheckDecision(res, actor, "330502", ObjectionPending, ObjectionAccepted, "意见"); !errors.Is(err, eval.ErrForbidden) {
				t.Errorf("%v decision: %v", actor, err)
			}
		}
	}
}

func TestCheckDetails(t *testing.T) {
	deadline := time.Date(2020, 8, 31, 23, 59, 59, 0, Zone)
	base := Campaign{Year: 2019, Region: "33", Stage: StageSelfAssessment, Opened: true, CityReview: true,
		Deadlines: map[Stage]time.Time{StageSelfAssessment: deadline}}
	approver := actorFor(RoleCountyApprover)
	admin := actorFor(RoleProvinceAdmin)
	tests := []struct {
		name string
		c    func(Campaign) Campaign
		req  Request
		kind error
		text string
	}{
		{"before deadline", nil, Request{Actor: approver, Action: ActionSubmit, State: StateDraft, Now: deadline}, nil, ""},
		{"after deadline", nil, Request{Actor: approver, Action: ActionSubmit, State: StateDraft, Now: deadline.Add(time.Second)}, eval.ErrForbidden, "已于 2020-08-31 23:59 截止"},
		{"not opened", func(c Campaign) Campaign { c.Opened = false; return c },
			Request{Actor: approver, Action: ActionSave, State: StateDraft}, eval.ErrConflict, "尚未启动"},
		{"return without reason", func(c Campaign) Campaign { c.Stage = StageProvinceVerification; return c },
			Request{Actor: admin, Action: ActionReturn, State: StateSubmitted, Reason: "  "}, eval.ErrInvalid, "退回必须说明理由"},
		{"city review without city", func(c Campaign) Campaign { c.CityReview = false; c.Stage = StageProvinceVerification; return c },
			Request{Actor: actorFor(RoleCityReviewer), Action: ActionCityReview, State: StateSubmitted}, eval.ErrConflict, "不设市级审核"},
		{"filler cannot submit", nil, Request{Actor: actorFor(RoleCountyFiller), Action: ActionSubmit, State: StateDraft}, eval.ErrForbidden, "县级填报员不能提交（允许的角色: 县级审批人）"},
		{"edit submitted", nil, Request{Actor: approver, Action: ActionSave, State: StateSubmitted}, eval.ErrConflict, "当前为“已提交”"},
		{"bad role", nil, Request{Actor: Actor{Name: "z", Role: "boss", Region: "33"}, Action: ActionSave, State: StateDraft}, eval.ErrForbidden, "角色“boss”无效"},
		{"unknown action", nil, Request{Actor: approver, Action: "delete", State: StateDraft}, eval.ErrInvalid, "未知的操作"},
		{"finalize in window", func(c Campaign) Campaign {
			c.Stage, c.ObjectionCloses = StageResults, deadline
			return c
		}, Request{Actor: admin, Action: ActionFinalize, State: StateVerified, Now: deadline}, eval.ErrConflict, "异议期到"},
		{"finalize after window", func(c Campaign) Campaign {
			c.Stage, c.ObjectionCloses = StageResults, deadline
			return c
		}, Request{Actor: admin, Action: ActionFinalize, State: StateVerified, Now: deadline.Add(time.Second)}, nil, ""},
		{"finalize with objection", func(c Campaign) Campaign { c.Stage = StageResults; return c },
			Request{Actor: admin, Action: ActionFinalize, State: StateVerified, PendingObjections: 1}, eval.ErrConflict, "1 项异议尚未处理"},
		{"reviewer ignores deadline", func(c Campaign) Campaign {
			c.Stage, c.Deadlines = StageCityReview, map[Stage]time.Time{StageCityReview: deadline}
			return c
		}, Request{Actor: actorFor(RoleCityReviewer), Action: ActionCityReview, State: StateSubmitted, Now: deadline.Add(time.Hour)}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base
			if tt.c != nil {
				c = tt.c(c)
			}
			tt.req.County = "330502"
			_, err := Check(c, tt.req)
			if tt.kind == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errors.Is(err, tt.kind) || !strings.Contains(fmt.Sprint(err), tt.text) {
				t.Fatalf("got %v, want %v containing %q", err, tt.kind, tt.text)
			}
		})
	}
}
