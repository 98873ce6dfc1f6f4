package workflow

import (
	"slices"
	"strings"
	"time"
)

// Action is something done to one county's submission.
type Action string

// The submission actions. Save, CityScore and VerifyScore leave the state
// as it is; the others move it.
const (
	ActionSave        Action = "save"         // 保存填报内容
	ActionSubmit      Action = "submit"       // 提交
	ActionReturn      Action = "return"       // 退回（须说明理由）
	ActionCityScore   Action = "city_score"   // 市级审核评分
	ActionCityReview  Action = "city_review"  // 市级审核通过
	ActionVerifyScore Action = "verify_score" // 省级核查评分
	ActionVerify      Action = "verify"       // 省级核查通过
	ActionFinalize    Action = "finalize"     // 结果认定
)

// Actions lists every submission action in workflow order.
var Actions = []Action{ActionSave, ActionSubmit, ActionReturn, ActionCityScore, ActionCityReview, ActionVerifyScore, ActionVerify, ActionFinalize}

var actionLabels = map[Action]string{
	ActionSave:        "保存填报内容",
	ActionSubmit:      "提交",
	ActionReturn:      "退回",
	ActionCityScore:   "市级审核评分",
	ActionCityReview:  "市级审核通过",
	ActionVerifyScore: "省级核查评分",
	ActionVerify:      "省级核查通过",
	ActionFinalize:    "认定结果",
}

// Label is the action's Chinese name.
func (a Action) Label() string { return label(actionLabels, a) }

// Rule is one row of the transition table: who may do an action to a
// submission in which states during which campaign stages, and the state
// that follows ("" keeps the state).
type Rule struct {
	Action Action
	Roles  []Role
	From   []State
	Stages []Stage
	To     State
	// CityReview is true for rules that exist only in campaigns with city
	// review.
	CityReview bool
}

// Table is the transition table. The county's filler and approver both
// edit; only the approver submits (the county government signs off its
// self-assessment). A city reviewer returns or passes a submitted
// submission during city review; the province admin returns or verifies
// during province verification (from submitted when the campaign has no
// city review, or for a county it returned and that resubmitted) and fixes
// the result in the results stage, where it may also correct a
// verification score after an objection. Experts score during verification
// but move nothing.
var Table = []Rule{
	{Action: ActionSave, Roles: []Role{RoleCountyFiller, RoleCountyApprover},
		From: []State{StateDraft}, Stages: []Stage{StageSelfAssessment}},
	{Action: ActionSave, Roles: []Role{RoleCountyFiller, RoleCountyApprover},
		From: []State{StateReturned}, Stages: []Stage{StageCityReview, StageProvinceVerification}},
	{Action: ActionSubmit, Roles: []Role{RoleCountyApprover},
		From: []State{StateDraft}, Stages: []Stage{StageSelfAssessment}, To: StateSubmitted},
	{Action: ActionSubmit, Roles: []Role{RoleCountyApprover},
		From: []State{StateReturned}, Stages: []Stage{StageCityReview, StageProvinceVerification}, To: StateSubmitted},
	{Action: ActionReturn, Roles: []Role{RoleCityReviewer},
		From: []State{StateSubmitted}, Stages: []Stage{StageCityReview}, To: StateReturned, CityReview: true},
	{Action: ActionReturn, Roles: []Role{RoleProvinceAdmin},
		From: []State{StateSubmitted, StateCityReviewed}, Stages: []Stage{StageProvinceVerification}, To: StateReturned},
	{Action: ActionCityScore, Roles: []Role{RoleCityReviewer},
		From: []State{StateSubmitted}, Stages: []Stage{StageCityReview}, CityReview: true},
	{Action: ActionCityReview, Roles: []Role{RoleCityReviewer},
		From: []State{StateSubmitted}, Stages: []Stage{StageCityReview}, To: StateCityReviewed, CityReview: true},
	{Action: ActionVerifyScore, Roles: []Role{RoleProvinceAdmin, RoleExpert},
		From: []State{StateSubmitted, StateCityReviewed}, Stages: []Stage{StageProvinceVerification}},
	{Action: ActionVerifyScore, Roles: []Role{RoleProvinceAdmin},
		From: []State{StateVerified}, Stages: []Stage{StageResults}},
	{Action: ActionVerify, Roles: []Role{RoleProvinceAdmin},
		From: []State{StateSubmitted, StateCityReviewed}, Stages: []Stage{StageProvinceVerification}, To: StateVerified},
	{Action: ActionFinalize, Roles: []Role{RoleProvinceAdmin},
		From: []State{StateVerified}, Stages: []Stage{StageResults}, To: StateFinal},
}

