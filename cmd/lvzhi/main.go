// Command lvzhi runs the yearly evaluation of how county governments fulfil
// their education duties: frameworks, scoring, the workflow, reports and the
// number check. Run "lvzhi help" for the subcommands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// env reads configuration from the environment (os.Getenv in main, a map in
// tests).
type env func(string) string

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, c *cli, args []string) error
}

// cli carries the standard streams and environment to subcommands.
type cli struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         env
}

// commands lists every subcommand; each lives in its own file.
var commands = map[string]command{
	"score":      {"给县区评分（--demo 用内置演示数据）", runScore},
	"framework":  {"评价框架：lint 检查、show 显示、default 导出默认框架", runFramework},
	"whatif":     {"比较新旧框架下各县区等级的变化", runWhatIf},
	"check":      {"核对报告中的数字（与数据及自身是否一致）", runCheck},
	"migrate":    {"建立或升级数据库，并载入全国行政区划", runMigrate},
	"region":     {"行政区划：import 导入、list 列出", runRegion},
	"user":       {"用户：add 添加（argon2id 密码）、list 列出", runUser},
	"campaign":   {"年度评价：create 创建、open 启动、advance 推进阶段、show 查看", runCampaign},
	"submission": {"县区填报：save 保存、submit 提交、return 退回、city-review 市审通过、verify 省核通过、finalize 认定、show、list", runSubmission},
	"review":     {"审核评分：市级审核或省级核查对测评点打分并写意见", runReview},
	"sample":     {"抽取实地核查县区（分层、按风险、可复核的种子）", runSample},
	"publish":    {"公布结果：冻结结果快照并生成整改问题清单", runPublish},
	"results":    {"查看或导出评价结果（text、csv、json），含全省和市内排名", runResults},
	"objection":  {"异议：file 提出、decide 处理、list 列出", runObjection},
	"problems":   {"整改问题：list、overdue 逾期、update 更新状态、carry 转入下一年度", runProblems},
	"audit":      {"审计日志：verify 检查哈希链是否被篡改", runAudit},
	"backup":     {"在线备份 SQLite 数据库", runBackup},
}

// run is the whole program; tests call it directly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv env) error {
	c := &cli{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		c.usage()
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok {
		c.usage()
		return usageError(fmt.Sprintf("未知的子命令“%s”", args[0]))
	}
	return cmd.run(ctx, c, args[1:])
}

func (c *cli) usage() {
	fmt.Fprintln(c.stdout, "lvzhi —— 对县级人民政府履行教育职责评价系统\n\n用法: lvzhi <子命令> [参数]\n\n子命令:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(c.stdout, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(c.stdout, "\n每个子命令的参数: lvzhi <子命令> -h")
}

// usageError is a mistake in the command line (exit status 2).
type usageError string

func (e usageError) Error() string { return string(e) }

// findingsError means the command ran and found problems it reports on
// stdout (exit status 1, nothing more printed).
type findingsError struct{ n int }

func (e findingsError) Error() string { return fmt.Sprintf("%d problems found", e.n) }

// exitCode prints err for a person and returns the process exit status:
// 0 success, 1 failure or findings, 2 usage.
func exitCode(err error, stderr io.Writer) int {
	var ue usageError
	var fe findingsError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &fe):
		return 1
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "lvzhi:", err)
		return 2
	case errors.Is(err, errHelp):
		return 0
	}
	fmt.Fprintln(stderr, "lvzhi:", err)
	return 1
}
