package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"unicode/utf8"

	"lvzhi/internal/datafile"
	"lvzhi/internal/eval"
	"lvzhi/internal/framework"
	"lvzhi/internal/narrative"
)

// runCheck checks the figures of a report: against each other and, with
// --data, against the county's data file.
func runCheck(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlags("check", "check --text FILE [--data FILE] [--framework FILE] [--json]")
	textFile := fs.String("text", "", "报告文本文件（UTF-8 纯文本）")
	dataFile := fs.String("data", "", "县区数据文件（YAML）；给出时还核对报告数字与数据是否一致")
	fwFile := fs.String("framework", "", "评价框架文件（YAML）：数据项的名称、别名、单位和等级分数段；不填则用内置默认框架")
	asJSON := fs.Bool("json", false, "以 JSON 输出")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *textFile == "" {
		return usageError("请用 --text FILE 给出要核对的报告")
	}
	src, err := os.ReadFile(*textFile)
	if err != nil {
		return fmt.Errorf("读取报告: %w", err)
	}
	if err := checkUTF8(*textFile, src); err != nil {
		return err
	}
	fw, err := c.loadFramework(*fwFile)
	if err != nil {
		return err
	}
	var values map[string]framework.Value
	year := 0
	if *dataFile != "" {
		data, err := os.ReadFile(*dataFile)
		if err != nil {
			return fmt.Errorf("读取数据文件: %w", err)
		}
		county, err := datafile.Parse(*dataFile, data, fw)
		if err != nil {
			return err
		}
		values, year = county.Input.Values, county.Year
	}
	facts := narrative.FactsFrom(fw, values)
	if year != 0 {
		facts.Year = year
	}
	res := narrative.Check(string(src), facts)
	if *asJSON {
		if err := writeJSON(c, checkJSON(res)); err != nil {
			return err
		}
	} else {
		c.printCheck(*textFile, res)
	}
	if n := res.Errors(); n > 0 {
		return findingsError{n}
	}
	return nil
}

// checkUTF8 refuses text that is not UTF-8 (a GBK file, say) with the line
// of the first bad byte, rather than checking garbled figures.
func checkUTF8(file string, src []byte) error {
	if utf8.Valid(src) {
		return nil
	}
	line := 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return fmt.Errorf("%s:%d: 不是 UTF-8 编码的文本（可能是 GBK），请转换为 UTF-8 后再核对: %w", file, line, eval.ErrInvalid)
		}
		if r == '\n' {
			line++
		}
		i += size
	}
	return nil
}

// findingJSON is one finding as --json writes it.
type findingJSON struct {
	Kind     string `json:"kind"`
	Severity string `json:"severity"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Text     string `json:"text"`
	Message  string `json:"message"`
}

type checkResultJSON struct {
	Claims   int           `json:"claims"`
	Findings []findingJSON `json:"findings"`
}

func checkJSON(res *narrative.Result) checkResultJSON {
	out := checkResultJSON{Claims: res.Claims, Findings: []findingJSON{}}
	for _, f := range res.Findings {
		out.Findings = append(out.Findings, findingJSON{
			Kind: string(f.Kind), Severity: string(f.Severity), Line: f.Line, Column: f.Column, Text: f.Text, Message: f.Message,
		})
	}
	return out
}

var severityNames = map[narrative.Severity]string{
	narrative.SeverityError:   "错误",
	narrative.SeverityWarning: "警告",
}

// printCheck writes one line per finding, FILE:LINE:COLUMN first, and a
// summary.
func (c *cli) printCheck(file string, res *narrative.Result) {
	warnings := 0
	for _, f := range res.Findings {
		if f.Severity == narrative.SeverityWarning {
			warnings++
		}
		fmt.Fprintf(c.stdout, "%s:%d:%d: %s [%s] %s\n", file, f.Line, f.Column, severityNames[f.Severity], f.Kind, f.Message)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "共核对 %d 个数字，", res.Claims)
	if len(res.Findings) == 0 {
		b.WriteString("未发现问题")
	} else {
		fmt.Fprintf(&b, "发现 %d 处问题（错误 %d，警告 %d）", len(res.Findings), res.Errors(), warnings)
	}
	if res.Truncated {
		b.WriteString("；文本过长，只核对了前一部分")
	}
	fmt.Fprintln(c.stdout, b.String())
}
