package main

import (
	"context"
	"fmt"

	"lvzhi/internal/app"
	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

func runPublish(ctx context.Context, c *cli, args []string) error {
	fs, o := campaignFlags(c, "publish", "publish --as ADMIN --campaign 2019\n\n"+
		"公布结果：所有已提交县区须已认定、异议均已处理。结果快照一经公布不可更改；同时生成各县区的整改问题清单。")
	if err := fs.parse(args); err != nil {
		return err
	}
	return c.withDB(ctx, o, false, func(db *store.DB, a workflow.Actor) error {
		v, err := app.Publish(ctx, db, a, *fs.year)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%s 结果已公布: %d 个县区，快照校验值 %s\n", v.Campaign.Name, len(v.Results), v.Snapshot.SHA256)
		fmt.Fprintf(c.stdout, "查看: lvzhi results --campaign %d；整改问题: lvzhi problems list --campaign %d\n", v.Campaign.Year, v.Campaign.Year)
		return nil
	})
}
