package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Files (evidence for a point, evidence of an objection, proof that a
// problem was fixed) are stored once per content: the blobs table is keyed
// by the SHA-256 of the bytes, so the same file uploaded twice, or for two
// points, takes its space once. Blobs are never changed; they are not
// deleted when a link to them is removed (a later clean-up may).

// Attachment names a stored blob from a row that carries files in a list
// (objections, problems).
type Attachment struct {
	SHA256    string `json:"sha256"`
	FileName  string `json:"file_name"`
	MediaType string `json:"media_type,omitempty"`
	Size      int64  `json:"size"`
}

// Evidence links a stored file to one point of one submission.
type Evidence struct {
	ID           int64
	SubmissionID int64
	Point        string
	FileName     string
	MediaType    string
	SHA256       string // set by the store
	Size         int64  // set by the store
	UploadedBy   string // set by the store
	UploadedAt   time.Time
}

// PutBlob stores data unless the same content is already stored, and
// returns its hex SHA-256 and size as an Attachment with the given name.
// Data larger than DB.MaxBlobSize or empty matches eval.ErrInvalid.
func (tx *Tx) PutBlob(fileName, mediaType string, data []byte) (Attachment, error) {
	if err := tx.writable(); err != nil {
		return Attachment{}, err
	}
	if len(data) == 0 {
		return Attachment{}, invalid("文件 %s 是空的", fileName)
	}
	if limit := tx.db.MaxBlobSize; int64(len(data)) > limit {
		return Attachment{}, invalid("文件 %s 大小 %d 字节，超过上限 %d 字节", fileName, len(data), limit)
	}
	sum := sha256Hex(data)
	a := Attachment{SHA256: sum, FileName: fileName, MediaType: mediaType, Size: int64(len(data))}
	res, err := tx.exec("INSERT INTO blobs (sha256, size, content, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
		sum, len(data), data, formatTime(tx.now))
	if err != nil {
		return Attachment{}, fmt.Errorf("store: store file %s: %w", fileName, err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		if err := tx.record("blob", sum, "create", nil, map[string]any{"size": len(data), "file_name": fileName}); err != nil {
			return Attachment{}, err
		}
	}
	return a, nil
}

// ReadBlob returns the bytes stored under the hex SHA-256, or an error
// matching eval.ErrNotFound.
func (tx *Tx) ReadBlob(sha256 string) ([]byte, error) {
	var data []byte
	if err := tx.queryRow("SELECT content FROM blobs WHERE sha256 = ?", sha256).Scan(&data); err != nil {
		return nil, rowErr(err, "read blob "+sha256, "文件 "+sha256)
	}
	return data, nil
}

// checkAttachments makes sure every attachment names a stored blob.
func (tx *Tx) checkAttachments(as []Attachment) error {
	for _, a := range as {
		var n int
		if err := tx.queryRow("SELECT COUNT(*) FROM blobs WHERE sha256 = ?", a.SHA256).Scan(&n); err != nil {
			return fmt.Errorf("store: check attachment: %w", tx.d.mapError(err))
		}
		if n == 0 {
			return invalid("附件 %s（%s）未上传", a.FileName, a.SHA256)
		}
	}
	return nil
}

// AddEvidence stores data (once per content, see PutBlob) and links it to
// e.SubmissionID and e.Point, setting e's ID, SHA256, Size, UploadedBy and
// UploadedAt. Adding the same content to the same point again adds nothing
// and fills e from the existing link.
func (tx *Tx) AddEvidence(e *Evidence, data []byte) error {
	if e.Point == "" || e.FileName == "" {
		return invalid("佐证材料必须指明测评点和文件名")
	}
	a, err := tx.PutBlob(e.FileName, e.MediaType, data)
	if err != nil {
		return err
	}
	var existing int64
	err = tx.queryRow("SELECT id FROM evidence WHERE submission_id = ? AND point = ? AND sha256 = ?",
		e.SubmissionID, e.Point, a.SHA256).Scan(&existing)
	switch {
	case err == nil:
		cur, err := tx.findEvidence(existing)
		if err != nil {
			return err
		}
		*e = *cur
		return nil
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("store: add evidence: %w", tx.d.mapError(err))
	}
	id, err := tx.insertID(`INSERT INTO evidence (submission_id, point, file_name, media_type, sha256, uploaded_by, uploaded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, e.SubmissionID, e.Point, e.FileName, e.MediaType, a.SHA256, tx.actor, formatTime(tx.now))
	if err != nil {
		if isForeignKey(err) {
			return notFound(fmt.Sprintf("提交材料 #%d", e.SubmissionID))
		}
		return fmt.Errorf("store: add evidence: %w", err)
	}
	e.ID, e.SHA256, e.Size, e.UploadedBy, e.UploadedAt = id, a.SHA256, a.Size, tx.actor, tx.now
	return tx.record("evidence", auditID(id), "create", nil, map[string]any{
		"submission_id": e.SubmissionID, "point": e.Point, "file_name": e.FileName, "sha256": e.SHA256, "size": e.Size})
}

// RemoveEvidence unlinks one evidence file from its submission. The blob
// stays stored.
func (tx *Tx) RemoveEvidence(id int64) error {
	if err := tx.writable(); err != nil {
		return err
	}
	old, err := tx.findEvidence(id)
	if err != nil {
		return err
	}
	if _, err := tx.exec("DELETE FROM evidence WHERE id = ?", id); err != nil {
		return fmt.Errorf("store: remove evidence %d: %w", id, err)
	}
	return tx.record("evidence", auditID(id), "delete", map[string]any{
		"submission_id": old.SubmissionID, "point": old.Point, "file_name": old.FileName, "sha256": old.SHA256}, nil)
}

const evidenceSelect = `SELECT e.id, e.submission_id, e.point, e.file_name, e.media_type, e.sha256, b.size, e.uploaded_by, e.uploaded_at
	FROM evidence e JOIN blobs b ON b.sha256 = e.sha256`

func (tx *Tx) findEvidence(id int64) (*Evidence, error) {
	e, err := scanEvidence(tx.queryRow(evidenceSelect+" WHERE e.id = ?", id))
	if err != nil {
		return nil, rowErr(err, fmt.Sprintf("find evidence %d", id), fmt.Sprintf("佐证材料 #%d", id))
	}
	return e, nil
}

// FindEvidence lists the evidence of a submission ordered by point and id.
func (tx *Tx) FindEvidence(submissionID int64) ([]*Evidence, error) {
	rows, err := tx.query(evidenceSelect+" WHERE e.submission_id = ? ORDER BY e.point, e.id", submissionID)
	if err != nil {
		return nil, fmt.Errorf("store: find evidence: %w", err)
	}
	defer rows.Close()
	var out []*Evidence
	for rows.Next() {
		e, err := scanEvidence(rows)
		if err != nil {
			return nil, fmt.Errorf("store: find evidence: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: find evidence: %w", tx.d.mapError(err))
	}
	return out, nil
}

func scanEvidence(row scanner) (*Evidence, error) {
	var (
		e  Evidence
		at string
	)
	if err := row.Scan(&e.ID, &e.SubmissionID, &e.Point, &e.FileName, &e.MediaType, &e.SHA256, &e.Size, &e.UploadedBy, &at); err != nil {
		return nil, err
	}
	var err error
	if e.UploadedAt, err = parseTime(at); err != nil {
		return nil, err
	}
	return &e, nil
}
