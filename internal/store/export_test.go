package store

import (
	"context"
	"strconv"
)

// ExecForTest runs raw SQL on the writer connection, past the store's
// methods, as an attacker or a careless administrator would.
func ExecForTest(ctx context.Context, db *DB, query string) error {
	_, err := db.write.ExecContext(ctx, query)
	return db.dialect.mapError(err)
}

// LimitPagesForTest caps the SQLite file at its current size plus extra
// pages on the writer connection, so that writes beyond fail as on a full
// disk (SQLITE_FULL).
func LimitPagesForTest(ctx context.Context, db *DB, extra int) error {
	var pages int
	if err := db.write.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		return err
	}
	_, err := db.write.ExecContext(ctx, "PRAGMA max_page_count = "+strconv.Itoa(pages+extra))
	return err
}

// PragmaForTest reads a PRAGMA on the writer (or a reader) connection.
func PragmaForTest(ctx context.Context, db *DB, reader bool, name string) (string, error) {
	pool := db.write
	if reader {
		pool = db.read
	}
	var v string
	err := pool.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v)
	return v, err
}
