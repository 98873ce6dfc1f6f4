package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"lvzhi/internal/app"
	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

func runCampaign(ctx context.Context, c *cli, args []string) error {
	return subcommand(ctx, c, "campaign", args, map[string]func(context.Context, *cli, []string) error{
		"create":  campaignCreate,
		"open":    campaignOpen,
		"advance": campaignAdvance,
		"show":    campaignShow,
	}, "create|open|advance|show")
}

func campaignCreate(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlags("campaign create", "campaign create --as ADMIN --year 2019 --participants 33 [--city-review] [--name 名称] [--framework FILE] [--deadline 阶段=日期]…\n\n"+
		"阶段: self_assessment（自评）、city_review（市级审核）、province_verification（省级核查）、\n"+
		"      results（结果认定，即异议期截止）、published（公布）、rectification（整改）")
	o := c.dbFlags(fs)
	year := fs.Int("year", 0, "评价年度")
	parts := fs.String("participants", "", "参评地区代码：其下所有县级单位参评（如 33 为浙江全省）")
	city := fs.Bool("city-review", false, "设市级审核阶段")
	name := fs.String("name", "", "评价名称（默认“<年度>年度县级人民政府履行教育职责评价”）")
	fwFile := fs.String("framework", "", "评价框架文件（YAML）；不填则用内置默认框架")
	var deadlines stringList
	fs.Var(&deadlines, "deadline", "阶段截止日期，如 self_assessment=2020-08-31（可重复）")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := needYear("year", *year); err != nil {
		return err
	}
	if *parts == "" {
		return usageError("请用 --participants 给出参评地区代码，例如 --participants 33")
	}
	dl, err := workflow.ParseDeadlines(deadlines, cst)
	if err != nil {
		return usageError(err.Error())
	}
	spec := app.CampaignSpec{Year: *year, Name: *name, Region: *parts, CityReview: *city, Deadlines: dl, FrameworkFile: *fwFile}
	if *fwFile != "" {
		if spec.Framework, err = os.ReadFile(*fwFile); err != nil {
			return fmt.Errorf("读取框架文件: %w", err)
		}
	}
	return c.withDB(ctx, o, false, func(db *store.DB, a workflow.Actor) error {
		cp, err := app.CreateCampaign(ctx, db, a, spec)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "已创建 %s（#%d）: 参评县区 %d 个，框架 %s 第 %s 版，%s\n", cp.Name, cp.ID, len(cp.Participants),
			cp.FrameworkID, cp.FrameworkVersion, cityText(cp.CityReview))
		fmt.Fprintf(c.stdout, "下一步: lvzhi campaign open --year %d（启动后框架版本不可再改）\n", cp.Year)
		return nil
	})
}

func cityText(city bool) string {
	if city {
		return "设市级审核"
	}
	return "不设市级审核"
}

func yearFlags(c *cli, name, usage string) (*flagSetWithYear, *dbOptions) {
	fs := c.newFlags(name, usage)
	o := c.dbFlags(fs)
	return &flagSetWithYear{FlagSet: fs, year: fs.Int("year", 0, "评价年度")}, o
}

func campaignOpen(ctx context.Context, c *cli, args []string) error {
	fs, o := yearFlags(c, "campaign open", "campaign open --as ADMIN --year 2019")
	if err := fs.parse(args); err != nil {
		return err
	}
	return c.withDB(ctx, o, false, func(db *store.DB, a workflow.Actor) error {
		cp, err := app.OpenCampaign(ctx, db, a, *fs.year)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%s 已启动，进入“%s”阶段；框架 %s 第 %s 版已固定\n", cp.Name, cp.Stage.Label(), cp.FrameworkID, cp.FrameworkVersion)
		return nil
	})
}

func campaignAdvance(ctx context.Context, c *cli, args []string) error {
	fs, o := yearFlags(c, "campaign advance", "campaign advance --as ADMIN --year 2019 [--force]")
	force := fs.Bool("force", false, "离开自评阶段时放弃仍未提交的县区（本年度不参评、不排名）")
	if err := fs.parse(args); err != nil {
		return err
	}
	return c.withDB(ctx, o, false, func(db *store.DB, a workflow.Actor) error {
		cp, err := app.AdvanceCampaign(ctx, db, a, *fs.year, *force)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%s 进入“%s”阶段\n", cp.Name, cp.Stage.Label())
		if cp.Stage == workflow.StageResults && cp.ObjectionOpens != nil {
			until := "公布前"
			if cp.ObjectionCloses != nil {
				until = formatTime(*cp.ObjectionCloses)
			}
			fmt.Fprintf(c.stdout, "异议期: %s 至 %s\n", formatTime(*cp.ObjectionOpens), until)
		}
		return nil
	})
}

func campaignShow(ctx context.Context, c *cli, args []string) error {
	fs, o := yearFlags(c, "campaign show", "campaign show --year 2019")
	if err := fs.parse(args); err != nil {
		return err
	}
	return c.withDB(ctx, o, true, func(db *store.DB, _ workflow.Actor) error {
		v, err := app.ShowCampaign(ctx, db, *fs.year)
		if err != nil {
			return err
		}
		c.printCampaign(v)
		return nil
	})
}

func (c *cli) printCampaign(v *app.CampaignView) {
	w := c.stdout
	opened := "未启动"
	if v.OpenedAt != nil {
		opened = "已于 " + formatTime(*v.OpenedAt) + " 启动"
	}
	fmt.Fprintf(w, "%s（#%d，%s）\n", v.Name, v.ID, opened)
	fmt.Fprintf(w, "框架: %s 第 %s 版；参评地区 %s，县区 %d 个；%s\n", v.FrameworkID, v.FrameworkVersion, v.Rules.Region, len(v.Participants), cityText(v.CityReview))
	var stages []string
	for _, s := range v.Rules.StagesOf() {
		label := s.Label()
		if s == v.Stage {
			label = "【" + label + "】"
		}
		if d, ok := v.Deadlines[s]; ok {
			label += "（截止 " + formatTime(d) + "）"
		}
		stages = append(stages, label)
	}
	fmt.Fprintf(w, "阶段: %s\n", strings.Join(stages, " → "))
	var parts []string
	for _, s := range workflow.States {
		if n := v.Progress.States[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", s.Label(), n))
		}
	}
	fmt.Fprintf(w, "填报: %s", strings.Join(parts, "，"))
	if v.Progress.PendingObjections > 0 {
		fmt.Fprintf(w, "；待处理异议 %d", v.Progress.PendingObjections)
	}
	fmt.Fprintln(w)
	if v.Sample != nil {
		var picks []string
		for _, p := range v.Sample.Picks {
			picks = append(picks, p.County)
		}
		sort.Strings(picks)
		fmt.Fprintf(w, "实地核查抽样（种子 %d）: %s\n", v.Sample.Seed, strings.Join(picks, " "))
	}
	if v.CarriedFrom != 0 {
		fmt.Fprintf(w, "已接收年度评价 #%d 转入的整改问题\n", v.CarriedFrom)
	}
}
