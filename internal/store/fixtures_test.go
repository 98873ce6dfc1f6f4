package store_test

import (
	"testing"
	"time"

	"lvzhi/internal/store"
	"lvzhi/internal/store/storetest"
	"lvzhi/internal/workflow"
)

// zhejiangSample is a small piece of the region tree: a province, two
// cities, five counties.
var zhejiangSample = []store.Region{
	{Code: "330502", Name: "吴兴区", Level: store.LevelCounty, Parent: "330500"},
	{Code: "330000", Name: "浙江省", Level: store.LevelProvince},
	{Code: "330500", Name: "湖州市", Level: store.LevelCity, Parent: "330000"},
	{Code: "330503", Name: "南浔区", Level: store.LevelCounty, Parent: "330500"},
	{Code: "330521", Name: "德清县", Level: store.LevelCounty, Parent: "330500"},
	{Code: "330100", Name: "杭州市", Level: store.LevelCity, Parent: "330000"},
	{Code: "330102", Name: "上城区", Level: store.LevelCounty, Parent: "330100"},
	{Code: "330106", Name: "西湖区", Level: store.LevelCounty, Parent: "330100"},
}

// testNow is the fixed clock of the tests.
var testNow = time.Date(2026, 5, 15, 9, 30, 0, 123456000, time.UTC)

func mustTx(t testing.TB, db *store.DB, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := db.Tx(storetest.Context(t), fn); err != nil {
		t.Fatalf("Tx: %v", err)
	}
}

func mustView(t testing.TB, db *store.DB, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := db.View(storetest.Context(t), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

func mustRegions(t testing.TB, db *store.DB) {
	t.Helper()
	mustTx(t, db, func(tx *store.Tx) error {
		_, err := tx.ImportRegions(zhejiangSample)
		return err
	})
}

func mustFramework(t testing.TB, db *store.DB) *store.FrameworkVersion {
	t.Helper()
	f := &store.FrameworkVersion{ID: "zj-county", Version: "2019", Name: "浙江县级", Source: "points: []\n"}
	mustTx(t, db, func(tx *store.Tx) error { return tx.CreateFramework(f) })
	return f
}

// mustCampaign creates regions, a framework and a campaign with all five
// sample counties.
func mustCampaign(t testing.TB, db *store.DB) *store.Campaign {
	t.Helper()
	db.Now = func() time.Time { return testNow }
	mustRegions(t, db)
	f := mustFramework(t, db)
	c := &store.Campaign{
		Year: 2019, Name: "2019年度县级政府履行教育职责评价",
		FrameworkID: f.ID, FrameworkVersion: f.Version,
		Participants: []string{"330502", "330503", "330521", "330102", "330106"},
		CityReview:   true, Stage: workflow.StageSelfAssessment,
		Deadlines: map[workflow.Stage]time.Time{workflow.StageSelfAssessment: time.Date(2020, 5, 15, 16, 0, 0, 0, time.UTC)},
	}
	mustTx(t, db, func(tx *store.Tx) error { return tx.CreateCampaign(c) })
	return c
}

func mustSubmission(t testing.TB, db *store.DB, c *store.Campaign, county string) *store.Submission {
	t.Helper()
	s := &store.Submission{CampaignID: c.ID, County: county, State: workflow.StateDraft,
		Values: map[string]string{"students": "1200", "ratio": "80.91"}}
	mustTx(t, db, func(tx *store.Tx) error { return tx.CreateSubmission(s) })
	return s
}
