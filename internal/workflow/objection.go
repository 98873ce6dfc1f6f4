package workflow

import (
	"strings"
	"time"
)

// ObjectionStatus is where an objection (异议) stands.
type ObjectionStatus string

// The objection statuses.
const (
	ObjectionPending  ObjectionStatus = "pending"  // 待处理
	ObjectionAccepted ObjectionStatus = "accepted" // 采纳
	ObjectionRejected ObjectionStatus = "rejected" // 不予采纳
)

var objectionLabels = map[ObjectionStatus]string{
	ObjectionPending:  "待处理",
	ObjectionAccepted: "采纳",
	ObjectionRejected: "不予采纳",
}

// Label is the status's Chinese name.
func (s ObjectionStatus) Label() string { return label(objectionLabels, s) }

// Valid reports whether s is a known status.
func (s ObjectionStatus) Valid() bool { _, ok := objectionLabels[s]; return ok }

// CheckObjection checks that actor may file an objection for county at
// now: a county user of that county, while the campaign is in the results
// stage and inside its objection window, against a submission that is
// verified (provisional results) and not yet final. A reason is required.
func CheckObjection(c Campaign, a Actor, county string, state State, reason string, now time.Time) error {
	if err := CheckScope(a, county); err != nil {
		return err
	}
	if a.Role != RoleCountyFiller && a.Role != RoleCountyApprover {
		return forbidden("只有县级用户可以对本县结果提出异议，%s不能", a.Role.Label())
	}
	if c.Stage != StageResults {
		return conflict("%d 年度评价处于“%s”阶段，只有在“结果认定”阶段可以提出异议", c.Year, c.Stage.Label())
	}
	if !c.ObjectionOpens.IsZero() && now.Before(c.ObjectionOpens) {
		return forbidden("异议期自 %s 开始", ShowTime(c.ObjectionOpens))
	}
	if !c.ObjectionCloses.IsZero() && now.After(c.ObjectionCloses) {
		return forbidden("异议期已于 %s 结束", ShowTime(c.ObjectionCloses))
	}
	if state != StateVerified {
		return conflict("%s的填报为“%s”，只能对已核查、尚未认定的结果提出异议", county, state.Label())
	}
	if strings.TrimSpace(reason) == "" {
		return invalid("异议必须说明理由")
	}
	return nil
}

// CheckDecision checks that actor may decide an objection of county: a
// province admin, in the results stage, for a pending objection, with a
// written decision.
func CheckDecision(c Campaign, a Actor, county string, status ObjectionStatus, to ObjectionStatus, decision string) error {
	if err := CheckScope(a, county); err != nil {
		return err
	}
	if a.Role != RoleProvinceAdmin {
		return forbidden("只有省级管理员可以处理异议，%s不能", a.Role.Label())
	}
	if c.Stage != StageResults {
		return conflict("%d 年度评价处于“%s”阶段，只有在“结果认定”阶段可以处理异议", c.Year, c.Stage.Label())
	}
	if status != ObjectionPending {
		return conflict("该异议已处理（%s）", status.Label())
	}
	if to != ObjectionAccepted && to != ObjectionRejected {
		return invalid("异议处理结果应为 accepted（采纳）或 rejected（不予采纳）")
	}
	if strings.TrimSpace(decision) == "" {
		return invalid("处理异议必须写明处理意见")
	}
	return nil
}