// countyActions are bound by the deadlines of the campaign's stages.
func countyAction(a Action) bool { return a == ActionSave || a == ActionSubmit }

// Request is one attempt to act on a submission.
type Request struct {
	Actor  Actor
	Action Action
	County string // the submission's county code
	State  State  // the submission's current state
	// Reason explains a return; required for ActionReturn.
	Reason string
	Now    time.Time
	// PendingObjections counts the county's undecided objections; a
	// result with one cannot be finalized.
	PendingObjections int
}

// Check decides a request against campaign c and returns the state the
// submission moves to (its current state for actions that do not move it).
// It refuses, in this order: an actor outside the county's region subtree
// or with an invalid role, and a role the action does not allow
// (eval.ErrForbidden); an unopened campaign, a stage or state the action
// does not fit, a city-review action in a campaign without city review
// (eval.ErrConflict); a county action after the current stage's deadline
// (eval.ErrForbidden); a return without a reason (eval.ErrInvalid); a
// finalization inside the objection window or with an objection pending
// (eval.ErrConflict).
func Check(c Campaign, r Request) (State, error) {
	if err := CheckScope(r.Actor, r.County); err != nil {
		return "", err
	}
	var roleOK, cityOnly bool
	for _, rule := range Table {
		if rule.Action == r.Action && slices.Contains(rule.Roles, r.Actor.Role) {
			roleOK = true
			cityOnly = cityOnly || rule.CityReview
		}
	}
	if !r.Action.valid() {
		return "", invalid("未知的操作“%s”", r.Action)
	}
	if !roleOK {
		return "", forbidden("%s不能%s（允许的角色: %s）", r.Actor.Role.Label(), r.Action.Label(), rolesFor(r.Action))
	}
	if !c.Opened {
		return "", conflict("%d 年度评价尚未启动", c.Year)
	}
	if cityOnly && !c.CityReview {
		return "", conflict("%d 年度评价不设市级审核，不能%s", c.Year, r.Action.Label())
	}
	var stageOK bool
	for _, rule := range Table {
		if rule.Action != r.Action || !slices.Contains(rule.Roles, r.Actor.Role) || !slices.Contains(rule.Stages, c.Stage) {
			continue
		}
		stageOK = true
		if !slices.Contains(rule.From, r.State) {
			continue
		}
		if countyAction(r.Action) {
			if d, ok := c.deadlineFor(); ok && r.Now.After(d) {
				return "", forbidden("“%s”阶段已于 %s 截止，不能再%s", c.Stage.Label(), ShowTime(d), r.Action.Label())
			}
		}
		if r.Action == ActionReturn && strings.TrimSpace(r.Reason) == "" {
			return "", invalid("退回必须说明理由")
		}
		if r.Action == ActionFinalize {
			if !c.ObjectionCloses.IsZero() && !r.Now.After(c.ObjectionCloses) {
				return "", conflict("异议期到 %s 才结束，之前不能认定结果", ShowTime(c.ObjectionCloses))
			}
			if r.PendingObjections > 0 {
				return "", conflict("%s 有 %d 项异议尚未处理，不能认定结果", r.County, r.PendingObjections)
			}
		}
		if rule.To == "" {
			return r.State, nil
		}
		return rule.To, nil
	}
	if !stageOK {
		return "", conflict("%d 年度评价当前处于“%s”阶段，%s不能%s", c.Year, c.Stage.Label(), r.Actor.Role.Label(), r.Action.Label())
	}
	return "", conflict("%s的填报当前为“%s”，在“%s”阶段不能%s", r.County, r.State.Label(), c.Stage.Label(), r.Action.Label())
}

func (a Action) valid() bool { _, ok := actionLabels[a]; return ok }

// rolesFor lists the roles any rule allows for a, in Roles order.
func rolesFor(a Action) string {
	var names []string
	for _, role := range Roles {
		for _, rule := range Table {
			if rule.Action == a && slices.Contains(rule.Roles, role) {
				names = append(names, role.Label())
				break
			}
		}
	}
	return strings.Join(names, "、")
}
