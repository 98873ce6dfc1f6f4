package datafile

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"lvzhi/internal/eval"
	"lvzhi/internal/framework"
	"lvzhi/internal/scoring"
)

// County is one county's data file, read.
type County struct {
	File      string
	Name      string // 吴兴区
	Code      string // GB/T 2260 code, "330502"
	City      string // 湖州市 (optional)
	Year      int
	Framework string // framework id the data was gathered for (optional)
	Input     scoring.Input
	// Notes holds, per item code, the note written beside a value; Assumed
	// lists the items whose values are assumed rather than reported.
	Notes   map[string]string
	Assumed []string
	// Ignored lists values skipped under Options.IgnoreUnknown.
	Ignored []string

	lines map[string]int // "values.schools_total" -> line
}

// Problem is one thing wrong with a data file, at a line of it.
type Problem = eval.FileProblem

// Error lists every problem found in a data file, in line order. It matches
// eval.ErrInvalid under errors.Is.
type Error = eval.FileError

type fileCounty struct {
	County    string    `yaml:"county"`
	Code      string    `yaml:"code"`
	City      string    `yaml:"city"`
	Year      string    `yaml:"year"`
	Framework string    `yaml:"framework"`
	Values    yaml.Node `yaml:"values"`
	Manual    yaml.Node `yaml:"manual"`
	Bonus     []struct {
		Item     string `yaml:"item"`
		Title    string `yaml:"title"`
		Evidence string `yaml:"evidence"`
		Rejected bool   `yaml:"rejected"`
	} `yaml:"bonus"`
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// Options change how Parse treats a file.
type Options struct {
	// IgnoreUnknown skips values of items the framework does not have
	// (listed in County.Ignored) instead of refusing them: for scoring old
	// data under a changed framework (what-if).
	IgnoreUnknown bool
}

// Parse reads a county data file for framework fw. Values are checked for
// being known items of the right form; a *Error lists every problem. Range,
// required items and validation rules are the engine's checks: run Score.
func Parse(file string, src []byte, fw *framework.Framework) (*County, error) {
	return ParseWith(file, src, fw, Options{})
}

// ParseWith is Parse with options.
func ParseWith(file string, src []byte, fw *framework.Framework, opt Options) (c *County, err error) {
	defer func() {
		if r := recover(); r != nil {
			c, err = nil, &Error{Problems: []Problem{{File: file, Line: 1, Message: fmt.Sprintf("无法读取: %v", r)}}}
		}
	}()
	c = &County{File: file, Notes: map[string]string{}, lines: map[string]int{},
		Input: scoring.Input{Values: map[string]framework.Value{}, Manual: map[string]scoring.Manual{}}}
	var probs []Problem
	bad := func(line int, format string, args ...any) {
		probs = append(probs, Problem{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
	}
	var fc fileCounty
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&fc); err != nil {
		line := 1
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if err.Error() == "EOF" {
			msg = "文件为空"
		}
		bad(line, "数据文件格式错误: %s", msg)
		return nil, &Error{Problems: probs}
	}
	c.Name, c.Code, c.City, c.Framework = fc.County, fc.Code, fc.City, fc.Framework
	if c.Name == "" {
		bad(1, "缺少 county（县区名称）")
	}
	if y, err := strconv.Atoi(fc.Year); err != nil {
		bad(1, "year 应为年份，实际为“%s”", fc.Year)
	} else {
		c.Year = y
	}
	if fc.Values.Kind != 0 && fc.Values.Kind != yaml.MappingNode {
		bad(fc.Values.Line, "values 应为“数据项代码: 值”的映射")
	}
	for i := 0; fc.Values.Kind == yaml.MappingNode && i+1 < len(fc.Values.Content); i += 2 {
		k, v := fc.Values.Content[i], fc.Values.Content[i+1]
		code := k.Value
		c.lines["values."+code] = k.Line
		it := fw.Item(code)
		if it == nil {
			if opt.IgnoreUnknown {
				c.Ignored = append(c.Ignored, code)
			} else {
				bad(k.Line, "框架 %s 中没有数据项 %s%s", fw.Meta.ID, code, suggest(fw, code))
			}
			continue
		}
		if it.Derived() {
			bad(k.Line, "数据项 %s（%s）由公式计算，不能填写", it.Name, code)
			continue
		}
		if _, dup := c.Input.Values[code]; dup {
			bad(k.Line, "数据项 %s 重复填写", code)
			continue
		}
		raw := v
		if v.Kind == yaml.MappingNode {
			raw = nil
			for j := 0; j+1 < len(v.Content); j += 2 {
				switch key, val := v.Content[j].Value, v.Content[j+1]; key {
				case "value":
					raw = val
				case "assumed":
					if val.Value == "true" {
						c.Assumed = append(c.Assumed, code)
					}
				case "note", "source":
					c.Notes[code] = val.Value
				default:
					bad(v.Content[j].Line, "数据项 %s 的未知字段“%s”（可用 value、assumed、note、source）", code, key)
				}
			}
			if raw == nil {
				bad(k.Line, "数据项 %s 缺少 value", code)
				continue
			}
		}
		if raw.Kind != yaml.ScalarNode {
			bad(raw.Line, "数据项 %s 的值应为单个值", code)
			continue
		}
		val, err := it.ParseValue(raw.Value)
		if err != nil {
			bad(raw.Line, "数据项 %s（%s）的值%v", it.Name, code, err)
			continue
		}
		c.Input.Values[code] = val
	}
	if fc.Manual.Kind != 0 && fc.Manual.Kind != yaml.MappingNode {
		bad(fc.Manual.Line, "manual 应为“细则代码: 分数”的映射")
	}
	for i := 0; fc.Manual.Kind == yaml.MappingNode && i+1 < len(fc.Manual.Content); i += 2 {
		k, v := fc.Manual.Content[i], fc.Manual.Content[i+1]
		c.lines["manual."+k.Value] = k.Line
		m, err := parseManual(v)
		if err != nil {
			bad(k.Line, "人工评分 %s: %v", k.Value, err)
			continue
		}
		c.Input.Manual[k.Value] = m
	}
	c.indexTopLines(src)
	for i, b := range fc.Bonus {
		line := c.lines[fmt.Sprintf("bonus[%d]", i)]
		switch {
		case b.Item == "":
			bad(line, "加分申报缺少加分项代码 item")
		case fw.BonusItem(b.Item) == nil:
			bad(line, "框架 %s 中没有加分项 %s", fw.Meta.ID, b.Item)
		case strings.TrimSpace(b.Title) == "":
			bad(line, "加分申报须写明所获荣誉、试点或评估的名称 title")
		}
		c.Input.Bonus = append(c.Input.Bonus, scoring.BonusClaim{Item: b.Item, Title: b.Title, Evidence: b.Evidence, Rejected: b.Rejected})
	}
	sort.Strings(c.Assumed)
	if len(probs) > 0 {
		sort.SliceStable(probs, func(i, j int) bool { return probs[i].Line < probs[j].Line })
		return nil, &Error{Problems: probs}
	}
	return c, nil
}

// indexTopLines records the lines of the top-level keys and of each bonus
// claim.
func (c *County) indexTopLines(src []byte) {
	var root yaml.Node
	if yaml.Unmarshal(src, &root) != nil || len(root.Content) == 0 {
		return
	}
	top := root.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		key := top.Content[i].Value
		c.lines[key] = top.Content[i].Line
		if key == "bonus" {
			for j, n := range top.Content[i+1].Content {
				c.lines[fmt.Sprintf("bonus[%d]", j)] = n.Line
			}
		}
	}
}

func parseManual(v *yaml.Node) (scoring.Manual, error) {
	var m scoring.Manual
	setScore := func(s string) error {
		p, err := framework.ParsePoints(s)
		if err != nil {
			return fmt.Errorf("分数“%s”无效（最多1位小数）", s)
		}
		m.Score = &p
		return nil
	}
	switch v.Kind {
	case yaml.ScalarNode:
		return m, setScore(v.Value)
	case yaml.MappingNode:
		for j := 0; j+1 < len(v.Content); j += 2 {
			switch key, val := v.Content[j].Value, v.Content[j+1].Value; key {
			case "score":
				if err := setScore(val); err != nil {
					return m, err
				}
			case "rating":
				m.Rating = val
			case "justification":
				m.Justification = val
			default:
				return m, fmt.Errorf("未知字段“%s”（可用 score、rating、justification）", key)
			}
		}
		return m, nil
	}
	return m, errors.New("应为分数，或含 score/rating/justification 的映射")
}

// suggest names an item whose code is close to a mistyped one.
func suggest(fw *framework.Framework, code string) string {
	best, bestDist := "", 3
	for _, it := range fw.Items {
		if d := distance(code, it.Code); d < bestDist {
			best, bestDist = it.Code, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("（是否应为 %s？）", best)
}

// distance is the edit distance between a and b, capped for speed.
func distance(a, b string) int {
	if d := len(a) - len(b); d > 3 || d < -3 {
		return 4
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Locate turns the engine's problems into problems at lines of this file.
// Other errors pass through unchanged.
func (c *County) Locate(err error) error {
	var de *scoring.DataError
	if !errors.As(err, &de) {
		return err
	}
	out := &Error{}
	for _, p := range de.Problems {
		line := c.lines["values."+p.Code]
		if line == 0 {
			line = c.lines["manual."+p.Code]
		}
		if line == 0 {
			line = c.lines[p.Code]
		}
		if line == 0 {
			line = c.lines["values"]
		}
		if line == 0 {
			line = 1
		}
		out.Problems = append(out.Problems, Problem{File: c.File, Line: line, Message: p.Message})
	}
	sort.SliceStable(out.Problems, func(i, j int) bool { return out.Problems[i].Line < out.Problems[j].Line })
	return out
}

// Score scores the county with fw, reporting data problems at their lines.
func (c *County) Score(fw *framework.Framework, opt scoring.Options) (*scoring.Result, error) {
	res, err := scoring.NewScorer(fw).Score(c.Input, opt)
	if err != nil {
		return nil, c.Locate(err)
	}
	return res, nil
}
