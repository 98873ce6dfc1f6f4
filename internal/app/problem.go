package app

import (
	"context"
	"fmt"
	"time"

	"lvzhi/internal/eval"
	"lvzhi/internal/region"
	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

func problemRecord(p *store.Problem) workflow.ProblemRecord {
	return workflow.ProblemRecord{ID: p.ID, County: p.County, Point: p.SourcePoint, Description: p.Description,
		Status: p.Status, Deadline: p.Deadline}
}

// ProblemQuery selects problems to list.
type ProblemQuery struct {
	Year int
	// County limits the list to one county ("" for every county in the
	// actor's scope).
	County string
	// Overdue lists only problems past their deadline and not done.
	Overdue bool
}

// Problems lists the problems of the campaign of q.Year inside actor's
// scope, ordered by county and id.
func Problems(ctx context.Context, db *store.DB, a workflow.Actor, q ProblemQuery) ([]*store.Problem, error) {
	var out []*store.Problem
	err := db.View(ctx, func(tx *store.Tx) error {
		c, err := campaignByYear(tx, q.Year)
		if err != nil {
			return err
		}
		f := store.ProblemFilter{CampaignID: &c.ID}
		if q.County != "" {
			code, err := region.Normalize(q.County)
			if err != nil {
				return err
			}
			if err := workflow.CheckScope(a, code); err != nil {
				return err
			}
			f.County = &code
		}
		ps, err := tx.FindProblems(f)
		if err != nil {
			return err
		}
		now := tx.Now()
		for _, p := range ps {
			if !region.Contains(a.Region, p.County) {
				continue
			}
			if q.Overdue && !problemRecord(p).Overdue(now) {
				continue
			}
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// ProblemUpdate changes one problem.
type ProblemUpdate struct {
	ID int64
	// Status is the new status ("" keeps it).
	Status workflow.ProblemStatus
	// Note explains the change: the completion note when moving to done,
	// the re-check note when a re-check confirms (verified) or fails (back
	// to in_progress).
	Note string
	// Owner sets the responsible unit or person ("" keeps it).
	Owner string
	// Deadline sets a new deadline (nil keeps it); only the province may.
	Deadline *time.Time
	// Evidence adds proof of completion.
	Evidence []File
	// Version, if not 0, must be the stored version.
	Version int64
}

// UpdateProblem moves a problem through its statuses (workflow.
// CheckProblemMove) and records its owner, notes and evidence.
func UpdateProblem(ctx context.Context, db *store.DB, a workflow.Actor, u ProblemUpdate) (*store.Problem, error) {
	var p *store.Problem
	err := db.Tx(as(ctx, a), func(tx *store.Tx) error {
		var err error
		if p, err = tx.FindProblemByID(u.ID); err != nil {
			return err
		}
		if err := workflow.CheckScope(a, p.County); err != nil {
			return err
		}
		if u.Version != 0 {
			p.Version = u.Version
		}
		if u.Status != "" && u.Status != p.Status {
			if err := workflow.CheckProblemMove(a, p.County, p.Status, u.Status, u.Note); err != nil {
				return err
			}
			switch {
			case u.Status == workflow.ProblemDone:
				p.CompletionNote = u.Note
			case p.Status == workflow.ProblemDone:
				p.RecheckNote = u.Note
			case u.Note != "":
				p.CompletionNote = u.Note
			}
			p.Status = u.Status
		}
		if u.Owner != "" {
			p.Owner = u.Owner
		}
		if u.Deadline != nil {
			if a.Role != workflow.RoleProvinceAdmin {
				return fmt.Errorf("只有省级管理员可以更改整改期限: %w", eval.ErrForbidden)
			}
			p.Deadline = u.Deadline
		}
		for _, f := range u.Evidence {
			att, err := tx.PutBlob(f.Name, f.MediaType, f.Data)
			if err != nil {
				return err
			}
			p.CompletionEvidence = append(p.CompletionEvidence, att)
		}
		return tx.UpdateProblem(p)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// CarryProblems copies the problems of the campaign of fromYear that are
// not closed into the campaign of toYear, for the counties taking part in
// both, as new open problems linked to the old ones (due at deadline, or a
// year after the old deadline when deadline is zero), and records the link
// between the campaigns. The new campaign's rectification point then reads
// them (SaveSubmission fills its items). It runs once per pair of
// campaigns.
func CarryProblems(ctx context.Context, db *store.DB, a workflow.Actor, fromYear, toYear int, deadline time.Time) ([]*store.Problem, error) {
	var out []*store.Problem
	err := db.Tx(as(ctx, a), func(tx *store.Tx) error {
		from, err := campaignByYear(tx, fromYear)
		if err != nil {
			return err
		}
		to, err := campaignByYear(tx, toYear)
		if err != nil {
			return err
		}
		if err := workflow.CheckCampaign(a, workflow.CampaignCarry, rulesOf(from)); err != nil {
			return err
		}
		if err := workflow.CheckScope(a, rulesOf(to).Region); err != nil {
			return err
		}
		if to.Year <= from.Year {
			return fmt.Errorf("问题只能转入更晚年度的评价（%d → %d）: %w", from.Year, to.Year, eval.ErrInvalid)
		}
		if to.CarriedFrom != 0 {
			return fmt.Errorf("%d 年度评价已接收过问题转入: %w", to.Year, eval.ErrConflict)
		}
		old, err := tx.FindProblems(store.ProblemFilter{CampaignID: &from.ID, Open: true})
		if err != nil {
			return err
		}
		recs := make([]workflow.ProblemRecord, 0, len(old))
		for _, p := range old {
			if participates(to, p.County) {
				recs = append(recs, problemRecord(p))
			}
		}
		byID := map[int64]*store.Problem{}
		for _, p := range old {
			byID[p.ID] = p
		}
		for _, d := range workflow.Carry(recs, from.Year, deadline) {
			prev := byID[d.CarriedFrom]
			p := &store.Problem{CampaignID: to.ID, County: d.County, SourcePoint: d.Point, Description: d.Description,
				Status: workflow.ProblemOpen, CarriedFrom: d.CarriedFrom, Owner: prev.Owner}
			switch {
			case !d.Deadline.IsZero():
				dl := d.Deadline
				p.Deadline = &dl
			case prev.Deadline != nil:
				dl := prev.Deadline.AddDate(1, 0, 0)
				p.Deadline = &dl
			}
			out = append(out, p)
		}
		if err := tx.CreateProblems(out); err != nil {
			return err
		}
		to.CarriedFrom = from.ID
		return tx.UpdateCampaign(to)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
