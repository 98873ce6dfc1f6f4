package store

import (
	"database/sql"
	"fmt"
	"time"

	"lvzhi/internal/workflow"
)

// Problem is one item of a county's rectification list (整改问题清单),
// found from lost points or reviewers' findings, carried into the next
// campaign while not closed.
type Problem struct {
	ID         int64
	CampaignID int64
	County     string
	// SourcePoint is the point the problem was found at ("" if none);
	// Finding the reviewer's words it comes from.
	SourcePoint string
	Finding     string
	Description string
	Owner       string // the responsible unit or person
	Deadline    *time.Time
	Status      workflow.ProblemStatus
	// CompletionNote and CompletionEvidence are the county's proof of the
	// fix; RecheckNote the re-check's finding.
	CompletionNote     string
	CompletionEvidence []Attachment
	RecheckNote        string
	// CarriedFrom is the problem of an earlier campaign this one continues;
	// 0 for none.
	CarriedFrom int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// Version is the optimistic-locking counter.
	Version int64
}

func (p *Problem) what() string { return fmt.Sprintf("%s 的整改问题 #%d", p.County, p.ID) }

type problemAudit struct {
	CampaignID         int64                  `json:"campaign_id"`
	County             string                 `json:"county"`
	SourcePoint        string                 `json:"source_point"`
	Finding            string                 `json:"finding"`
	Description        string                 `json:"description"`
	Owner              string                 `json:"owner"`
	Deadline           *time.Time             `json:"deadline"`
	Status             workflow.ProblemStatus `json:"status"`
	CompletionNote     string                 `json:"completion_note"`
	CompletionEvidence []Attachment           `json:"completion_evidence"`
	RecheckNote        string                 `json:"recheck_note"`
	CarriedFrom        int64                  `json:"carried_from"`
}

func (p *Problem) audit() problemAudit {
	return problemAudit{p.CampaignID, p.County, p.SourcePoint, p.Finding, p.Description, p.Owner, p.Deadline, p.Status,
		p.CompletionNote, p.CompletionEvidence, p.RecheckNote, p.CarriedFrom}
}

func (p *Problem) validate() error {
	if p.Description == "" {
		return invalid("整改问题必须有描述")
	}
	if !p.Status.Valid() {
		return invalid("整改问题状态 %q 无效", p.Status)
	}
	if p.Deadline != nil {
		d := p.Deadline.UTC().Truncate(time.Microsecond)
		p.Deadline = &d
	}
	return nil
}

// CreateProblems stores new problems (a generated list is one call, in the
// caller's one transaction) and sets each one's ID, Version and times.
func (tx *Tx) CreateProblems(ps []*Problem) error {
	for _, p := range ps {
		if err := tx.CreateProblem(p); err != nil {
			return err
		}
	}
	return nil
}

