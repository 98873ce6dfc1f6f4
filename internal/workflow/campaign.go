package workflow

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Campaign is what the rules need to know about one year's evaluation
// (年度评价).
type Campaign struct {
	Year int
	// Region is the code of the region whose counties take part (a
	// province, "33"); the admins who run the campaign must be scoped to
	// it.
	Region string
	Stage  Stage
	// Opened is true once the campaign was opened: its framework version
	// is pinned and counties may fill in.
	Opened bool
	// CityReview is true when cities review their counties' submissions
	// before the province verifies them.
	CityReview bool
	// Deadlines are the last moments of stages, where set. They bind the
	// counties (saving, submitting, objecting), not the reviewers.
	Deadlines map[Stage]time.Time
	// ObjectionOpens and ObjectionCloses bound the objection window in the
	// results stage; a zero time leaves that side open.
	ObjectionOpens, ObjectionCloses time.Time
}

// StagesOf returns the stages the campaign passes through, in order: all of
// Stages, without city review when the campaign has none.
func (c Campaign) StagesOf() []Stage {
	var out []Stage
	for _, s := range Stages {
		if s == StageCityReview && !c.CityReview {
			continue
		}
		out = append(out, s)
	}
	return out
}

// NextStage returns the stage after the current one, or false in the last.
func (c Campaign) NextStage() (Stage, bool) {
	stages := c.StagesOf()
	for i, s := range stages {
		if s == c.Stage && i+1 < len(stages) {
			return stages[i+1], true
		}
	}
	return "", false
}

// StageIndex returns the position of s among Stages (not skipping city
// review), or -1.
func StageIndex(s Stage) int {
	for i, x := range Stages {
		if x == s {
			return i
		}
	}
	return -1
}

// CampaignAction is something only the province office does to a campaign.
type CampaignAction string

// The campaign actions.
const (
	CampaignCreate  CampaignAction = "create"  // 创建年度评价
	CampaignOpen    CampaignAction = "open"    // 启动（固定评价框架版本）
	CampaignAdvance CampaignAction = "advance" // 进入下一阶段
	CampaignSample  CampaignAction = "sample"  // 抽取实地核查县区
	CampaignPublish CampaignAction = "publish" // 公布结果
	CampaignCarry   CampaignAction = "carry"   // 问题转入下一年度
)

var campaignActionLabels = map[CampaignAction]string{
	CampaignCreate:  "创建年度评价",
	CampaignOpen:    "启动年度评价",
	CampaignAdvance: "推进评价阶段",
	CampaignSample:  "抽取实地核查县区",
	CampaignPublish: "公布评价结果",
	CampaignCarry:   "将整改问题转入下一年度",
}

// Label is the action's Chinese name.
func (a CampaignAction) Label() string { return label(campaignActionLabels, a) }

// CheckCampaign checks that actor may do a to campaign c: only a province
// admin whose region contains the campaign's region, and only in the stage
// the action belongs to (creating needs no stage; opening needs an unopened
// campaign; sampling happens before results; publishing goes through
// CheckAdvance; problems are carried from the published or rectification
// stage).
func CheckCampaign(actor Actor, a CampaignAction, c Campaign) error {
	if err := CheckScope(actor, c.Region); err != nil {
		return err
	}
	if actor.Role != RoleProvinceAdmin {
		return forbidden("只有省级管理员可以%s，%s不能", a.Label(), actor.Role.Label())
	}
	switch a {
	case CampaignCreate:
		return nil
	case CampaignOpen:
		if c.Opened {
			return conflict("%d 年度评价已经启动", c.Year)
		}
		return nil
	}
	if !c.Opened {
		return conflict("%d 年度评价尚未启动，不能%s", c.Year, a.Label())
	}
	switch a {
	case CampaignSample:
		if StageIndex(c.Stage) > StageIndex(StageProvinceVerification) {
			return conflict("%d 年度评价已处于“%s”阶段，不能再%s", c.Year, c.Stage.Label(), a.Label())
		}
	case CampaignPublish:
		if c.Stage != StageResults {
			return conflict("%d 年度评价处于“%s”阶段，只有在“结果认定”阶段才能%s", c.Year, c.Stage.Label(), a.Label())
		}
	case CampaignCarry:
		if c.Stage != StagePublished && c.Stage != StageRectification {
			return conflict("%d 年度评价结果尚未公布，不能%s", c.Year, a.Label())
		}
	}
	return nil
}

