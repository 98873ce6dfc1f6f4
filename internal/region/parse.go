package region

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"lvzhi/internal/eval"
)

// Problem is one thing wrong with a region file, at a line of it.
type Problem = eval.FileProblem

// Error lists every problem found in a region file, in line order. It matches
// eval.ErrInvalid under errors.Is.
type Error = eval.FileError

// maxProblems stops a hopeless file from producing a wall of messages.
const maxProblems = 50

// maxNameRunes bounds a region's name (the longest real one has 20).
const maxNameRunes = 40

// Parse reads a region file: UTF-8 CSV with the columns code, name, parent,
// an optional header line ("code,name,parent" or "代码,名称,上级代码"), and
// comment lines starting with #. Codes may be short ("3305") or six digits
// ("330500"). A region's parent must be in base or on an earlier line, one
// tier up, and a prefix of its code (a county's parent may be its province
// where there is no prefecture, as for municipalities). A region already in
// base may be renamed but not moved. Either every row is good and all are
// returned, or a *Error lists the problems (at most 50) and nothing is.
func Parse(file string, src []byte, base *Set) ([]Region, error) {
	if base == nil {
		base = NewSet()
	}
	var probs []Problem
	bad := func(line int, format string, args ...any) {
		if len(probs) < maxProblems {
			probs = append(probs, Problem{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
		}
	}
	if !utf8.Valid(src) {
		bad(firstInvalidLine(src), "文件不是 UTF-8 编码（若从 Excel 导出，请选择“CSV UTF-8”）")
		return nil, &Error{Problems: probs}
	}
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	r := csv.NewReader(bytes.NewReader(src))
	r.Comment = '#'
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true

	var out []Region
	seen := map[string]int{} // code → line in this file
	first := true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 1
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			bad(line, "CSV 格式错误: %s", csvMessage(err))
			break
		}
		line, _ := r.FieldPos(0)
		if first {
			first = false
			if isHeader(rec) {
				continue
			}
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != 3 {
			bad(line, "应有 3 列（代码,名称,上级代码），实有 %d 列", len(rec))
			continue
		}
		reg, msg := parseRow(rec)
		if msg != "" {
			bad(line, "%s", msg)
			continue
		}
		if prev, dup := seen[reg.Code]; dup {
			bad(line, "区划代码 %s 重复（第 %d 行已有）", reg.Code, prev)
			continue
		}
		if old, ok := base.Get(reg.Code); ok && old.Parent != reg.Parent {
			bad(line, "%s %s 已存在，上级为 %s，不能改为 %s", reg.Code, old.Name, parentText(old.Parent), parentText(reg.Parent))
			continue
		}
		if reg.Parent != "" {
			_, inBase := base.Get(reg.Parent)
			_, inFile := seen[reg.Parent]
			if !inBase && !inFile {
				bad(line, "上级代码 %s 不存在（上级须在前面的行或已导入）", reg.Parent)
				continue
			}
		}
		seen[reg.Code] = line
		out = append(out, reg)
	}
	if len(probs) > 0 {
		return nil, &Error{Problems: probs}
	}
	if len(out) == 0 {
		return nil, &Error{Problems: []Problem{{File: file, Line: 1, Message: "文件中没有地区"}}}
	}
	return out, nil
}

// parseRow checks one row's fields on their own and returns the region or
// a message.
func parseRow(rec []string) (Region, string) {
	code, err := Normalize(rec[0])
	if err != nil {
		return Region{}, strings.TrimSuffix(err.Error(), ": "+eval.ErrInvalid.Error())
	}
	name := strings.TrimSpace(rec[1])
	switch {
	case name == "":
		return Region{}, fmt.Sprintf("%s 缺少名称", code)
	case utf8.RuneCountInString(name) > maxNameRunes:
		return Region{}, fmt.Sprintf("%s 的名称超过 %d 个字", code, maxNameRunes)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return Region{}, fmt.Sprintf("%s 的名称含有控制字符", code)
	}
	reg := Region{Code: code, Name: name}
	raw := strings.TrimSpace(rec[2])
	if raw != "" {
		p, err := Normalize(raw)
		if err != nil {
			return Region{}, "上级" + strings.TrimSuffix(err.Error(), ": "+eval.ErrInvalid.Error())
		}
		reg.Parent = p
	}
	switch reg.Level() {
	case LevelProvince:
		if reg.Parent != "" {
			return Region{}, fmt.Sprintf("%s %s 是省级，不应有上级代码", code, name)
		}
	case LevelCity:
		if reg.Parent != code[:2] {
			return Region{}, fmt.Sprintf("%s %s 是地级，上级应为省级代码 %s", code, name, code[:2])
		}
	case LevelCounty:
		if reg.Parent != code[:4] && reg.Parent != code[:2] {
			return Region{}, fmt.Sprintf("%s %s 是县级，上级应为 %s（地级）或 %s（直辖市、省直辖）", code, name, code[:4], code[:2])
		}
	}
	return reg, ""
}

func isHeader(rec []string) bool {
	if len(rec) != 3 {
		return false
	}
	h := strings.ToLower(strings.TrimSpace(rec[0])) + "," + strings.TrimSpace(rec[1]) + "," + strings.ToLower(strings.TrimSpace(rec[2]))
	return h == "code,name,parent" || h == "代码,名称,上级代码"
}

func parentText(p string) string {
	if p == "" {
		return "（无）"
	}
	return p
}

// csvMessage puts the CSV reader's English reason into Chinese.
func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
			return "引号使用不当"
		}
		return pe.Err.Error()
	}
	return err.Error()
}

func firstInvalidLine(src []byte) int {
	line := 1
	for len(src) > 0 {
		r, size := utf8.DecodeRune(src)
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		src = src[size:]
	}
	return line
}
