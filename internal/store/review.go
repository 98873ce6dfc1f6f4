package store

import (
	"fmt"
	"time"

	"lvzhi/internal/framework"
	"lvzhi/internal/workflow"
)

// Review is a reviewer's score and comment for one point of one submission
// at one stage: workflow.StageCityReview (市级审核) or
// workflow.StageProvinceVerification (省级核查). There is at most one per
// submission × point × stage; later saves update it.
type Review struct {
	ID           int64
	SubmissionID int64
	Point        string
	Stage        workflow.Stage
	Score        framework.Points
	Comment      string
	// Reviewer and ReviewedAt are set by the store to the actor and time
	// of the last save.
	Reviewer   string
	ReviewedAt time.Time
	// Version is the optimistic-locking counter.
	Version int64
}

func (r *Review) what() string {
	return fmt.Sprintf("提交材料 #%d 测评点 %s 的%s意见", r.SubmissionID, r.Point, r.Stage.Label())
}

type reviewAudit struct {
	SubmissionID int64            `json:"submission_id"`
	Point        string           `json:"point"`
	Stage        workflow.Stage   `json:"stage"`
	Score        framework.Points `json:"score"`
	Comment      string           `json:"comment"`
}

func (r *Review) audit() reviewAudit {
	return reviewAudit{r.SubmissionID, r.Point, r.Stage, r.Score, r.Comment}
}

// SaveReview creates the review when r.ID is 0 and otherwise updates it if
// r.Version is still the stored version. Both set r.Reviewer, r.ReviewedAt
// and r.Version. A second review of the same submission, point and stage is
// a *ConflictError carrying the existing *Review, as is a stale version.
func (tx *Tx) SaveReview(r *Review) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if r.Stage != workflow.StageCityReview && r.Stage != workflow.StageProvinceVerification {
		return invalid("评审意见的阶段必须是市级审核或省级核查，不是 %q", r.Stage)
	}
	if r.Point == "" {
		return invalid("评审意见必须指明测评点")
	}
	if r.ID == 0 {
		id, err := tx.insertID(`INSERT INTO reviews (submission_id, point, stage, score, comment, reviewer, reviewed_at, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, 1)`,
			r.SubmissionID, r.Point, string(r.Stage), int64(r.Score), r.Comment, tx.actor, formatTime(tx.now))
		if err != nil {
			switch {
			case isUnique(err):
				cur, _ := tx.findReview(r.SubmissionID, r.Point, r.Stage)
				return duplicateError(r.what(), cur)
			case isForeignKey(err):
				return notFound(fmt.Sprintf("提交材料 #%d", r.SubmissionID))
			}
			return fmt.Errorf("store: create review: %w", err)
		}
		r.ID, r.Version, r.Reviewer, r.ReviewedAt = id, 1, tx.actor, tx.now
		return tx.record("review", auditID(id), "create", nil, r.audit())
	}
	old, err := tx.FindReviewByID(r.ID)
	if err != nil {
		return err
	}
	if old.Version != r.Version {
		return staleError(old.what(), r.Version, old.Version, old)
	}
	res, err := tx.exec(`UPDATE reviews SET score = ?, comment = ?, reviewer = ?, reviewed_at = ?, version = version + 1
		WHERE id = ? AND version = ?`, int64(r.Score), r.Comment, tx.actor, formatTime(tx.now), r.ID, r.Version)
	if err != nil {
		return fmt.Errorf("store: update review %d: %w", r.ID, err)
	}
	if err := tx.checkUpdated(res, func() error {
		cur, err := tx.FindReviewByID(r.ID)
		if err != nil {
			return err
		}
		return staleError(cur.what(), r.Version, cur.Version, cur)
	}); err != nil {
		return err
	}
	r.SubmissionID, r.Point, r.Stage = old.SubmissionID, old.Point, old.Stage
	r.Version++
	r.Reviewer, r.ReviewedAt = tx.actor, tx.now
	return tx.record("review", auditID(r.ID), "update", old.audit(), r.audit())
}

const reviewColumns = "id, submission_id, point, stage, score, comment, reviewer, reviewed_at, version"

// FindReviewByID returns the review, or an error matching eval.ErrNotFound.
func (tx *Tx) FindReviewByID(id int64) (*Review, error) {
	r, err := scanReview(tx.queryRow("SELECT "+reviewColumns+" FROM reviews WHERE id = ?", id))
	if err != nil {
		return nil, rowErr(err, fmt.Sprintf("find review %d", id), fmt.Sprintf("评审意见 #%d", id))
	}
	return r, nil
}

func (tx *Tx) findReview(submissionID int64, point string, stage workflow.Stage) (*Review, error) {
	return scanReview(tx.queryRow("SELECT "+reviewColumns+" FROM reviews WHERE submission_id = ? AND point = ? AND stage = ?",
		submissionID, point, string(stage)))
}

// ReviewFilter selects reviews. Nil fields select everything.
type ReviewFilter struct {
	SubmissionID *int64
	CampaignID   *int64
	Stage        *workflow.Stage
}

// FindReviews lists reviews ordered by submission, point and stage.
func (tx *Tx) FindReviews(f ReviewFilter) ([]*Review, error) {
	q := "SELECT " + reviewColumns + " FROM reviews WHERE 1 = 1"
	var args []any
	if f.SubmissionID != nil {
		q += " AND submission_id = ?"
		args = append(args, *f.SubmissionID)
	}
	if f.CampaignID != nil {
		q += " AND submission_id IN (SELECT id FROM submissions WHERE campaign_id = ?)"
		args = append(args, *f.CampaignID)
	}
	if f.Stage != nil {
		q += " AND stage = ?"
		args = append(args, string(*f.Stage))
	}
	return queryAll(tx, "find reviews", scanReview, q+" ORDER BY submission_id, point, stage", args...)
}

func scanReview(row scanner) (*Review, error) {
	var (
		r         Review
		stage, at string
		score     int64
	)
	if err := row.Scan(&r.ID, &r.SubmissionID, &r.Point, &stage, &score, &r.Comment, &r.Reviewer, &at, &r.Version); err != nil {
		return nil, err
	}
	r.Stage, r.Score = workflow.Stage(stage), framework.Points(score)
	var err error
	if r.ReviewedAt, err = parseTime(at); err != nil {
		return nil, err
	}
	return &r, nil
}
