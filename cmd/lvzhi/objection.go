package main

import (
	"context"
	"fmt"

	"lvzhi/internal/app"
	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

func runObjection(ctx context.Context, c *cli, args []string) error {
	return subcommand(ctx, c, "objection", args, map[string]func(context.Context, *cli, []string) error{
		"file":   objectionFile,
		"decide": objectionDecide,
		"list":   objectionList,
	}, "file|decide|list")
}

func objectionFile(ctx context.Context, c *cli, args []string) error {
	fs, o := campaignFlags(c, "objection file", "objection file --as USER --campaign 2019 --county CODE [--point C2] --reason 理由 [--evidence FILE]…\n\n"+
		"县级用户在异议期内对本县的暂定结果提出异议。")
	county := fs.String("county", "", "县区代码")
	point := fs.String("point", "", "所异议的测评点或加分项（不填为对总体结果）")
	reason := fs.String("reason", "", "异议理由")
	var evidence stringList
	fs.Var(&evidence, "evidence", "佐证文件（可重复）")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *county == "" {
		return usageError("请用 --county 给出县区代码")
	}
	files, err := readFiles(evidence)
	if err != nil {
		return err
	}
	return c.withDB(ctx, o, false, func(db *store.DB, a workflow.Actor) error {
		ob, err := app.FileObjection(ctx, db, a, app.ObjectionRequest{Year: *fs.year, County: *county, Point: *point, Reason: *reason, Evidence: files})
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "已登记异议 #%d（%s，佐证 %d 份），待省级处理\n", ob.ID, ob.County, len(ob.Evidence))
		return nil
	})
}

func objectionDecide(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlags("objection decide", "objection decide --as ADMIN --id N (--accept|--reject) --decision 处理意见\n\n"+
		"采纳异议后如需改分，请用 lvzhi review 更正省级核查评分，再认定结果。")
	o := c.dbFlags(fs)
	id := fs.Int64("id", 0, "异议编号")
	accept := fs.Bool("accept", false, "采纳")
	reject := fs.Bool("reject", false, "不予采纳")
	decision := fs.String("decision", "", "处理意见")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *id == 0 || *accept == *reject {
		return usageError("请给出 --id 以及 --accept 或 --reject 之一")
	}
	return c.withDB(ctx, o, false, func(db *store.DB, a workflow.Actor) error {
		ob, err := app.DecideObjection(ctx, db, a, *id, *accept, *decision)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "异议 #%d（%s）: %s — %s\n", ob.ID, ob.County, workflow.ObjectionStatus(ob.Status).Label(), ob.Decision)
		return nil
	})
}

func objectionList(ctx context.Context, c *cli, args []string) error {
	fs, o := campaignFlags(c, "objection list", "objection list --as USER --campaign 2019")
	if err := fs.parse(args); err != nil {
		return err
	}
	return c.withDB(ctx, o, false, func(db *store.DB, a workflow.Actor) error {
		obs, err := app.Objections(ctx, db, a, *fs.year)
		if err != nil {
			return err
		}
		rows := [][]string{{"编号", "县区", "测评点", "状态", "理由", "处理意见", "提出"}}
		for _, ob := range obs {
			pt := ob.Point
			if pt == "" {
				pt = "总体"
			}
			rows = append(rows, []string{fmt.Sprint(ob.ID), ob.County, pt, workflow.ObjectionStatus(ob.Status).Label(), ob.Reason, ob.Decision,
				ob.FiledBy + " " + formatTime(ob.FiledAt)})
		}
		fmt.Fprint(c.stdout, table(rows))
		return nil
	})
}
