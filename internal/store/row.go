package store

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// checkUpdated turns an UPDATE … WHERE version = ? that matched no row into
// the error onZero builds (usually a stale-version conflict with the current
// row, or not found).
func (tx *Tx) checkUpdated(res sql.Result, onZero func() error) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: rows affected: %w", err)
	}
	if n == 0 {
		return onZero()
	}
	return nil
}

// fingerprint is a short SHA-256 prefix that shows in the audit log that a
// secret changed without revealing it.
func fingerprint(secret string) string {
	if secret == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:6])
}

// sha256Hex is the hex SHA-256 of b.
func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// jsonText encodes a column value stored as JSON text. Nil maps and slices
// are written as {} and [] so that every row reads back the same way.
func jsonText(v any, empty string) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("store: encode column: %w", err)
	}
	if string(b) == "null" {
		return empty, nil
	}
	return string(b), nil
}

// fromJSON decodes a JSON text column into dst.
func fromJSON(text string, dst any) error {
	if text == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(text), dst); err != nil {
		return fmt.Errorf("store: decode column: %w", err)
	}
	return nil
}

// scanner is a *sql.Row or *sql.Rows.
type scanner = interface{ Scan(...any) error }

// queryAll runs a query and scans every row with scan; what names the
// operation in errors ("find problems").
func queryAll[T any](tx *Tx, what string, scan func(scanner) (*T, error), q string, args ...any) ([]*T, error) {
	rows, err := tx.query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, tx.d.mapError(err))
	}
	return out, nil
}
