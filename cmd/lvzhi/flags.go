package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"lvzhi/internal/framework"
)

// errHelp is returned after a subcommand printed its own help.
var errHelp = flag.ErrHelp

// newFlags returns a flag set for a subcommand that prints to the CLI's
// stderr and returns errors instead of exiting.
func (c *cli) newFlags(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() {
		fmt.Fprintf(c.stderr, "用法: lvzhi %s\n\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, turning a flag mistake into a usage error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return usageError(err.Error())
	}
	if fs.NArg() > 0 {
		return usageError(fmt.Sprintf("多余的参数: %s", strings.Join(fs.Args(), " ")))
	}
	return nil
}

// loadFramework reads the framework file, or returns the embedded default
// when file is empty. Lint warnings go to stderr.
func (c *cli) loadFramework(file string) (*framework.Framework, error) {
	if file == "" {
		return framework.Default(), nil
	}
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("读取框架文件: %w", err)
	}
	fw, problems, err := framework.Parse(file, src)
	if err != nil {
		return nil, fmt.Errorf("框架未通过检查，不能使用:\n%w", err)
	}
	for _, p := range problems {
		fmt.Fprintln(c.stderr, p)
	}
	return fw, nil
}

// dataFiles returns path itself, or the YAML files in it if it is a
// directory, sorted by name.
func dataFiles(path string) ([]string, bool, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, false, err
	}
	if !st.IsDir() {
		return []string{path}, false, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, true, err
	}
	var files []string
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && (strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")) {
			files = append(files, filepath.Join(path, n))
		}
	}
	sort.Strings(files)
	if len(files) == 0 {
		return nil, true, fmt.Errorf("目录 %s 中没有 .yaml 数据文件", path)
	}
	return files, true, nil
}

// width is the number of terminal columns s takes: East Asian wide
// characters take two.
func width(s string) int {
	w := 0
	for _, r := range s {
		switch {
		case r >= 0x1100 && (r <= 0x115f || r == 0x2329 || r == 0x232a ||
			(r >= 0x2e80 && r <= 0xa4cf && r != 0x303f) || (r >= 0xac00 && r <= 0xd7a3) ||
			(r >= 0xf900 && r <= 0xfaff) || (r >= 0xfe30 && r <= 0xfe4f) || (r >= 0xff00 && r <= 0xff60) ||
			(r >= 0xffe0 && r <= 0xffe6) || (r >= 0x20000 && r <= 0x3fffd)):
			w += 2
		default:
			w++
		}
	}
	return w
}

// pad right-pads s with spaces to n columns.
func pad(s string, n int) string {
	if w := width(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}

// table writes rows with columns padded to their widest cell; the last
// column is not padded.
func table(rows [][]string) string {
	var widths []int
	for _, r := range rows {
		for i, cell := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], width(cell))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		for i, cell := range r {
			if i == len(r)-1 {
				b.WriteString(cell)
			} else {
				b.WriteString(pad(cell, widths[i]+2))
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}
