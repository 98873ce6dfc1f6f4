package main

import (
	"context"
	"fmt"
	"os"

	"lvzhi/internal/app"
	"lvzhi/internal/region"
	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

func runRegion(ctx context.Context, c *cli, args []string) error {
	return subcommand(ctx, c, "region", args, map[string]func(context.Context, *cli, []string) error{
		"import": regionImport,
		"list":   regionList,
	}, "import|list")
}

func regionImport(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlags("region import", "region import --as USER FILE\n\nFILE 为 UTF-8 CSV: 代码,名称,上级代码（见 internal/region/SOURCE.md）")
	o := c.dbFlags(fs)
	pos, err := parseArgs(fs, args, 1, "region import --as USER FILE")
	if err != nil {
		return err
	}
	file := pos[0]
	src, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("读取区划文件: %w", err)
	}
	return c.withDB(ctx, o, false, func(db *store.DB, a workflow.Actor) error {
		n, err := app.ImportRegions(ctx, db, a, file, src)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "已导入 %s: 新增或更改 %d 个地区\n", file, n)
		return nil
	})
}

func regionList(ctx context.Context, c *cli, args []string) error {
	fs := c.newFlags("region list", "region list [--under CODE]")
	o := c.dbFlags(fs)
	under := fs.String("under", "", "只列出此地区的下一级（不填则列出各省）")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return c.withDB(ctx, o, true, func(db *store.DB, _ workflow.Actor) error {
		set, err := app.Regions(ctx, db)
		if err != nil {
			return err
		}
		if set.Len() == 0 {
			return fmt.Errorf("数据库中没有行政区划，请先运行 lvzhi migrate")
		}
		var list []region.Region
		if *under == "" {
			for _, r := range set.All() {
				if r.Level() == region.LevelProvince {
					list = append(list, r)
				}
			}
		} else {
			r, err := set.Find(*under)
			if err != nil {
				return err
			}
			list = set.Children(r.Code)
			fmt.Fprintf(c.stdout, "%s（%s）: 下辖 %d 个地区，县级评价单位 %d 个\n", set.FullName(r.Code), r.Code, len(list), len(set.Units(r.Code)))
		}
		rows := [][]string{{"代码", "名称", "层级", "县级单位"}}
		for _, r := range list {
			rows = append(rows, []string{r.Code, r.Name, r.Level().Label(), itoa(len(set.Units(r.Code)))})
		}
		fmt.Fprint(c.stdout, table(rows))
		return nil
	})
}