// CreateProblem stores one new problem and sets its ID, Version and times.
// An unknown campaign, county or carried-from problem matches
// eval.ErrInvalid.
func (tx *Tx) CreateProblem(p *Problem) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if err := p.validate(); err != nil {
		return err
	}
	if err := tx.checkAttachments(p.CompletionEvidence); err != nil {
		return err
	}
	evidence, err := jsonText(p.CompletionEvidence, "[]")
	if err != nil {
		return err
	}
	var carried any
	if p.CarriedFrom != 0 {
		carried = p.CarriedFrom
	}
	id, err := tx.insertID(`INSERT INTO problems (campaign_id, county, source_point, finding, description, owner, deadline, status,
		completion_note, completion_evidence, recheck_note, carried_from, created_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
		p.CampaignID, p.County, p.SourcePoint, p.Finding, p.Description, p.Owner, nullTime(p.Deadline), string(p.Status),
		p.CompletionNote, evidence, p.RecheckNote, carried, formatTime(tx.now), formatTime(tx.now))
	if err != nil {
		if isForeignKey(err) {
			return invalid("整改问题的年度评价 #%d、县 %s 或来源问题 #%d 不存在", p.CampaignID, p.County, p.CarriedFrom)
		}
		return fmt.Errorf("store: create problem: %w", err)
	}
	p.ID, p.Version, p.CreatedAt, p.UpdatedAt = id, 1, tx.now, tx.now
	return tx.record("problem", auditID(id), "create", nil, p.audit())
}

// UpdateProblem saves p if p.Version is still the stored version, then
// increments p.Version. The campaign, county and carried-from link never
// change. A stale version is a *ConflictError carrying the current
// *Problem.
func (tx *Tx) UpdateProblem(p *Problem) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if err := p.validate(); err != nil {
		return err
	}
	old, err := tx.FindProblemByID(p.ID)
	if err != nil {
		return err
	}
	if old.Version != p.Version {
		return staleError(old.what(), p.Version, old.Version, old)
	}
	if err := tx.checkAttachments(p.CompletionEvidence); err != nil {
		return err
	}
	evidence, err := jsonText(p.CompletionEvidence, "[]")
	if err != nil {
		return err
	}
	res, err := tx.exec(`UPDATE problems SET source_point = ?, finding = ?, description = ?, owner = ?, deadline = ?, status = ?,
		completion_note = ?, completion_evidence = ?, recheck_note = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`,
		p.SourcePoint, p.Finding, p.Description, p.Owner, nullTime(p.Deadline), string(p.Status),
		p.CompletionNote, evidence, p.RecheckNote, formatTime(tx.now), p.ID, p.Version)
	if err != nil {
		return fmt.Errorf("store: update problem %d: %w", p.ID, err)
	}
	if err := tx.checkUpdated(res, func() error {
		cur, err := tx.FindProblemByID(p.ID)
		if err != nil {
			return err
		}
		return staleError(cur.what(), p.Version, cur.Version, cur)
	}); err != nil {
		return err
	}
	p.CampaignID, p.County, p.CarriedFrom, p.CreatedAt = old.CampaignID, old.County, old.CarriedFrom, old.CreatedAt
	p.Version++
	p.UpdatedAt = tx.now
	return tx.record("problem", auditID(p.ID), "update", old.audit(), p.audit())
}

const problemColumns = `id, campaign_id, county, source_point, finding, description, owner, deadline, status,
	completion_note, completion_evidence, recheck_note, carried_from, created_at, updated_at, version`

// FindProblemByID returns the problem, or an error matching
// eval.ErrNotFound.
func (tx *Tx) FindProblemByID(id int64) (*Problem, error) {
	p, err := scanProblem(tx.queryRow("SELECT "+problemColumns+" FROM problems WHERE id = ?", id))
	if err != nil {
		return nil, rowErr(err, fmt.Sprintf("find problem %d", id), fmt.Sprintf("整改问题 #%d", id))
	}
	return p, nil
}

// ProblemFilter selects problems. Nil fields select everything.
type ProblemFilter struct {
	CampaignID *int64
	County     *string
	Status     *workflow.ProblemStatus
	// Open selects the problems not yet closed (every status but
	// verified): the ones carried into the next campaign.
	Open bool
	// OverdueAt selects the problems still open or in progress whose
	// deadline is before this time.
	OverdueAt *time.Time
}

// FindProblems lists problems ordered by campaign, county and id.
func (tx *Tx) FindProblems(f ProblemFilter) ([]*Problem, error) {
	q := "SELECT " + problemColumns + " FROM problems WHERE 1 = 1"
	var args []any
	if f.CampaignID != nil {
		q += " AND campaign_id = ?"
		args = append(args, *f.CampaignID)
	}
	if f.County != nil {
		q += " AND county = ?"
		args = append(args, *f.County)
	}
	if f.Status != nil {
		q += " AND status = ?"
		args = append(args, string(*f.Status))
	}
	if f.Open {
		q += " AND status <> ?"
		args = append(args, string(workflow.ProblemVerified))
	}
	if f.OverdueAt != nil {
		q += " AND deadline IS NOT NULL AND deadline < ? AND status IN (?, ?)"
		args = append(args, formatTime(*f.OverdueAt), string(workflow.ProblemOpen), string(workflow.ProblemInProgress))
	}
	return queryAll(tx, "find problems", scanProblem, q+" ORDER BY campaign_id, county, id", args...)
}

func scanProblem(row scanner) (*Problem, error) {
	var (
		p                Problem
		deadline         sql.NullString
		status, evidence string
		carried          sql.NullInt64
		created, updated string
	)
	if err := row.Scan(&p.ID, &p.CampaignID, &p.County, &p.SourcePoint, &p.Finding, &p.Description, &p.Owner, &deadline, &status,
		&p.CompletionNote, &evidence, &p.RecheckNote, &carried, &created, &updated, &p.Version); err != nil {
		return nil, err
	}
	p.Status, p.CarriedFrom = workflow.ProblemStatus(status), carried.Int64
	if err := fromJSON(evidence, &p.CompletionEvidence); err != nil {
		return nil, err
	}
	var err error
	if p.Deadline, err = scanNullTime(deadline); err != nil {
		return nil, err
	}
	if p.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if p.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, err
	}
	return &p, nil
}
