package main

import (
	"context"
	"fmt"
	"time"

	"lvzhi/internal/app"
	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

func runProblems(ctx context.Context, c *cli, args []string) error {
	return subcommand(ctx, c, "problems", args, map[string]func(context.Context, *cli, []string) error{
		"list":    func(ctx context.Context, c *cli, args []string) error { return problemsList(ctx, c, args, false) },
		"overdue": func(ctx context.Context, c *cli, args []string) error { return problemsList(ctx, c, args, true) },
		"update":  problemsUpdate,
		"carry":   problemsCarry,
	}, "list|overdue|update|carry")
}

func problemsList(ctx context.Context, c *cli, args []string, overdue bool) error {
	name := "problems list"
	if overdue {
		name = "problems overdue"
	}
	fs, o := campaignFlags(c, name, name+" --as USER --campaign 2019 [--county CODE]")
	county := fs.String("county", "", "只列出此县区")
	if err := fs.parse(args); err != nil {
		return err
	}
	return c.withDB(ctx, o, false, func(db *store.DB, a workflow.Actor) error {
		ps, err := app.Problems(ctx, db, a, app.ProblemQuery{Year: *fs.year, County: *county, Overdue: overdue})
		if err != nil {
			return err
		}
		rows := [][]string{{"编号", "县区", "测评点", "状态", "期限", "责任单位", "问题"}}
		for _, p := range ps {
			due := "-"
			if p.Deadline != nil {
				due = formatTime(*p.Deadline)
			}
			rows = append(rows, []string{fmt.Sprint(p.ID), p.County, p.SourcePoint, p.Status.Label(), due, p.Owner, p.Description})
		}
		fmt.Fprint(c.stdout, table(rows))
		what := "整改问题"
		if overdue {
			what = "逾期未整改的问题"
		}
		fmt.Fprintf(c.stdout, "共 %d 项%s\n", len(ps), what)
		return nil
	})
}

func problemsUpdate(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlags("problems update", "problems update --as USER --id N [--status STATUS] [--note 说明] [--owner 责任单位] [--deadline 2021-06-30] [--evidence FILE]…\n\n"+
		"状态: open（待整改）→ in_progress（整改中）→ done（已整改，须说明）→ verified（已复核，省级或专家）；\n"+
		"复核未通过: done → in_progress（须说明）。")
	o := c.dbFlags(fs)
	id := fs.Int64("id", 0, "问题编号")
	status := fs.String("status", "", "新状态")
	note := fs.String("note", "", "整改说明或复核意见")
	owner := fs.String("owner", "", "责任单位或责任人")
	deadline := fs.String("deadline", "", "新的整改期限（仅省级管理员）")
	version := fs.Int64("version", 0, "所依据的版本号（默认不检查）")
	var evidence stringList
	fs.Var(&evidence, "evidence", "整改佐证文件（可重复）")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *id == 0 {
		return usageError("请用 --id 给出问题编号")
	}
	u := app.ProblemUpdate{ID: *id, Status: workflow.ProblemStatus(*status), Note: *note, Owner: *owner, Version: *version}
	if *deadline != "" {
		d, err := parseDate("deadline", *deadline)
		if err != nil {
			return err
		}
		u.Deadline = &d
	}
	files, err := readFiles(evidence)
	if err != nil {
		return err
	}
	u.Evidence = files
	return c.withDB(ctx, o, false, func(db *store.DB, a workflow.Actor) error {
		p, err := app.UpdateProblem(ctx, db, a, u)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "整改问题 #%d（%s）: %s（第 %d 版）\n", p.ID, p.County, p.Status.Label(), p.Version)
		return nil
	})
}

func problemsCarry(ctx context.Context, c *cli, args []string) error {
	fs, o := campaignFlags(c, "problems carry", "problems carry --as ADMIN --campaign 2019 --to 2020 [--deadline 2021-06-30]\n\n"+
		"把未复核销号的问题转入下一年度评价；下一年度“上一轮问题整改”测评点的数据由系统据此填写。")
	to := fs.Int("to", 0, "转入的年度")
	deadline := fs.String("deadline", "", "转入问题的整改期限（默认原期限顺延一年）")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *to == 0 {
		return usageError("请用 --to 给出转入的年度")
	}
	var dl time.Time
	if *deadline != "" {
		var err error
		if dl, err = parseDate("deadline", *deadline); err != nil {
			return err
		}
	}
	return c.withDB(ctx, o, false, func(db *store.DB, a workflow.Actor) error {
		ps, err := app.CarryProblems(ctx, db, a, *fs.year, *to, dl)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "已将 %d 年度未销号的 %d 项整改问题转入 %d 年度评价\n", *fs.year, len(ps), *to)
		return nil
	})
}
