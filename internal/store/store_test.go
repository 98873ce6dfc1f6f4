package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"lvzhi/internal/eval"
	"lvzhi/internal/framework"
	"lvzhi/internal/store"
	"lvzhi/internal/store/storetest"
	"lvzhi/internal/workflow"
)

func TestOpenDefaultsToSQLite(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		dsn  string
		want string // file that must exist afterwards
	}{
		{"plain path", filepath.Join(dir, "a", "x.db"), filepath.Join(dir, "a", "x.db")},
		{"sqlite prefix", "sqlite:" + filepath.Join(dir, "b", "y.db"), filepath.Join(dir, "b", "y.db")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db, err := store.Open(t.Context(), tc.dsn)
			if err != nil {
				t.Fatalf("Open(%q): %v", tc.dsn, err)
			}
			defer db.Close()
			if db.Dialect() != "sqlite" || db.Path() != tc.want {
				t.Errorf("Open(%q) = %s at %q, want sqlite at %q", tc.dsn, db.Dialect(), db.Path(), tc.want)
			}
			if _, err := os.Stat(tc.want); err != nil {
				t.Errorf("database file: %v", err)
			}
			v, err := db.SchemaVersion(t.Context())
			if err != nil || v < 1 {
				t.Errorf("SchemaVersion = %d, %v; want ≥ 1", v, err)
			}
		})
	}
}

func TestOpenTwiceAppliesMigrationsOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lvzhi.db")
	for i := 0; i < 2; i++ {
		db, err := store.Open(t.Context(), path)
		if err != nil {
			t.Fatalf("Open #%d: %v", i+1, err)
		}
		db.Close()
	}
}

func TestSQLitePragmas(t *testing.T) {
	db := storetest.SQLite(t)
	// The journal mode is a property of the file: a plain connection sees it.
	if got := sqliteQuery(t, db.Path(), "PRAGMA journal_mode"); got != "wal" {
		t.Errorf("journal_mode = %q, want wal", got)
	}
	tests := []struct {
		reader bool
		pragma string
		want   string
	}{
		{false, "foreign_keys", "1"},
		{false, "synchronous", "1"}, // NORMAL
		{false, "busy_timeout", "10000"},
		{false, "query_only", "0"},
		{true, "foreign_keys", "1"},
		{true, "busy_timeout", "10000"},
		{true, "query_only", "1"},
	}
	for _, tc := range tests {
		got, err := store.PragmaForTest(t.Context(), db, tc.reader, tc.pragma)
		if err != nil || got != tc.want {
			t.Errorf("PRAGMA %s (reader %v) = %q, %v; want %q", tc.pragma, tc.reader, got, err, tc.want)
		}
	}
}

func TestRegions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		mustRegions(t, db)
		mustView(t, db, func(tx *store.Tx) error {
			got, err := tx.FindRegion("330502")
			if err != nil {
				t.Fatalf("FindRegion: %v", err)
			}
			want := store.Region{Code: "330502", Name: "吴兴区", Level: store.LevelCounty, Parent: "330500"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("FindRegion(330502) mismatch (-want +got):\n%s", diff)
			}
			path, err := tx.RegionPath("330502")
			if err != nil {
				t.Fatalf("RegionPath: %v", err)
			}
			var names []string
			for _, r := range path {
				names = append(names, r.Name)
			}
			if diff := cmp.Diff([]string{"浙江省", "湖州市", "吴兴区"}, names); diff != "" {
				t.Errorf("RegionPath(330502) mismatch (-want +got):\n%s", diff)
			}
			parent := "330500"
			kids, err := tx.FindRegions(store.RegionFilter{Parent: &parent})
			if err != nil || len(kids) != 3 {
				t.Errorf("FindRegions(parent 330500) = %d regions, %v; want 3", len(kids), err)
			}
			if _, err := tx.FindRegion("999999"); !errors.Is(err, eval.ErrNotFound) {
				t.Errorf("FindRegion(999999) = %v, want ErrNotFound", err)
			}
			return nil
		})
		// Importing again changes nothing; a renamed region is updated.
		var n int
		mustTx(t, db, func(tx *store.Tx) (err error) {
			n, err = tx.ImportRegions(zhejiangSample)
			return err
		})
		if n != 0 {
			t.Errorf("second ImportRegions changed %d rows, want 0", n)
		}
		renamed := []store.Region{{Code: "330502", Name: "吴兴区（新）", Level: store.LevelCounty, Parent: "330500"}}
		mustTx(t, db, func(tx *store.Tx) (err error) {
			n, err = tx.ImportRegions(renamed)
			return err
		})
		if n != 1 {
			t.Errorf("ImportRegions(renamed) changed %d rows, want 1", n)
		}
	})
}

