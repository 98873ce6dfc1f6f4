package main

import (
	"context"
	"fmt"

	"lvzhi/internal/app"
	"lvzhi/internal/framework"
	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

func runReview(ctx context.Context, c *cli, args []string) error {
	fs, o := campaignFlags(c, "review", "review --as USER --campaign 2019 --county CODE --point C2 --score 2 --comment 意见\n\n"+
		"市级审核员在市级审核阶段评分；省级管理员和评审专家在省级核查阶段评分（省级管理员在结果认定阶段可按异议更正）。\n"+
		"--point 也可以是加分项代码（如 P1），--score 为核定的加分。")
	county := fs.String("county", "", "县区代码")
	point := fs.String("point", "", "测评点或加分项代码")
	score := fs.String("score", "", "评分（可有一位小数）")
	comment := fs.String("comment", "", "评审意见（低于满分时必填）")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *county == "" || *point == "" || *score == "" {
		return usageError("请给出 --county、--point 和 --score")
	}
	p, err := framework.ParsePoints(*score)
	if err != nil {
		return usageError(fmt.Sprintf("--score “%s” 不是分数（最多一位小数）", *score))
	}
	return c.withDB(ctx, o, false, func(db *store.DB, a workflow.Actor) error {
		r, err := app.ReviewScore(ctx, db, a, app.ScoreRequest{Year: *fs.year, County: *county, Code: *point, Score: p, Comment: *comment})
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "已记录 %s %s 的%s评分: %s 分（%s）\n", *county, r.Point, r.Stage.Label(), r.Score, r.Comment)
		return nil
	})
}
