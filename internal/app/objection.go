package app

import (
	"context"
	"fmt"

	"lvzhi/internal/eval"
	"lvzhi/internal/region"
	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

// pendingObjections counts the undecided objections of a campaign, of one
// county when county is not "".
func pendingObjections(tx *store.Tx, campaignID int64, county string) (int, error) {
	st := store.ObjectionPending
	f := store.ObjectionFilter{CampaignID: &campaignID, Status: &st}
	if county != "" {
		f.County = &county
	}
	os, err := tx.FindObjections(f)
	return len(os), err
}

// ObjectionRequest is a county's objection to its provisional result.
type ObjectionRequest struct {
	Year     int
	County   string
	Point    string // "" for the result as a whole
	Reason   string
	Evidence []File
}

// File is an uploaded file.
type File struct {
	Name, MediaType string
	Data            []byte
}

// FileObjection records an objection, with its evidence files, inside the
// objection window (workflow.CheckObjection).
func FileObjection(ctx context.Context, db *store.DB, a workflow.Actor, req ObjectionRequest) (*store.Objection, error) {
	county, err := region.Normalize(req.County)
	if err != nil {
		return nil, err
	}
	var o *store.Objection
	err = db.Tx(as(ctx, a), func(tx *store.Tx) error {
		c, sub, err := scopedSubmission(tx, a, req.Year, county, "没有结果")
		if err != nil {
			return err
		}
		if err := workflow.CheckObjection(rulesOf(c), a, county, sub.State, req.Reason, tx.Now()); err != nil {
			return err
		}
		if req.Point != "" {
			fw, err := frameworkOf(tx, c)
			if err != nil {
				return err
			}
			if fw.Point(req.Point) == nil && fw.BonusItem(req.Point) == nil {
				return fmt.Errorf("框架中没有测评点或加分项 %s: %w", req.Point, eval.ErrInvalid)
			}
		}
		o = &store.Objection{CampaignID: c.ID, County: county, Point: req.Point, Reason: req.Reason, Status: store.ObjectionPending}
		for _, f := range req.Evidence {
			att, err := tx.PutBlob(f.Name, f.MediaType, f.Data)
			if err != nil {
				return err
			}
			o.Evidence = append(o.Evidence, att)
		}
		return tx.CreateObjection(o)
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// DecideObjection records the province's decision on an objection. An
// accepted objection usually comes with a corrected verification score
// (ReviewScore) before the result is finalized.
func DecideObjection(ctx context.Context, db *store.DB, a workflow.Actor, id int64, accept bool, decision string) (*store.Objection, error) {
	var o *store.Objection
	err := db.Tx(as(ctx, a), func(tx *store.Tx) error {
		var err error
		if o, err = tx.FindObjectionByID(id); err != nil {
			return err
		}
		c, err := tx.FindCampaignByID(o.CampaignID)
		if err != nil {
			return err
		}
		to := workflow.ObjectionRejected
		if accept {
			to = workflow.ObjectionAccepted
		}
		if err := workflow.CheckDecision(rulesOf(c), a, o.County, workflow.ObjectionStatus(o.Status), to, decision); err != nil {
			return err
		}
		o.Status, o.Decision = store.ObjectionStatus(to), decision
		return tx.UpdateObjection(o)
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// Objections lists the objections of the campaign of year inside actor's
// scope.
func Objections(ctx context.Context, db *store.DB, a workflow.Actor, year int) ([]*store.Objection, error) {
	var out []*store.Objection
	err := db.View(ctx, func(tx *store.Tx) error {
		c, err := campaignByYear(tx, year)
		if err != nil {
			return err
		}
		all, err := tx.FindObjections(store.ObjectionFilter{CampaignID: &c.ID})
		if err != nil {
			return err
		}
		for _, o := range all {
			if region.Contains(a.Region, o.County) {
				out = append(out, o)
			}
		}
		return nil
	})
	return out, err
}
