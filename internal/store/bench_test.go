package store_test

import (
	"fmt"
	"strconv"
	"testing"

	"lvzhi/internal/store"
	"lvzhi/internal/store/storetest"
)

// BenchmarkUpdateSubmission is the cost of one save with nobody waiting:
// a submission of 200 values and 24 self-scores, 10 values and one score
// changed per save. bench/store measures the deadline-day mix.
func BenchmarkUpdateSubmission(b *testing.B) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		b.Run(dialect, func(b *testing.B) {
			var db *store.DB
			if dialect == "sqlite" {
				db = storetest.SQLite(b)
			} else {
				db = storetest.Postgres(b)
			}
			c := mustCampaign(b, db)
			s := mustSubmission(b, db, c, "330502")
			for i := range 200 {
				s.Values[fmt.Sprintf("item_%03d", i)] = strconv.Itoa(1000 + i)
			}
			s.SelfScores = map[string]store.SelfScore{}
			for p := range 24 {
				s.SelfScores[fmt.Sprintf("%d.%d", p/4+1, p%4+1)] = store.SelfScore{Points: 40, Justification: "已落实"}
			}
			ctx := storetest.Context(b)
			for n := 0; b.Loop(); n++ {
				for i := range 10 {
					s.Values[fmt.Sprintf("item_%03d", (n*10+i)%200)] = strconv.Itoa(n) + ".5"
				}
				s.SelfScores["1.1"] = store.SelfScore{Points: 30, Justification: strconv.Itoa(n)}
				if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.UpdateSubmission(s) }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
