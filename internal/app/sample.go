package app

import (
	"context"
	"errors"
	"fmt"

	"lvzhi/internal/eval"
	"lvzhi/internal/framework"
	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

// SampleRequest asks for the on-site check sample of a campaign.
type SampleRequest struct {
	Year int
	N    int
	Seed uint64
}

// DrawSample draws the counties to check on site (workflow.Sample) among
// the participants that submitted, and records the sample with its seed in
// the campaign. Risks come from the previous year's published results (low
// credibility, grade C or D), this year's city reviews (self-scores above
// the city's) and earlier samples (rotation). A campaign's sample is drawn
// once: drawing again is refused, so that nobody can try seeds until the
// picks suit them.
func DrawSample(ctx context.Context, db *store.DB, a workflow.Actor, req SampleRequest) (*store.Sample, error) {
	var sample *store.Sample
	err := db.Tx(as(ctx, a), func(tx *store.Tx) error {
		c, err := campaignByYear(tx, req.Year)
		if err != nil {
			return err
		}
		if err := workflow.CheckCampaign(a, workflow.CampaignSample, rulesOf(c)); err != nil {
			return err
		}
		if c.Sample != nil {
			return fmt.Errorf("%d 年度评价已于 %s 抽取实地核查县区（种子 %d），不能重抽: %w",
				c.Year, workflow.ShowTime(c.Sample.DrawnAt), c.Sample.Seed, eval.ErrConflict)
		}
		cands, err := candidates(tx, c)
		if err != nil {
			return err
		}
		picks, err := workflow.Sample(cands, workflow.SampleOptions{N: req.N, Seed: req.Seed, Year: c.Year})
		if err != nil {
			return err
		}
		sample = &store.Sample{Seed: int64(req.Seed), DrawnAt: tx.Now(), DrawnBy: a.Name}
		for _, p := range picks {
			sample.Picks = append(sample.Picks, store.SamplePick{County: p.County, Reasons: []string{p.Reason}})
		}
		c.Sample = sample
		return tx.UpdateCampaign(c)
	})
	if err != nil {
		return nil, err
	}
	return sample, nil
}

// candidates describes the campaign's submitted participants for sampling.
func candidates(tx *store.Tx, c *store.Campaign) ([]workflow.Candidate, error) {
	set, err := regions(tx)
	if err != nil {
		return nil, err
	}
	fw, err := frameworkOf(tx, c)
	if err != nil {
		return nil, err
	}
	last := map[string]store.Result{}
	prevYear := c.Year - 1
	if prev, err := campaignByYear(tx, prevYear); err == nil {
		snap, err := tx.FindResults(prev.ID)
		switch {
		case err == nil:
			for _, r := range snap.Results {
				last[r.County] = r
			}
		case !errors.Is(err, eval.ErrNotFound):
			return nil, err
		}
	} else if !errors.Is(err, eval.ErrNotFound) {
		return nil, err
	}
	visits := map[string]int{}
	all, err := tx.FindCampaigns(store.CampaignFilter{})
	if err != nil {
		return nil, err
	}
	for _, old := range all {
		if old.Year >= c.Year || old.Sample == nil {
			continue
		}
		for _, p := range old.Sample.Picks {
			visits[p.County] = max(visits[p.County], old.Year)
		}
	}
	subs, err := tx.FindSubmissions(store.SubmissionFilter{CampaignID: &c.ID})
	if err != nil {
		return nil, err
	}
	var out []workflow.Candidate
	for _, sub := range subs {
		if sub.State == workflow.StateDraft {
			continue
		}
		o, _, err := outcomeOf(tx, fw, sub)
		if err != nil {
			return nil, err
		}
		cand := workflow.Candidate{County: sub.County, Stratum: set.Stratum(sub.County), Gap: workflow.SampleGap(o.Points),
			LastVisit: visits[sub.County]}
		if r, ok := last[sub.County]; ok {
			cred := framework.Decimal(r.Credibility)
			cand.LastCredibility, cand.LastGrade = &cred, r.Grade
		}
		out = append(out, cand)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%d 年度评价还没有县区提交，无从抽取: %w", c.Year, eval.ErrConflict)
	}
	return out, nil
}
