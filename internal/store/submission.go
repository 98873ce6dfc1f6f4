package store

import (
	"fmt"
	"time"

	"lvzhi/internal/framework"
	"lvzhi/internal/workflow"
)

// Submission is one county's self-assessment in one campaign (at most one
// per campaign × county). The store keeps its content as given; the app
// decides who may change it and when (workflow.State.Editable).
type Submission struct {
	ID         int64
	CampaignID int64
	County     string
	State      workflow.State
	// ReturnReason is why the submission was last returned ("" if never).
	ReturnReason string
	// Values maps an item code to its value written exactly as entered
	// ("80.91", "true", "A"); the framework's item type says how to read it.
	Values map[string]string
	// SelfScores maps a manual point's code to the county's own score.
	SelfScores map[string]SelfScore
	// Bonus lists the bonus points claimed.
	Bonus []BonusClaim
	// Narrative is the self-assessment report, section by section.
	Narrative []Section
	CreatedAt time.Time
	UpdatedAt time.Time
	UpdatedBy string
	// Version is the optimistic-locking counter: UpdateSubmission saves only
	// if it still matches the stored row.
	Version int64
}

// SelfScore is a county's score for one manual point, with its reasons.
type SelfScore struct {
	Points        framework.Points `json:"points"`
	Justification string           `json:"justification,omitempty"`
}

// BonusClaim is one bonus (加分) the county asks for.
type BonusClaim struct {
	Code          string           `json:"code"`
	Points        framework.Points `json:"points"`
	Justification string           `json:"justification,omitempty"`
}

// Section is one titled part of the narrative report.
type Section struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

func (s *Submission) what() string {
	return fmt.Sprintf("%s 的提交材料 #%d", s.County, s.ID)
}

// submissionAudit is the submission as the audit log shows it; map fields
// are diffed key by key.
type submissionAudit struct {
	State        workflow.State       `json:"state"`
	ReturnReason string               `json:"return_reason"`
	Values       map[string]string    `json:"values"`
	SelfScores   map[string]SelfScore `json:"self_scores"`
	Bonus        []BonusClaim         `json:"bonus"`
	Narrative    []Section            `json:"narrative"`
}

func (s *Submission) audit() submissionAudit {
	return submissionAudit{s.State, s.ReturnReason, s.Values, s.SelfScores, s.Bonus, s.Narrative}
}

func (s *Submission) content() ([]any, error) {
	values, err := jsonText(s.Values, "{}")
	if err != nil {
		return nil, err
	}
	scores, err := jsonText(s.SelfScores, "{}")
	if err != nil {
		return nil, err
	}
	bonus, err := jsonText(s.Bonus, "[]")
	if err != nil {
		return nil, err
	}
	narrative, err := jsonText(s.Narrative, "[]")
	if err != nil {
		return nil, err
	}
	return []any{string(s.State), s.ReturnReason, values, scores, bonus, narrative}, nil
}

