package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"lvzhi/internal/app"
	"lvzhi/internal/datafile"
	"lvzhi/internal/framework"
	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

func runSubmission(ctx context.Context, c *cli, args []string) error {
	move := func(action workflow.Action, name string) func(context.Context, *cli, []string) error {
		return func(ctx context.Context, c *cli, args []string) error {
			return submissionMove(ctx, c, args, action, name)
		}
	}
	return subcommand(ctx, c, "submission", args, map[string]func(context.Context, *cli, []string) error{
		"save":        submissionSave,
		"submit":      move(workflow.ActionSubmit, "submit"),
		"return":      move(workflow.ActionReturn, "return"),
		"city-review": move(workflow.ActionCityReview, "city-review"),
		"verify":      move(workflow.ActionVerify, "verify"),
		"finalize":    move(workflow.ActionFinalize, "finalize"),
		"show":        submissionShow,
		"list":        submissionList,
	}, "save|submit|return|city-review|verify|finalize|show|list")
}

func submissionSave(ctx context.Context, c *cli, args []string) error {
	fs, o := campaignFlags(c, "submission save", "submission save --as USER --campaign 2019 --data FILE [--county CODE] [--narrative FILE] [--version N]\n\n"+
		"FILE 是 lvzhi score 读取的县区数据文件（YAML）；自动计分的测评点由系统计算，不能填写分数。")
	data := fs.String("data", "", "县区数据文件（YAML）")
	county := fs.String("county", "", "县区代码（默认取数据文件中的 code）")
	narr := fs.String("narrative", "", "自评报告正文（文本文件，以“# 标题”分节）")
	version := fs.Int64("version", 0, "所编辑的版本号；数据库中已是更新的版本时拒绝保存（默认直接覆盖）")
	var evidence stringList
	fs.Var(&evidence, "evidence", "测评点的佐证材料，写作 测评点=文件，如 C2=班额统计表.pdf（可重复）")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *data == "" {
		return usageError("请用 --data 给出县区数据文件")
	}
	var files []app.PointFile
	for _, e := range evidence {
		point, path, ok := strings.Cut(e, "=")
		if !ok || point == "" || path == "" {
			return usageError(fmt.Sprintf("--evidence “%s” 应写作 测评点=文件", e))
		}
		f, err := readFiles([]string{path})
		if err != nil {
			return err
		}
		files = append(files, app.PointFile{Point: point, File: f[0]})
	}
	src, err := os.ReadFile(*data)
	if err != nil {
		return fmt.Errorf("读取数据文件: %w", err)
	}
	var sections []store.Section
	if *narr != "" {
		text, err := os.ReadFile(*narr)
		if err != nil {
			return fmt.Errorf("读取报告正文: %w", err)
		}
		sections = splitSections(string(text))
	}
	return c.withDB(ctx, o, false, func(db *store.DB, a workflow.Actor) error {
		fw, err := app.CampaignFramework(ctx, db, *fs.year)
		if err != nil {
			return err
		}
		file, err := datafile.Parse(*data, src, fw)
		if err != nil {
			return err
		}
		code := *county
		if code == "" {
			code = file.Code
		}
		if code == "" {
			return usageError("数据文件中没有 code，请用 --county 给出县区代码")
		}
		if file.Code != "" && file.Code != code {
			return usageError(fmt.Sprintf("数据文件是 %s（%s）的，与 --county %s 不符", file.Name, file.Code, code))
		}
		saved, err := app.SaveSubmission(ctx, db, a, app.SaveRequest{Year: *fs.year, County: code,
			Content: app.Content{Input: file.Input, Narrative: sections}, Version: *version, Evidence: files})
		if err != nil {
			return file.Locate(err)
		}
		s := saved.Submission
		fmt.Fprintf(c.stdout, "已保存 %s 的 %d 年度填报（第 %d 版，%s）: 自评 %s 分，%s\n", s.County, *fs.year, s.Version, s.State.Label(),
			saved.Self.Total, saved.Self.GradeLabel)
		if len(saved.Self.Pending) > 0 {
			fmt.Fprintf(c.stdout, "尚待自评打分的细则: %s（提交前须补齐）\n", strings.Join(saved.Self.Pending, "、"))
		}
		if len(saved.Evidence) > 0 {
			var names []string
			for _, e := range saved.Evidence {
				names = append(names, e.Point+":"+e.FileName)
			}
			fmt.Fprintf(c.stdout, "佐证材料 %d 份: %s\n", len(saved.Evidence), strings.Join(names, "、"))
		}
		if len(saved.Filled) > 0 {
			fmt.Fprintf(c.stdout, "以下数据项由系统按上一轮整改问题填写: %s\n", strings.Join(saved.Filled, "、"))
		}
		return nil
	})
}

