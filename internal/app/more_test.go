package app

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"lvzhi/internal/eval"
	"lvzhi/internal/framework"
	"lvzhi/internal/store"
	"lvzhi/internal/store/storetest"
	"lvzhi/internal/workflow"
)

// Two people save the same version of a submission at once: exactly one
// save wins, the other gets a conflict carrying the winner's row, and the
// stored content is the winner's.
func TestConcurrentSaves(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, _ := mustSetup(t, db)
		if _, err := CreateCampaign(ctx, db, admin, CampaignSpec{Year: 2019, Region: "3305"}); err != nil {
			t.Fatal(err)
		}
		if _, err := OpenCampaign(ctx, db, admin, 2019); err != nil {
			t.Fatal(err)
		}
		first, err := SaveSubmission(ctx, db, filler, SaveRequest{Year: 2019, County: "330502", Content: wuxingContent(t)})
		if err != nil {
			t.Fatal(err)
		}
		v := first.Submission.Version
		var wg sync.WaitGroup
		errs := make([]error, 8)
		contents := make([]Content, len(errs))
		for i := range contents {
			contents[i] = wuxingContent(t)
		}
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := contents[i]
				c.Narrative = []store.Section{{Title: "版本", Text: strings.Repeat("改", i+1)}}
				a := filler
				if i%2 == 1 {
					a = approver
				}
				_, errs[i] = SaveSubmission(ctx, db, a, SaveRequest{Year: 2019, County: "330502", Content: c, Version: v})
			}()
		}
		wg.Wait()
		won := -1
		for i, err := range errs {
			var ce *store.ConflictError
			switch {
			case err == nil:
				if won >= 0 {
					t.Fatalf("saves %d and %d both won", won, i)
				}
				won = i
			case errors.As(err, &ce):
				if cur, ok := ce.Current.(*store.Submission); !ok || cur.Version != v+1 {
					t.Errorf("conflict %d carries %#v", i, ce.Current)
				}
			default:
				t.Errorf("save %d: %v", i, err)
			}
		}
		if won < 0 {
			t.Fatal("no save won")
		}
		view, err := ShowSubmission(ctx, db, filler, 2019, "330502")
		if err != nil {
			t.Fatal(err)
		}
		if got := view.Submission.Narrative[0].Text; got != strings.Repeat("改", won+1) {
			t.Errorf("stored %q, winner wrote %d characters", got, won+1)
		}
	})
}

// Without city review a submission goes from submitted straight to
// province verification, and city reviewers have nothing to do.
func TestNoCityReview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, _ := mustSetup(t, db)
		if _, err := CreateCampaign(ctx, db, admin, CampaignSpec{Year: 2019, Region: "330502"}); err != nil {
			t.Fatal(err)
		}
		if _, err := OpenCampaign(ctx, db, admin, 2019); err != nil {
			t.Fatal(err)
		}
		if _, err := SaveSubmission(ctx, db, approver, SaveRequest{Year: 2019, County: "330502", Content: wuxingContent(t)}); err != nil {
			t.Fatal(err)
		}
		move := func(a workflow.Actor, act workflow.Action) error {
			_, err := Transition(ctx, db, a, TransitionRequest{Year: 2019, County: "330502", Action: act, Reason: "理由"})
			return err
		}
		if err := move(approver, workflow.ActionSubmit); err != nil {
			t.Fatal(err)
		}
		c, err := AdvanceCampaign(ctx, db, admin, 2019, false)
		if err != nil || c.Stage != workflow.StageProvinceVerification {
			t.Fatalf("advance: %v", err)
		}
		if err := move(huzhou, workflow.ActionCityReview); !errors.Is(err, eval.ErrConflict) || !strings.Contains(err.Error(), "不设市级审核") {
			t.Fatalf("city review without city review: %v", err)
		}
		if _, err := ReviewScore(ctx, db, huzhou, ScoreRequest{Year: 2019, County: "330502", Code: "C2", Score: pts("1"), Comment: "x"}); !errors.Is(err, eval.ErrConflict) {
			t.Fatalf("city score without city review: %v", err)
		}
		// A return by the province, a resubmission, verification.
		if err := move(admin, workflow.ActionReturn); err != nil {
			t.Fatal(err)
		}
		if err := move(approver, workflow.ActionSubmit); err != nil {
			t.Fatal(err)
		}
		if err := move(admin, workflow.ActionVerify); err != nil {
			t.Fatal(err)
		}
		if st, _ := stateOf(t, ctx, db, 2019, "330502"); st != workflow.StateVerified {
			t.Fatalf("state %s", st)
		}
	})
}

func TestAddUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, _ := mustSetup(t, db)
		add := func(by *workflow.Actor, name string, role workflow.Role, region string) error {
			_, err := AddUser(ctx, db, by, NewUser{Name: name, Role: role, Region: region, Password: "secret123"})
			return err
		}
		if err := add(nil, "first", workflow.RoleCityReviewer, "3305"); !errors.Is(err, eval.ErrInvalid) {
			t.Fatalf("first user not an admin: %v", err)
		}
		if err := add(nil, "admin", workflow.RoleProvinceAdmin, "330000"); err != nil {
			t.Fatal(err)
		}
		if err := add(nil, "second", workflow.RoleProvinceAdmin, "32"); !errors.Is(err, eval.ErrForbidden) {
			t.Fatalf("second user without an actor: %v", err)
		}
		a, err := ActorFor(ctx, db, "admin")
		if err != nil || a.Region != "33" {
			t.Fatalf("actor %+v, %v", a, err)
		}
		tests := []struct {
			by     workflow.Actor
			name   string
			role   workflow.Role
			region string
			kind   error
		}{
			{a, "huzhou", workflow.RoleCityReviewer, "3305", nil},
			{a, "dongguan", workflow.RoleCountyFiller, "4419", eval.ErrForbidden}, // a unit, but in Guangdong
			{a, "js", workflow.RoleProvinceAdmin, "32", eval.ErrForbidden},
			{a, "bad-level", workflow.RoleCityReviewer, "330502", eval.ErrInvalid},
			{a, "no-region", workflow.RoleCountyFiller, "339999", eval.ErrInvalid},
			{a, "bad-role", "boss", "33", eval.ErrInvalid},
			{a, "huzhou", workflow.RoleCityReviewer, "3305", eval.ErrConflict},
			{huzhou, "x", workflow.RoleCountyFiller, "330502", eval.ErrForbidden},
		}
		for _, tt := range tests {
			err := add(&tt.by, tt.name, tt.role, tt.region)
			if (tt.kind == nil) != (err == nil) || (tt.kind != nil && !errors.Is(err, tt.kind)) {
				t.Errorf("%s adds %s (%s %s): %v, want %v", tt.by.Name, tt.name, tt.role, tt.region, err, tt.kind)
			}
		}
		if _, err := AddUser(ctx, db, &a, NewUser{Name: "short", Role: workflow.RoleExpert, Region: "33", Password: "1234"}); !errors.Is(err, eval.ErrInvalid) {
			t.Errorf("short password: %v", err)
		}
		if _, err := ActorFor(ctx, db, "nobody"); !errors.Is(err, eval.ErrForbidden) {
			t.Errorf("unknown user: %v", err)
		}
		users, err := Users(ctx, db, a)
		if err != nil || len(users) != 2 {
			t.Errorf("users %d, %v", len(users), err)
		}
	})
}

// A framework version is stored once; the same id and version with other
// text is refused; a campaign pins what it was created with, and opening
// it makes that version immutable.
func TestFrameworkVersions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, _ := mustSetup(t, db)
		src := framework.DefaultSource()
		if _, err := AddFramework(ctx, db, expert, "fw.yaml", src); !errors.Is(err, eval.ErrForbidden) {
			t.Fatalf("expert adds a framework: %v", err)
		}
		fv, err := AddFramework(ctx, db, admin, "fw.yaml", src)
		if err != nil {
			t.Fatal(err)
		}
		if fv.ID != "lvzhi-county-2019" || fv.Version != "1" || len(fv.SHA256) != 64 {
			t.Fatalf("stored %s %s %s", fv.ID, fv.Version, fv.SHA256)
		}
		if _, err := AddFramework(ctx, db, admin, "fw.yaml", src); err != nil {
			t.Fatalf("the same text again: %v", err)
		}
		changed := []byte(strings.Replace(string(src), "name: ", "name: 改", 1))
		if _, err := AddFramework(ctx, db, admin, "changed.yaml", changed); !errors.Is(err, eval.ErrConflict) {
			t.Fatalf("other text, same version: %v", err)
		}
		if _, err := AddFramework(ctx, db, admin, "bad.yaml", []byte("meta: {id: x}\n")); !errors.Is(err, eval.ErrInvalid) {
			t.Fatalf("bad framework: %v", err)
		}
		if _, err := CreateCampaign(ctx, db, admin, CampaignSpec{Year: 2019, Region: "3305", FrameworkFile: "fw.yaml", Framework: src}); err != nil {
			t.Fatal(err)
		}
		if _, err := OpenCampaign(ctx, db, admin, 2019); err != nil {
			t.Fatal(err)
		}
		fw, err := CampaignFramework(ctx, db, 2019)
		if err != nil || fw.Meta.ID != "lvzhi-county-2019" {
			t.Fatalf("pinned framework %v, %v", fw, err)
		}
		err = db.Tx(store.WithActor(ctx, "admin"), func(tx *store.Tx) error {
			return tx.UpdateFrameworkSource(fv.ID, fv.Version, fv.Name, string(changed))
		})
		if !errors.Is(err, eval.ErrForbidden) {
			t.Fatalf("changing a pinned version: %v", err)
		}
	})
}
