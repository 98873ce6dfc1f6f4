package main

import (
	"context"
	"fmt"

	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

func runBackup(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlags("backup", "backup [--db DSN] FILE\n\n在数据库使用中做一致的 SQLite 备份（不覆盖已有文件）。PostgreSQL 请用 pg_dump。")
	o := c.dbFlags(fs)
	pos, err := parseArgs(fs, args, 1, "backup [--db DSN] FILE")
	if err != nil {
		return err
	}
	return c.withDB(ctx, o, true, func(db *store.DB, _ workflow.Actor) error {
		if err := db.Backup(ctx, pos[0]); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "已备份到 %s\n", pos[0])
		return nil
	})
}
