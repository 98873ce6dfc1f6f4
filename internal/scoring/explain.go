package scoring

import (
	"fmt"
	"regexp"
	"strings"

	"lvzhi/internal/framework"
)

var placeholder = regexp.MustCompile(`\{([^{}]*)\}`)

// render fills a reason's {item} and {param} placeholders with the values,
// as a reader sees them (without unit: the text carries its own).
func render(fw *framework.Framework, text string, value func(string) (framework.Value, bool)) string {
	return placeholder.ReplaceAllStringFunc(text, func(m string) string {
		name := m[1 : len(m)-1]
		if it := fw.Item(name); it != nil {
			v, ok := value(name)
			switch {
			case !ok:
				return "（未填）"
			case v.Kind == framework.KindNumber:
				return it.Display(v.Num)
			default:
				return it.Format(v)
			}
		}
		if d, ok := fw.ParamValue(name); ok {
			return d.String()
		}
		return m
	})
}

// explain writes a point's one-paragraph explanation.
func explain(p PointResult) string {
	if p.Veto != "" {
		return fmt.Sprintf("不得分：%s。", p.Veto)
	}
	if p.Lost == 0 {
		var pend []string
		for _, c := range p.Criteria {
			if c.Pending {
				pend = append(pend, c.Code)
			}
		}
		if len(pend) > 0 {
			return fmt.Sprintf("待人工评分：%s。", strings.Join(pend, "、"))
		}
		return "得满分。"
	}
	var parts []string
	for _, c := range p.Criteria {
		lost := c.Max - c.Score
		switch {
		case c.Pending:
			parts = append(parts, fmt.Sprintf("%s待人工评分", c.Name))
		case lost == 0:
			continue
		case c.Reason != "":
			parts = append(parts, fmt.Sprintf("%s扣%s分（%s）", c.Name, lost, c.Reason))
		default:
			parts = append(parts, fmt.Sprintf("%s扣%s分", c.Name, lost))
		}
	}
	return fmt.Sprintf("扣%s分：%s。", p.Lost, strings.Join(parts, "；"))
}

// Summary writes the standard summary sentence of a self-assessment report:
// 在24项测评点中,有22个测评点得满分,2个测评点扣3.5分,加分指标得2分,
// 自评合计得分为98.5分,等级为A等。 stage is the word before 合计得分.
func Summary(r *Result, points int, stage string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "在%d项测评点中,", points)
	switch {
	case r.Deducted == 0:
		fmt.Fprintf(&b, "%d个测评点均得满分,", r.FullMarks)
	case r.FullMarks == 0:
		fmt.Fprintf(&b, "%d个测评点共扣%s分,", r.Deducted, r.Deduction)
	default:
		fmt.Fprintf(&b, "有%d个测评点得满分,%d个测评点扣%s分,", r.FullMarks, r.Deducted, r.Deduction)
	}
	fmt.Fprintf(&b, "加分指标得%s分,%s合计得分为%s分,等级为%s。", r.Bonus, stage, r.Total, GradePhrase(r.Grade, r.GradeLabel))
	return b.String()
}

// GradePhrase writes a grade as a report does: "A等" for a letter grade,
// the label itself ("优秀") otherwise.
func GradePhrase(grade, label string) string {
	if len(grade) == 1 && grade[0] >= 'A' && grade[0] <= 'Z' {
		return grade + "等"
	}
	if label != "" {
		return label
	}
	return grade
}
