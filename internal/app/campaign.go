package app

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strconv"
	"sync"
	"time"

	"lvzhi/internal/eval"
	"lvzhi/internal/framework"
	"lvzhi/internal/region"
	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

// CampaignSpec describes a campaign to create.
type CampaignSpec struct {
	Year int
	// Name defaults to "<year>年度县级人民政府履行教育职责评价".
	Name string
	// Region is the code whose county-level units take part ("33": every
	// Zhejiang county).
	Region     string
	CityReview bool
	Deadlines  map[workflow.Stage]time.Time
	// FrameworkFile and Framework give the framework's YAML; an empty
	// Framework pins the built-in default framework.
	FrameworkFile string
	Framework     []byte
}

// AddFramework checks a framework file (it must pass every lint check) and
// stores it as a framework version under its meta id and version. Storing
// the identical text again is harmless; a different text under a stored
// id and version is refused with a conflict: raise meta.version instead.
// Only a province admin may add frameworks. file names the source in
// problems; src nil stores the built-in default framework.
func AddFramework(ctx context.Context, db *store.DB, a workflow.Actor, file string, src []byte) (*store.FrameworkVersion, error) {
	if a.Role != workflow.RoleProvinceAdmin {
		return nil, fmt.Errorf("只有省级管理员可以添加评价框架，%s不能: %w", a.Role.Label(), eval.ErrForbidden)
	}
	fw, err := parseFramework(file, src)
	if err != nil {
		return nil, err
	}
	var fv *store.FrameworkVersion
	err = db.Tx(as(ctx, a), func(tx *store.Tx) error {
		fv, err = storeFramework(tx, fw)
		return err
	})
	return fv, err
}

func parseFramework(file string, src []byte) (*framework.Framework, error) {
	if len(src) == 0 {
		return framework.Default(), nil
	}
	fw, _, err := framework.Parse(file, src)
	if err != nil {
		return nil, fmt.Errorf("框架未通过检查，不能用于年度评价:\n%w", err)
	}
	return fw, nil
}

func storeFramework(tx *store.Tx, fw *framework.Framework) (*store.FrameworkVersion, error) {
	fv := &store.FrameworkVersion{ID: fw.Meta.ID, Version: strconv.Itoa(fw.Meta.Version), Name: fw.Meta.Name, Source: string(fw.Source)}
	if err := tx.CreateFramework(fv); err != nil {
		return nil, err
	}
	return fv, nil
}

