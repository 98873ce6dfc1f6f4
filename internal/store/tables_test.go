package store_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"lvzhi/internal/eval"
	"lvzhi/internal/framework"
	"lvzhi/internal/store"
	"lvzhi/internal/store/storetest"
	"lvzhi/internal/workflow"
)

func TestReviews(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		c := mustCampaign(t, db)
		s := mustSubmission(t, db, c, "330502")
		city := &store.Review{SubmissionID: s.ID, Point: "1.1", Stage: workflow.StageCityReview, Score: 35, Comment: "属实"}
		prov := &store.Review{SubmissionID: s.ID, Point: "1.1", Stage: workflow.StageProvinceVerification, Score: 30, Comment: "佐证不足"}
		mustTx(t, db, func(tx *store.Tx) error {
			if err := tx.SaveReview(city); err != nil {
				return err
			}
			return tx.SaveReview(prov)
		})
		if city.Reviewer != storetest.Actor || city.Version != 1 {
			t.Errorf("SaveReview set reviewer %q version %d, want %q 1", city.Reviewer, city.Version, storetest.Actor)
		}
		prov.Score, prov.Comment = 32, "补充佐证后"
		mustTx(t, db, func(tx *store.Tx) error { return tx.SaveReview(prov) })
		mustView(t, db, func(tx *store.Tx) error {
			got, err := tx.FindReviews(store.ReviewFilter{CampaignID: &c.ID})
			if err != nil {
				t.Fatalf("FindReviews: %v", err)
			}
			if diff := cmp.Diff([]*store.Review{city, prov}, got); diff != "" {
				t.Errorf("FindReviews mismatch (-want +got):\n%s", diff)
			}
			return nil
		})
		tests := []struct {
			name   string
			review store.Review
			want   error
		}{
			{"second review of a point and stage", store.Review{SubmissionID: s.ID, Point: "1.1", Stage: workflow.StageCityReview, Score: 1}, eval.ErrConflict},
			{"stale version", store.Review{ID: prov.ID, Version: 1, Point: "1.1", Stage: workflow.StageProvinceVerification}, eval.ErrConflict},
			{"self-assessment is no review stage", store.Review{SubmissionID: s.ID, Point: "1.1", Stage: workflow.StageSelfAssessment}, eval.ErrInvalid},
			{"unknown submission", store.Review{SubmissionID: 9999, Point: "1.1", Stage: workflow.StageCityReview}, eval.ErrNotFound},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				r := tc.review
				err := db.Tx(storetest.Context(t), func(tx *store.Tx) error { return tx.SaveReview(&r) })
				if !errors.Is(err, tc.want) {
					t.Errorf("SaveReview = %v, want %v", err, tc.want)
				}
			})
		}
	})
}

func TestEvidenceStoredOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		c := mustCampaign(t, db)
		s := mustSubmission(t, db, c, "330502")
		s2 := mustSubmission(t, db, c, "330503")
		pdf := bytes.Repeat([]byte("%PDF-1.7 证明材料 "), 1000)
		e1 := &store.Evidence{SubmissionID: s.ID, Point: "1.1", FileName: "证明.pdf", MediaType: "application/pdf"}
		e2 := &store.Evidence{SubmissionID: s.ID, Point: "2.3", FileName: "证明.pdf", MediaType: "application/pdf"}
		e3 := &store.Evidence{SubmissionID: s2.ID, Point: "1.1", FileName: "copy.pdf"}
		again := &store.Evidence{SubmissionID: s.ID, Point: "1.1", FileName: "重复.pdf"}
		mustTx(t, db, func(tx *store.Tx) error {
			for _, e := range []*store.Evidence{e1, e2, e3, again} {
				if err := tx.AddEvidence(e, pdf); err != nil {
					return err
				}
			}
			return nil
		})
		if e1.SHA256 != e2.SHA256 || e1.SHA256 != e3.SHA256 || e1.Size != int64(len(pdf)) {
			t.Errorf("same content got different blobs: %s %s %s", e1.SHA256, e2.SHA256, e3.SHA256)
		}
		if again.ID != e1.ID {
			t.Errorf("adding the same file to the same point again made link %d, want the existing %d", again.ID, e1.ID)
		}
		mustView(t, db, func(tx *store.Tx) error {
			list, err := tx.FindEvidence(s.ID)
			if err != nil || len(list) != 2 {
				t.Fatalf("FindEvidence = %d, %v; want 2", len(list), err)
			}
			if diff := cmp.Diff(e1, list[0]); diff != "" {
				t.Errorf("FindEvidence[0] mismatch (-want +got):\n%s", diff)
			}
			data, err := tx.ReadBlob(e1.SHA256)
			if err != nil || !bytes.Equal(data, pdf) {
				t.Errorf("ReadBlob = %d bytes, %v; want the file back", len(data), err)
			}
			blobs, err := tx.FindAudit(store.AuditFilter{Entity: "blob"})
			if err != nil || len(blobs) != 1 {
				t.Errorf("blob audit rows = %d, %v; want 1 (stored once)", len(blobs), err)
			}
			return nil
		})
		mustTx(t, db, func(tx *store.Tx) error { return tx.RemoveEvidence(e2.ID) })
		db.MaxBlobSize = 100
		tests := []struct {
			name string
			data []byte
			want error
		}{
			{"too large", bytes.Repeat([]byte("x"), 101), eval.ErrInvalid},
			{"empty", nil, eval.ErrInvalid},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				err := db.Tx(storetest.Context(t), func(tx *store.Tx) error {
					return tx.AddEvidence(&store.Evidence{SubmissionID: s.ID, Point: "3.1", FileName: "big.bin"}, tc.data)
				})
				if !errors.Is(err, tc.want) {
					t.Errorf("AddEvidence(%d bytes) = %v, want %v", len(tc.data), err, tc.want)
				}
			})
		}
	})
}

func TestPublishedResultsNeverChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		c := mustCampaign(t, db)
		results := []store.Result{
			{County: "330503", Total: 960, SelfTotal: 970, Grade: "A", ProvinceRank: 2, CityRank: 2, Credibility: 9500,
				PointScores: map[string]framework.Points{"1.1": 40}},
			{County: "330502", Total: 985, SelfTotal: 985, Grade: "A", ProvinceRank: 1, CityRank: 1, Credibility: 10000,
				Downgrades: []string{}},
		}
		var snap *store.ResultSnapshot
		mustTx(t, db, func(tx *store.Tx) (err error) {
			snap, err = tx.PublishResults(c.ID, results)
			return err
		})
		mustView(t, db, func(tx *store.Tx) error {
			got, err := tx.FindResults(c.ID)
			if err != nil {
				t.Fatalf("FindResults: %v", err)
			}
			if diff := cmp.Diff(snap, got); diff != "" {
				t.Errorf("FindResults mismatch (-want +got):\n%s", diff)
			}
			if got.Results[0].County != "330502" || got.Counties != 2 || got.PublishedBy != storetest.Actor {
				t.Errorf("snapshot = %+v, want 2 counties sorted, published by %s", got, storetest.Actor)
			}
			return nil
		})
		ctx := storetest.Context(t)
		err := db.Tx(ctx, func(tx *store.Tx) error {
			_, err := tx.PublishResults(c.ID, results[:1])
			return err
		})
		var ce *store.ConflictError
		if !errors.As(err, &ce) || ce.Current == nil {
			t.Errorf("second PublishResults = %v, want *ConflictError with the snapshot", err)
		}
		// Even SQL past the store's methods cannot change them.
		raw := []struct {
			name string
			sql  string
		}{
			{"update", "UPDATE results SET total = 1000 WHERE county = '330502'"},
			{"delete", "DELETE FROM results WHERE county = '330503'"},
			{"insert", "INSERT INTO results (campaign_id, county, total, self_total, grade, province_rank, city_rank, credibility) VALUES (" + itoa(c.ID) + ", '330521', 1, 1, 'D', 3, 3, 0)"},
			{"update snapshot", "UPDATE result_snapshots SET counties = 3"},
			{"delete snapshot", "DELETE FROM result_snapshots"},
		}
		for _, tc := range raw {
			t.Run(tc.name, func(t *testing.T) {
				err := store.ExecForTest(ctx, db, tc.sql)
				if !errors.Is(err, eval.ErrForbidden) {
					t.Errorf("%s = %v, want ErrForbidden", tc.sql, err)
				}
			})
		}
		mustView(t, db, func(tx *store.Tx) error {
			got, err := tx.FindResults(c.ID)
			if err != nil || got.Results[0].Total != 985 || len(got.Results) != 2 {
				t.Errorf("after refused changes: %+v, %v", got, err)
			}
			return nil
		})
	})
}