func TestImportRegionsRefusesBadInputWhole(t *testing.T) {
	tests := []struct {
		name    string
		regions []store.Region
		want    error
	}{
		{"missing parent", []store.Region{
			{Code: "340000", Name: "安徽省", Level: store.LevelProvince},
			{Code: "340100", Name: "合肥市", Level: store.LevelCity, Parent: "349900"},
		}, eval.ErrInvalid},
		{"bad level", []store.Region{{Code: "340000", Name: "安徽省", Level: "state"}}, eval.ErrInvalid},
		{"empty name", []store.Region{{Code: "340000", Level: store.LevelProvince}}, eval.ErrInvalid},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				err := db.Tx(storetest.Context(t), func(tx *store.Tx) error {
					_, err := tx.ImportRegions(tc.regions)
					return err
				})
				if !errors.Is(err, tc.want) {
					t.Fatalf("ImportRegions = %v, want %v", err, tc.want)
				}
				mustView(t, db, func(tx *store.Tx) error {
					all, err := tx.FindRegions(store.RegionFilter{})
					if err != nil || len(all) != 0 {
						t.Errorf("after a refused import: %d regions (%v), want 0", len(all), err)
					}
					return nil
				})
			})
		}
	})
}

func TestUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		db.Now = func() time.Time { return testNow }
		mustRegions(t, db)
		u := &store.User{Name: "wx-filler", DisplayName: "吴兴填报员", Role: workflow.RoleCountyFiller,
			Region: "330502", PasswordHash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$a2V5"}
		mustTx(t, db, func(tx *store.Tx) error { return tx.CreateUser(u) })
		if u.ID == 0 || u.Version != 1 {
			t.Fatalf("CreateUser set ID %d, Version %d", u.ID, u.Version)
		}
		mustView(t, db, func(tx *store.Tx) error {
			got, err := tx.FindUserByName("wx-filler")
			if err != nil {
				t.Fatalf("FindUserByName: %v", err)
			}
			if diff := cmp.Diff(u, got); diff != "" {
				t.Errorf("FindUserByName mismatch (-want +got):\n%s", diff)
			}
			return nil
		})
		u.Disabled = true
		mustTx(t, db, func(tx *store.Tx) error { return tx.UpdateUser(u) })
		mustView(t, db, func(tx *store.Tx) error {
			got, _ := tx.FindUserByID(u.ID)
			if !got.Disabled || got.Version != 2 {
				t.Errorf("after UpdateUser: disabled %v version %d, want true 2", got.Disabled, got.Version)
			}
			return nil
		})

		tests := []struct {
			name string
			user store.User
			want error
		}{
			{"duplicate name", store.User{Name: "wx-filler", Role: workflow.RoleExpert, Region: "330000", PasswordHash: "x"}, eval.ErrConflict},
			{"unknown region", store.User{Name: "b", Role: workflow.RoleExpert, Region: "999999", PasswordHash: "x"}, eval.ErrInvalid},
			{"bad role", store.User{Name: "c", Role: "king", Region: "330000", PasswordHash: "x"}, eval.ErrInvalid},
			{"no password", store.User{Name: "d", Role: workflow.RoleExpert, Region: "330000"}, eval.ErrInvalid},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				u := tc.user
				err := db.Tx(storetest.Context(t), func(tx *store.Tx) error { return tx.CreateUser(&u) })
				if !errors.Is(err, tc.want) {
					t.Errorf("CreateUser(%s) = %v, want %v", tc.name, err, tc.want)
				}
			})
		}
		// The audit log never holds the hash.
		mustView(t, db, func(tx *store.Tx) error {
			entries, err := tx.FindAudit(store.AuditFilter{Entity: "user"})
			if err != nil {
				t.Fatalf("FindAudit: %v", err)
			}
			for _, e := range entries {
				if containsAny(e.Old+e.New, "argon2id") {
					t.Errorf("audit row %d holds the password hash: %s", e.Seq, e.New)
				}
			}
			return nil
		})
	})
}

