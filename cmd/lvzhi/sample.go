package main

import (
	"context"
	"fmt"
	"strings"

	"lvzhi/internal/app"
	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

func runSample(ctx context.Context, c *cli, args []string) error {
	fs, o := campaignFlags(c, "sample", "sample --as ADMIN --campaign 2019 --n 10 --seed 7\n\n"+
		"抽取实地核查的县区：先按风险（上年可信度低、上年 C/D 等、自评分高出市级审核分）抽取，其余按地市分层随机抽取。\n"+
		"种子随结果记录，任何人可用同一种子复核；每个年度只能抽取一次。不给 --n 则显示已抽取的结果。")
	n := fs.Int("n", 0, "抽取县区数")
	seed := fs.Uint64("seed", 0, "随机种子（须公开记录）")
	if err := fs.parse(args); err != nil {
		return err
	}
	return c.withDB(ctx, o, *n == 0, func(db *store.DB, a workflow.Actor) error {
		set, err := app.Regions(ctx, db)
		if err != nil {
			return err
		}
		var s *store.Sample
		if *n == 0 {
			v, err := app.ShowCampaign(ctx, db, *fs.year)
			if err != nil {
				return err
			}
			if v.Sample == nil {
				return fmt.Errorf("%d 年度评价尚未抽取实地核查县区", *fs.year)
			}
			s = v.Sample
		} else if s, err = app.DrawSample(ctx, db, a, app.SampleRequest{Year: *fs.year, N: *n, Seed: *seed}); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%d 年度实地核查抽样: %d 个县区，种子 %d，%s 由 %s 抽取\n", *fs.year, len(s.Picks), s.Seed, formatTime(s.DrawnAt), s.DrawnBy)
		rows := [][]string{{"代码", "县区", "理由"}}
		for _, p := range s.Picks {
			rows = append(rows, []string{p.County, set.FullName(p.County), strings.Join(p.Reasons, "；")})
		}
		fmt.Fprint(c.stdout, table(rows))
		return nil
	})
}
