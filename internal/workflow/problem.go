package workflow

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"lvzhi/internal/framework"
)

// ProblemDraft is a rectification problem (整改问题) to be recorded for a
// county.
type ProblemDraft struct {
	County string
	// Point is the evaluation point the problem comes from ("" for a
	// downgrade or a carried problem without one).
	Point string
	// Finding is the reviewer's comment the problem rests on, if any.
	Finding     string
	Description string
	Deadline    time.Time
	// CarriedFrom is the id of last year's problem this one continues (0
	// for a new problem).
	CarriedFrom int64
}

// Problems lists the problems a county's outcome reveals, in framework
// order: one per point that lost marks (with the engine's reason and the
// reviewer's comment), and one per downgrade. Each is due at deadline.
func Problems(county string, o *Outcome, deadline time.Time) []ProblemDraft {
	var out []ProblemDraft
	for _, p := range o.Points {
		lost := p.Max - p.Final
		if lost <= 0 {
			continue
		}
		var why []string
		if p.Comment != "" {
			why = append(why, p.Level.Label()+"意见："+p.Comment)
		}
		if p.Reason != "" && p.Final == p.Self {
			why = append(why, p.Reason)
		}
		desc := fmt.Sprintf("%s %s 失分 %s 分（得 %s 分，满分 %s 分）", p.Code, p.Name, lost, p.Final, p.Max)
		if len(why) > 0 {
			desc += "：" + strings.Join(why, "；")
		}
		out = append(out, ProblemDraft{County: county, Point: p.Code, Finding: p.Comment, Description: desc, Deadline: deadline})
	}
	for _, d := range o.Downgrades {
		out = append(out, ProblemDraft{County: county, Description: fmt.Sprintf("等级调整（%s → %s）：%s", d.From, d.To, d.Reason), Deadline: deadline})
	}
	return out
}

// ProblemRecord is a stored problem as the rules see it.
type ProblemRecord struct {
	ID          int64
	County      string
	Point       string
	Description string
	Status      ProblemStatus
	Deadline    *time.Time
}

// Overdue reports whether the problem is past its deadline and not done.
func (p ProblemRecord) Overdue(now time.Time) bool {
	return p.Deadline != nil && now.After(*p.Deadline) && p.Status != ProblemDone && p.Status != ProblemVerified
}

// Carry returns next year's problems for last year's problems that are not
// closed (not verified by a re-check): each continues as a new open problem
// linked to the old one, due at deadline. Closed problems stay behind.
func Carry(problems []ProblemRecord, fromYear int, deadline time.Time) []ProblemDraft {
	var out []ProblemDraft
	for _, p := range problems {
		if p.Status.Closed() {
			continue
		}
		desc := p.Description
		if !strings.HasPrefix(desc, "（") {
			desc = fmt.Sprintf("（%d 年度遗留）%s", fromYear, desc)
		}
		out = append(out, ProblemDraft{County: p.County, Point: p.Point, Description: desc, Deadline: deadline, CarriedFrom: p.ID})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].County < out[j].County })
	return out
}

// The data items of the default framework that the rectification point (A4
// 上一轮问题整改) reads. When a framework has them, lvzhi fills them from
// the problems carried into the campaign instead of letting the county type
// them.
const (
	ItemLastProblemsTotal  = "last_problems_total"  // 上一轮评价反馈问题数
	ItemLastProblemsClosed = "last_problems_closed" // 上一轮问题已整改销号数
	ItemKeyProblemsOverdue = "key_problems_overdue" // 逾期未整改的重点问题数
)

// RectificationValues computes the rectification items from the problems
// of last year's campaign for one county (all of them, closed or not):
// their number, how many were closed by a re-check, and how many are
// overdue at now. Every overdue problem counts as a key problem (lvzhi does
// not yet mark key problems). Items the framework lacks are left out.
func RectificationValues(fw *framework.Framework, last []ProblemRecord, now time.Time) map[string]framework.Value {
	var total, closed, overdue int64
	for _, p := range last {
		total++
		if p.Status.Closed() {
			closed++
		}
		if p.Overdue(now) {
			overdue++
		}
	}
	out := map[string]framework.Value{}
	for code, n := range map[string]int64{ItemLastProblemsTotal: total, ItemLastProblemsClosed: closed, ItemKeyProblemsOverdue: overdue} {
		if fw.Item(code) != nil {
			out[code] = framework.Number(framework.DecimalFromInt(n))
		}
	}
	return out
}

// problemMoves lists who may move a problem from one status to another:
// the county works on it (open → in_progress → done, or back to
// in_progress), and the province re-checks it (done → verified, or back to
// in_progress when the re-check fails).
var problemMoves = []struct {
	From, To ProblemStatus
	Roles    []Role
}{
	{ProblemOpen, ProblemInProgress, []Role{RoleCountyFiller, RoleCountyApprover}},
	{ProblemOpen, ProblemDone, []Role{RoleCountyFiller, RoleCountyApprover}},
	{ProblemInProgress, ProblemDone, []Role{RoleCountyFiller, RoleCountyApprover}},
	{ProblemDone, ProblemInProgress, []Role{RoleCountyApprover, RoleProvinceAdmin}},
	{ProblemDone, ProblemVerified, []Role{RoleProvinceAdmin, RoleExpert}},
}

// CheckProblemMove checks that actor may move a problem of county from one
// status to another. Moving to done needs a completion note (with
// evidence); a failed re-check (done → in_progress by the province) needs a
// re-check note.
func CheckProblemMove(a Actor, county string, from, to ProblemStatus, note string) error {
	if err := CheckScope(a, county); err != nil {
		return err
	}
	if !to.Valid() {
		return invalid("整改状态“%s”无效，应为 open、in_progress、done、verified 之一", to)
	}
	for _, m := range problemMoves {
		if m.From != from || m.To != to {
			continue
		}
		if !slices.Contains(m.Roles, a.Role) {
			return forbidden("%s不能把整改问题从“%s”改为“%s”", a.Role.Label(), from.Label(), to.Label())
		}
		if (to == ProblemDone || (from == ProblemDone && to == ProblemInProgress)) && strings.TrimSpace(note) == "" {
			return invalid("把整改问题改为“%s”须填写说明", to.Label())
		}
		return nil
	}
	return conflict("整改问题当前为“%s”，不能改为“%s”", from.Label(), to.Label())
}
