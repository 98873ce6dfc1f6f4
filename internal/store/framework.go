package store

import (
	"errors"
	"fmt"
	"time"
)

// FrameworkVersion is one stored version of an indicator framework: the
// YAML text exactly as loaded, with its SHA-256. A campaign pins one
// (ID, Version); once that campaign is opened the version can no longer be
// changed or deleted (enforced by the database).
type FrameworkVersion struct {
	ID        string // framework id, e.g. "zj-county"
	Version   string // e.g. "2019"
	Name      string
	Source    string // the YAML text
	SHA256    string // hex SHA-256 of Source, set by the store
	CreatedAt time.Time
	CreatedBy string
}

func (f *FrameworkVersion) what() string {
	return fmt.Sprintf("指标体系 %s 版本 %s", f.ID, f.Version)
}

type frameworkAudit struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Name    string `json:"name"`
	SHA256  string `json:"sha256"`
}

func (f *FrameworkVersion) audit() frameworkAudit {
	return frameworkAudit{f.ID, f.Version, f.Name, f.SHA256}
}

// CreateFramework stores a new framework version. The same (ID, Version)
// twice is a *ConflictError carrying the stored *FrameworkVersion — unless
// the text is identical, in which case the call does nothing and fills f
// from the stored row, so importing the same file again is harmless.
func (tx *Tx) CreateFramework(f *FrameworkVersion) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if f.ID == "" || f.Version == "" || f.Source == "" {
		return invalid("指标体系必须有标识、版本和内容")
	}
	f.SHA256 = sha256Hex([]byte(f.Source))
	if cur, err := tx.FindFramework(f.ID, f.Version); err == nil {
		if cur.SHA256 == f.SHA256 {
			*f = *cur
			return nil
		}
		return duplicateError(f.what()+"（内容不同）", cur)
	}
	f.CreatedAt, f.CreatedBy = tx.now, tx.actor
	_, err := tx.exec(`INSERT INTO frameworks (id, version, name, source, sha256, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		f.ID, f.Version, f.Name, f.Source, f.SHA256, formatTime(tx.now), tx.actor)
	if err != nil {
		if isUnique(err) {
			return duplicateError[FrameworkVersion](f.what(), nil)
		}
		return fmt.Errorf("store: create framework %s %s: %w", f.ID, f.Version, err)
	}
	return tx.record("framework", f.ID+"@"+f.Version, "create", nil, f.audit())
}

// UpdateFrameworkSource replaces the text of a framework version that no
// opened campaign pins yet. Once pinned, the change is refused with an
// error matching eval.ErrForbidden: publish a new version instead.
func (tx *Tx) UpdateFrameworkSource(id, version, name, source string) error {
	if err := tx.writable(); err != nil {
		return err
	}
	old, err := tx.FindFramework(id, version)
	if err != nil {
		return err
	}
	upd := *old
	upd.Name, upd.Source, upd.SHA256 = name, source, sha256Hex([]byte(source))
	_, err = tx.exec("UPDATE frameworks SET name = ?, source = ?, sha256 = ? WHERE id = ? AND version = ?",
		upd.Name, upd.Source, upd.SHA256, id, version)
	if err != nil {
		if errors.Is(err, errImmutable) {
			return fmt.Errorf("store: %s 已被开始的年度评价采用，不能再修改，请另立新版本: %w", old.what(), err)
		}
		return fmt.Errorf("store: update framework %s %s: %w", id, version, err)
	}
	return tx.record("framework", id+"@"+version, "update", old.audit(), upd.audit())
}

// FindFramework returns a framework version with its text, or an error
// matching eval.ErrNotFound.
func (tx *Tx) FindFramework(id, version string) (*FrameworkVersion, error) {
	row := tx.queryRow(`SELECT id, version, name, source, sha256, created_at, created_by FROM frameworks WHERE id = ? AND version = ?`, id, version)
	f, err := scanFramework(row)
	if err != nil {
		return nil, rowErr(err, "find framework "+id+" "+version, fmt.Sprintf("指标体系 %s 版本 %s", id, version))
	}
	return f, nil
}

// FindFrameworks lists every stored framework version (with its text),
// ordered by id and version.
func (tx *Tx) FindFrameworks() ([]*FrameworkVersion, error) {
	rows, err := tx.query(`SELECT id, version, name, source, sha256, created_at, created_by FROM frameworks ORDER BY id, version`)
	if err != nil {
		return nil, fmt.Errorf("store: find frameworks: %w", err)
	}
	defer rows.Close()
	var out []*FrameworkVersion
	for rows.Next() {
		f, err := scanFramework(rows)
		if err != nil {
			return nil, fmt.Errorf("store: find frameworks: %w", err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: find frameworks: %w", tx.d.mapError(err))
	}
	return out, nil
}

func scanFramework(row scanner) (*FrameworkVersion, error) {
	var (
		f       FrameworkVersion
		created string
	)
	if err := row.Scan(&f.ID, &f.Version, &f.Name, &f.Source, &f.SHA256, &created, &f.CreatedBy); err != nil {
		return nil, err
	}
	var err error
	if f.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	return &f, nil
}
