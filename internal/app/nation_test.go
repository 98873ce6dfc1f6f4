package app

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"lvzhi/internal/demo"
	"lvzhi/internal/framework"
	"lvzhi/internal/region"
	"lvzhi/internal/scoring"
	"lvzhi/internal/store"
	"lvzhi/internal/store/storetest"
	"lvzhi/internal/workflow"
)

// What a county saves, stored and read back, scores exactly as before:
// values, manual scores (ratings become points), bonus claims.
func TestContentRoundTrip(t *testing.T) {
	fw := framework.Default()
	inputs := []scoring.Input{wuxingContent(t).Input}
	for _, c := range demo.Nation(300, 5) {
		inputs = append(inputs, c.Input)
	}
	sc := scoring.NewScorer(fw)
	for i, in := range inputs {
		want, err := sc.Score(in, scoring.Options{})
		if err != nil {
			t.Fatalf("county %d: %v", i, err)
		}
		sub := &store.Submission{County: fmt.Sprint(i)}
		if err := toStore(fw, in, sub); err != nil {
			t.Fatalf("county %d: %v", i, err)
		}
		back, err := inputOf(fw, sub)
		if err != nil {
			t.Fatalf("county %d: %v", i, err)
		}
		got, err := sc.Score(back, scoring.Options{})
		if err != nil {
			t.Fatalf("county %d read back: %v", i, err)
		}
		if got.Total != want.Total || got.Grade != want.Grade || !reflect.DeepEqual(got.Values, want.Values) || len(got.Points) != len(want.Points) {
			t.Fatalf("county %d: %s %s after the round trip, %s %s before", i, got.Total, got.Grade, want.Total, want.Grade)
		}
		for k := range got.Points {
			if got.Points[k].Score != want.Points[k].Score {
				t.Fatalf("county %d point %s: %s, was %s", i, got.Points[k].Code, got.Points[k].Score, want.Points[k].Score)
			}
		}
	}
}

// Two years for all 90 Zhejiang counties (synthetic data): every county
// goes through 2019 and is published with ranks in the province and its
// city; in 2020 the sample's risk picks are exactly last year's C and D
// counties (and nothing else when there are enough places).
func TestTwoYearsZhejiang(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, clk := mustSetup(t, db)
		units := region.China().Units("33")
		synth := demo.Nation(len(units), 19)
		for _, year := range []int{2019, 2020} {
			if _, err := CreateCampaign(ctx, db, admin, CampaignSpec{Year: year, Region: "33"}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := OpenCampaign(ctx, db, admin, 2019); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		for i, u := range units {
			a := workflow.Actor{Name: "approver-" + u.Code, Role: workflow.RoleCountyApprover, Region: u.Code}
			if _, err := SaveSubmission(ctx, db, a, SaveRequest{Year: 2019, County: u.Code, Content: Content{Input: synth[i].Input}}); err != nil {
				t.Fatalf("%s: %v", u.Code, err)
			}
			if _, err := Transition(ctx, db, a, TransitionRequest{Year: 2019, County: u.Code, Action: workflow.ActionSubmit}); err != nil {
				t.Fatalf("%s: %v", u.Code, err)
			}
		}
		if _, err := AdvanceCampaign(ctx, db, admin, 2019, false); err != nil {
			t.Fatal(err)
		}
		for _, u := range units {
			if _, err := Transition(ctx, db, admin, TransitionRequest{Year: 2019, County: u.Code, Action: workflow.ActionVerify}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := AdvanceCampaign(ctx, db, admin, 2019, false); err != nil {
			t.Fatal(err)
		}
		for _, u := range units {
			if _, err := Transition(ctx, db, admin, TransitionRequest{Year: 2019, County: u.Code, Action: workflow.ActionFinalize}); err != nil {
				t.Fatal(err)
			}
		}
		pub, err := Publish(ctx, db, admin, 2019)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%d counties saved, submitted, verified, finalized and published in %v", len(units), time.Since(start).Round(time.Millisecond))
		if len(pub.Results) != 90 || pub.Results[0].Rank != 1 || pub.Results[89].Of != 90 {
			t.Fatalf("%d results", len(pub.Results))
		}
		// Ranks agree with totals; city ranks count within the city.
		risky := map[string]bool{}
		perCity := map[string]int{}
		for i, r := range pub.Results {
			if i > 0 && (r.Total > pub.Results[i-1].Total || (r.Total == pub.Results[i-1].Total) != (r.Rank == pub.Results[i-1].Rank)) {
				t.Fatalf("ranks out of order at %d: %+v after %+v", i, r, pub.Results[i-1])
			}
			perCity[r.City]++
			if r.CityRank != perCity[r.City] && !(i > 0 && r.Total == pub.Results[i-1].Total) {
				t.Fatalf("%s city rank %d, %d counties of %s so far", r.County, r.CityRank, perCity[r.City], r.City)
			}
			if r.Grade == "C" || r.Grade == "D" {
				risky[r.County] = true
			}
		}
		if len(risky) == 0 || len(risky) > 20 {
			t.Fatalf("%d C/D counties; the test needs a few", len(risky))
		}

		// 2020: everyone submits again; the sample picks last year's C/D.
		clk.t = clk.t.AddDate(1, 0, 0)
		if _, err := OpenCampaign(ctx, db, admin, 2020); err != nil {
			t.Fatal(err)
		}
		for i, u := range units {
			a := workflow.Actor{Name: "approver-" + u.Code, Role: workflow.RoleCountyApprover, Region: u.Code}
			if _, err := SaveSubmission(ctx, db, a, SaveRequest{Year: 2020, County: u.Code, Content: Content{Input: synth[i].Input}}); err != nil {
				t.Fatal(err)
			}
		}
		n := 2*len(risky) + 11
		sample, err := DrawSample(ctx, db, admin, SampleRequest{Year: 2020, N: n, Seed: 42})
		if err == nil {
			t.Fatal("sampling among drafts only should be refused")
		}
		for _, u := range units {
			a := workflow.Actor{Name: "approver-" + u.Code, Role: workflow.RoleCountyApprover, Region: u.Code}
			if _, err := Transition(ctx, db, a, TransitionRequest{Year: 2020, County: u.Code, Action: workflow.ActionSubmit}); err != nil {
				t.Fatal(err)
			}
		}
		if sample, err = DrawSample(ctx, db, admin, SampleRequest{Year: 2020, N: n, Seed: 42}); err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, p := range sample.Picks[:len(risky)] {
			got[p.County] = true
		}
		if !reflect.DeepEqual(got, risky) {
			t.Fatalf("risk picks %v, last year's C/D %v", got, risky)
		}
		if len(sample.Picks) != n {
			t.Fatalf("%d picks, want %d", len(sample.Picks), n)
		}
	})
}
