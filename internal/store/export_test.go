package store

import "context"

// ExecForTest runs raw SQL on the writer connection, past the store's
// methods, as an attacker or a careless administrator would.
func ExecForTest(ctx context.Context, db *DB, query string) error {
	_, err := db.write.ExecContext(ctx, query)
	return db.dialect.mapError(err)
}
