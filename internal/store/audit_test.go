package store_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"lvzhi/internal/eval"
	"lvzhi/internal/store"
	"lvzhi/internal/store/storetest"
)

// dropAuditGuards removes the triggers that make audit_log append-only, as
// someone with direct access to the database could.
func dropAuditGuards(t *testing.T, db *store.DB) {
	t.Helper()
	stmts := []string{"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"}
	if db.Dialect() == "postgres" {
		stmts = []string{"DROP TRIGGER audit_log_no_change ON audit_log"}
	}
	for _, s := range stmts {
		if err := store.ExecForTest(t.Context(), db, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// documentedHash computes a row's hash the way docs/storage.md describes
// it, independently of the store's code.
func documentedHash(prev string, e store.AuditEntry, at string) string {
	canonical, _ := json.Marshal([]any{e.Seq, at, e.Actor, e.Entity, e.EntityID, e.Action, e.Old, e.New})
	sum := sha256.Sum256(append([]byte(prev+"\n"), canonical...))
	return hex.EncodeToString(sum[:])
}

func TestAuditChainMatchesDocumentedFormula(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		c := mustCampaign(t, db)
		mustSubmission(t, db, c, "330502")
		mustView(t, db, func(tx *store.Tx) error {
			entries, err := tx.FindAudit(store.AuditFilter{})
			if err != nil {
				t.Fatalf("FindAudit: %v", err)
			}
			prev := ""
			for i, e := range entries {
				if e.Seq != int64(i+1) || e.PrevHash != prev {
					t.Fatalf("row %d: seq %d prev %q, want seq %d prev %q", i, e.Seq, e.PrevHash, i+1, prev)
				}
				at := e.At.UTC().Format("2006-01-02T15:04:05.000000Z")
				if got := documentedHash(prev, e, at); got != e.Hash {
					t.Errorf("row %d hash %s, documented formula gives %s", e.Seq, e.Hash, got)
				}
				prev = e.Hash
			}
			if len(entries) < 10 {
				t.Errorf("only %d audit rows for regions, framework, campaign and submission", len(entries))
			}
			return nil
		})
	})
}

func TestAuditTamperingDetected(t *testing.T) {
	// want names a problem; seq counts from the last row when fromEnd.
	type want struct {
		kind    store.AuditProblemKind
		seq     int64
		fromEnd bool
	}
	tests := []struct {
		name   string
		tamper func(t *testing.T, db *store.DB, last store.AuditEntry) string
		want   []want
	}{
		{"intact", func(t *testing.T, db *store.DB, last store.AuditEntry) string { return "" }, nil},
		{"edit a value", func(t *testing.T, db *store.DB, last store.AuditEntry) string {
			return `UPDATE audit_log SET new_value = '{"total":100}' WHERE seq = 3`
		}, []want{{store.AuditEdited, 3, false}}},
		{"edit the actor", func(t *testing.T, db *store.DB, last store.AuditEntry) string {
			return `UPDATE audit_log SET actor = 'somebody' WHERE seq = 5`
		}, []want{{store.AuditEdited, 5, false}}},
		{"edit and re-hash the row", func(t *testing.T, db *store.DB, last store.AuditEntry) string {
			var row store.AuditEntry
			mustView(t, db, func(tx *store.Tx) error {
				rows, err := tx.FindAudit(store.AuditFilter{})
				row = rows[3] // seq 4
				return err
			})
			row.Actor = "somebody"
			at := row.At.UTC().Format("2006-01-02T15:04:05.000000Z")
			return fmt.Sprintf(`UPDATE audit_log SET actor = 'somebody', hash = '%s' WHERE seq = 4`, documentedHash(row.PrevHash, row, at))
		}, []want{{store.AuditEdited, 4, false}}},
		{"delete a row in the middle", func(t *testing.T, db *store.DB, last store.AuditEntry) string {
			return `DELETE FROM audit_log WHERE seq = 6`
		}, []want{{store.AuditDeleted, 6, false}}},
		{"delete the last row", func(t *testing.T, db *store.DB, last store.AuditEntry) string {
			return fmt.Sprintf(`DELETE FROM audit_log WHERE seq = %d`, last.Seq)
		}, []want{{store.AuditDeleted, 0, true}}},
		{"insert a row", func(t *testing.T, db *store.DB, last store.AuditEntry) string {
			return fmt.Sprintf(`INSERT INTO audit_log (seq, at, actor, entity, entity_id, action, old_value, new_value, prev_hash, hash)
				VALUES (%d, '%s', 'admin', 'submission', '1', 'update', '', '{"state":"final"}', '%s', 'forged')`,
				last.Seq+1, last.At.UTC().Format("2006-01-02T15:04:05.000000Z"), last.Hash)
		}, []want{{store.AuditInserted, 1, true}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				c := mustCampaign(t, db)
				mustSubmission(t, db, c, "330502")
				var last store.AuditEntry
				mustView(t, db, func(tx *store.Tx) error {
					all, err := tx.FindAudit(store.AuditFilter{})
					last = all[len(all)-1]
					return err
				})
				dropAuditGuards(t, db)
				if q := tc.tamper(t, db, last); q != "" {
					if err := store.ExecForTest(t.Context(), db, q); err != nil {
						t.Fatalf("tamper: %v", err)
					}
				}
				rep, err := db.VerifyAudit(t.Context())
				if err != nil {
					t.Fatalf("VerifyAudit: %v", err)
				}
				var expect, got []want
				for _, w := range tc.want {
					if w.fromEnd {
						w.seq, w.fromEnd = last.Seq+w.seq, false
					}
					expect = append(expect, w)
				}
				for _, p := range rep.Problems {
					got = append(got, want{p.Kind, p.Seq, false})
					if p.Message == "" {
						t.Errorf("problem %+v has no message", p)
					}
				}
				if fmt.Sprint(got) != fmt.Sprint(expect) {
					t.Errorf("VerifyAudit problems = %v, want %v (report %+v)", got, expect, rep.Problems)
				}
				if rep.OK() != (len(tc.want) == 0) {
					t.Errorf("OK() = %v with %d problems", rep.OK(), len(rep.Problems))
				}
			})
		})
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		mustRegions(t, db)
		for _, q := range []string{"UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"} {
			if err := store.ExecForTest(t.Context(), db, q); !errors.Is(err, eval.ErrForbidden) {
				t.Errorf("%s = %v, want ErrForbidden", q, err)
			}
		}
	})
}
