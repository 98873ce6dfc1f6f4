package narrative

import (
	"sync"
	"testing"

	"lvzhi/internal/framework"
)

// TestQuickOverlap compares the int64 fast path with the exact intervals.
func TestQuickOverlap(t *testing.T) {
	texts := []string{
		"总人口62.7万", "总人口62.99万", "总人口627000人", "总人口62.75万", "总人口62.65万", "总人口626500人",
		"学校132所", "学校133所", "率80.91%", "率80.9%", "率81%", "经费109722万元", "经费10.9722亿元", "经费10.97亿元",
		"面积0.5平方公里", "面积0.45平方公里", "面积1平方公里",
	}
	var claims []Claim
	for _, s := range texts {
		cs := Extract(s)
		if len(cs) != 1 {
			t.Fatalf("Extract(%q) gave %d claims", s, len(cs))
		}
		claims = append(claims, cs[0])
	}
	for i := range claims {
		for j := range claims {
			a, b := &claims[i], &claims[j]
			ok, quick := quickOverlap(a, b)
			if !ok {
				continue
			}
			if exact := a.allowed().overlaps(b.allowed()); quick != exact {
				t.Errorf("quickOverlap(%s, %s) = %v, exact intervals say %v", a.Text, b.Text, quick, exact)
			}
		}
	}
}

// TestCheckConcurrent shares one Facts between goroutines (run with -race).
func TestCheckConcurrent(t *testing.T) {
	facts := FactsFrom(framework.Default(), map[string]framework.Value{
		"population_total": framework.Number(framework.DecimalFromInt(629900)),
	})
	hand := &Facts{Items: facts.Items} // no index: Check builds its own
	text := "总人口62.7万。总人口62.99万。学校132所，其中小学24所、初中20所。"
	var wg sync.WaitGroup
	for range 8 {
		for _, f := range []*Facts{facts, hand} {
			wg.Go(func() {
				if r := Check(text, f); len(r.Findings) != 1 {
					t.Errorf("Check gave %d findings, want 1", len(r.Findings))
				}
			})
		}
	}
	wg.Wait()
}
