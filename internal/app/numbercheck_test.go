package app

import (
	"errors"
	"strings"
	"testing"

	"lvzhi/internal/eval"
	"lvzhi/internal/store"
	"lvzhi/internal/store/storetest"
	"lvzhi/internal/workflow"
)

// A report whose figures disagree with the submission's data is not
// submitted; once the text is corrected, it is.
func TestSubmitChecksTheReportsNumbers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, _ := mustSetup(t, db)
		if _, err := CreateCampaign(ctx, db, admin, CampaignSpec{Year: 2019, Region: "330502"}); err != nil {
			t.Fatal(err)
		}
		if _, err := OpenCampaign(ctx, db, admin, 2019); err != nil {
			t.Fatal(err)
		}
		save := func(text string) {
			t.Helper()
			content := wuxingContent(t)
			content.Narrative = []store.Section{{Title: "基本情况", Text: text}}
			if _, err := SaveSubmission(ctx, db, approver, SaveRequest{Year: 2019, County: "330502", Content: content}); err != nil {
				t.Fatal(err)
			}
		}
		submit := func() error {
			_, err := Transition(ctx, db, approver, TransitionRequest{Year: 2019, County: "330502", Action: workflow.ActionSubmit})
			return err
		}
		save("全区共有各级各类学校140所，其中小学24所、初中20所、幼儿园79所、成人学校9所。")
		err := submit()
		if !errors.Is(err, eval.ErrInvalid) || !strings.Contains(err.Error(), "基本情况") {
			t.Fatalf("a report with a wrong school total was submitted or refused unclearly: %v", err)
		}
		if st, _ := stateOf(t, ctx, db, 2019, "330502"); st != workflow.StateDraft {
			t.Fatalf("state after the refused submit: %s", st)
		}
		save("全区共有各级各类学校132所，其中小学24所、初中20所、幼儿园79所、成人学校9所。")
		if err := submit(); err != nil {
			t.Fatalf("the corrected report was refused: %v", err)
		}
	})
}
