package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"

	"lvzhi/internal/eval"
)

// Backup writes a consistent copy of the SQLite database to path while the
// database stays in use (VACUUM INTO: one read transaction, so the copy is
// a snapshot of committed data, compacted). path must not exist yet. For
// PostgreSQL it returns an error matching eval.ErrInvalid that says to use
// pg_dump (docs/storage.md has the commands).
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.dialect == postgres {
		return fmt.Errorf("store: PostgreSQL 数据库请用 pg_dump 备份（例如 pg_dump -Fc -f lvzhi.dump \"$LVZHI_DB\"），见 docs/storage.md: %w", eval.ErrInvalid)
	}
	if path == "" {
		return fmt.Errorf("store: 备份文件路径不能为空: %w", eval.ErrInvalid)
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: 备份文件 %s 已存在，不会覆盖: %w", path, eval.ErrConflict)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("store: 备份文件 %s: %w", path, err)
	}
	// On a reader connection, so that writers go on while the copy is made
	// (WAL lets one writer and readers work at once). VACUUM INTO only
	// writes the new file, but query_only forbids it, so it is lifted on
	// this connection for the copy.
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA query_only = 0"); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	_, err = conn.ExecContext(ctx, "VACUUM INTO ?", path)
	if _, qerr := conn.ExecContext(context.Background(), "PRAGMA query_only = 1"); qerr != nil {
		conn.Raw(func(any) error { return driver.ErrBadConn }) // do not return it to the pool
	}
	if err != nil {
		os.Remove(path) // a partial copy is worse than none
		return fmt.Errorf("store: 备份到 %s 失败: %w", path, db.dialect.mapError(err))
	}
	return nil
}

// IntegrityCheck runs SQLite's PRAGMA integrity_check and foreign_key_check
// and returns an error listing what they found; on PostgreSQL it only checks
// that the server answers.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	if db.dialect == postgres {
		return db.read.PingContext(ctx)
	}
	rows, err := db.read.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("store: integrity check: %w", err)
	}
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return fmt.Errorf("store: integrity check: %w", err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	rows.Close()
	fk, err := db.read.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return fmt.Errorf("store: foreign key check: %w", err)
	}
	for fk.Next() {
		problems = append(problems, "foreign key violation")
	}
	fk.Close()
	if len(problems) > 0 {
		return fmt.Errorf("store: 数据库完整性检查未通过: %v", problems)
	}
	return nil
}
