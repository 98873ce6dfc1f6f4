package app

import (
	"context"
	"errors"
	"fmt"

	"lvzhi/internal/eval"
	"lvzhi/internal/framework"
	"lvzhi/internal/region"
	"lvzhi/internal/scoring"
	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

// SaveRequest is a county's content to save.
type SaveRequest struct {
	Year    int
	County  string
	Content Content
	// Version is the submission version the person edited; a save over a
	// newer version is refused with a *store.ConflictError carrying the
	// current submission. 0 replaces whatever is stored (the CLI's whole-
	// file save) and creates the submission if there is none.
	Version int64
	// Evidence adds files to points (or bonus items); the same file twice
	// is stored once.
	Evidence []PointFile
}

// PointFile is an evidence file for one point or bonus item.
type PointFile struct {
	Point string
	File  File
}

// Saved is the outcome of a save.
type Saved struct {
	Submission *store.Submission
	// Self is the engine's score of the saved content; criteria still to
	// be self-scored are listed in Self.Pending.
	Self *scoring.Result
	// Filled lists the items lvzhi filled in itself (the rectification
	// items, from the problems carried into the campaign).
	Filled []string
	// Evidence lists the submission's evidence files after the save.
	Evidence []*store.Evidence
}

// SaveSubmission saves a county's content in one transaction, after
// workflow.Check (role, region, stage, state, deadline) and after the
// engine accepted it: unknown items, wrong types, values out of range,
// failed validation rules, self-scores for automatic criteria or bad
// bonus claims are refused with every problem listed (eval.ErrInvalid).
// Missing manual self-scores are allowed in a draft.
func SaveSubmission(ctx context.Context, db *store.DB, a workflow.Actor, req SaveRequest) (*Saved, error) {
	county, err := region.Normalize(req.County)
	if err != nil {
		return nil, err
	}
	out := &Saved{}
	err = db.Tx(as(ctx, a), func(tx *store.Tx) error {
		c, err := campaignByYear(tx, req.Year)
		if err != nil {
			return err
		}
		sub, err := tx.FindSubmission(c.ID, county)
		switch {
		case errors.Is(err, eval.ErrNotFound):
			sub = &store.Submission{CampaignID: c.ID, County: county, State: workflow.StateDraft}
		case err != nil:
			return err
		}
		if _, err := workflow.Check(rulesOf(c), workflow.Request{Actor: a, Action: workflow.ActionSave, County: county,
			State: sub.State, Now: tx.Now()}); err != nil {
			return err
		}
		if !participates(c, county) {
			return fmt.Errorf("%s 不是 %d 年度评价的参评县区: %w", county, c.Year, eval.ErrInvalid)
		}
		fw, err := frameworkOf(tx, c)
		if err != nil {
			return err
		}
		in := req.Content.Input
		if in.Values == nil {
			in.Values = map[string]framework.Value{}
		}
		filled, err := fillRectification(tx, c, fw, county, &in)
		if err != nil {
			return err
		}
		res, err := scoring.NewScorer(fw).Score(in, scoring.Options{AllowPending: true})
		if err != nil {
			return fmt.Errorf("%s 的填报内容未通过检查: %w", county, err)
		}
		if err := toStore(fw, in, sub); err != nil {
			return err
		}
		sub.Narrative = req.Content.Narrative
		if sub.ID == 0 {
			err = tx.CreateSubmission(sub)
		} else {
			if req.Version != 0 {
				sub.Version = req.Version
			}
			err = tx.UpdateSubmission(sub)
		}
		if err != nil {
			return err
		}
		for _, pf := range req.Evidence {
			if fw.Point(pf.Point) == nil && fw.BonusItem(pf.Point) == nil {
				return fmt.Errorf("佐证材料 %s 所属的测评点或加分项 %s 不在框架中: %w", pf.File.Name, pf.Point, eval.ErrInvalid)
			}
			if err := tx.AddEvidence(&store.Evidence{SubmissionID: sub.ID, Point: pf.Point, FileName: pf.File.Name,
				MediaType: pf.File.MediaType}, pf.File.Data); err != nil {
				return err
			}
		}
		if out.Evidence, err = tx.FindEvidence(sub.ID); err != nil {
			return err
		}
		out.Submission, out.Self, out.Filled = sub, res, filled
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func participates(c *store.Campaign, county string) bool {
	for _, p := range c.Participants {
		if p == county {
			return true
		}
	}
	return false
}

// fillRectification sets the rectification items from the problems of the
// campaign's predecessor for the county, when problems were carried into
// this campaign, and returns the item codes it set. A problem counts as
// closed when it, or its carried copy in this campaign, was verified by a
// re-check; it is overdue when its original deadline passed while it was
// still open.
func fillRectification(tx *store.Tx, c *store.Campaign, fw *framework.Framework, county string, in *scoring.Input) ([]string, error) {
	if c.CarriedFrom == 0 {
		return nil, nil
	}
	prev, err := tx.FindProblems(store.ProblemFilter{CampaignID: &c.CarriedFrom, County: &county})
	if err != nil {
		return nil, err
	}
	cur, err := tx.FindProblems(store.ProblemFilter{CampaignID: &c.ID, County: &county})
	if err != nil {
		return nil, err
	}
	copies := map[int64]*store.Problem{}
	for _, p := range cur {
		if p.CarriedFrom != 0 {
			copies[p.CarriedFrom] = p
		}
	}
	recs := make([]workflow.ProblemRecord, len(prev))
	for i, p := range prev {
		recs[i] = problemRecord(p)
		if cp, ok := copies[p.ID]; ok && !p.Status.Closed() {
			recs[i].Status = cp.Status
		}
	}
	vals := workflow.RectificationValues(fw, recs, tx.Now())
	for code, v := range vals {
		in.Values[code] = v
	}
	return sortedKeys(vals), nil
}

// TransitionRequest moves a submission.
type TransitionRequest struct {
	Year   int
	County string
	Action workflow.Action
	Reason string // required for a return
	// Version, if not 0, must be the stored version.
	Version int64
}

// Transition submits, returns, passes city review, verifies or finalizes a
// county's submission, after workflow.Check. Submitting needs content the
// engine scores completely (every manual criterion self-scored);
// finalizing needs no pending objection.
func Transition(ctx context.Context, db *store.DB, a workflow.Actor, req TransitionRequest) (*store.Submission, error) {
	switch req.Action {
	case workflow.ActionSubmit, workflow.ActionReturn, workflow.ActionCityReview, workflow.ActionVerify, workflow.ActionFinalize:
	default:
		return nil, fmt.Errorf("“%s”不是改变填报状态的操作: %w", req.Action, eval.ErrInvalid)
	}
	county, err := region.Normalize(req.County)
	if err != nil {
		return nil, err
	}
	var sub *store.Submission
	err = db.Tx(as(ctx, a), func(tx *store.Tx) error {
		c, found, err := scopedSubmission(tx, a, req.Year, county, "尚未填报")
		if err != nil {
			return err
		}
		sub = found
		pending, err := pendingObjections(tx, c.ID, county)
		if err != nil {
			return err
		}
		to, err := workflow.Check(rulesOf(c), workflow.Request{Actor: a, Action: req.Action, County: county, State: sub.State,
			Reason: req.Reason, Now: tx.Now(), PendingObjections: pending})
		if err != nil {
			return err
		}
		if req.Action == workflow.ActionSubmit {
			fw, err := frameworkOf(tx, c)
			if err != nil {
				return err
			}
			in, err := inputOf(fw, sub)
			if err != nil {
				return err
			}
			res, err := scoring.NewScorer(fw).Score(in, scoring.Options{})
			if err != nil {
				return fmt.Errorf("%s 的填报还不完整，不能提交: %w", county, err)
			}
			if err := checkNarrative(fw, res, sub.Narrative); err != nil {
				return fmt.Errorf("%s 的自评报告中有数字与数据或自身不一致，不能提交: %w", county, err)
			}
		}
		if req.Version != 0 {
			sub.Version = req.Version
		}
		sub.State = to
		if req.Action == workflow.ActionReturn {
			sub.ReturnReason = req.Reason
		}
		return tx.UpdateSubmission(sub)
	})
	if err != nil {
		return nil, err
	}
	return sub, nil
}

// ScoreRequest is a reviewer's score for one point or bonus item.
type ScoreRequest struct {
	Year    int
	County  string
	Code    string // point ("C2") or bonus item ("P1")
	Score   framework.Points
	Comment string
}

// ReviewScore records a reviewer's score: a city reviewer's during city
// review, a province admin's or expert's during province verification (and
// a province admin's correction of a verified result in the results stage,
// after an objection). A later score by the same level replaces the earlier
// one.
func ReviewScore(ctx context.Context, db *store.DB, a workflow.Actor, req ScoreRequest) (*store.Review, error) {
	county, err := region.Normalize(req.County)
	if err != nil {
		return nil, err
	}
	action, stage := workflow.ActionVerifyScore, workflow.StageProvinceVerification
	if a.Role == workflow.RoleCityReviewer {
		action, stage = workflow.ActionCityScore, workflow.StageCityReview
	}
	var rev *store.Review
	err = db.Tx(as(ctx, a), func(tx *store.Tx) error {
		c, sub, err := scopedSubmission(tx, a, req.Year, county, "尚未填报")
		if err != nil {
			return err
		}
		if _, err := workflow.Check(rulesOf(c), workflow.Request{Actor: a, Action: action, County: county, State: sub.State, Now: tx.Now()}); err != nil {
			return err
		}
		fw, err := frameworkOf(tx, c)
		if err != nil {
			return err
		}
		rs := workflow.ReviewScore{Score: req.Score, Comment: req.Comment}
		if err := workflow.CheckReviewScore(fw, req.Code, rs); err != nil {
			return err
		}
		rev = &store.Review{SubmissionID: sub.ID, Point: req.Code, Stage: stage, Score: req.Score, Comment: req.Comment}
		existing, err := tx.FindReviews(store.ReviewFilter{SubmissionID: &sub.ID, Stage: &stage})
		if err != nil {
			return err
		}
		for _, e := range existing {
			if e.Point == req.Code {
				rev.ID, rev.Version = e.ID, e.Version
			}
		}
		return tx.SaveReview(rev)
	})
	if err != nil {
		return nil, err
	}
	return rev, nil
}

// outcomeOf computes a submission's outcome: the engine on its content,
// then the reviewers' scores.
func outcomeOf(tx *store.Tx, fw *framework.Framework, sub *store.Submission) (*workflow.Outcome, *scoring.Result, error) {
	in, err := inputOf(fw, sub)
	if err != nil {
		return nil, nil, err
	}
	self, err := scoring.NewScorer(fw).Score(in, scoring.Options{AllowPending: true})
	if err != nil {
		return nil, nil, fmt.Errorf("%s 的填报无法评分: %w", sub.County, err)
	}
	revs, err := tx.FindReviews(store.ReviewFilter{SubmissionID: &sub.ID})
	if err != nil {
		return nil, nil, err
	}
	city, verified := map[string]workflow.ReviewScore{}, map[string]workflow.ReviewScore{}
	for _, r := range revs {
		rs := workflow.ReviewScore{Score: r.Score, Comment: r.Comment}
		switch r.Stage {
		case workflow.StageCityReview:
			city[r.Point] = rs
		case workflow.StageProvinceVerification:
			verified[r.Point] = rs
		}
	}
	o, err := workflow.Decide(fw, self, city, verified)
	if err != nil {
		return nil, nil, err
	}
	return o, self, nil
}

// SubmissionView is a county's submission with its scores.
type SubmissionView struct {
	Submission *store.Submission
	Campaign   *store.Campaign
	Outcome    *workflow.Outcome
	Self       *scoring.Result
	Framework  *framework.Framework
}

// ShowSubmission returns a county's submission with the engine's scores and
// the reviewers', for an actor whose scope contains the county.
func ShowSubmission(ctx context.Context, db *store.DB, a workflow.Actor, year int, county string) (*SubmissionView, error) {
	code, err := region.Normalize(county)
	if err != nil {
		return nil, err
	}
	if err := workflow.CheckScope(a, code); err != nil {
		return nil, err
	}
	v := &SubmissionView{}
	err = db.View(ctx, func(tx *store.Tx) error {
		c, err := campaignByYear(tx, year)
		if err != nil {
			return err
		}
		sub, err := tx.FindSubmission(c.ID, code)
		if err != nil {
			return err
		}
		fw, err := frameworkOf(tx, c)
		if err != nil {
			return err
		}
		o, self, err := outcomeOf(tx, fw, sub)
		if err != nil {
			return err
		}
		*v = SubmissionView{Submission: sub, Campaign: c, Outcome: o, Self: self, Framework: fw}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// scopedSubmission finds a campaign by year and one county's submission in
// it, after checking that the actor may act on that county. missing says, in
// Chinese, what the absence of the submission means to the caller ("尚未填报").
func scopedSubmission(tx *store.Tx, a workflow.Actor, year int, county, missing string) (*store.Campaign, *store.Submission, error) {
	c, err := campaignByYear(tx, year)
	if err != nil {
		return nil, nil, err
	}
	if err := workflow.CheckScope(a, county); err != nil {
		return nil, nil, err
	}
	sub, err := tx.FindSubmission(c.ID, county)
	if errors.Is(err, eval.ErrNotFound) {
		return nil, nil, fmt.Errorf("%s 在 %d 年度评价中%s: %w", county, c.Year, missing, eval.ErrNotFound)
	}
	if err != nil {
		return nil, nil, err
	}
	return c, sub, nil
}