func TestObjections(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		c := mustCampaign(t, db)
		var att store.Attachment
		o := &store.Objection{CampaignID: c.ID, County: "330502", Point: "2.1", Reason: "核查时漏看了补充材料"}
		mustTx(t, db, func(tx *store.Tx) (err error) {
			if att, err = tx.PutBlob("补充材料.pdf", "application/pdf", []byte("%PDF 补充")); err != nil {
				return err
			}
			o.Evidence = []store.Attachment{att}
			return tx.CreateObjection(o)
		})
		if o.Status != store.ObjectionPending || o.FiledBy != storetest.Actor {
			t.Errorf("CreateObjection: status %s filed by %s", o.Status, o.FiledBy)
		}
		o.Status, o.Decision = store.ObjectionAccepted, "经复核，恢复 0.5 分"
		mustTx(t, db, func(tx *store.Tx) error { return tx.UpdateObjection(o) })
		if o.DecidedBy != storetest.Actor || o.DecidedAt == nil || o.Version != 2 {
			t.Errorf("UpdateObjection: decided by %q at %v version %d", o.DecidedBy, o.DecidedAt, o.Version)
		}
		mustView(t, db, func(tx *store.Tx) error {
			list, err := tx.FindObjections(store.ObjectionFilter{CampaignID: &c.ID})
			if err != nil || len(list) != 1 {
				t.Fatalf("FindObjections = %d, %v", len(list), err)
			}
			if diff := cmp.Diff(o, list[0]); diff != "" {
				t.Errorf("FindObjections mismatch (-want +got):\n%s", diff)
			}
			return nil
		})
		tests := []struct {
			name string
			obj  store.Objection
			want error
		}{
			{"no reason", store.Objection{CampaignID: c.ID, County: "330502"}, eval.ErrInvalid},
			{"evidence not uploaded", store.Objection{CampaignID: c.ID, County: "330502", Reason: "x",
				Evidence: []store.Attachment{{SHA256: "00", FileName: "missing.pdf"}}}, eval.ErrInvalid},
			{"unknown county", store.Objection{CampaignID: c.ID, County: "999999", Reason: "x"}, eval.ErrInvalid},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				ob := tc.obj
				err := db.Tx(storetest.Context(t), func(tx *store.Tx) error { return tx.CreateObjection(&ob) })
				if !errors.Is(err, tc.want) {
					t.Errorf("CreateObjection = %v, want %v", err, tc.want)
				}
			})
		}
	})
}

