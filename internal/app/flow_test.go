package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"lvzhi/internal/eval"
	"lvzhi/internal/framework"
	"lvzhi/internal/store"
	"lvzhi/internal/store/storetest"
	"lvzhi/internal/workflow"
)

func pts(s string) framework.Points {
	p, err := framework.ParsePoints(s)
	if err != nil {
		panic(err)
	}
	return p
}

// stateOf reads a county's submission state and version.
func stateOf(t *testing.T, ctx context.Context, db *store.DB, year int, county string) (workflow.State, int64) {
	t.Helper()
	var st workflow.State
	var v int64
	err := db.View(ctx, func(tx *store.Tx) error {
		c, err := campaignByYear(tx, year)
		if err != nil {
			return err
		}
		s, err := tx.FindSubmission(c.ID, county)
		if err != nil {
			return err
		}
		st, v = s.State, s.Version
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return st, v
}

// mustRefuse checks that err is a refusal of kind and that nothing about
// the county's submission changed.
func mustRefuse(t *testing.T, ctx context.Context, db *store.DB, what string, kind error, before int64, err error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("%s: %v, want %v", what, err, kind)
	}
	if _, v := stateOf(t, ctx, db, 2019, "330502"); v != before {
		t.Fatalf("%s: refused but the submission changed (version %d → %d)", what, before, v)
	}
}

// TestWorkflow runs one county through the whole year on both databases:
// save, submit, return, resubmit, city review, verification, objection,
// finalization, publication, problems and their carry-over — and at each
// step checks that the wrong role and every foreign region are refused
// without changing anything.
func TestWorkflow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, clk := mustSetup(t, db)
		deadlines := map[workflow.Stage]time.Time{
			workflow.StageSelfAssessment: time.Date(2020, 8, 31, 15, 59, 59, 0, time.UTC),
			workflow.StageResults:        time.Date(2020, 11, 7, 15, 59, 59, 0, time.UTC),
		}
		for _, a := range foreigners {
			if _, err := CreateCampaign(ctx, db, a, CampaignSpec{Year: 2019, Region: "3305"}); !errors.Is(err, eval.ErrForbidden) {
				t.Fatalf("%s creates a Huzhou campaign: %v", a.Name, err)
			}
		}
		c, err := CreateCampaign(ctx, db, admin, CampaignSpec{Year: 2019, Region: "3305", CityReview: true, Deadlines: deadlines})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(c.Participants, " ") != "330502 330503 330521 330522 330523" {
			t.Fatalf("participants %v", c.Participants)
		}
		content := wuxingContent(t)
		save := func(a workflow.Actor) (*Saved, error) {
			return SaveSubmission(ctx, db, a, SaveRequest{Year: 2019, County: "330502", Content: content})
		}
		if _, err := save(filler); !errors.Is(err, eval.ErrConflict) || !strings.Contains(err.Error(), "尚未启动") {
			t.Fatalf("save before opening: %v", err)
		}
		if _, err := OpenCampaign(ctx, db, admin, 2019); err != nil {
			t.Fatal(err)
		}

		// Self-assessment.
		saved, err := save(filler)
		if err != nil {
			t.Fatal(err)
		}
		if saved.Self.Total.String() != "98.5" || saved.Submission.State != workflow.StateDraft {
			t.Fatalf("saved: %s %s", saved.Self.Total, saved.Submission.State)
		}
		_, v := stateOf(t, ctx, db, 2019, "330502")
		for _, a := range foreigners {
			_, err := save(a)
			mustRefuse(t, ctx, db, a.Name+" saves", eval.ErrForbidden, v, err)
		}
		_, err = save(huzhou)
		mustRefuse(t, ctx, db, "city reviewer saves", eval.ErrForbidden, v, err)
		move := func(a workflow.Actor, act workflow.Action, reason string) error {
			_, err := Transition(ctx, db, a, TransitionRequest{Year: 2019, County: "330502", Action: act, Reason: reason})
			return err
		}
		mustRefuse(t, ctx, db, "filler submits", eval.ErrForbidden, v, move(filler, workflow.ActionSubmit, ""))
		mustRefuse(t, ctx, db, "Nanxun submits Wuxing", eval.ErrForbidden, v, move(nanxun, workflow.ActionSubmit, ""))

		// An auto score cannot be typed.
		bad := wuxingContent(t)
		bad.Input.Manual["C2"] = bad.Input.Manual["A1.1"]
		_, err = SaveSubmission(ctx, db, filler, SaveRequest{Year: 2019, County: "330502", Content: bad})
		mustRefuse(t, ctx, db, "typed auto score", eval.ErrInvalid, v, err)

		// A stale save is a conflict carrying the current row.
		_, err = SaveSubmission(ctx, db, filler, SaveRequest{Year: 2019, County: "330502", Content: content, Version: v - 1 + 5})
		var ce *store.ConflictError
		if !errors.As(err, &ce) || ce.Current.(*store.Submission).Version != v {
			t.Fatalf("stale save: %v", err)
		}

		if err := move(approver, workflow.ActionSubmit, ""); err != nil {
			t.Fatal(err)
		}
		_, v = stateOf(t, ctx, db, 2019, "330502")
		_, err = save(filler)
		mustRefuse(t, ctx, db, "edit after submit", eval.ErrConflict, v, err)

		// Only 吴兴区 submitted: advancing needs --force.
		if _, err := AdvanceCampaign(ctx, db, admin, 2019, false); !errors.Is(err, eval.ErrConflict) || !strings.Contains(err.Error(), "4 个县区“草稿”") {
			t.Fatalf("advance with drafts: %v", err)
		}
		if _, err := AdvanceCampaign(ctx, db, huzhou, 2019, true); !errors.Is(err, eval.ErrForbidden) {
			t.Fatalf("city reviewer advances: %v", err)
		}
		if c, err = AdvanceCampaign(ctx, db, admin, 2019, true); err != nil || c.Stage != workflow.StageCityReview {
			t.Fatalf("advance: %v", err)
		}

		// City review: a score, then a return with a reason.
		score := func(a workflow.Actor, code, s, comment string) error {
			_, err := ReviewScore(ctx, db, a, ScoreRequest{Year: 2019, County: "330502", Code: code, Score: pts(s), Comment: comment})
			return err
		}
		mustRefuse(t, ctx, db, "Hangzhou scores", eval.ErrForbidden, v, score(hangzhou, "C2", "2", "x"))
		mustRefuse(t, ctx, db, "expert scores in city review", eval.ErrConflict, v, score(expert, "C2", "2", "x"))
		if err := score(huzhou, "C2", "2", "大班额比例核实为 2.6%"); err != nil {
			t.Fatal(err)
		}
		mustRefuse(t, ctx, db, "return without reason", eval.ErrInvalid, v, move(huzhou, workflow.ActionReturn, " "))
		mustRefuse(t, ctx, db, "Hangzhou returns", eval.ErrForbidden, v, move(hangzhou, workflow.ActionReturn, "x"))
		if err := move(huzhou, workflow.ActionReturn, "E5 满意度调查缺少样本说明"); err != nil {
			t.Fatal(err)
		}
		view, err := ShowSubmission(ctx, db, filler, 2019, "330502")
		if err != nil {
			t.Fatal(err)
		}
		if view.Submission.State != workflow.StateReturned || view.Submission.ReturnReason != "E5 满意度调查缺少样本说明" {
			t.Fatalf("after return: %s %q", view.Submission.State, view.Submission.ReturnReason)
		}
		if view.Outcome.Total.String() != "97.5" {
			t.Fatalf("total with the city's C2: %s", view.Outcome.Total)
		}

		// The county fixes and resubmits; the city passes it.
		content.Narrative = append(content.Narrative, store.Section{Title: "满意度调查", Text: "样本 1,200 份。"})
		if _, err := save(filler); err != nil {
			t.Fatal(err)
		}
		if err := move(approver, workflow.ActionSubmit, ""); err != nil {
			t.Fatal(err)
		}
		if err := move(huzhou, workflow.ActionCityReview, ""); err != nil {
			t.Fatal(err)
		}
		if c, err = AdvanceCampaign(ctx, db, admin, 2019, false); err != nil || c.Stage != workflow.StageProvinceVerification {
			t.Fatalf("advance to verification: %v", err)
		}

		// Province verification: sample, an expert's score, verification.
		sample, err := DrawSample(ctx, db, admin, SampleRequest{Year: 2019, N: 1, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		if len(sample.Picks) != 1 || sample.Picks[0].County != "330502" || sample.Seed != 7 {
			t.Fatalf("sample %+v", sample)
		}
		if _, err := DrawSample(ctx, db, admin, SampleRequest{Year: 2019, N: 1, Seed: 8}); !errors.Is(err, eval.ErrConflict) {
			t.Fatalf("second draw: %v", err)
		}
		_, v = stateOf(t, ctx, db, 2019, "330502")
		mustRefuse(t, ctx, db, "Jiangsu expert scores", eval.ErrForbidden, v, score(jsExpert, "C2", "3", "x"))
		if err := score(expert, "C2", "3", "现场核实大班额比例 2.33%，与自评一致"); err != nil {
			t.Fatal(err)
		}
		mustRefuse(t, ctx, db, "expert verifies", eval.ErrForbidden, v, move(expert, workflow.ActionVerify, ""))
		mustRefuse(t, ctx, db, "Jiangsu verifies", eval.ErrForbidden, v, move(jiangsu, workflow.ActionVerify, ""))
		if err := move(admin, workflow.ActionVerify, ""); err != nil {
			t.Fatal(err)
		}
		if c, err = AdvanceCampaign(ctx, db, admin, 2019, false); err != nil || c.Stage != workflow.StageResults {
			t.Fatalf("advance to results: %v", err)
		}
		if c.ObjectionOpens == nil || c.ObjectionCloses == nil || !c.ObjectionCloses.Equal(deadlines[workflow.StageResults]) {
			t.Fatalf("objection window %v – %v", c.ObjectionOpens, c.ObjectionCloses)
		}

		// Provisional results are for the province only.
		if _, err := Results(ctx, db, approver, 2019); !errors.Is(err, eval.ErrForbidden) {
			t.Fatalf("county reads provisional results: %v", err)
		}
		prov, err := Results(ctx, db, admin, 2019)
		if err != nil || prov.Published || len(prov.Results) != 1 || prov.Results[0].Total.String() != "98.5" {
			t.Fatalf("provisional: %+v, %v", prov, err)
		}

		// An objection inside the window blocks finalization until decided.
		if _, err := FileObjection(ctx, db, nanxun, ObjectionRequest{Year: 2019, County: "330502", Reason: "x"}); !errors.Is(err, eval.ErrForbidden) {
			t.Fatalf("Nanxun objects for Wuxing: %v", err)
		}
		obj, err := FileObjection(ctx, db, approver, ObjectionRequest{Year: 2019, County: "330502", Point: "E5", Reason: "满意度应按新样本计算",
			Evidence: []File{{Name: "survey.pdf", Data: []byte("%PDF-1.4 样本")}}})
		if err != nil {
			t.Fatal(err)
		}
		clk.t = deadlines[workflow.StageResults].Add(time.Hour)
		if _, err := FileObjection(ctx, db, approver, ObjectionRequest{Year: 2019, County: "330502", Reason: "迟到"}); !errors.Is(err, eval.ErrForbidden) {
			t.Fatalf("objection after the window: %v", err)
		}
		_, v = stateOf(t, ctx, db, 2019, "330502")
		mustRefuse(t, ctx, db, "finalize with objection", eval.ErrConflict, v, move(admin, workflow.ActionFinalize, ""))
		if _, err := DecideObjection(ctx, db, jiangsu, obj.ID, false, "x"); !errors.Is(err, eval.ErrForbidden) {
			t.Fatalf("Jiangsu decides: %v", err)
		}
		if _, err := DecideObjection(ctx, db, admin, obj.ID, false, "样本数已达要求，维持原分"); err != nil {
			t.Fatal(err)
		}
		if _, err := Publish(ctx, db, admin, 2019); !errors.Is(err, eval.ErrConflict) {
			t.Fatalf("publish before finalizing: %v", err)
		}
		if err := move(admin, workflow.ActionFinalize, ""); err != nil {
			t.Fatal(err)
		}

		// Publish: snapshot with ranks, and a problem list.
		if _, err := Publish(ctx, db, expert, 2019); !errors.Is(err, eval.ErrForbidden) {
			t.Fatalf("expert publishes: %v", err)
		}
		pub, err := Publish(ctx, db, admin, 2019)
		if err != nil {
			t.Fatal(err)
		}
		r := pub.Results[0]
		if r.County != "330502" || r.Total.String() != "98.5" || r.Grade != "A" || r.Rank != 1 || r.CityRank != 1 || r.Credibility != framework.DecimalOne {
			t.Fatalf("published %+v", r)
		}
		if len(pub.NotSubmitted) != 4 {
			t.Fatalf("not submitted %v", pub.NotSubmitted)
		}
		again, err := Results(ctx, db, approver, 2019)
		if err != nil || !again.Published || again.Results[0].Total != r.Total {
			t.Fatalf("published results read back: %+v %v", again, err)
		}
		probs, err := Problems(ctx, db, approver, ProblemQuery{Year: 2019})
		if err != nil {
			t.Fatal(err)
		}
		var points []string
		for _, p := range probs {
			points = append(points, p.SourcePoint)
		}
		if strings.Join(points, " ") != "C2 C3" {
			t.Fatalf("problems for %v", points)
		}
		if other, _ := Problems(ctx, db, nanxun, ProblemQuery{Year: 2019}); len(other) != 0 {
			t.Fatalf("Nanxun sees %d of Wuxing's problems", len(other))
		}

		// Rectification: C3 fixed and re-checked, C2 still open.
		upd := func(a workflow.Actor, id int64, to workflow.ProblemStatus, note string) error {
			_, err := UpdateProblem(ctx, db, a, ProblemUpdate{ID: id, Status: to, Note: note})
			return err
		}
		if err := upd(nanxun, probs[1].ID, workflow.ProblemDone, "x"); !errors.Is(err, eval.ErrForbidden) {
			t.Fatalf("Nanxun closes Wuxing's problem: %v", err)
		}
		if err := upd(filler, probs[1].ID, workflow.ProblemVerified, "x"); !errors.Is(err, eval.ErrConflict) {
			t.Fatalf("open → verified: %v", err)
		}
		if err := upd(filler, probs[1].ID, workflow.ProblemDone, "新建初中一所，差异系数降至0.43"); err != nil {
			t.Fatal(err)
		}
		if err := upd(filler, probs[1].ID, workflow.ProblemVerified, "x"); !errors.Is(err, eval.ErrForbidden) {
			t.Fatalf("county verifies its own problem: %v", err)
		}
		if err := upd(expert, probs[1].ID, workflow.ProblemVerified, "复核属实"); err != nil {
			t.Fatal(err)
		}
		clk.t = time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC) // past the 180-day deadline
		overdue, err := Problems(ctx, db, admin, ProblemQuery{Year: 2019, Overdue: true})
		if err != nil || len(overdue) != 1 || overdue[0].SourcePoint != "C2" {
			t.Fatalf("overdue: %v %v", overdue, err)
		}

		// Carry the open problem into 2020; the rectification point reads it.
		if _, err := CreateCampaign(ctx, db, admin, CampaignSpec{Year: 2020, Region: "3305"}); err != nil {
			t.Fatal(err)
		}
		if _, err := CarryProblems(ctx, db, jiangsu, 2019, 2020, time.Time{}); !errors.Is(err, eval.ErrForbidden) {
			t.Fatalf("Jiangsu carries: %v", err)
		}
		carried, err := CarryProblems(ctx, db, admin, 2019, 2020, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if len(carried) != 1 || carried[0].CarriedFrom != probs[0].ID || !strings.HasPrefix(carried[0].Description, "（2019 年度遗留）C2") {
			t.Fatalf("carried %+v", carried)
		}
		if _, err := CarryProblems(ctx, db, admin, 2019, 2020, time.Time{}); !errors.Is(err, eval.ErrConflict) {
			t.Fatalf("second carry: %v", err)
		}
		if _, err := OpenCampaign(ctx, db, admin, 2020); err != nil {
			t.Fatal(err)
		}
		clk.t = time.Date(2021, 7, 1, 0, 0, 0, 0, time.UTC)
		s2020, err := SaveSubmission(ctx, db, filler, SaveRequest{Year: 2020, County: "330502", Content: wuxingContent(t)})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(s2020.Filled, " ") != "key_problems_overdue last_problems_closed last_problems_total" {
			t.Fatalf("filled %v", s2020.Filled)
		}
		// 2 problems, 1 closed (50%: 1 point), 1 overdue (−1): A4 scores 0 of 4.
		a4 := false
		for _, p := range s2020.Self.Points {
			if p.Code == "A4" {
				a4 = true
				if p.Score != 0 || !strings.Contains(p.Explanation, "上一轮2个问题已销号1个") {
					t.Fatalf("A4 = %s, want 0 (%s)", p.Score, p.Explanation)
				}
			}
		}
		if !a4 {
			t.Fatal("no A4 in the 2020 result")
		}
	})
}