// CreateCampaign stores a framework version (or reuses the identical stored
// one) and a campaign that pins it, with the county-level units under
// spec.Region as participants. The campaign starts unopened in the
// self-assessment stage.
func CreateCampaign(ctx context.Context, db *store.DB, a workflow.Actor, spec CampaignSpec) (*store.Campaign, error) {
	code, err := region.Normalize(spec.Region)
	if err != nil {
		return nil, err
	}
	if err := workflow.CheckCampaign(a, workflow.CampaignCreate, workflow.Campaign{Year: spec.Year, Region: code}); err != nil {
		return nil, err
	}
	fw, err := parseFramework(spec.FrameworkFile, spec.Framework)
	if err != nil {
		return nil, err
	}
	name := spec.Name
	if name == "" {
		name = fmt.Sprintf("%d年度县级人民政府履行教育职责评价", spec.Year)
	}
	c := &store.Campaign{Year: spec.Year, Name: name, CityReview: spec.CityReview, Stage: workflow.StageSelfAssessment,
		Deadlines: spec.Deadlines}
	err = db.Tx(as(ctx, a), func(tx *store.Tx) error {
		set, err := regions(tx)
		if err != nil {
			return err
		}
		if _, ok := set.Get(code); !ok {
			return fmt.Errorf("行政区划 %s 不存在: %w", code, eval.ErrNotFound)
		}
		for _, u := range set.Units(code) {
			c.Participants = append(c.Participants, u.Code)
		}
		if len(c.Participants) == 0 {
			return fmt.Errorf("%s 下没有县级评价单位: %w", set.FullName(code), eval.ErrInvalid)
		}
		fv, err := storeFramework(tx, fw)
		if err != nil {
			return err
		}
		c.FrameworkID, c.FrameworkVersion = fv.ID, fv.Version
		return tx.CreateCampaign(c)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// campaignByYear returns the one campaign of year.
func campaignByYear(tx *store.Tx, year int) (*store.Campaign, error) {
	cs, err := tx.FindCampaigns(store.CampaignFilter{Year: &year})
	if err != nil {
		return nil, err
	}
	switch len(cs) {
	case 0:
		return nil, fmt.Errorf("没有 %d 年度的评价（先运行 lvzhi campaign create）: %w", year, eval.ErrNotFound)
	case 1:
		return cs[0], nil
	}
	return nil, fmt.Errorf("%d 年度有 %d 个评价，无法确定是哪一个: %w", year, len(cs), eval.ErrInvalid)
}

// rulesOf is the campaign as package workflow sees it. Its region is the
// smallest region containing every participant.
func rulesOf(c *store.Campaign) workflow.Campaign {
	rc := workflow.Campaign{Year: c.Year, Region: commonRegion(c.Participants), Stage: c.Stage, Opened: c.OpenedAt != nil,
		CityReview: c.CityReview, Deadlines: c.Deadlines}
	if c.ObjectionOpens != nil {
		rc.ObjectionOpens = *c.ObjectionOpens
	}
	if c.ObjectionCloses != nil {
		rc.ObjectionCloses = *c.ObjectionCloses
	}
	return rc
}

// commonRegion is the longest region code (2, 4 or 6 digits) that is a
// prefix of every code.
func commonRegion(codes []string) string {
	if len(codes) == 0 {
		return ""
	}
	p := codes[0]
	for _, c := range codes[1:] {
		n := 0
		for n < len(p) && n < len(c) && p[n] == c[n] {
			n++
		}
		p = p[:n]
	}
	return p[:len(p)/2*2]
}

// frameworkCache holds parsed frameworks by the hex SHA-256 of their text.
var frameworkCache sync.Map

// frameworkOf returns the campaign's pinned framework, parsed. The stored
// hash of the text picks a parsed copy from the cache, so the text is read
// and parsed once per process.
func frameworkOf(tx *store.Tx, c *store.Campaign) (*framework.Framework, error) {
	sum, err := tx.FrameworkSHA256(c.FrameworkID, c.FrameworkVersion)
	if err != nil {
		return nil, err
	}
	if fw, ok := frameworkCache.Load(sum); ok {
		return fw.(*framework.Framework), nil
	}
	fv, err := tx.FindFramework(c.FrameworkID, c.FrameworkVersion)
	if err != nil {
		return nil, err
	}
	fw, _, err := framework.Parse(fv.ID+"@"+fv.Version, []byte(fv.Source))
	if err != nil {
		return nil, fmt.Errorf("年度评价采用的框架 %s 第 %s 版无法读取: %w", fv.ID, fv.Version, err)
	}
	if fmt.Sprintf("%x", sha256.Sum256([]byte(fv.Source))) != fv.SHA256 {
		return nil, fmt.Errorf("框架 %s 第 %s 版的内容与其校验值不符: %w", fv.ID, fv.Version, eval.ErrConflict)
	}
	frameworkCache.Store(fv.SHA256, fw)
	return fw, nil
}

// CampaignView is a campaign with its progress.
type CampaignView struct {
	*store.Campaign
	Rules    workflow.Campaign
	Progress workflow.Progress
	// States gives each participant's state (draft when it has no
	// submission).
	States map[string]workflow.State
}

func progressOf(tx *store.Tx, c *store.Campaign) (workflow.Progress, map[string]workflow.State, error) {
	subs, err := tx.FindSubmissions(store.SubmissionFilter{CampaignID: &c.ID})
	if err != nil {
		return workflow.Progress{}, nil, err
	}
	states := map[string]workflow.State{}
	for _, p := range c.Participants {
		states[p] = workflow.StateDraft
	}
	for _, s := range subs {
		states[s.County] = s.State
	}
	p := workflow.Progress{States: map[workflow.State]int{}}
	for _, st := range states {
		p.States[st]++
	}
	n, err := pendingObjections(tx, c.ID, "")
	if err != nil {
		return workflow.Progress{}, nil, err
	}
	p.PendingObjections = n
	return p, states, nil
}

// ShowCampaign returns the campaign of year with its progress.
func ShowCampaign(ctx context.Context, db *store.DB, year int) (*CampaignView, error) {
	var v *CampaignView
	err := db.View(ctx, func(tx *store.Tx) error {
		c, err := campaignByYear(tx, year)
		if err != nil {
			return err
		}
		p, states, err := progressOf(tx, c)
		if err != nil {
			return err
		}
		v = &CampaignView{Campaign: c, Rules: rulesOf(c), Progress: p, States: states}
		return nil
	})
	return v, err
}

// OpenCampaign opens the campaign of year: its framework version is pinned
// from now on and counties may fill in.
func OpenCampaign(ctx context.Context, db *store.DB, a workflow.Actor, year int) (*store.Campaign, error) {
	var c *store.Campaign
	err := db.Tx(as(ctx, a), func(tx *store.Tx) error {
		var err error
		if c, err = campaignByYear(tx, year); err != nil {
			return err
		}
		if err := workflow.CheckCampaign(a, workflow.CampaignOpen, rulesOf(c)); err != nil {
			return err
		}
		now := tx.Now()
		c.OpenedAt = &now
		return tx.UpdateCampaign(c)
	})
	return c, err
}

// AdvanceCampaign moves the campaign of year to its next stage when every
// submission is ready (workflow.CheckAdvance). Entering the results stage
// opens the objection window, which closes at the results deadline if one
// is set. Leaving the results stage is publishing: use Publish.
func AdvanceCampaign(ctx context.Context, db *store.DB, a workflow.Actor, year int, force bool) (*store.Campaign, error) {
	var c *store.Campaign
	err := db.Tx(as(ctx, a), func(tx *store.Tx) error {
		var err error
		if c, err = campaignByYear(tx, year); err != nil {
			return err
		}
		if c.Stage == workflow.StageResults {
			return fmt.Errorf("从“结果认定”进入“公布”须用 lvzhi publish（冻结结果快照）: %w", eval.ErrConflict)
		}
		p, _, err := progressOf(tx, c)
		if err != nil {
			return err
		}
		next, err := workflow.CheckAdvance(a, rulesOf(c), p, force)
		if err != nil {
			return err
		}
		c.Stage = next
		if next == workflow.StageResults {
			now := tx.Now()
			c.ObjectionOpens = &now
			if d, ok := c.Deadlines[workflow.StageResults]; ok {
				c.ObjectionCloses = &d
			}
		}
		return tx.UpdateCampaign(c)
	})
	return c, err
}

// CampaignFramework returns the framework the campaign of year pins, for
// reading a county's data file against it.
func CampaignFramework(ctx context.Context, db *store.DB, year int) (*framework.Framework, error) {
	var fw *framework.Framework
	err := db.View(ctx, func(tx *store.Tx) error {
		c, err := campaignByYear(tx, year)
		if err != nil {
			return err
		}
		fw, err = frameworkOf(tx, c)
		return err
	})
	return fw, err
}
