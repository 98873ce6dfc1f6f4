package app

import (
	"fmt"
	"sort"
	"strings"

	"lvzhi/internal/eval"
	"lvzhi/internal/framework"
	"lvzhi/internal/scoring"
	"lvzhi/internal/store"
)

// Content is what a county fills in: data values, self-scores of manual
// criteria with justification, bonus claims (in scoring.Input) and the
// narrative sections of its self-assessment report. Scores of automatic
// criteria are not part of it: the engine computes them.
type Content struct {
	Input     scoring.Input
	Narrative []store.Section
}

// bonusSep joins a bonus claim's title and its evidence note in the stored
// justification.
const bonusSep = "｜佐证："

// toStore converts content for storage: values as exact text, manual
// scores as points (a rating becomes the points it is worth), bonus claims
// with the item's points per claim.
func toStore(fw *framework.Framework, in scoring.Input, s *store.Submission) error {
	s.Values = map[string]string{}
	for code, v := range in.Values {
		s.Values[code] = v.String()
	}
	s.SelfScores = map[string]store.SelfScore{}
	for code, m := range in.Manual {
		c := fw.Criterion(code)
		if c == nil {
			return fmt.Errorf("框架中没有细则 %s: %w", code, eval.ErrInvalid)
		}
		var p framework.Points
		switch {
		case m.Score != nil:
			p = *m.Score
		case m.Rating != "":
			found := false
			for _, r := range c.Rating {
				if r.Label == m.Rating {
					p, found = r.Share.MulPoints(c.Max), true
				}
			}
			if !found {
				return fmt.Errorf("%s 的评定等级“%s”无效: %w", code, m.Rating, eval.ErrInvalid)
			}
		default:
			continue
		}
		s.SelfScores[code] = store.SelfScore{Points: p, Justification: m.Justification}
	}
	s.Bonus = nil
	for _, b := range in.Bonus {
		bi := fw.BonusItem(b.Item)
		if bi == nil {
			return fmt.Errorf("框架中没有加分项 %s: %w", b.Item, eval.ErrInvalid)
		}
		just := b.Title
		if b.Evidence != "" {
			just += bonusSep + b.Evidence
		}
		s.Bonus = append(s.Bonus, store.BonusClaim{Code: b.Item, Points: bi.Each, Justification: just})
	}
	return nil
}

// inputOf rebuilds the engine's input from a stored submission.
func inputOf(fw *framework.Framework, s *store.Submission) (scoring.Input, error) {
	in := scoring.Input{Values: map[string]framework.Value{}, Manual: map[string]scoring.Manual{}}
	var bad []string
	for _, code := range sortedKeys(s.Values) {
		it := fw.Item(code)
		if it == nil {
			bad = append(bad, fmt.Sprintf("%s: 框架中没有此数据项", code))
			continue
		}
		v, err := it.ParseValue(s.Values[code])
		if err != nil {
			bad = append(bad, fmt.Sprintf("%s: %v", code, err))
			continue
		}
		in.Values[code] = v
	}
	for code, sc := range s.SelfScores {
		p := sc.Points
		in.Manual[code] = scoring.Manual{Score: &p, Justification: sc.Justification}
	}
	for _, b := range s.Bonus {
		title, evidence, _ := strings.Cut(b.Justification, bonusSep)
		in.Bonus = append(in.Bonus, scoring.BonusClaim{Item: b.Code, Title: title, Evidence: evidence})
	}
	if len(bad) > 0 {
		return in, fmt.Errorf("%s 的已存数据与框架不符: %s: %w", s.County, strings.Join(bad, "；"), eval.ErrInvalid)
	}
	return in, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
