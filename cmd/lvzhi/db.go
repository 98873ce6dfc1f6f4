package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"lvzhi/internal/app"
	"lvzhi/internal/eval"
	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

// The environment variables of the workflow commands.
const (
	envDB       = "LVZHI_DB"       // database: SQLite path or postgres://…
	envUser     = "LVZHI_USER"     // the acting user, instead of --as
	envPassword = "LVZHI_PASSWORD" // a new user's password, instead of stdin
	// envNow fixes the clock (RFC 3339, e.g. 2020-07-01T09:00:00+08:00)
	// for rehearsals and tests: every time recorded and every deadline
	// checked uses it.
	envNow = "LVZHI_NOW"
)

// dbOptions are the flags every workflow command shares.
type dbOptions struct {
	dsn, as string
}

// dbFlags adds --db and --as to fs.
func (c *cli) dbFlags(fs *flag.FlagSet) *dbOptions {
	o := &dbOptions{}
	fs.StringVar(&o.dsn, "db", "", "数据库: SQLite 文件路径或 postgres://…（默认取环境变量 LVZHI_DB，再默认 "+store.DefaultPath+"）")
	fs.StringVar(&o.as, "as", "", "以哪位用户的身份操作（默认取环境变量 LVZHI_USER）")
	return o
}

// open opens the database the flags or the environment name.
func (c *cli) open(ctx context.Context, o *dbOptions) (*store.DB, error) {
	dsn := o.dsn
	if dsn == "" {
		dsn = c.getenv(envDB)
	}
	var now time.Time
	if v := c.getenv(envNow); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return nil, usageError(fmt.Sprintf("环境变量 LVZHI_NOW 应为 RFC 3339 时间（如 2020-07-01T09:00:00+08:00），实际为“%s”", v))
		}
		now = t
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, friendly(err)
	}
	if !now.IsZero() {
		db.Now = func() time.Time { return now }
	}
	return db, nil
}

// actor returns the acting user named by --as or LVZHI_USER.
func (c *cli) actor(ctx context.Context, db *store.DB, o *dbOptions) (workflow.Actor, error) {
	name := o.as
	if name == "" {
		name = c.getenv(envUser)
	}
	a, err := app.ActorFor(ctx, db, name)
	return a, friendly(err)
}

// withDB opens the database, finds the actor (unless anonymous) and runs fn,
// turning its error into a friendly one.
func (c *cli) withDB(ctx context.Context, o *dbOptions, anonymous bool, fn func(db *store.DB, a workflow.Actor) error) error {
	db, err := c.open(ctx, o)
	if err != nil {
		return err
	}
	defer db.Close()
	var a workflow.Actor
	if !anonymous {
		if a, err = c.actor(ctx, db, o); err != nil {
			return err
		}
	}
	return friendly(fn(db, a))
}

// friendlyError shows an error to a person without the package prefixes
// and English kind words, while errors.Is and errors.As still see the
// original.
type friendlyError struct {
	msg string
	err error
}

func (e *friendlyError) Error() string { return e.msg }
func (e *friendlyError) Unwrap() error { return e.err }

var kindWords = []struct {
	kind  error
	label string
}{
	{eval.ErrForbidden, "不允许"},
	{eval.ErrConflict, "冲突"},
	{eval.ErrNotFound, "未找到"},
	{eval.ErrInvalid, ""},
}

// friendly rewrites err for the terminal: "store: " prefixes and the
// trailing ": forbidden" kinds go, a Chinese kind label comes first.
func friendly(err error) error {
	var fe *friendlyError
	if err == nil || errors.As(err, &fe) {
		return err
	}
	var ue usageError
	if errors.As(err, &ue) {
		return err
	}
	msg := strings.NewReplacer("store: ", "", "auth: ", "").Replace(err.Error())
	label := ""
	for _, k := range kindWords {
		msg = strings.ReplaceAll(msg, ": "+k.kind.Error(), "")
		if label == "" && errors.Is(err, k.kind) {
			label = k.label
		}
	}
	if label != "" {
		msg = label + ": " + msg
	}
	return &friendlyError{msg: msg, err: err}
}

// stringList is a flag that may be given several times.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// subcommand runs the named subcommand of a command group.
func subcommand(ctx context.Context, c *cli, group string, args []string, subs map[string]func(context.Context, *cli, []string) error, names string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		return usageError(fmt.Sprintf("用法: lvzhi %s %s（每个子命令的参数: lvzhi %s <子命令> -h）", group, names, group))
	}
	fn, ok := subs[args[0]]
	if !ok {
		return usageError(fmt.Sprintf("未知的 %s 子命令“%s”（可用 %s）", group, args[0], names))
	}
	return fn(ctx, c, args[1:])
}

// needYear checks that a year flag was given.
func needYear(flagName string, year int) error {
	if year == 0 {
		return usageError(fmt.Sprintf("请用 --%s 给出评价年度，例如 --%s 2019", flagName, flagName))
	}
	return nil
}

// readFiles reads evidence files named on the command line.
func readFiles(paths []string) ([]app.File, error) {
	var out []app.File
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("读取佐证文件: %w", err)
		}
		out = append(out, app.File{Name: filepath.Base(p), Data: data})
	}
	return out, nil
}

// cst is the time zone dates on the command line are read in.
var cst = workflow.Zone

// formatTime shows a stored time in China Standard Time.
func formatTime(t time.Time) string { return workflow.ShowTime(t) }

// parseDate reads a date (2006-01-02) as the end of that day in CST.
func parseDate(flagName, s string) (time.Time, error) {
	d, err := time.ParseInLocation("2006-01-02", s, cst)
	if err != nil {
		return time.Time{}, usageError(fmt.Sprintf("--%s 的日期应写作 2006-01-02，实际为“%s”", flagName, s))
	}
	return d.AddDate(0, 0, 1).Add(-time.Second), nil
}

func itoa(n int) string { return strconv.Itoa(n) }

// parseArgs parses flags and exactly n positional arguments, which may come
// before, between or after the flags.
func parseArgs(fs *flag.FlagSet, args []string, n int, usage string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, usageError(err.Error())
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) != n {
		return nil, usageError("用法: lvzhi " + usage)
	}
	return pos, nil
}

// flagSetWithYear is a flag set with the --year (or --campaign) flag that
// names the campaign.
type flagSetWithYear struct {
	*flag.FlagSet
	year *int
	name string // the flag's name, for messages
}

func (f *flagSetWithYear) parse(args []string) error {
	if err := parseFlags(f.FlagSet, args); err != nil {
		return err
	}
	name := f.name
	if name == "" {
		name = "year"
	}
	return needYear(name, *f.year)
}

// campaignFlags returns a flag set with --campaign YEAR, --db and --as.
func campaignFlags(c *cli, name, usage string) (*flagSetWithYear, *dbOptions) {
	fs := c.newFlags(name, usage)
	o := c.dbFlags(fs)
	return &flagSetWithYear{FlagSet: fs, year: fs.Int("campaign", 0, "评价年度（如 2019）"), name: "campaign"}, o
}
