package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"lvzhi/internal/datafile"
	"lvzhi/internal/demo"
	"lvzhi/internal/framework"
	"lvzhi/internal/scoring"
)

func runScore(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlags("score", "score (--data FILE|DIR | --demo) [--framework FILE] [--format text|json]")
	data := fs.String("data", "", "县区数据文件（YAML），或含多个数据文件的目录（输出排名）")
	fwFile := fs.String("framework", "", "评价框架文件（YAML）；不填则用内置默认框架")
	format := fs.String("format", "text", "输出格式: text 或 json")
	useDemo := fs.Bool("demo", false, "用内置演示数据（湖州市吴兴区2019年度）")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return usageError(fmt.Sprintf("--format 应为 text 或 json，实际为“%s”", *format))
	}
	if *useDemo == (*data != "") {
		return usageError("请给出 --data FILE|DIR 或 --demo 之一")
	}
	fw, err := c.loadFramework(*fwFile)
	if err != nil {
		return err
	}
	var counties []*datafile.County
	if *useDemo {
		county, err := demo.Wuxing(fw)
		if err != nil {
			return err
		}
		counties = append(counties, county)
	} else {
		files, isDir, err := dataFiles(*data)
		if err != nil {
			return err
		}
		counties, err = readCounties(files, fw, datafile.Options{})
		if err != nil {
			return err
		}
		if isDir {
			// A text ranking needs no explanations.
			results, err := scoreAll(counties, fw, scoring.Options{Brief: *format == "text"})
			if err != nil {
				return err
			}
			return c.printRanking(fw, counties, results, *format)
		}
	}
	county := counties[0]
	if county.Framework != "" && county.Framework != fw.Meta.ID {
		fmt.Fprintf(c.stderr, "注意: %s 是为框架 %s 填写的，现按框架 %s 评分\n", county.File, county.Framework, fw.Meta.ID)
	}
	res, err := county.Score(fw, scoring.Options{})
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeJSON(c, resultJSON(county, res))
	}
	c.printResult(fw, county, res)
	return nil
}

// readCounties reads every data file, reporting all problems together.
func readCounties(files []string, fw *framework.Framework, opt datafile.Options) ([]*datafile.County, error) {
	var counties []*datafile.County
	var errs []string
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		county, err := datafile.ParseWith(f, src, fw, opt)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		counties = append(counties, county)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("数据文件有误，未评分:\n%s", strings.Join(errs, "\n"))
	}
	return counties, nil
}

// scoreAll scores every county; any county's problems stop the whole run,
// since a ranking without it would mislead.
func scoreAll(counties []*datafile.County, fw *framework.Framework, opt scoring.Options) ([]*scoring.Result, error) {
	s := scoring.NewScorer(fw)
	results := make([]*scoring.Result, len(counties))
	var errs []string
	for i, county := range counties {
		res, err := s.Score(county.Input, opt)
		if err != nil {
			errs = append(errs, county.Locate(err).Error())
			continue
		}
		results[i] = res
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("数据有误，未评分:\n%s", strings.Join(errs, "\n"))
	}
	return results, nil
}

func (c *cli) printResult(fw *framework.Framework, county *datafile.County, res *scoring.Result) {
	w := c.stdout
	fmt.Fprintf(w, "%s（%s）%d年度  框架: %s 第%d版\n\n", county.Name, county.Code, county.Year, fw.Meta.ID, fw.Meta.Version)
	rows := [][]string{{"测评点", "得分/满分", "名称", "说明"}}
	for _, p := range res.Points {
		rows = append(rows, []string{p.Code, p.Score.String() + "/" + p.Max.String(), p.Name, p.Explanation})
	}
	fmt.Fprint(w, table(rows))
	fmt.Fprintln(w)
	for _, b := range res.BonusItems {
		if b.Points > 0 {
			fmt.Fprintf(w, "加分 %s %s: %s分（%s）\n", b.Code, b.Name, b.Points, strings.Join(b.Claims, "；"))
		}
	}
	if res.BonusClaimed > res.Bonus {
		fmt.Fprintf(w, "加分合计%s分，超过上限，按%s分计\n", res.BonusClaimed, res.Bonus)
	}
	fmt.Fprintf(w, "基础分%s + 加分%s = 合计%s分；按分数段为%s，", res.Base, res.Bonus, res.Total, res.BandGrade)
	fmt.Fprintf(w, "最终等级%s（%s）\n", res.Grade, res.GradeLabel)
	for _, d := range res.Downgrades {
		fmt.Fprintf(w, "降等 %s: %s（%s → %s）\n", d.Code, d.Reason, d.From, d.To)
	}
	for _, p := range res.Warnings {
		fmt.Fprintf(w, "提醒: %s\n", p.Message)
	}
	if len(county.Assumed) > 0 {
		fmt.Fprintf(w, "注: %d个数据项为设定值（assumed），非报告原数\n", len(county.Assumed))
	}
	fmt.Fprintf(w, "\n%s\n", res.Summary)
}

