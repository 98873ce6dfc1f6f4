package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"strings"

	"lvzhi/internal/app"
	"lvzhi/internal/framework"
	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

func runResults(ctx context.Context, c *cli, args []string) error {
	fs, o := campaignFlags(c, "results", "results --campaign 2019 [--as USER] [--format text|csv|json]\n\n"+
		"已公布的结果任何人可查看；公布前的暂定结果只供省级管理员和评审专家查看（须 --as）。")
	format := fs.String("format", "text", "输出格式: text、csv 或 json")
	if err := fs.parse(args); err != nil {
		return err
	}
	switch *format {
	case "text", "csv", "json":
	default:
		return usageError(fmt.Sprintf("--format 应为 text、csv 或 json，实际为“%s”", *format))
	}
	name := o.as
	if name == "" {
		name = c.getenv(envUser)
	}
	return c.withDB(ctx, o, true, func(db *store.DB, _ workflow.Actor) error {
		var a workflow.Actor
		if name != "" {
			var err error
			if a, err = app.ActorFor(ctx, db, name); err != nil {
				return err
			}
		}
		v, err := app.Results(ctx, db, a, *fs.year)
		if err != nil {
			return err
		}
		switch *format {
		case "json":
			return writeJSON(c, resultsJSON(v))
		case "csv":
			return c.resultsCSV(v)
		}
		c.printResults(v)
		return nil
	})
}

func (c *cli) printResults(v *app.ResultsView) {
	w := c.stdout
	if v.Published {
		fmt.Fprintf(w, "%s 结果（%s 公布，校验值 %s）\n", v.Campaign.Name, formatTime(v.Snapshot.PublishedAt), v.Snapshot.SHA256[:16])
	} else {
		fmt.Fprintf(w, "%s 暂定结果（未公布）\n", v.Campaign.Name)
	}
	rows := [][]string{{"全省排名", "市内排名", "代码", "县区", "所在市", "总分", "自评", "等级", "可信度", "等级调整"}}
	for _, r := range v.Results {
		rows = append(rows, []string{
			fmt.Sprintf("%d/%d", r.Rank, r.Of), fmt.Sprintf("%d/%d", r.CityRank, r.CityOf), r.County, r.Name, r.City,
			r.Total.String(), r.SelfTotal.String(), r.Grade + " " + r.GradeLabel, percent(r.Credibility), strings.Join(r.Downgrades, "；")})
	}
	fmt.Fprint(w, table(rows))
	if len(v.NotSubmitted) > 0 {
		fmt.Fprintf(w, "未提交（不参加排名）%d 个: %s\n", len(v.NotSubmitted), strings.Join(v.NotSubmitted, " "))
	}
}

// percent shows a fraction in ten-thousandths as a percentage with one
// decimal, rounded half up.
func percent(d framework.Decimal) string {
	tenths := (int64(d) + 5) / 10
	return fmt.Sprintf("%d.%d%%", tenths/10, tenths%10)
}

func (c *cli) resultsCSV(v *app.ResultsView) error {
	w := csv.NewWriter(c.stdout)
	w.Write([]string{"province_rank", "city_rank", "code", "county", "city", "total", "self_total", "grade", "credibility", "downgrades", "published"})
	for _, r := range v.Results {
		w.Write([]string{itoa(r.Rank), itoa(r.CityRank), r.County, r.Name, r.City, r.Total.String(), r.SelfTotal.String(), r.Grade,
			r.Credibility.String(), strings.Join(r.Downgrades, "；"), fmt.Sprint(v.Published)})
	}
	w.Flush()
	return w.Error()
}

type resultJSONRow struct {
	Rank        int                         `json:"province_rank"`
	Of          int                         `json:"ranked"`
	CityRank    int                         `json:"city_rank"`
	CityOf      int                         `json:"city_ranked"`
	County      string                      `json:"code"`
	Name        string                      `json:"county"`
	City        string                      `json:"city"`
	Total       framework.Points            `json:"total"`
	SelfTotal   framework.Points            `json:"self_total"`
	Grade       string                      `json:"grade"`
	GradeLabel  string                      `json:"grade_label"`
	Credibility framework.Decimal           `json:"credibility"`
	Downgrades  []string                    `json:"downgrades"`
	Points      map[string]framework.Points `json:"point_scores"`
}

type resultsJSONDoc struct {
	Campaign     string          `json:"campaign"`
	Year         int             `json:"year"`
	Published    bool            `json:"published"`
	SHA256       string          `json:"sha256,omitempty"`
	Results      []resultJSONRow `json:"results"`
	NotSubmitted []string        `json:"not_submitted"`
}

func resultsJSON(v *app.ResultsView) resultsJSONDoc {
	doc := resultsJSONDoc{Campaign: v.Campaign.Name, Year: v.Campaign.Year, Published: v.Published, Results: []resultJSONRow{},
		NotSubmitted: append([]string{}, v.NotSubmitted...)}
	if v.Snapshot != nil {
		doc.SHA256 = v.Snapshot.SHA256
	}
	for _, r := range v.Results {
		dg := append([]string{}, r.Downgrades...)
		doc.Results = append(doc.Results, resultJSONRow{r.Rank, r.Of, r.CityRank, r.CityOf, r.County, r.Name, r.City, r.Total, r.SelfTotal,
			r.Grade, r.GradeLabel, r.Credibility, dg, r.PointScores})
	}
	return doc
}
