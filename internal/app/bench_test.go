package app

import (
	"fmt"
	"testing"

	"lvzhi/internal/region"
	"lvzhi/internal/store"
	"lvzhi/internal/store/storetest"
	"lvzhi/internal/workflow"
)

// BenchmarkSaveSubmission measures one county's full save through the use
// case: rules, engine check of the whole data file, conversion and the
// store's optimistic update with its audit row, on SQLite. Counties take
// turns so that no save waits on another's row.
func BenchmarkSaveSubmission(b *testing.B) {
	db := storetest.SQLite(b)
	ctx := b.Context()
	if _, err := SeedRegions(ctx, db); err != nil {
		b.Fatal(err)
	}
	if _, err := CreateCampaign(ctx, db, admin, CampaignSpec{Year: 2019, Region: "33"}); err != nil {
		b.Fatal(err)
	}
	if _, err := OpenCampaign(ctx, db, admin, 2019); err != nil {
		b.Fatal(err)
	}
	units := region.China().Units("33")
	content := wuxingContentB(b)
	i := 0
	for b.Loop() {
		i++
		u := units[i%len(units)]
		a := workflow.Actor{Name: "f-" + u.Code, Role: workflow.RoleCountyFiller, Region: u.Code}
		if _, err := SaveSubmission(ctx, db, a, SaveRequest{Year: 2019, County: u.Code, Content: content}); err != nil {
			b.Fatal(fmt.Errorf("%s: %w", u.Code, err))
		}
	}
}

func wuxingContentB(b *testing.B) Content {
	in := wuxingInput()
	if in.Values == nil {
		b.Fatal("the demo county does not read")
	}
	return Content{Input: in, Narrative: []store.Section{{Title: "总体情况", Text: "基准测试"}}}
}
