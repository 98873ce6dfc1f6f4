package store

import (
	"database/sql"
	"fmt"
	"time"
)

// ObjectionStatus is where an objection (异议) stands.
type ObjectionStatus string

// The objection statuses.
const (
	ObjectionPending  ObjectionStatus = "pending"  // 待处理
	ObjectionAccepted ObjectionStatus = "accepted" // 已采纳
	ObjectionRejected ObjectionStatus = "rejected" // 未采纳
)

// Valid reports whether s is one of the statuses.
func (s ObjectionStatus) Valid() bool {
	return s == ObjectionPending || s == ObjectionAccepted || s == ObjectionRejected
}

// Objection is a county's objection to its provisional result, filed in the
// campaign's objection window, with the decision taken on it.
type Objection struct {
	ID         int64
	CampaignID int64
	County     string
	// Point is the point objected to; "" for the result as a whole.
	Point    string
	Reason   string
	Evidence []Attachment
	Status   ObjectionStatus
	Decision string
	// DecidedBy and DecidedAt are set by the store when the status leaves
	// pending.
	DecidedBy string
	DecidedAt *time.Time
	// FiledBy and FiledAt are set by the store on creation.
	FiledBy   string
	FiledAt   time.Time
	UpdatedAt time.Time
	// Version is the optimistic-locking counter.
	Version int64
}

func (o *Objection) what() string { return fmt.Sprintf("%s 的异议 #%d", o.County, o.ID) }

type objectionAudit struct {
	CampaignID int64           `json:"campaign_id"`
	County     string          `json:"county"`
	Point      string          `json:"point"`
	Reason     string          `json:"reason"`
	Evidence   []Attachment    `json:"evidence"`
	Status     ObjectionStatus `json:"status"`
	Decision   string          `json:"decision"`
	DecidedBy  string          `json:"decided_by"`
}

func (o *Objection) audit() objectionAudit {
	return objectionAudit{o.CampaignID, o.County, o.Point, o.Reason, o.Evidence, o.Status, o.Decision, o.DecidedBy}
}

// CreateObjection files an objection (status pending) and sets its ID,
// Version, FiledBy and times. Evidence must name blobs stored with PutBlob.
func (tx *Tx) CreateObjection(o *Objection) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if o.Reason == "" {
		return invalid("异议必须写明理由")
	}
	if err := tx.checkAttachments(o.Evidence); err != nil {
		return err
	}
	evidence, err := jsonText(o.Evidence, "[]")
	if err != nil {
		return err
	}
	o.Status, o.Decision, o.DecidedBy, o.DecidedAt = ObjectionPending, "", "", nil
	id, err := tx.insertID(`INSERT INTO objections (campaign_id, county, point, reason, evidence, status, filed_by, filed_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
		o.CampaignID, o.County, o.Point, o.Reason, evidence, string(o.Status), tx.actor, formatTime(tx.now), formatTime(tx.now))
	if err != nil {
		if isForeignKey(err) {
			return invalid("异议的年度评价 #%d 或县 %s 不存在", o.CampaignID, o.County)
		}
		return fmt.Errorf("store: create objection: %w", err)
	}
	o.ID, o.Version, o.FiledBy, o.FiledAt, o.UpdatedAt = id, 1, tx.actor, tx.now, tx.now
	return tx.record("objection", auditID(id), "create", nil, o.audit())
}

// UpdateObjection saves the reason, evidence, status and decision of o if
// o.Version is still the stored version, then increments o.Version. When
// the status leaves pending the store records the actor and time as the
// decider. A stale version is a *ConflictError carrying the current
// *Objection.
func (tx *Tx) UpdateObjection(o *Objection) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if !o.Status.Valid() {
		return invalid("异议状态 %q 无效", o.Status)
	}
	old, err := tx.FindObjectionByID(o.ID)
	if err != nil {
		return err
	}
	if old.Version != o.Version {
		return staleError(old.what(), o.Version, old.Version, old)
	}
	if err := tx.checkAttachments(o.Evidence); err != nil {
		return err
	}
	evidence, err := jsonText(o.Evidence, "[]")
	if err != nil {
		return err
	}
	o.DecidedBy, o.DecidedAt = old.DecidedBy, old.DecidedAt
	if o.Status != old.Status {
		if o.Status == ObjectionPending {
			o.DecidedBy, o.DecidedAt = "", nil
		} else {
			now := tx.now
			o.DecidedBy, o.DecidedAt = tx.actor, &now
		}
	}
	res, err := tx.exec(`UPDATE objections SET reason = ?, evidence = ?, status = ?, decision = ?, decided_by = ?, decided_at = ?,
		updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		o.Reason, evidence, string(o.Status), o.Decision, o.DecidedBy, nullTime(o.DecidedAt), formatTime(tx.now), o.ID, o.Version)
	if err != nil {
		return fmt.Errorf("store: update objection %d: %w", o.ID, err)
	}
	if err := tx.checkUpdated(res, func() error {
		cur, err := tx.FindObjectionByID(o.ID)
		if err != nil {
			return err
		}
		return staleError(cur.what(), o.Version, cur.Version, cur)
	}); err != nil {
		return err
	}
	o.CampaignID, o.County, o.Point, o.FiledBy, o.FiledAt = old.CampaignID, old.County, old.Point, old.FiledBy, old.FiledAt
	o.Version++
	o.UpdatedAt = tx.now
	return tx.record("objection", auditID(o.ID), "update", old.audit(), o.audit())
}

const objectionColumns = `id, campaign_id, county, point, reason, evidence, status, decision, decided_by, decided_at,
	filed_by, filed_at, updated_at, version`

// FindObjectionByID returns the objection, or an error matching
// eval.ErrNotFound.
func (tx *Tx) FindObjectionByID(id int64) (*Objection, error) {
	o, err := scanObjection(tx.queryRow("SELECT "+objectionColumns+" FROM objections WHERE id = ?", id))
	if err != nil {
		return nil, rowErr(err, fmt.Sprintf("find objection %d", id), fmt.Sprintf("异议 #%d", id))
	}
	return o, nil
}

// ObjectionFilter selects objections. Nil fields select everything.
type ObjectionFilter struct {
	CampaignID *int64
	County     *string
	Status     *ObjectionStatus
}

// FindObjections lists objections ordered by id.
func (tx *Tx) FindObjections(f ObjectionFilter) ([]*Objection, error) {
	q := "SELECT " + objectionColumns + " FROM objections WHERE 1 = 1"
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
	return queryAll(tx, "find objections", scanObjection, q+" ORDER BY id", args...)
}

func scanObjection(row scanner) (*Objection, error) {
	var (
		o                Objection
		evidence, status string
		decidedAt        sql.NullString
		filed, updated   string
	)
	if err := row.Scan(&o.ID, &o.CampaignID, &o.County, &o.Point, &o.Reason, &evidence, &status, &o.Decision, &o.DecidedBy,
		&decidedAt, &o.FiledBy, &filed, &updated, &o.Version); err != nil {
		return nil, err
	}
	o.Status = ObjectionStatus(status)
	if err := fromJSON(evidence, &o.Evidence); err != nil {
		return nil, err
	}
	var err error
	if o.DecidedAt, err = scanNullTime(decidedAt); err != nil {
		return nil, err
	}
	if o.FiledAt, err = parseTime(filed); err != nil {
		return nil, err
	}
	if o.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, err
	}
	return &o, nil
}
