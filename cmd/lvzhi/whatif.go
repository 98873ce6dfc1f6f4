package main

import (
	"context"
	"fmt"
	"strings"

	"lvzhi/internal/datafile"
	"lvzhi/internal/framework"
	"lvzhi/internal/scoring"
)

func runWhatIf(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlags("whatif", "whatif --data DIR --framework NEW [--base OLD] [--format text|json]")
	data := fs.String("data", "", "县区数据文件目录（或单个文件）")
	newFile := fs.String("framework", "", "新的评价框架文件")
	baseFile := fs.String("base", "", "原评价框架文件；不填则用内置默认框架")
	format := fs.String("format", "text", "输出格式: text 或 json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *data == "" || *newFile == "" {
		return usageError("请给出 --data DIR 和 --framework NEW")
	}
	if *format != "text" && *format != "json" {
		return usageError(fmt.Sprintf("--format 应为 text 或 json，实际为“%s”", *format))
	}
	baseFw, err := c.loadFramework(*baseFile)
	if err != nil {
		return err
	}
	newFw, err := c.loadFramework(*newFile)
	if err != nil {
		return err
	}
	files, _, err := dataFiles(*data)
	if err != nil {
		return err
	}
	base, names, err := scoreFiles(files, baseFw)
	if err != nil {
		return fmt.Errorf("按原框架评分: %w", err)
	}
	next, _, err := scoreFiles(files, newFw)
	if err != nil {
		return fmt.Errorf("按新框架评分: %w", err)
	}
	cmp := scoring.Compare(baseFw, newFw, names, base, next)
	if *format == "json" {
		return writeJSON(c, cmp)
	}
	c.printComparison(baseFw, newFw, cmp, len(names))
	return nil
}

// scoreFiles reads and scores every file under fw; values of items fw does
// not have are ignored, so that old data can be scored under a new framework.
func scoreFiles(files []string, fw *framework.Framework) ([]*scoring.Result, []string, error) {
	counties, err := readCounties(files, fw, datafile.Options{IgnoreUnknown: true})
	if err != nil {
		return nil, nil, err
	}
	results, err := scoreAll(counties, fw, scoring.Options{Brief: true})
	if err != nil {
		return nil, nil, err
	}
	names := make([]string, len(counties))
	for i, county := range counties {
		names[i] = county.Name
	}
	return results, names, nil
}

func (c *cli) printComparison(baseFw, newFw *framework.Framework, cmp scoring.Comparison, n int) {
	w := c.stdout
	fmt.Fprintf(w, "原框架 %s 第%d版 → 新框架 %s 第%d版，%d个县区\n\n", baseFw.Meta.ID, baseFw.Meta.Version, newFw.Meta.ID, newFw.Meta.Version, n)
	header := []string{"原等级＼新等级"}
	header = append(header, cmp.NewGrades...)
	header = append(header, "合计")
	rows := [][]string{header}
	for i, g := range cmp.BaseGrades {
		row := []string{g}
		sum := 0
		for _, v := range cmp.Matrix[i] {
			row = append(row, fmt.Sprint(v))
			sum += v
		}
		rows = append(rows, append(row, fmt.Sprint(sum)))
	}
	fmt.Fprint(w, table(rows))
	fmt.Fprintf(w, "\n等级变化: %d个县区（升%d，降%d）\n", len(cmp.Moved), cmp.Up, cmp.Down)
	if len(cmp.Moved) == 0 {
		return
	}
	moved := [][]string{{"县区", "原合计", "原等级", "新合计", "新等级"}}
	for _, m := range cmp.Moved {
		moved = append(moved, []string{m.County, m.BaseTotal.String(), m.BaseGrade, m.NewTotal.String(), m.NewGrade})
	}
	fmt.Fprint(w, strings.TrimRight(table(moved), "\n")+"\n")
}