// CreateSubmission stores a new submission and sets s.ID, s.Version and the
// times. A second submission for the same campaign and county is a
// *ConflictError carrying the existing one; a county that is not a
// participant of the campaign matches eval.ErrInvalid.
func (tx *Tx) CreateSubmission(s *Submission) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if !s.State.Valid() {
		return invalid("提交材料的状态 %q 无效", s.State)
	}
	content, err := s.content()
	if err != nil {
		return err
	}
	s.CreatedAt, s.UpdatedAt, s.UpdatedBy, s.Version = tx.now, tx.now, tx.actor, 1
	args := append([]any{s.CampaignID, s.County}, content...)
	args = append(args, formatTime(tx.now), formatTime(tx.now), tx.actor)
	id, err := tx.insertID(`INSERT INTO submissions (campaign_id, county, state, return_reason, data_values, self_scores,
		bonus_claims, narrative, created_at, updated_at, updated_by, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, args...)
	if err != nil {
		switch {
		case isUnique(err):
			cur, _ := tx.FindSubmission(s.CampaignID, s.County)
			return duplicateError(fmt.Sprintf("%s 在年度评价 #%d 中的提交材料", s.County, s.CampaignID), cur)
		case isForeignKey(err):
			return invalid("%s 不是年度评价 #%d 的参评县", s.County, s.CampaignID)
		}
		return fmt.Errorf("store: create submission %s: %w", s.County, err)
	}
	s.ID = id
	return tx.record("submission", auditID(id), "create", nil, s.audit())
}

// UpdateSubmission saves the state and content of s if s.Version is still
// the stored version, then increments s.Version. A stale version is a
// *ConflictError carrying the current *Submission; nothing is written. The
// campaign and county of a submission never change.
func (tx *Tx) UpdateSubmission(s *Submission) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if !s.State.Valid() {
		return invalid("提交材料的状态 %q 无效", s.State)
	}
	old, err := tx.FindSubmissionByID(s.ID)
	if err != nil {
		return err
	}
	if old.Version != s.Version {
		return staleError(old.what(), s.Version, old.Version, old)
	}
	content, err := s.content()
	if err != nil {
		return err
	}
	args := append(content, formatTime(tx.now), tx.actor, s.ID, s.Version)
	res, err := tx.exec(`UPDATE submissions SET state = ?, return_reason = ?, data_values = ?, self_scores = ?, bonus_claims = ?,
		narrative = ?, updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ? AND version = ?`, args...)
	if err != nil {
		return fmt.Errorf("store: update submission %d: %w", s.ID, err)
	}
	if err := tx.checkUpdated(res, func() error {
		cur, err := tx.FindSubmissionByID(s.ID)
		if err != nil {
			return err
		}
		return staleError(cur.what(), s.Version, cur.Version, cur)
	}); err != nil {
		return err
	}
	s.Version++
	s.CampaignID, s.County, s.CreatedAt = old.CampaignID, old.County, old.CreatedAt
	s.UpdatedAt, s.UpdatedBy = tx.now, tx.actor
	return tx.record("submission", auditID(s.ID), "update", old.audit(), s.audit())
}

const submissionColumns = `id, campaign_id, county, state, return_reason, data_values, self_scores, bonus_claims, narrative,
	created_at, updated_at, updated_by, version`

// FindSubmissionByID returns the submission, or an error matching
// eval.ErrNotFound.
func (tx *Tx) FindSubmissionByID(id int64) (*Submission, error) {
	s, err := scanSubmission(tx.queryRow("SELECT "+submissionColumns+" FROM submissions WHERE id = ?", id))
	if err != nil {
		return nil, rowErr(err, fmt.Sprintf("find submission %d", id), fmt.Sprintf("提交材料 #%d", id))
	}
	return s, nil
}

// FindSubmission returns the county's submission in the campaign, or an
// error matching eval.ErrNotFound.
func (tx *Tx) FindSubmission(campaignID int64, county string) (*Submission, error) {
	s, err := scanSubmission(tx.queryRow("SELECT "+submissionColumns+" FROM submissions WHERE campaign_id = ? AND county = ?", campaignID, county))
	if err != nil {
		return nil, rowErr(err, fmt.Sprintf("find submission %d/%s", campaignID, county),
			fmt.Sprintf("%s 在年度评价 #%d 中的提交材料", county, campaignID))
	}
	return s, nil
}

// SubmissionFilter selects submissions. Nil fields select everything.
type SubmissionFilter struct {
	CampaignID *int64
	County     *string
	State      *workflow.State
}

// FindSubmissions lists submissions ordered by campaign and county.
func (tx *Tx) FindSubmissions(f SubmissionFilter) ([]*Submission, error) {
	q := "SELECT " + submissionColumns + " FROM submissions WHERE 1 = 1"
	var args []any
	if f.CampaignID != nil {
		q += " AND campaign_id = ?"
		args = append(args, *f.CampaignID)
	}
	if f.County != nil {
		q += " AND county = ?"
		args = append(args, *f.County)
	}
	if f.State != nil {
		q += " AND state = ?"
		args = append(args, string(*f.State))
	}
	rows, err := tx.query(q+" ORDER BY campaign_id, county", args...)
	if err != nil {
		return nil, fmt.Errorf("store: find submissions: %w", err)
	}
	defer rows.Close()
	var out []*Submission
	for rows.Next() {
		s, err := scanSubmission(rows)
		if err != nil {
			return nil, fmt.Errorf("store: find submissions: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: find submissions: %w", tx.d.mapError(err))
	}
	return out, nil
}

func scanSubmission(row interface{ Scan(...any) error }) (*Submission, error) {
	var (
		s                                  Submission
		state, values, scores, bonus, narr string
		created, updated                   string
	)
	if err := row.Scan(&s.ID, &s.CampaignID, &s.County, &state, &s.ReturnReason, &values, &scores, &bonus, &narr,
		&created, &updated, &s.UpdatedBy, &s.Version); err != nil {
		return nil, err
	}
	s.State = workflow.State(state)
	s.Values = map[string]string{}
	s.SelfScores = map[string]SelfScore{}
	for _, c := range []struct {
		text string
		dst  any
	}{{values, &s.Values}, {scores, &s.SelfScores}, {bonus, &s.Bonus}, {narr, &s.Narrative}} {
		if err := fromJSON(c.text, c.dst); err != nil {
			return nil, err
		}
	}
	var err error
	if s.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if s.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, err
	}
	return &s, nil
}
