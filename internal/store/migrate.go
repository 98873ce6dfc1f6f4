package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// The schema, one folder per dialect with identical file names
// NNNN_title.sql. Forward only: a change to a released schema is a new file.
//
// We run them with our own small runner instead of goose: it is about
// eighty lines, needs no extra module, and goose v3.30.0 would raise
// modernc.org/libc above the exact version modernc.org/sqlite names (see
// docs/storage.md).
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// migration is one schema step.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the steps of one dialect in order, checking that numbers
// start at 1 and have no gaps or repeats.
func migrations(d dialect) ([]migration, error) {
	dir := "migrations/" + d.name()
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("store: read migrations: %w", err)
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("store: migration %s: name must be NNNN_title.sql", name)
		}
		text, err := fs.ReadFile(migrationFiles, path.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("store: read migration %s: %w", name, err)
		}
		out = append(out, migration{version: v, name: name, sql: string(text)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("store: migrations of %s: expected number %d, found %s", d.name(), i+1, m.name)
		}
	}
	return out, nil
}

// migrate applies the pending migrations, each in its own transaction
// together with its row in schema_migrations. On PostgreSQL an advisory lock
// keeps two starting processes from applying the same step twice; on SQLite
// the write transaction (BEGIN IMMEDIATE) does the same.
func (db *DB) migrate(ctx context.Context) error {
	steps, err := migrations(db.dialect)
	if err != nil {
		return err
	}
	const create = `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	)`
	if err := db.createMigrationsTable(ctx, create); err != nil {
		return err
	}
	var last int
	if err := db.write.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&last); err != nil {
		return fmt.Errorf("store: read schema version: %w", db.dialect.mapError(err))
	}
	if last > len(steps) {
		return fmt.Errorf("store: 数据库的结构版本 %d 比本程序认识的 %d 新，请升级 lvzhi", last, len(steps))
	}
	// Only a database with pending steps is written to, so that a
	// read-only database that is up to date still opens for reading.
	for _, m := range steps[last:] {
		if err := db.applyMigration(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// createMigrationsTable creates schema_migrations if needed, in a write
// transaction: on SQLite that is BEGIN IMMEDIATE, which waits for another
// process doing the same (a bare CREATE TABLE in autocommit would upgrade a
// read to a write and fail with SQLITE_BUSY at once); on PostgreSQL it holds
// the migration lock, since two concurrent CREATE TABLE IF NOT EXISTS can
// collide there.
func (db *DB) createMigrationsTable(ctx context.Context, create string) error {
	if !db.needsMigrationsTable(ctx) {
		return nil // already there: a read-only database still opens
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: create schema_migrations: %w", db.dialect.mapError(err))
	}
	defer tx.Rollback()
	if db.dialect == postgres {
		if _, err := tx.ExecContext(ctx, migrationLock); err != nil {
			return fmt.Errorf("store: migration lock: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, create); err != nil {
		return fmt.Errorf("store: create schema_migrations: %w", db.dialect.mapError(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: create schema_migrations: %w", db.dialect.mapError(err))
	}
	return nil
}

// needsMigrationsTable reports whether schema_migrations is missing (or
// cannot be read, in which case creating it will report the error).
func (db *DB) needsMigrationsTable(ctx context.Context) bool {
	var n int
	err := db.write.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations").Scan(&n)
	return err != nil
}

// migrationLock takes the PostgreSQL advisory lock every lvzhi process
// holds while it changes the schema: an arbitrary constant plus the schema,
// so that databases in different schemas (parallel tests) do not wait for
// each other.
const migrationLock = "SELECT pg_advisory_xact_lock(7316001, hashtext(current_schema()))"

func (db *DB) applyMigration(ctx context.Context, m migration) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: migration %s: %w", m.name, db.dialect.mapError(err))
	}
	defer tx.Rollback()
	if db.dialect == postgres {
		if _, err := tx.ExecContext(ctx, migrationLock); err != nil {
			return fmt.Errorf("store: migration lock: %w", err)
		}
	}
	var n int
	q := db.dialect.rebind("SELECT COUNT(*) FROM schema_migrations WHERE version = ?")
	if err := tx.QueryRowContext(ctx, q, m.version).Scan(&n); err != nil {
		return fmt.Errorf("store: migration %s: %w", m.name, db.dialect.mapError(err))
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("store: migration %s: %w", m.name, db.dialect.mapError(err))
	}
	ins := db.dialect.rebind("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
	if _, err := tx.ExecContext(ctx, ins, m.version, m.name, formatTime(db.Now())); err != nil {
		return fmt.Errorf("store: migration %s: %w", m.name, db.dialect.mapError(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: migration %s: %w", m.name, db.dialect.mapError(err))
	}
	return nil
}

// SchemaVersion is the number of the last migration applied.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.read.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("store: schema version: %w", db.dialect.mapError(err))
	}
	return v, nil
}