// jsonResult is the JSON form of one county's result.
type jsonResult struct {
	County         string           `json:"county"`
	Code           string           `json:"code"`
	Year           int              `json:"year"`
	Framework      string           `json:"framework"`
	Total          framework.Points `json:"total"`
	Grade          string           `json:"grade"`
	GradeLabel     string           `json:"grade_label"`
	BandGrade      string           `json:"band_grade"`
	Base           framework.Points `json:"base"`
	FullMarks      int              `json:"full_marks"`
	DeductedPoints int              `json:"deducted_points"`
	Deduction      framework.Points `json:"deduction"`
	Bonus          framework.Points `json:"bonus"`
	BonusItems     []jsonBonus      `json:"bonus_items"`
	Downgrades     []jsonDowngrade  `json:"downgrades"`
	Points         []jsonPoint      `json:"points"`
	Warnings       []string         `json:"warnings"`
	Summary        string           `json:"summary"`
	Rank           int              `json:"rank,omitempty"`
}

type jsonBonus struct {
	Code   string           `json:"code"`
	Name   string           `json:"name"`
	Points framework.Points `json:"points"`
	Claims []string         `json:"claims"`
}

type jsonDowngrade struct {
	Code   string `json:"code"`
	Kind   string `json:"kind"`
	From   string `json:"from"`
	To     string `json:"to"`
	Reason string `json:"reason"`
}

type jsonPoint struct {
	Code        string           `json:"code"`
	Name        string           `json:"name"`
	Area        string           `json:"area"`
	Mode        string           `json:"mode"`
	Max         framework.Points `json:"max"`
	Score       framework.Points `json:"score"`
	Explanation string           `json:"explanation"`
	Criteria    []jsonCriterion  `json:"criteria"`
}

type jsonCriterion struct {
	Code          string             `json:"code"`
	Name          string             `json:"name"`
	Manual        bool               `json:"manual"`
	Max           framework.Points   `json:"max"`
	Score         framework.Points   `json:"score"`
	Rule          string             `json:"rule,omitempty"`
	Inputs        []scoringInputJSON `json:"inputs,omitempty"`
	Rating        string             `json:"rating,omitempty"`
	Reason        string             `json:"reason,omitempty"`
	Justification string             `json:"justification,omitempty"`
}

type scoringInputJSON struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	Value string `json:"value"`
}

