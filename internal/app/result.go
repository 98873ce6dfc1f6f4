package app

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"lvzhi/internal/eval"
	"lvzhi/internal/framework"
	"lvzhi/internal/region"
	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

// CountyResult is one county's result, provisional or published.
type CountyResult struct {
	County, Name, City string // code, name, city (stratum) name
	State              workflow.State
	Total, SelfTotal   framework.Points
	Grade, GradeLabel  string
	Downgrades         []string
	Rank, CityRank     int
	Of, CityOf         int
	// Credibility is the self-assessment's credibility R (see
	// workflow.Credibility), exact to 1e-4.
	Credibility framework.Decimal
	PointScores map[string]framework.Points
}

// ResultsView is a campaign's results: the frozen snapshot once published,
// else the provisional results of the verified and final submissions.
type ResultsView struct {
	Campaign  *store.Campaign
	Published bool
	Snapshot  *store.ResultSnapshot
	Results   []CountyResult // by rank, then code
	// NotSubmitted lists the participants that never submitted (drafts).
	NotSubmitted []string
}

// defaultRectificationTime is how long a county has to fix its problems
// when the campaign sets no rectification deadline.
const defaultRectificationTime = 180 * 24 * time.Hour

// Publish publishes the results of the campaign of year: every submission
// must be final and no objection pending (workflow.CheckAdvance). It
// freezes a snapshot with each county's final score, grade, downgrades,
// ranks in the province and the city, and credibility; generates each
// county's problem list from its lost points, reviewers' findings and
// downgrades (due at the rectification deadline, or 180 days after
// publishing); and moves the campaign to the published stage — all in one
// transaction.
func Publish(ctx context.Context, db *store.DB, a workflow.Actor, year int) (*ResultsView, error) {
	var view *ResultsView
	err := db.Tx(as(ctx, a), func(tx *store.Tx) error {
		c, err := campaignByYear(tx, year)
		if err != nil {
			return err
		}
		rules := rulesOf(c)
		if err := workflow.CheckCampaign(a, workflow.CampaignPublish, rules); err != nil {
			return err
		}
		p, _, err := progressOf(tx, c)
		if err != nil {
			return err
		}
		next, err := workflow.CheckAdvance(a, rules, p, false)
		if err != nil {
			return err
		}
		view, err = computeResults(tx, c, workflow.StateFinal)
		if err != nil {
			return err
		}
		if len(view.Results) == 0 {
			return fmt.Errorf("%d 年度评价没有已认定的结果，不能公布: %w", c.Year, eval.ErrConflict)
		}
		rows := make([]store.Result, len(view.Results))
		for i, r := range view.Results {
			rows[i] = store.Result{County: r.County, Total: r.Total, SelfTotal: r.SelfTotal, Grade: r.Grade,
				Downgrades: r.Downgrades, ProvinceRank: r.Rank, CityRank: r.CityRank, Credibility: r.Credibility,
				PointScores: r.PointScores}
		}
		snap, err := tx.PublishResults(c.ID, rows)
		if err != nil {
			return err
		}
		view.Published, view.Snapshot = true, snap
		deadline := tx.Now().Add(defaultRectificationTime)
		if d, ok := c.Deadlines[workflow.StageRectification]; ok {
			deadline = d
		}
		if err := createProblems(tx, c, deadline); err != nil {
			return err
		}
		c.Stage = next
		return tx.UpdateCampaign(c)
	})
	if err != nil {
		return nil, err
	}
	return view, nil
}

// createProblems records the problem list of every final submission.
func createProblems(tx *store.Tx, c *store.Campaign, deadline time.Time) error {
	fw, err := frameworkOf(tx, c)
	if err != nil {
		return err
	}
	st := workflow.StateFinal
	subs, err := tx.FindSubmissions(store.SubmissionFilter{CampaignID: &c.ID, State: &st})
	if err != nil {
		return err
	}
	var ps []*store.Problem
	for _, sub := range subs {
		o, _, err := outcomeOf(tx, fw, sub)
		if err != nil {
			return err
		}
		for _, d := range workflow.Problems(sub.County, o, deadline) {
			dl := d.Deadline
			ps = append(ps, &store.Problem{CampaignID: c.ID, County: d.County, SourcePoint: d.Point, Finding: d.Finding,
				Description: d.Description, Deadline: &dl, Status: workflow.ProblemOpen})
		}
	}
	return tx.CreateProblems(ps)
}

