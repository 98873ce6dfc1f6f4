package main

import (
	"context"
	"fmt"

	"lvzhi/internal/app"
	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

func runMigrate(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlags("migrate", "migrate [--db DSN]")
	o := c.dbFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return c.withDB(ctx, o, true, func(db *store.DB, _ workflow.Actor) error {
		v, err := db.SchemaVersion(ctx)
		if err != nil {
			return err
		}
		n, err := app.SeedRegions(ctx, db)
		if err != nil {
			return err
		}
		where := db.Path()
		if where == "" {
			where = "PostgreSQL"
		}
		fmt.Fprintf(c.stdout, "数据库 %s（%s）已是第 %d 版结构\n", where, db.Dialect(), v)
		if n > 0 {
			fmt.Fprintf(c.stdout, "已载入全国行政区划 %d 个（省、地、县三级）\n", n)
		}
		return nil
	})
}