// splitSections cuts a report into sections at lines starting with "# ".
func splitSections(text string) []store.Section {
	var out []store.Section
	cur := store.Section{}
	flush := func() {
		cur.Text = strings.TrimSpace(cur.Text)
		if cur.Title != "" || cur.Text != "" {
			out = append(out, cur)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if t, ok := strings.CutPrefix(line, "# "); ok {
			flush()
			cur = store.Section{Title: strings.TrimSpace(t)}
			continue
		}
		cur.Text += line + "\n"
	}
	flush()
	return out
}

func submissionMove(ctx context.Context, c *cli, args []string, action workflow.Action, name string) error {
	usage := "submission " + name + " --as USER --campaign 2019 --county CODE"
	if action == workflow.ActionReturn {
		usage += " --reason 理由"
	}
	fs, o := campaignFlags(c, "submission "+name, usage)
	county := fs.String("county", "", "县区代码")
	reason := fs.String("reason", "", "退回理由（退回时必填）")
	version := fs.Int64("version", 0, "所依据的版本号（默认不检查）")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *county == "" {
		return usageError("请用 --county 给出县区代码")
	}
	return c.withDB(ctx, o, false, func(db *store.DB, a workflow.Actor) error {
		s, err := app.Transition(ctx, db, a, app.TransitionRequest{Year: *fs.year, County: *county, Action: action, Reason: *reason, Version: *version})
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%s 的 %d 年度填报: %s，现为“%s”（第 %d 版）\n", s.County, *fs.year, action.Label(), s.State.Label(), s.Version)
		return nil
	})
}

func submissionShow(ctx context.Context, c *cli, args []string) error {
	fs, o := campaignFlags(c, "submission show", "submission show --as USER --campaign 2019 --county CODE")
	county := fs.String("county", "", "县区代码")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *county == "" {
		return usageError("请用 --county 给出县区代码")
	}
	return c.withDB(ctx, o, false, func(db *store.DB, a workflow.Actor) error {
		v, err := app.ShowSubmission(ctx, db, a, *fs.year, *county)
		if err != nil {
			return err
		}
		c.printSubmission(v)
		return nil
	})
}

func (c *cli) printSubmission(v *app.SubmissionView) {
	w, s, o := c.stdout, v.Submission, v.Outcome
	fmt.Fprintf(w, "%s %d 年度填报: %s（第 %d 版，%s 由 %s 更新）\n", s.County, v.Campaign.Year, s.State.Label(), s.Version, formatTime(s.UpdatedAt), s.UpdatedBy)
	if s.ReturnReason != "" {
		fmt.Fprintf(w, "最近一次退回理由: %s\n", s.ReturnReason)
	}
	opt := func(p *framework.Points) string {
		if p == nil {
			return "-"
		}
		return p.String()
	}
	rows := [][]string{{"测评点", "满分", "自评", "市审", "省核", "最终", "依据", "意见"}}
	for _, p := range o.Points {
		rows = append(rows, []string{p.Code + " " + p.Name, p.Max.String(), p.Self.String(), opt(p.City), opt(p.Verified), p.Final.String(), p.Level.Label(), p.Comment})
	}
	for _, b := range o.BonusItems {
		rows = append(rows, []string{"加分 " + b.Code + " " + b.Name, "", b.Self.String(), opt(b.City), opt(b.Verified), b.Final.String(), b.Level.Label(), b.Comment})
	}
	fmt.Fprint(w, table(rows))
	fmt.Fprintf(w, "自评总分 %s；现总分 %s（基础分 %s + 加分 %s），等级 %s（%s）；自评可信度 %s\n", o.SelfTotal, o.Total, o.Base, o.Bonus, o.Grade, o.GradeLabel, o.Credibility)
	for _, d := range o.Downgrades {
		fmt.Fprintf(w, "等级调整 %s→%s: %s\n", d.From, d.To, d.Reason)
	}
	for _, r := range o.Credibility.Reasons {
		fmt.Fprintf(w, "须启动弄虚作假复核: %s\n", r)
	}
	if len(v.Self.Pending) > 0 {
		fmt.Fprintf(w, "尚待自评打分: %s\n", strings.Join(v.Self.Pending, "、"))
	}
	for _, sec := range s.Narrative {
		fmt.Fprintf(w, "【%s】%s\n", sec.Title, sec.Text)
	}
}

func submissionList(ctx context.Context, c *cli, args []string) error {
	fs, o := campaignFlags(c, "submission list", "submission list --campaign 2019 [--state STATE]")
	state := fs.String("state", "", "只列出此状态: draft、submitted、returned、city_reviewed、verified、final")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *state != "" && !workflow.State(*state).Valid() {
		return usageError(fmt.Sprintf("--state “%s” 无效", *state))
	}
	return c.withDB(ctx, o, true, func(db *store.DB, _ workflow.Actor) error {
		v, err := app.ShowCampaign(ctx, db, *fs.year)
		if err != nil {
			return err
		}
		set, err := app.Regions(ctx, db)
		if err != nil {
			return err
		}
		rows := [][]string{{"代码", "县区", "状态"}}
		for _, p := range v.Participants {
			st := v.States[p]
			if *state != "" && st != workflow.State(*state) {
				continue
			}
			rows = append(rows, []string{p, set.FullName(p), st.Label()})
		}
		fmt.Fprint(c.stdout, table(rows))
		return nil
	})
}