// computeResults scores and ranks the submissions in at least state min
// (verified: provisional results; final: the results to publish).
func computeResults(tx *store.Tx, c *store.Campaign, min workflow.State) (*ResultsView, error) {
	fw, err := frameworkOf(tx, c)
	if err != nil {
		return nil, err
	}
	set, err := regions(tx)
	if err != nil {
		return nil, err
	}
	subs, err := tx.FindSubmissions(store.SubmissionFilter{CampaignID: &c.ID})
	if err != nil {
		return nil, err
	}
	view := &ResultsView{Campaign: c}
	submitted := map[string]bool{}
	byCounty := map[string]CountyResult{}
	var ranked []workflow.Ranked
	for _, sub := range subs {
		if sub.State != workflow.StateDraft {
			submitted[sub.County] = true
		}
		if sub.State != workflow.StateFinal && (min == workflow.StateFinal || sub.State != workflow.StateVerified) {
			continue
		}
		o, _, err := outcomeOf(tx, fw, sub)
		if err != nil {
			return nil, err
		}
		r := CountyResult{County: sub.County, State: sub.State, Total: o.Total, SelfTotal: o.SelfTotal, Grade: o.Grade,
			GradeLabel: o.GradeLabel, Credibility: o.Credibility.R,
			PointScores: map[string]framework.Points{}}
		for _, d := range o.Downgrades {
			r.Downgrades = append(r.Downgrades, fmt.Sprintf("%s→%s：%s", d.From, d.To, d.Reason))
		}
		for _, p := range o.Points {
			r.PointScores[p.Code] = p.Final
		}
		for _, b := range o.BonusItems {
			r.PointScores[b.Code] = b.Final
		}
		byCounty[sub.County] = r
		ranked = append(ranked, workflow.Ranked{County: sub.County, Stratum: set.Stratum(sub.County), Total: o.Total})
	}
	for _, rk := range workflow.Rank(ranked) {
		r := byCounty[rk.County]
		r.Rank, r.CityRank, r.Of, r.CityOf = rk.Rank, rk.StratumRank, rk.Of, rk.StratumOf
		named(set, &r)
		view.Results = append(view.Results, r)
	}
	for _, p := range c.Participants {
		if !submitted[p] {
			view.NotSubmitted = append(view.NotSubmitted, p)
		}
	}
	return view, nil
}

func named(set *region.Set, r *CountyResult) {
	if reg, ok := set.Get(r.County); ok {
		r.Name = reg.Name
	}
	if reg, ok := set.Get(set.Stratum(r.County)); ok {
		r.City = reg.Name
	}
}

// Results returns the results of the campaign of year: the published
// snapshot (checked against its checksum) once published, else the
// provisional results of verified and final submissions. Anyone may read
// published results; provisional ones only a province admin or expert
// of the campaign's province.
func Results(ctx context.Context, db *store.DB, a workflow.Actor, year int) (*ResultsView, error) {
	var view *ResultsView
	err := db.View(ctx, func(tx *store.Tx) error {
		c, err := campaignByYear(tx, year)
		if err != nil {
			return err
		}
		snap, err := tx.FindResults(c.ID)
		switch {
		case errors.Is(err, eval.ErrNotFound):
			if a.Name == "" {
				return fmt.Errorf("%d 年度评价结果尚未公布；暂定结果须以省级管理员或评审专家的身份查看（--as）: %w", c.Year, eval.ErrForbidden)
			}
			if err := workflow.CheckScope(a, rulesOf(c).Region); err != nil {
				return fmt.Errorf("结果尚未公布，暂定结果只供省级查看: %w", err)
			}
			if a.Role != workflow.RoleProvinceAdmin && a.Role != workflow.RoleExpert {
				return fmt.Errorf("结果尚未公布，%s不能查看暂定结果: %w", a.Role.Label(), eval.ErrForbidden)
			}
			view, err = computeResults(tx, c, workflow.StateVerified)
			return err
		case err != nil:
			return err
		}
		set, err := regions(tx)
		if err != nil {
			return err
		}
		fw, err := frameworkOf(tx, c)
		if err != nil {
			return err
		}
		view = &ResultsView{Campaign: c, Published: true, Snapshot: snap}
		cityOf := map[string]int{}
		for _, r := range snap.Results {
			cityOf[set.Stratum(r.County)]++
		}
		for _, r := range snap.Results {
			cr := CountyResult{County: r.County, State: workflow.StateFinal, Total: r.Total, SelfTotal: r.SelfTotal,
				Grade: r.Grade, Downgrades: r.Downgrades, Rank: r.ProvinceRank, CityRank: r.CityRank, Of: len(snap.Results),
				CityOf: cityOf[set.Stratum(r.County)], Credibility: r.Credibility, PointScores: r.PointScores}
			if i := fw.BandIndex(r.Grade); i >= 0 {
				cr.GradeLabel = fw.Grades[i].Label
			}
			named(set, &cr)
			view.Results = append(view.Results, cr)
		}
		sort.SliceStable(view.Results, func(i, j int) bool {
			if view.Results[i].Rank != view.Results[j].Rank {
				return view.Results[i].Rank < view.Results[j].Rank
			}
			return view.Results[i].County < view.Results[j].County
		})
		done := map[string]bool{}
		for _, r := range snap.Results {
			done[r.County] = true
		}
		for _, p := range c.Participants {
			if !done[p] {
				view.NotSubmitted = append(view.NotSubmitted, p)
			}
		}
		return nil
	})
	return view, err
}
