package main

import (
	"context"
	"fmt"

	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

func runAudit(ctx context.Context, c *cli, args []string) error {
	return subcommand(ctx, c, "audit", args, map[string]func(context.Context, *cli, []string) error{
		"verify": auditVerify,
	}, "verify")
}

var auditKinds = map[store.AuditProblemKind]string{
	store.AuditEdited:   "被改动",
	store.AuditDeleted:  "被删除",
	store.AuditInserted: "被插入",
}

// auditVerify walks the hash chain; a broken chain is a finding (exit 1)
// with every broken row named.
func auditVerify(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlags("audit verify", "audit verify [--db DSN]\n\n检查审计日志的哈希链，指出被改动、删除或插入的记录。")
	o := c.dbFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return c.withDB(ctx, o, true, func(db *store.DB, _ workflow.Actor) error {
		rep, err := db.VerifyAudit(ctx)
		if err != nil {
			return err
		}
		if rep.OK() {
			fmt.Fprintf(c.stdout, "审计日志完好: %d 条记录，末条 #%d，哈希 %s\n", rep.Rows, rep.HeadSeq, rep.HeadHash)
			return nil
		}
		for _, p := range rep.Problems {
			where := fmt.Sprintf("#%d", p.Seq)
			if p.LastSeq > p.Seq {
				where = fmt.Sprintf("#%d–#%d", p.Seq, p.LastSeq)
			}
			fmt.Fprintf(c.stdout, "审计日志记录 %s %s: %s\n", where, auditKinds[p.Kind], p.Message)
		}
		fmt.Fprintf(c.stdout, "审计日志已被篡改: %d 处问题（共读 %d 条记录）\n", len(rep.Problems), rep.Rows)
		return findingsError{n: len(rep.Problems)}
	})
}
