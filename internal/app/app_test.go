package app

import (
	"context"
	"errors"
	"testing"
	"time"

	"lvzhi/internal/auth"
	"lvzhi/internal/demo"
	"lvzhi/internal/eval"
	"lvzhi/internal/framework"
	"lvzhi/internal/scoring"
	"lvzhi/internal/store"
	"lvzhi/internal/store/storetest"
	"lvzhi/internal/workflow"
)

func init() {
	// Cheap hashes: the tests check the flow, not argon2id's cost.
	PasswordParams = auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
}

// The actors of the tests: Zhejiang's admin, an expert, Huzhou's city
// reviewer, 吴兴区's filler and approver; and actors of other regions.
var (
	admin    = workflow.Actor{Name: "admin", Role: workflow.RoleProvinceAdmin, Region: "33"}
	expert   = workflow.Actor{Name: "expert", Role: workflow.RoleExpert, Region: "33"}
	huzhou   = workflow.Actor{Name: "huzhou", Role: workflow.RoleCityReviewer, Region: "3305"}
	filler   = workflow.Actor{Name: "wx-filler", Role: workflow.RoleCountyFiller, Region: "330502"}
	approver = workflow.Actor{Name: "wx-approver", Role: workflow.RoleCountyApprover, Region: "330502"}

	nanxun     = workflow.Actor{Name: "nx-approver", Role: workflow.RoleCountyApprover, Region: "330503"}
	hangzhou   = workflow.Actor{Name: "hangzhou", Role: workflow.RoleCityReviewer, Region: "3301"}
	jiangsu    = workflow.Actor{Name: "js-admin", Role: workflow.RoleProvinceAdmin, Region: "32"}
	jsExpert   = workflow.Actor{Name: "js-expert", Role: workflow.RoleExpert, Region: "32"}
	hzFiller   = workflow.Actor{Name: "hz-filler", Role: workflow.RoleCountyFiller, Region: "330102"}
	foreigners = []workflow.Actor{nanxun, hangzhou, jiangsu, jsExpert, hzFiller}
)

// clock is a settable time for the store.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func mustSetup(t *testing.T, db *store.DB) (context.Context, *clock) {
	t.Helper()
	ctx := t.Context()
	clk := &clock{t: time.Date(2020, 7, 1, 9, 0, 0, 0, time.UTC)}
	db.Now = clk.now
	if _, err := SeedRegions(ctx, db); err != nil {
		t.Fatal(err)
	}
	return ctx, clk
}

func wuxingContent(t *testing.T) Content {
	t.Helper()
	in := wuxingInput()
	if in.Values == nil {
		t.Fatal("the demo county does not read")
	}
	return Content{Input: in, Narrative: []store.Section{{Title: "总体情况", Text: "吴兴区2019年度自评得分98.5分。"}}}
}

// wuxingInput is the demo county's input, read afresh (callers change it).
func wuxingInput() scoring.Input {
	c, err := demo.Wuxing(framework.Default())
	if err != nil {
		return scoring.Input{}
	}
	return c.Input
}

func TestSeedRegions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		n, err := SeedRegions(ctx, db)
		if err != nil || n != 31+337+2846 {
			t.Fatalf("seeded %d, %v", n, err)
		}
		if n, err := SeedRegions(ctx, db); err != nil || n != 0 {
			t.Fatalf("second seed %d, %v", n, err)
		}
		set, err := Regions(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if set.FullName("330502") != "浙江省湖州市吴兴区" || len(set.Units("33")) != 90 {
			t.Fatalf("stored regions: %s, %d units", set.FullName("330502"), len(set.Units("33")))
		}
		// Import: a new county by Zhejiang's admin; Jiangsu's admin may not.
		src := []byte("330599,测试新区,3305\n")
		if _, err := ImportRegions(ctx, db, jiangsu, "new.csv", src); !errors.Is(err, eval.ErrForbidden) {
			t.Errorf("foreign import: %v", err)
		}
		if n, err := ImportRegions(ctx, db, admin, "new.csv", src); err != nil || n != 1 {
			t.Errorf("import: %d, %v", n, err)
		}
		if _, err := ImportRegions(ctx, db, admin, "bad.csv", []byte("330598,x,3399\n")); !errors.Is(err, eval.ErrInvalid) {
			t.Errorf("bad import: %v", err)
		}
	})
}
