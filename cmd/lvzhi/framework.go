package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"lvzhi/internal/framework"
)

func runFramework(ctx context.Context, c *cli, args []string) error {
	if len(args) == 0 {
		return usageError("用法: lvzhi framework lint FILE… | show [FILE] | default")
	}
	switch args[0] {
	case "lint":
		return c.frameworkLint(args[1:])
	case "show":
		if len(args) > 2 {
			return usageError("用法: lvzhi framework show [FILE]")
		}
		file := ""
		if len(args) == 2 {
			file = args[1]
		}
		fw, err := c.loadFramework(file)
		if err != nil {
			return err
		}
		c.showFramework(fw)
		return nil
	case "default":
		_, err := c.stdout.Write(framework.DefaultSource())
		return err
	}
	return usageError(fmt.Sprintf("未知的 framework 子命令“%s”（可用 lint、show、default）", args[0]))
}

// frameworkLint checks each file and prints every problem as FILE:LINE:
// message. It fails if any file has an error.
func (c *cli) frameworkLint(files []string) error {
	if len(files) == 0 {
		return usageError("用法: lvzhi framework lint FILE…")
	}
	bad := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("读取框架文件: %w", err)
		}
		fw, problems, err := framework.Parse(f, src)
		for _, p := range problems {
			fmt.Fprintln(c.stdout, p)
		}
		var le *framework.LintError
		switch {
		case errors.As(err, &le):
			bad += len(le.Problems)
		case err != nil:
			return err
		default:
			fmt.Fprintf(c.stdout, "%s: 通过检查（%s 第%d版：%d个方面、%d个测评点，满分%s，加分上限%s，%d条降等规则）\n",
				f, fw.Meta.ID, fw.Meta.Version, len(fw.Areas), len(fw.Points()), fw.Meta.Total, fw.Bonus.Cap, len(fw.Downgrades))
		}
	}
	if bad > 0 {
		fmt.Fprintf(c.stdout, "发现%d个问题\n", bad)
		return findingsError{bad}
	}
	return nil
}

func (c *cli) showFramework(fw *framework.Framework) {
	w := c.stdout
	fmt.Fprintf(w, "%s（%s 第%d版，%d年度，满分%s）\n\n", fw.Meta.Name, fw.Meta.ID, fw.Meta.Version, fw.Meta.Year, fw.Meta.Total)
	modes := map[framework.Mode]string{framework.ModeAuto: "自动", framework.ModeManual: "人工", framework.ModeMixed: "混合"}
	rows := [][]string{{"代码", "满分", "方式", "名称"}}
	for _, a := range fw.Areas {
		var sum framework.Points
		for _, p := range a.Points {
			sum += p.Max
		}
		rows = append(rows, []string{a.Code, sum.String(), "", a.Name})
		for _, p := range a.Points {
			rows = append(rows, []string{"  " + p.Code, p.Max.String(), modes[p.Mode], p.Name})
		}
	}
	fmt.Fprint(w, table(rows))
	fmt.Fprintf(w, "\n加分项（上限%s分）:\n", fw.Bonus.Cap)
	for _, b := range fw.Bonus.Items {
		fmt.Fprintf(w, "  %s %s：每项%s分，最多%s分\n", b.Code, b.Name, b.Each, b.Max)
	}
	fmt.Fprintln(w, "\n等级:")
	for i, b := range fw.Grades {
		upper := ""
		if i > 0 {
			upper = fmt.Sprintf("，低于%s", fw.Grades[i-1].Min)
		}
		fmt.Fprintf(w, "  %s %s：%s分及以上%s\n", b.Grade, b.Label, b.Min, upper)
	}
	fmt.Fprintln(w, "\n降等规则（依次适用）:")
	for _, d := range fw.Downgrades {
		fmt.Fprintf(w, "  %s %s\n", d.Code, d.Reason)
	}
}