func TestProblems(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		c := mustCampaign(t, db)
		deadline := time.Date(2020, 12, 31, 16, 0, 0, 0, time.UTC)
		ps := []*store.Problem{
			{CampaignID: c.ID, County: "330502", SourcePoint: "3.2", Finding: "生均公用经费未达标", Description: "提高生均公用经费",
				Owner: "区教育局", Deadline: &deadline, Status: workflow.ProblemOpen},
			{CampaignID: c.ID, County: "330502", Description: "教师培训经费不足", Status: workflow.ProblemOpen},
			{CampaignID: c.ID, County: "330503", Description: "校舍安全", Deadline: &deadline, Status: workflow.ProblemDone},
		}
		mustTx(t, db, func(tx *store.Tx) error { return tx.CreateProblems(ps) })
		ps[1].Status, ps[1].CompletionNote = workflow.ProblemVerified, "已追加预算"
		ps[1].RecheckNote = "复核属实"
		mustTx(t, db, func(tx *store.Tx) (err error) {
			a, err := tx.PutBlob("预算批复.pdf", "", []byte("批复"))
			if err != nil {
				return err
			}
			ps[1].CompletionEvidence = []store.Attachment{a}
			return tx.UpdateProblem(ps[1])
		})
		// Carry the open ones into a 2020 campaign.
		c2 := &store.Campaign{Year: 2020, Name: "2020年度", FrameworkID: c.FrameworkID, FrameworkVersion: c.FrameworkVersion,
			Participants: c.Participants, Stage: workflow.StageSelfAssessment, CarriedFrom: c.ID}
		mustTx(t, db, func(tx *store.Tx) error {
			if err := tx.CreateCampaign(c2); err != nil {
				return err
			}
			open, err := tx.FindProblems(store.ProblemFilter{CampaignID: &c.ID, Open: true})
			if err != nil {
				return err
			}
			if len(open) != 2 {
				t.Errorf("open problems = %d, want 2", len(open))
			}
			for _, p := range open {
				carried := *p
				carried.ID, carried.CampaignID, carried.CarriedFrom = 0, c2.ID, p.ID
				if err := tx.CreateProblem(&carried); err != nil {
					return err
				}
			}
			return nil
		})
		mustView(t, db, func(tx *store.Tx) error {
			got, err := tx.FindProblems(store.ProblemFilter{CampaignID: &c.ID})
			if err != nil {
				t.Fatalf("FindProblems: %v", err)
			}
			if diff := cmp.Diff(ps, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("FindProblems mismatch (-want +got):\n%s", diff)
			}
			after := deadline.Add(time.Hour)
			overdue, err := tx.FindProblems(store.ProblemFilter{OverdueAt: &after})
			if err != nil || len(overdue) != 2 { // 2019's open one and its 2020 copy
				t.Errorf("overdue = %d, %v; want 2", len(overdue), err)
			}
			carried, err := tx.FindProblems(store.ProblemFilter{CampaignID: &c2.ID})
			if err != nil || len(carried) != 2 || carried[0].CarriedFrom != ps[0].ID {
				t.Errorf("carried problems = %+v, %v", carried, err)
			}
			return nil
		})
		stale := *ps[0]
		stale.Version = 7
		err := db.Tx(storetest.Context(t), func(tx *store.Tx) error { return tx.UpdateProblem(&stale) })
		var ce *store.ConflictError
		if !errors.As(err, &ce) || ce.Current.(*store.Problem).Version != 1 {
			t.Errorf("stale UpdateProblem = %v, want *ConflictError with version 1", err)
		}
		bad := &store.Problem{CampaignID: c.ID, County: "330502", Description: "x", Status: "forgotten"}
		if err := db.Tx(storetest.Context(t), func(tx *store.Tx) error { return tx.CreateProblem(bad) }); !errors.Is(err, eval.ErrInvalid) {
			t.Errorf("CreateProblem(bad status) = %v, want ErrInvalid", err)
		}
	})
}

func TestBackup(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		c := mustCampaign(t, db)
		mustSubmission(t, db, c, "330502")
		target := t.TempDir() + "/backup.db"
		err := db.Backup(t.Context(), target)
		if db.Dialect() == "postgres" {
			if !errors.Is(err, eval.ErrInvalid) || !containsAny(err.Error(), "pg_dump") {
				t.Errorf("Backup on postgres = %v, want a pointer to pg_dump", err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Backup: %v", err)
		}
		backup, err := store.Open(t.Context(), target)
		if err != nil {
			t.Fatalf("open backup: %v", err)
		}
		defer backup.Close()
		if err := backup.IntegrityCheck(t.Context()); err != nil {
			t.Errorf("backup integrity: %v", err)
		}
		mustView(t, backup, func(tx *store.Tx) error {
			if _, err := tx.FindSubmission(c.ID, "330502"); err != nil {
				t.Errorf("backup lacks the submission: %v", err)
			}
			return nil
		})
		rep, err := backup.VerifyAudit(t.Context())
		if err != nil || !rep.OK() {
			t.Errorf("backup audit = %+v, %v", rep, err)
		}
		if err := db.Backup(t.Context(), target); !errors.Is(err, eval.ErrConflict) {
			t.Errorf("Backup over an existing file = %v, want ErrConflict", err)
		}
	})
}