func resultJSON(county *datafile.County, res *scoring.Result) jsonResult {
	out := jsonResult{County: county.Name, Code: county.Code, Year: county.Year, Framework: res.Framework,
		Total: res.Total, Grade: res.Grade, GradeLabel: res.GradeLabel, BandGrade: res.BandGrade, Base: res.Base,
		FullMarks: res.FullMarks, DeductedPoints: res.Deducted, Deduction: res.Deduction, Bonus: res.Bonus,
		Summary: res.Summary, Downgrades: []jsonDowngrade{}, Warnings: []string{}}
	for _, b := range res.BonusItems {
		out.BonusItems = append(out.BonusItems, jsonBonus{Code: b.Code, Name: b.Name, Points: b.Points, Claims: nonNil(b.Claims)})
	}
	for _, d := range res.Downgrades {
		out.Downgrades = append(out.Downgrades, jsonDowngrade{Code: d.Code, Kind: string(d.Kind), From: d.From, To: d.To, Reason: d.Reason})
	}
	for _, w := range res.Warnings {
		out.Warnings = append(out.Warnings, w.Message)
	}
	for _, p := range res.Points {
		jp := jsonPoint{Code: p.Code, Name: p.Name, Area: p.Area, Mode: string(p.Mode), Max: p.Max, Score: p.Score, Explanation: p.Explanation}
		for _, cr := range p.Criteria {
			jc := jsonCriterion{Code: cr.Code, Name: cr.Name, Manual: cr.Manual, Max: cr.Max, Score: cr.Score, Rule: cr.Rule,
				Rating: cr.Rating, Reason: cr.Reason, Justification: cr.Justification}
			for _, in := range cr.Inputs {
				jc.Inputs = append(jc.Inputs, scoringInputJSON{Name: in.Name, Label: in.Label, Value: in.Value})
			}
			jp.Criteria = append(jp.Criteria, jc)
		}
		out.Points = append(out.Points, jp)
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func writeJSON(c *cli, v any) error {
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// printRanking prints the results of many counties, best first.
func (c *cli) printRanking(fw *framework.Framework, counties []*datafile.County, results []*scoring.Result, format string) error {
	totals := make([]framework.Points, len(results))
	for i, r := range results {
		totals[i] = r.Total
	}
	ranks := scoring.Ranks(totals)
	order := make([]int, len(results))
	for i := range order {
		order[i] = i
	}
	sortByRank(order, ranks, counties)
	if format == "json" {
		out := struct {
			Framework string       `json:"framework"`
			Counties  []jsonResult `json:"counties"`
		}{Framework: fw.Meta.ID}
		for _, i := range order {
			jr := resultJSON(counties[i], results[i])
			jr.Rank = ranks[i]
			out.Counties = append(out.Counties, jr)
		}
		return writeJSON(c, out)
	}
	cityRanks := ranksWithinCity(counties, totals)
	rows := [][]string{{"名次", "县区", "代码", "所属市", "市内名次", "合计", "等级", "满分点", "扣分", "加分", "降等"}}
	for _, i := range order {
		r := results[i]
		var downs []string
		for _, d := range r.Downgrades {
			downs = append(downs, d.Code)
		}
		cityRank := ""
		if counties[i].City != "" {
			cityRank = fmt.Sprint(cityRanks[i])
		}
		rows = append(rows, []string{fmt.Sprint(ranks[i]), counties[i].Name, counties[i].Code, counties[i].City, cityRank,
			r.Total.String(), r.Grade, fmt.Sprint(r.FullMarks), r.Deduction.String(), r.Bonus.String(), strings.Join(downs, ",")})
	}
	fmt.Fprintf(c.stdout, "框架: %s 第%d版，共%d个县区\n\n", fw.Meta.ID, fw.Meta.Version, len(results))
	fmt.Fprint(c.stdout, table(rows))
	return nil
}

// ranksWithinCity ranks each county among the counties of its city.
func ranksWithinCity(counties []*datafile.County, totals []framework.Points) []int {
	byCity := map[string][]int{}
	for i, c := range counties {
		byCity[c.City] = append(byCity[c.City], i)
	}
	out := make([]int, len(counties))
	for _, idx := range byCity {
		sub := make([]framework.Points, len(idx))
		for k, i := range idx {
			sub[k] = totals[i]
		}
		for k, r := range scoring.Ranks(sub) {
			out[idx[k]] = r
		}
	}
	return out
}

// sortByRank orders county indexes by rank, then by county code.
func sortByRank(order, ranks []int, counties []*datafile.County) {
	sort.SliceStable(order, func(a, b int) bool {
		if ranks[order[a]] != ranks[order[b]] {
			return ranks[order[a]] < ranks[order[b]]
		}
		return counties[order[a]].Code < counties[order[b]].Code
	})
}