// Progress is how far a campaign's submissions have come, for deciding
// whether the campaign may move on.
type Progress struct {
	// States counts the participants' submissions by state; a participant
	// without a submission counts as a draft.
	States map[State]int
	// PendingObjections counts objections not yet decided.
	PendingObjections int
}

// CheckAdvance checks that actor may move campaign c to its next stage and
// returns that stage. Leaving a stage needs every submitted submission past
// it: leaving city review, none submitted or returned; leaving province
// verification, every one verified or final; leaving results (publishing),
// every one final and no objection pending. Leaving self-assessment needs no
// drafts, unless force is set: then the counties that never submitted stay
// drafts, can no longer submit and get no result that year (未提交). Drafts
// never block a later stage.
func CheckAdvance(actor Actor, c Campaign, p Progress, force bool) (Stage, error) {
	if err := CheckCampaign(actor, CampaignAdvance, c); err != nil {
		return "", err
	}
	next, ok := c.NextStage()
	if !ok {
		return "", conflict("%d 年度评价已处于最后的“%s”阶段", c.Year, c.Stage.Label())
	}
	var blocking []State
	switch c.Stage {
	case StageSelfAssessment:
		if !force {
			blocking = []State{StateDraft}
		}
	case StageCityReview:
		blocking = []State{StateSubmitted, StateReturned}
	case StageProvinceVerification:
		blocking = []State{StateSubmitted, StateReturned, StateCityReviewed}
	case StageResults:
		blocking = []State{StateSubmitted, StateReturned, StateCityReviewed, StateVerified}
	}
	var parts []string
	for _, s := range blocking {
		if n := p.States[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d 个县区“%s”", n, s.Label()))
		}
	}
	if c.Stage == StageResults && p.PendingObjections > 0 {
		parts = append(parts, fmt.Sprintf("%d 项异议未处理", p.PendingObjections))
	}
	if len(parts) > 0 {
		msg := fmt.Sprintf("%d 年度评价还不能从“%s”进入“%s”: %s", c.Year, c.Stage.Label(), next.Label(), strings.Join(parts, "，"))
		if c.Stage == StageSelfAssessment {
			msg += "（未提交的县区可用 --force 放弃本年度评价）"
		}
		return "", conflict("%s", msg)
	}
	return next, nil
}

// deadlineFor returns the deadline of the campaign's current stage, if set.
func (c Campaign) deadlineFor() (time.Time, bool) {
	d, ok := c.Deadlines[c.Stage]
	return d, ok && !d.IsZero()
}

// ParseDeadlines reads "stage=2006-01-02" pairs (a date means the end of
// that day in loc) into a deadline map; used by the CLI and tests.
func ParseDeadlines(specs []string, loc *time.Location) (map[Stage]time.Time, error) {
	out := map[Stage]time.Time{}
	for _, spec := range specs {
		k, v, ok := strings.Cut(spec, "=")
		st := Stage(strings.TrimSpace(k))
		if !ok || !st.Valid() {
			return nil, invalid("截止时间“%s”应写作 阶段=日期，阶段为 %s 之一", spec, stageList())
		}
		d, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(v), loc)
		if err != nil {
			return nil, invalid("截止时间“%s”的日期应写作 2006-01-02", spec)
		}
		out[st] = d.AddDate(0, 0, 1).Add(-time.Second)
	}
	return out, nil
}

func stageList() string {
	names := make([]string, len(Stages))
	for i, s := range Stages {
		names[i] = string(s)
	}
	sort.Strings(names)
	return strings.Join(names, "、")
}
