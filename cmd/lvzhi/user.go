package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"lvzhi/internal/app"
	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

func runUser(ctx context.Context, c *cli, args []string) error {
	return subcommand(ctx, c, "user", args, map[string]func(context.Context, *cli, []string) error{
		"add":  userAdd,
		"list": userList,
	}, "add|list")
}

func userAdd(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlags("user add", "user add [--as ADMIN] --name NAME --role ROLE --region CODE [--display 姓名]\n\n"+
		"密码取自环境变量 LVZHI_PASSWORD，否则读标准输入的第一行。第一位用户不需要 --as，且必须是 province_admin。\n"+
		"角色: province_admin（省级管理员）、city_reviewer（市级审核员）、expert（评审专家）、\n"+
		"      county_filler（县级填报员）、county_approver（县级审批人）")
	o := c.dbFlags(fs)
	name := fs.String("name", "", "登录名")
	role := fs.String("role", "", "角色")
	reg := fs.String("region", "", "管辖地区代码（省 33、市 3305、县 330502）")
	display := fs.String("display", "", "显示名（姓名）")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *name == "" || *role == "" || *reg == "" {
		return usageError("请给出 --name、--role 和 --region")
	}
	password := c.getenv(envPassword)
	if password == "" {
		line, err := bufio.NewReader(c.stdin).ReadString('\n')
		if err != nil && line == "" {
			return usageError("请在环境变量 LVZHI_PASSWORD 或标准输入中给出新用户的密码")
		}
		password = strings.TrimRight(line, "\r\n")
	}
	asName := o.as
	if asName == "" {
		asName = c.getenv(envUser)
	}
	return c.withDB(ctx, o, true, func(db *store.DB, _ workflow.Actor) error {
		var by *workflow.Actor
		if asName != "" {
			a, err := app.ActorFor(ctx, db, asName)
			if err != nil {
				return err
			}
			by = &a
		}
		u, err := app.AddUser(ctx, db, by, app.NewUser{Name: *name, DisplayName: *display, Role: workflow.Role(*role), Region: *reg, Password: password})
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "已添加用户 %s: %s，管辖 %s\n", u.Name, u.Role.Label(), u.Region)
		return nil
	})
}

func userList(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlags("user list", "user list --as USER")
	o := c.dbFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return c.withDB(ctx, o, false, func(db *store.DB, a workflow.Actor) error {
		users, err := app.Users(ctx, db, a)
		if err != nil {
			return err
		}
		rows := [][]string{{"用户", "姓名", "角色", "管辖", "状态"}}
		for _, u := range users {
			st := "启用"
			if u.Disabled {
				st = "停用"
			}
			rows = append(rows, []string{u.Name, u.DisplayName, u.Role.Label(), u.Region, st})
		}
		fmt.Fprint(c.stdout, table(rows))
		return nil
	})
}
