package store_test

import (
	"errors"
	"strconv"
	"sync"
	"testing"

	"lvzhi/internal/eval"
	"lvzhi/internal/store"
	"lvzhi/internal/store/storetest"
)

// Two people opened the same submission at the same version and save at the
// same moment: exactly one save wins, the other gets a conflict that carries
// the winner's data.
func TestConcurrentConflictingSaves(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		c := mustCampaign(t, db)
		s := mustSubmission(t, db, c, "330502")
		const rounds = 20
		for round := 0; round < rounds; round++ {
			var base *store.Submission
			mustView(t, db, func(tx *store.Tx) (err error) {
				base, err = tx.FindSubmissionByID(s.ID)
				return err
			})
			var (
				wg    sync.WaitGroup
				start = make(chan struct{})
				errs  [2]error
				mine  [2]*store.Submission
			)
			for i := range 2 {
				edit := *base
				edit.Values = map[string]string{"students": strconv.Itoa(round*10 + i)}
				mine[i] = &edit
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					errs[i] = db.Tx(storetest.Context(t), func(tx *store.Tx) error { return tx.UpdateSubmission(mine[i]) })
				}()
			}
			close(start)
			wg.Wait()
			won := -1
			for i, err := range errs {
				if err == nil {
					if won >= 0 {
						t.Fatalf("round %d: both saves of version %d succeeded", round, base.Version)
					}
					won = i
				}
			}
			if won < 0 {
				t.Fatalf("round %d: both saves failed: %v / %v", round, errs[0], errs[1])
			}
			lost := 1 - won
			var ce *store.ConflictError
			if !errors.As(errs[lost], &ce) || !errors.Is(errs[lost], eval.ErrConflict) {
				t.Fatalf("round %d: losing save = %v, want *ConflictError", round, errs[lost])
			}
			cur, ok := ce.Current.(*store.Submission)
			want := mine[won].Values["students"]
			if !ok || cur.Values["students"] != want || cur.Version != base.Version+1 {
				t.Fatalf("round %d: conflict carries %#v, want the winner's value %s at version %d", round, ce.Current, want, base.Version+1)
			}
			var stored *store.Submission
			mustView(t, db, func(tx *store.Tx) (err error) {
				stored, err = tx.FindSubmissionByID(s.ID)
				return err
			})
			if stored.Values["students"] != want {
				t.Fatalf("round %d: stored %s, want the winner's %s", round, stored.Values["students"], want)
			}
		}
	})
}

// Many writers increment one counter with read–modify–save and retry on
// conflict: no increment may be lost.
func TestNoLostUpdates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		c := mustCampaign(t, db)
		s := mustSubmission(t, db, c, "330502")
		const workers, each = 8, 15
		var (
			wg        sync.WaitGroup
			conflicts int
			mu        sync.Mutex
		)
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for done := 0; done < each; {
					var sub *store.Submission
					if err := db.View(storetest.Context(t), func(tx *store.Tx) (err error) {
						sub, err = tx.FindSubmissionByID(s.ID)
						return err
					}); err != nil {
						t.Error(err)
						return
					}
					n, _ := strconv.Atoi(sub.Values["counter"])
					sub.Values["counter"] = strconv.Itoa(n + 1)
					err := db.Tx(storetest.Context(t), func(tx *store.Tx) error { return tx.UpdateSubmission(sub) })
					switch {
					case err == nil:
						done++
					case errors.Is(err, eval.ErrConflict):
						mu.Lock()
						conflicts++
						mu.Unlock()
					default:
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		mustView(t, db, func(tx *store.Tx) error {
			got, err := tx.FindSubmissionByID(s.ID)
			if err != nil {
				return err
			}
			if got.Values["counter"] != strconv.Itoa(workers*each) {
				t.Errorf("counter = %s after %d increments (%d conflicts retried): an update was lost", got.Values["counter"], workers*each, conflicts)
			}
			return nil
		})
		rep, err := db.VerifyAudit(t.Context())
		if err != nil || !rep.OK() {
			t.Errorf("audit after concurrent saves: %+v, %v", rep.Problems, err)
		}
	})
}

// Verifying the audit chain while others write never reports a false
// break: the walk sees one snapshot.
func TestVerifyAuditDuringWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		c := mustCampaign(t, db)
		s := mustSubmission(t, db, c, "330502")
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				s.Values["students"] = strconv.Itoa(i)
				if err := db.Tx(storetest.Context(t), func(tx *store.Tx) error { return tx.UpdateSubmission(s) }); err != nil {
					t.Error(err)
					return
				}
			}
		}()
		for range 20 {
			rep, err := db.VerifyAudit(t.Context())
			if err != nil || !rep.OK() {
				t.Errorf("VerifyAudit during writes: %+v, %v", rep.Problems, err)
				break
			}
		}
		close(stop)
		wg.Wait()
	})
}
