package framework

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"lvzhi/internal/eval"
)

// Problem is one thing wrong with a framework file, at a line of it.
type Problem struct {
	File    string
	Line    int
	Message string // Chinese
	// Warning problems are reported but do not stop the framework from
	// being used.
	Warning bool
}

func (p Problem) String() string {
	s := fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
	if p.Warning {
		s = fmt.Sprintf("%s:%d: 警告: %s", p.File, p.Line, p.Message)
	}
	return s
}

// LintError lists every problem that stops a framework from being used, in
// line order. It matches eval.ErrInvalid under errors.Is.
type LintError struct {
	Problems []Problem
}

func (e *LintError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Is makes errors.Is(err, eval.ErrInvalid) true.
func (e *LintError) Is(target error) bool { return target == eval.ErrInvalid }

// linter collects problems while a framework is read, and knows the line of
// every YAML key so that a problem can point at it.
type linter struct {
	file     string
	lines    map[string]yamlPos // "areas[2].points[0].rule" -> position
	problems []Problem
}

type yamlPos struct {
	keyLine  int // line of the key, or of the sequence entry
	valLine  int // line where the value starts
	literal  bool
	rawValue string
}

func newLinter(file string, root *yaml.Node) *linter {
	l := &linter{file: file, lines: map[string]yamlPos{}}
	if root != nil {
		l.index(root, "", root.Line)
	}
	return l
}

func (l *linter) index(n *yaml.Node, path string, keyLine int) {
	if n == nil {
		return
	}
	pos := yamlPos{keyLine: keyLine, valLine: n.Line, rawValue: n.Value}
	// A block scalar (rule: |) starts on the line after its indicator.
	if n.Kind == yaml.ScalarNode && (n.Style&(yaml.LiteralStyle|yaml.FoldedStyle)) != 0 {
		pos.valLine = n.Line + 1
		pos.literal = n.Style&yaml.LiteralStyle != 0
	}
	l.lines[path] = pos
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			l.index(c, path, c.Line)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			l.index(n.Content[i+1], p, k.Line)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			l.index(c, path+"["+strconv.Itoa(i)+"]", c.Line)
		}
	}
}

// line returns the line of path, or of its nearest ancestor that has one.
func (l *linter) line(path string) int {
	for {
		if p, ok := l.lines[path]; ok {
			return p.keyLine
		}
		cut := strings.LastIndexAny(path, ".[")
		if cut < 0 {
			return 1
		}
		path = path[:cut]
	}
}

func (l *linter) errorf(path, format string, args ...any) {
	l.problems = append(l.problems, Problem{File: l.file, Line: l.line(path), Message: fmt.Sprintf(format, args...)})
}

func (l *linter) warnf(path, format string, args ...any) {
	l.problems = append(l.problems, Problem{File: l.file, Line: l.line(path), Message: fmt.Sprintf(format, args...), Warning: true})
}

// exprLine maps a line inside an expression (1-based) to a file line.
func (l *linter) exprLine(path string, exprLine int) int {
	p, ok := l.lines[path]
	if !ok {
		return l.line(path)
	}
	if p.literal && exprLine > 1 {
		return p.valLine + exprLine - 1
	}
	return p.valLine
}

// result sorts the problems and returns a *LintError if any is not a
// warning.
func (l *linter) result() ([]Problem, error) {
	sort.SliceStable(l.problems, func(i, j int) bool { return l.problems[i].Line < l.problems[j].Line })
	for _, p := range l.problems {
		if !p.Warning {
			return l.problems, &LintError{Problems: l.problems}
		}
	}
	return l.problems, nil
}
