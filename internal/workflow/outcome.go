package workflow

import (
	"fmt"
	"sort"

	"strings"

	"lvzhi/internal/eval"
	"lvzhi/internal/framework"
	"lvzhi/internal/scoring"
)

// Level says who gave a point its score.
type Level string

// The score levels, from the county up.
const (
	LevelSelf     Level = "self"     // 自评: the engine on the county's data and self-scores
	LevelCity     Level = "city"     // 市级审核
	LevelVerified Level = "verified" // 省级核查
)

var levelLabels = map[Level]string{LevelSelf: "自评", LevelCity: "市级审核", LevelVerified: "省级核查"}

// Label is the level's Chinese name.
func (l Level) Label() string { return label(levelLabels, l) }

// ReviewScore is a reviewer's score and comment for one evaluation point.
type ReviewScore struct {
	Score   framework.Points
	Comment string
}

// CheckReviewScore checks a reviewer's score against the framework. code is
// an evaluation point (the score lies between 0 and its maximum; below the
// maximum a comment must say why) or a bonus item (the points it earns,
// between 0 and the item's maximum; a comment must say which claims were
// accepted or why they were not).
func CheckReviewScore(fw *framework.Framework, code string, rs ReviewScore) error {
	what, top := "测评点", framework.Points(0)
	switch {
	case fw.Point(code) != nil:
		top = fw.Point(code).Max
	case fw.BonusItem(code) != nil:
		what, top = "加分项", fw.BonusItem(code).Max
	default:
		return fmt.Errorf("框架中没有测评点或加分项 %s: %w", code, eval.ErrInvalid)
	}
	if rs.Score < 0 || rs.Score > top {
		return fmt.Errorf("%s %s 的评分 %s 超出 0 到 %s 分的范围: %w", what, code, rs.Score, top, eval.ErrInvalid)
	}
	if strings.TrimSpace(rs.Comment) == "" && (rs.Score < top || what == "加分项") {
		if what == "加分项" {
			return fmt.Errorf("加分项 %s 的核定须填写意见: %w", code, eval.ErrInvalid)
		}
		return fmt.Errorf("测评点 %s 评分 %s 低于满分 %s，须填写扣分意见: %w", code, rs.Score, top, eval.ErrInvalid)
	}
	return nil
}

// PointOutcome is one point's score at each level and the score that
// counts.
type PointOutcome struct {
	Code, Name string
	Max        framework.Points
	// Self is the engine's score on the county's own data and self-scores.
	Self framework.Points
	// City and Verified are the reviewers' scores, nil where not given.
	City, Verified *framework.Points
	// Final is Verified where given, else City, else Self; Level says
	// which.
	Final   framework.Points
	Level   Level
	Comment string // the comment of the reviewer whose score counts
	// Reason is why the engine's self-score lost marks (its explanation).
	Reason string
}

// BonusOutcome is one bonus item's points at each level, as for points.
type BonusOutcome struct {
	Code, Name     string
	Self           framework.Points
	City, Verified *framework.Points
	Final          framework.Points
	Level          Level
	Comment        string
}

// Outcome is a county's result after review: the points' final scores,
// the total, the grade after the downgrades the engine found, and the
// credibility of its self-assessment.
type Outcome struct {
	Points             []PointOutcome
	BonusItems         []BonusOutcome
	Base, Bonus        framework.Points
	Total              framework.Points
	SelfTotal          framework.Points // the engine's total on the county's own input
	BandGrade          string
	Grade              string
	GradeLabel         string
	Downgrades         []scoring.AppliedDowngrade
	Credibility        Credibility
	ReviewedByCity     int // points with a city score
	ReviewedByProvince int // points with a verification score
}

// Decide computes a county's outcome from the engine's result on its own
// input (self, scored with fw) and the reviewers' scores by point or bonus
// item code. A bonus item's points are, like a point's, the verified ones,
// else the city's, else the engine's on the county's claims; the bonus is
// their sum under the framework's cap. The grade is banded from the final
// total and then
// the downgrades the engine found on the data are applied again in the
// framework's order, since they depend on facts, not on points.
func Decide(fw *framework.Framework, self *scoring.Result, city, verified map[string]ReviewScore) (*Outcome, error) {
	for _, m := range []map[string]ReviewScore{city, verified} {
		for _, code := range sortedKeys(m) {
			if err := CheckReviewScore(fw, code, m[code]); err != nil {
				return nil, err
			}
		}
	}
	o := &Outcome{SelfTotal: self.Total}
	for _, pr := range self.Points {
		po := PointOutcome{Code: pr.Code, Name: pr.Name, Max: pr.Max, Self: pr.Score, Final: pr.Score, Level: LevelSelf, Reason: reasonOf(pr)}
		if rs, ok := city[pr.Code]; ok {
			s := rs.Score
			po.City, po.Final, po.Level, po.Comment = &s, s, LevelCity, rs.Comment
			o.ReviewedByCity++
		}
		if rs, ok := verified[pr.Code]; ok {
			s := rs.Score
			po.Verified, po.Final, po.Level, po.Comment = &s, s, LevelVerified, rs.Comment
			o.ReviewedByProvince++
		}
		o.Base += po.Final
		o.Points = append(o.Points, po)
	}
	var bonus framework.Points
	for _, br := range self.BonusItems {
		bo := BonusOutcome{Code: br.Code, Name: br.Name, Self: br.Points, Final: br.Points, Level: LevelSelf}
		if rs, ok := city[br.Code]; ok {
			s := rs.Score
			bo.City, bo.Final, bo.Level, bo.Comment = &s, s, LevelCity, rs.Comment
		}
		if rs, ok := verified[br.Code]; ok {
			s := rs.Score
			bo.Verified, bo.Final, bo.Level, bo.Comment = &s, s, LevelVerified, rs.Comment
		}
		bonus += bo.Final
		o.BonusItems = append(o.BonusItems, bo)
	}
	o.Bonus = min(bonus, fw.Bonus.Cap)
	o.Total = o.Base + o.Bonus
	band := fw.GradeFor(o.Total)
	o.BandGrade = fw.Grades[band].Grade
	grade := band
	applied := map[string]scoring.AppliedDowngrade{}
	for _, d := range self.Downgrades {
		applied[d.Code] = d
	}
	for _, d := range fw.Downgrades {
		ad, ok := applied[d.Code]
		if !ok {
			continue
		}
		from := grade
		switch d.Kind {
		case framework.DowngradeCap:
			grade = max(grade, fw.BandIndex(d.Grade))
		case framework.DowngradeDrop:
			grade = min(grade+1, max(grade, fw.BandIndex(d.Floor)))
		}
		o.Downgrades = append(o.Downgrades, scoring.AppliedDowngrade{Code: d.Code, Kind: d.Kind,
			From: fw.Grades[from].Grade, To: fw.Grades[grade].Grade, Reason: ad.Reason})
	}
	o.Grade, o.GradeLabel = fw.Grades[grade].Grade, fw.Grades[grade].Label
	o.Credibility = Credible(o.Points)
	return o, nil
}

// reasonOf is the engine's explanation of a point that lost marks, or "".
func reasonOf(pr scoring.PointResult) string {
	if pr.Lost == 0 {
		return ""
	}
	return pr.Explanation
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
