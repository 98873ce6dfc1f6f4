package workflow

// Role is what a user may do in the workflow. Every user has one role and is
// scoped to one region subtree (see Scope).
type Role string

// The roles of the evaluation.
const (
	// RoleProvinceAdmin runs campaigns, verifies and publishes (省级管理员).
	RoleProvinceAdmin Role = "province_admin"
	// RoleCityReviewer reviews the submissions of the counties of one city
	// (市级审核员).
	RoleCityReviewer Role = "city_reviewer"
	// RoleExpert scores points during province verification and on-site
	// checks (评审专家).
	RoleExpert Role = "expert"
	// RoleCountyFiller enters a county's data, self-scores and report
	// (县级填报员).
	RoleCountyFiller Role = "county_filler"
	// RoleCountyApprover checks the county's draft and submits it
	// (县级审批人).
	RoleCountyApprover Role = "county_approver"
)

// Roles lists every role, in order from the province down.
var Roles = []Role{RoleProvinceAdmin, RoleCityReviewer, RoleExpert, RoleCountyFiller, RoleCountyApprover}

var roleLabels = map[Role]string{
	RoleProvinceAdmin:  "省级管理员",
	RoleCityReviewer:   "市级审核员",
	RoleExpert:         "评审专家",
	RoleCountyFiller:   "县级填报员",
	RoleCountyApprover: "县级审批人",
}

// Label is the role's Chinese name; an unknown role shows its code.
func (r Role) Label() string { return label(roleLabels, r) }

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { _, ok := roleLabels[r]; return ok }

// State is where a county's submission stands.
type State string

// The submission states, in their usual order.
const (
	StateDraft        State = "draft"         // 草稿: the county is filling in
	StateSubmitted    State = "submitted"     // 已提交: waiting for review
	StateReturned     State = "returned"      // 已退回: sent back with a reason
	StateCityReviewed State = "city_reviewed" // 市级已审核
	StateVerified     State = "verified"      // 省级已核查
	StateFinal        State = "final"         // 已认定: the result is fixed
)

// States lists every state in workflow order.
var States = []State{StateDraft, StateSubmitted, StateReturned, StateCityReviewed, StateVerified, StateFinal}

var stateLabels = map[State]string{
	StateDraft:        "草稿",
	StateSubmitted:    "已提交",
	StateReturned:     "已退回",
	StateCityReviewed: "市级已审核",
	StateVerified:     "省级已核查",
	StateFinal:        "已认定",
}

// Label is the state's Chinese name.
func (s State) Label() string { return label(stateLabels, s) }

// Valid reports whether s is one of States.
func (s State) Valid() bool { _, ok := stateLabels[s]; return ok }

// Editable reports whether the county may change the submission's content
// in state s: only a draft or a returned submission can be edited.
func (s State) Editable() bool { return s == StateDraft || s == StateReturned }

// Stage is the phase a campaign (年度评价) is in. Stages only move forward.
type Stage string

// The campaign stages, in order. City review is skipped when the campaign
// has none.
const (
	StageSelfAssessment       Stage = "self_assessment"       // 自评
	StageCityReview           Stage = "city_review"           // 市级审核
	StageProvinceVerification Stage = "province_verification" // 省级核查
	StageResults              Stage = "results"               // 结果认定
	StagePublished            Stage = "published"             // 公布
	StageRectification        Stage = "rectification"         // 整改
)

// Stages lists every stage in order.
var Stages = []Stage{StageSelfAssessment, StageCityReview, StageProvinceVerification, StageResults, StagePublished, StageRectification}

var stageLabels = map[Stage]string{
	StageSelfAssessment:       "自评",
	StageCityReview:           "市级审核",
	StageProvinceVerification: "省级核查",
	StageResults:              "结果认定",
	StagePublished:            "公布",
	StageRectification:        "整改",
}

// Label is the stage's Chinese name.
func (s Stage) Label() string { return label(stageLabels, s) }

// Valid reports whether s is one of Stages.
func (s Stage) Valid() bool { _, ok := stageLabels[s]; return ok }

// ProblemStatus is where one rectification problem (整改问题) stands.
type ProblemStatus string

// The problem statuses, in order.
const (
	ProblemOpen       ProblemStatus = "open"        // 待整改
	ProblemInProgress ProblemStatus = "in_progress" // 整改中
	ProblemDone       ProblemStatus = "done"        // 已整改: the county says so
	ProblemVerified   ProblemStatus = "verified"    // 已复核: the re-check confirmed it
)

// ProblemStatuses lists every problem status in order.
var ProblemStatuses = []ProblemStatus{ProblemOpen, ProblemInProgress, ProblemDone, ProblemVerified}

var problemLabels = map[ProblemStatus]string{
	ProblemOpen:       "待整改",
	ProblemInProgress: "整改中",
	ProblemDone:       "已整改",
	ProblemVerified:   "已复核",
}

// Label is the status's Chinese name.
func (p ProblemStatus) Label() string { return label(problemLabels, p) }

// Valid reports whether p is one of ProblemStatuses.
func (p ProblemStatus) Valid() bool { _, ok := problemLabels[p]; return ok }

// Closed reports whether the problem needs no more work: only a verified
// problem is closed; a done one still waits for its re-check.
func (p ProblemStatus) Closed() bool { return p == ProblemVerified }

func label[K ~string](labels map[K]string, k K) string {
	if l, ok := labels[k]; ok {
		return l
	}
	return string(k)
}
