package app

import (
	"fmt"

	"lvzhi/internal/eval"
	"lvzhi/internal/framework"
	"lvzhi/internal/narrative"
	"lvzhi/internal/scoring"
	"lvzhi/internal/store"
)

// checkNarrative runs the number check on every section of a submission's
// report against the submission's own data (entered and derived values).
// Error-level findings refuse the submit, each named by section, line and
// column; warnings do not.
func checkNarrative(fw *framework.Framework, res *scoring.Result, sections []store.Section) error {
	if len(sections) == 0 {
		return nil
	}
	facts := narrative.FactsFrom(fw, res.Values)
	fields := map[string]string{}
	for _, sec := range sections {
		for _, f := range narrative.Check(sec.Text, facts).Findings {
			if f.Severity != narrative.SeverityError {
				continue
			}
			fields[fmt.Sprintf("报告“%s”第%d行第%d列", sec.Title, f.Line, f.Column)] = f.Message
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return &eval.ValidationError{Fields: fields}
}