func TestFrameworkPinnedByOpenedCampaign(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		c := mustCampaign(t, db)
		ctx := storetest.Context(t)
		// Before opening the text may still change.
		mustTx(t, db, func(tx *store.Tx) error {
			return tx.UpdateFrameworkSource(c.FrameworkID, c.FrameworkVersion, "浙江县级", "points: [a]\n")
		})
		// The same id/version with the same text is harmless; other text conflicts.
		mustTx(t, db, func(tx *store.Tx) error {
			return tx.CreateFramework(&store.FrameworkVersion{ID: c.FrameworkID, Version: c.FrameworkVersion, Source: "points: [a]\n"})
		})
		err := db.Tx(ctx, func(tx *store.Tx) error {
			return tx.CreateFramework(&store.FrameworkVersion{ID: c.FrameworkID, Version: c.FrameworkVersion, Source: "other"})
		})
		var ce *store.ConflictError
		if !errors.As(err, &ce) || ce.Current == nil {
			t.Errorf("CreateFramework(same version, other text) = %v, want *ConflictError with the stored version", err)
		}
		opened := testNow
		c.OpenedAt = &opened
		mustTx(t, db, func(tx *store.Tx) error { return tx.UpdateCampaign(c) })
		err = db.Tx(ctx, func(tx *store.Tx) error {
			return tx.UpdateFrameworkSource(c.FrameworkID, c.FrameworkVersion, "x", "points: [b]\n")
		})
		if !errors.Is(err, eval.ErrForbidden) {
			t.Errorf("UpdateFrameworkSource after opening = %v, want ErrForbidden", err)
		}
		// Nor can the campaign switch to another version.
		mustTx(t, db, func(tx *store.Tx) error {
			return tx.CreateFramework(&store.FrameworkVersion{ID: c.FrameworkID, Version: "2020", Source: "points: []\n"})
		})
		c.FrameworkVersion = "2020"
		err = db.Tx(ctx, func(tx *store.Tx) error { return tx.UpdateCampaign(c) })
		if !errors.Is(err, eval.ErrForbidden) {
			t.Errorf("UpdateCampaign(new framework version) after opening = %v, want ErrForbidden", err)
		}
		mustView(t, db, func(tx *store.Tx) error {
			f, err := tx.FindFramework(c.FrameworkID, "2019")
			if err != nil || f.Source != "points: [a]\n" {
				t.Errorf("pinned framework = %v, %v; want the text of before opening", f, err)
			}
			if sum, err := tx.FrameworkSHA256(c.FrameworkID, "2019"); err != nil || sum != f.SHA256 {
				t.Errorf("FrameworkSHA256 = %q, %v; want %q", sum, err, f.SHA256)
			}
			if _, err := tx.FrameworkSHA256(c.FrameworkID, "1999"); !errors.Is(err, eval.ErrNotFound) {
				t.Errorf("FrameworkSHA256(unknown) = %v, want ErrNotFound", err)
			}
			return nil
		})
	})
}

func TestCampaignRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		c := mustCampaign(t, db)
		var got *store.Campaign
		mustView(t, db, func(tx *store.Tx) (err error) {
			got, err = tx.FindCampaignByID(c.ID)
			return err
		})
		if diff := cmp.Diff(c, got); diff != "" {
			t.Errorf("FindCampaignByID mismatch (-want +got):\n%s", diff)
		}
		// Change everything editable.
		opens, closes := testNow.Add(24*time.Hour), testNow.Add(72*time.Hour)
		got.Stage = workflow.StageCityReview
		got.CityReview = false
		got.Participants = []string{"330502", "330503", "330102"}
		got.Deadlines[workflow.StageCityReview] = testNow.Add(48 * time.Hour)
		got.ObjectionOpens, got.ObjectionCloses = &opens, &closes
		got.Sample = &store.Sample{Seed: 42, Picks: []store.SamplePick{{County: "330502", Reasons: []string{"上年C等"}}}, DrawnAt: testNow, DrawnBy: "admin"}
		mustTx(t, db, func(tx *store.Tx) error { return tx.UpdateCampaign(got) })
		var again *store.Campaign
		year := 2019
		mustView(t, db, func(tx *store.Tx) error {
			list, err := tx.FindCampaigns(store.CampaignFilter{Year: &year})
			if err != nil || len(list) != 1 {
				t.Fatalf("FindCampaigns(2019) = %d, %v", len(list), err)
			}
			again = list[0]
			county := "330521"
			gone, err := tx.FindCampaigns(store.CampaignFilter{County: &county})
			if err != nil || len(gone) != 0 {
				t.Errorf("FindCampaigns(county 330521 removed) = %d, %v; want 0", len(gone), err)
			}
			return nil
		})
		if diff := cmp.Diff(got, again); diff != "" {
			t.Errorf("after UpdateCampaign mismatch (-want +got):\n%s", diff)
		}
		if again.Version != 2 {
			t.Errorf("Version = %d, want 2", again.Version)
		}
	})
}

func TestCampaignRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		c := mustCampaign(t, db)
		mustSubmission(t, db, c, "330502")
		tests := []struct {
			name   string
			change func(c *store.Campaign)
			create bool
			want   error
		}{
			{"same year and name", func(c *store.Campaign) {}, true, eval.ErrConflict},
			{"unknown framework", func(c *store.Campaign) { c.Name = "x"; c.FrameworkVersion = "1999" }, true, eval.ErrNotFound},
			{"unknown county", func(c *store.Campaign) { c.Name = "y"; c.Participants = []string{"999999"} }, true, eval.ErrInvalid},
			{"bad stage", func(c *store.Campaign) { c.Stage = "party" }, false, eval.ErrInvalid},
			{"remove participant with submission", func(c *store.Campaign) { c.Participants = []string{"330503"} }, false, eval.ErrInvalid},
			{"stale version", func(c *store.Campaign) { c.Version = 99 }, false, eval.ErrConflict},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				var cp *store.Campaign
				mustView(t, db, func(tx *store.Tx) (err error) {
					cp, err = tx.FindCampaignByID(c.ID)
					return err
				})
				tc.change(cp)
				err := db.Tx(storetest.Context(t), func(tx *store.Tx) error {
					if tc.create {
						return tx.CreateCampaign(cp)
					}
					return tx.UpdateCampaign(cp)
				})
				if !errors.Is(err, tc.want) {
					t.Errorf("%s = %v, want %v", tc.name, err, tc.want)
				}
			})
		}
		mustView(t, db, func(tx *store.Tx) error {
			cur, _ := tx.FindCampaignByID(c.ID)
			if diff := cmp.Diff(c, cur); diff != "" {
				t.Errorf("refused changes changed the campaign (-want +got):\n%s", diff)
			}
			return nil
		})
	})
}

func TestSubmissionRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		c := mustCampaign(t, db)
		s := mustSubmission(t, db, c, "330502")
		s.Values["teachers"] = "85.5"
		s.Values["ratio"] = "80.9100"
		s.SelfScores = map[string]store.SelfScore{"1.1": {Points: framework.Points(35), Justification: "已落实"}}
		s.Bonus = []store.BonusClaim{{Code: "B1", Points: 10, Justification: "国家级荣誉"}}
		s.Narrative = []store.Section{{Title: "一、基本情况", Text: "吴兴区……"}, {Title: "二、主要问题", Text: "……"}}
		mustTx(t, db, func(tx *store.Tx) error { return tx.UpdateSubmission(s) })
		if s.Version != 2 {
			t.Errorf("Version after update = %d, want 2", s.Version)
		}
		mustView(t, db, func(tx *store.Tx) error {
			got, err := tx.FindSubmission(c.ID, "330502")
			if err != nil {
				t.Fatalf("FindSubmission: %v", err)
			}
			if diff := cmp.Diff(s, got); diff != "" {
				t.Errorf("FindSubmission mismatch (-want +got):\n%s", diff)
			}
			state := workflow.StateDraft
			list, err := tx.FindSubmissions(store.SubmissionFilter{CampaignID: &c.ID, State: &state})
			if err != nil || len(list) != 1 {
				t.Errorf("FindSubmissions = %d, %v; want 1", len(list), err)
			}
			// The audit row of the update holds only what changed.
			audit, err := tx.FindAudit(store.AuditFilter{Entity: "submission", EntityID: itoa(s.ID)})
			if err != nil || len(audit) != 2 {
				t.Fatalf("FindAudit(submission) = %d rows, %v; want 2", len(audit), err)
			}
			upd := audit[1]
			if upd.Action != "update" || upd.Actor != storetest.Actor || containsAny(upd.New, "students") || !containsAny(upd.New, "80.9100") {
				t.Errorf("update audit row = %+v; want only changed keys, by %s", upd, storetest.Actor)
			}
			return nil
		})

		tests := []struct {
			name string
			sub  store.Submission
			want error
		}{
			{"second for same county", store.Submission{CampaignID: c.ID, County: "330502", State: workflow.StateDraft}, eval.ErrConflict},
			{"not a participant", store.Submission{CampaignID: c.ID, County: "330000", State: workflow.StateDraft}, eval.ErrInvalid},
			{"bad state", store.Submission{CampaignID: c.ID, County: "330503", State: "lost"}, eval.ErrInvalid},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				sub := tc.sub
				err := db.Tx(storetest.Context(t), func(tx *store.Tx) error { return tx.CreateSubmission(&sub) })
				if !errors.Is(err, tc.want) {
					t.Errorf("CreateSubmission = %v, want %v", err, tc.want)
				}
			})
		}
		if err := db.View(storetest.Context(t), func(tx *store.Tx) error {
			_, err := tx.FindSubmissionByID(99999)
			return err
		}); !errors.Is(err, eval.ErrNotFound) {
			t.Errorf("FindSubmissionByID(99999) = %v, want ErrNotFound", err)
		}
	})
}

func TestStaleSaveCarriesCurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		c := mustCampaign(t, db)
		s := mustSubmission(t, db, c, "330502")
		first, second := *s, *s
		first.Values = map[string]string{"students": "1300"}
		second.Values = map[string]string{"students": "1400"}
		mustTx(t, db, func(tx *store.Tx) error { return tx.UpdateSubmission(&first) })
		err := db.Tx(storetest.Context(t), func(tx *store.Tx) error { return tx.UpdateSubmission(&second) })
		var ce *store.ConflictError
		if !errors.As(err, &ce) || !errors.Is(err, eval.ErrConflict) {
			t.Fatalf("stale UpdateSubmission = %v, want *ConflictError", err)
		}
		cur, ok := ce.Current.(*store.Submission)
		if !ok || cur.Values["students"] != "1300" || cur.Version != 2 {
			t.Errorf("ConflictError.Current = %#v, want the saved submission (1300, version 2)", ce.Current)
		}
	})
}

func TestChangesNeedAnActor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		err := db.Tx(context.Background(), func(tx *store.Tx) error {
			_, err := tx.ImportRegions(zhejiangSample[:1])
			return err
		})
		if !errors.Is(err, eval.ErrForbidden) {
			t.Errorf("change without actor = %v, want ErrForbidden", err)
		}
	})
}

func TestViewRefusesWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		err := db.View(storetest.Context(t), func(tx *store.Tx) error {
			_, err := tx.ImportRegions(zhejiangSample)
			return err
		})
		if err == nil {
			t.Errorf("ImportRegions in View succeeded, want an error")
		}
	})
}

func TestRollbackOnError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		boom := errors.New("boom")
		err := db.Tx(storetest.Context(t), func(tx *store.Tx) error {
			if _, err := tx.ImportRegions(zhejiangSample); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Tx = %v, want boom", err)
		}
		mustView(t, db, func(tx *store.Tx) error {
			all, _ := tx.FindRegions(store.RegionFilter{})
			audit, _ := tx.FindAudit(store.AuditFilter{})
			if len(all) != 0 || len(audit) != 0 {
				t.Errorf("after rollback: %d regions, %d audit rows; want 0, 0", len(all), len(audit))
			}
			return nil
		})
	})
}

// Several processes starting at once on a new database each apply the
// migrations or see them applied, never twice.
func TestConcurrentOpen(t *testing.T) {
	dsns := map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "lvzhi.db") },
		"postgres": func(t *testing.T) string { return storetest.PostgresDSN(t) },
	}
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			dsn := dsns[name](t)
			const n = 8
			errs := make(chan error, n)
			for range n {
				go func() {
					db, err := store.Open(t.Context(), dsn)
					if err == nil {
						db.Close()
					}
					errs <- err
				}()
			}
			for range n {
				if err := <-errs; err != nil {
					t.Errorf("concurrent Open: %v", err)
				}
			}
		})
	}
}

func TestOpenUnreachablePostgres(t *testing.T) {
	_, err := store.Open(t.Context(), "postgres://lvzhi:secret@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	if err == nil {
		t.Fatal("Open(unreachable) succeeded")
	}
	if !containsAny(err.Error(), "无法打开数据库") || containsAny(err.Error(), "secret") {
		t.Errorf("Open(unreachable) = %q, want a Chinese message without the password", err)
	}
}
