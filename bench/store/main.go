// Command store measures the storage layer on a deadline-day mix: one
// goroutine per county (and optionally a second editor per county, to cause
// real conflicts) saving data values and self-scores into its submission
// with optimistic locking, as fast as it can. It prints saves per second,
// p50/p99 latency, and the same figures for a bare INSERT of a row of the
// same size through the same driver and settings (the limit).
//
//	go run ./bench/store -db sqlite -counties 90 -duration 10s
//	go run ./bench/store -db 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable'
//
// It writes only to a new temporary SQLite file or a new PostgreSQL schema,
// dropped at the end. It is a measuring tool, not part of lvzhi.
package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"lvzhi/internal/eval"
	"lvzhi/internal/framework"
	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type config struct {
	db       string
	counties int
	editors  int
	items    int
	changes  int
	duration time.Duration
}

func run() error {
	var c config
	flag.StringVar(&c.db, "db", "sqlite", `"sqlite" (a temporary file) or a postgres:// DSN (a temporary schema)`)
	flag.IntVar(&c.counties, "counties", 90, "counties saving at once (one submission each)")
	flag.IntVar(&c.editors, "editors", 1, "concurrent editors per county (2 or more cause real conflicts)")
	flag.IntVar(&c.items, "items", 200, "data values per submission")
	flag.IntVar(&c.changes, "changes", 10, "values changed per save (plus one self-score)")
	flag.DurationVar(&c.duration, "duration", 10*time.Second, "how long each phase runs")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the save phase to this file")
	flag.Parse()
	ctx := store.WithActor(context.Background(), "bench")

	dsn, cleanup, err := target(ctx, c.db)
	if err != nil {
		return err
	}
	defer cleanup()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	subs, err := setup(ctx, db, c)
	if err != nil {
		return err
	}
	fmt.Printf("%s, GOMAXPROCS=%d, %d counties × %d editors, %d values per submission, %d changed per save\n",
		db.Dialect(), runtime.GOMAXPROCS(0), c.counties, c.editors, c.items, c.changes)

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		pprof.StartCPUProfile(f)
	}
	saves, err := saveMix(ctx, db, subs, c)
	if *cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return err
	}
	saves.print("store saves (UpdateSubmission + audit, one transaction each)")

	payload, _ := json.Marshal(subs[0].Values)
	bare, err := bareInsert(ctx, dsn, db.Dialect(), c, len(payload))
	if err != nil {
		return err
	}
	bare.print(fmt.Sprintf("bare INSERT of %d bytes, autocommit, same driver", len(payload)))
	fmt.Printf("ratio store/bare: %.2f\n", saves.rate()/bare.rate())
	rep, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("audit rows %d, chain intact: %v\n", rep.Rows, rep.OK())
	return nil
}

// target returns the DSN of a fresh database and how to remove it.
func target(ctx context.Context, db string) (string, func(), error) {
	if db == "sqlite" {
		dir, err := os.MkdirTemp("", "lvzhi-bench-")
		if err != nil {
			return "", nil, err
		}
		return filepath.Join(dir, "lvzhi.db"), func() { os.RemoveAll(dir) }, nil
	}
	admin, err := sql.Open("pgx", db)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "lvzhi_bench_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return "", nil, err
	}
	u, err := url.Parse(db)
	if err != nil {
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	}, nil
}

// setup stores a province, one city, the counties, a framework, a campaign
// and one filled-in submission per county.
func setup(ctx context.Context, db *store.DB, c config) ([]*store.Submission, error) {
	var subs []*store.Submission
	err := db.Tx(ctx, func(tx *store.Tx) error {
		regions := []store.Region{
			{Code: "330000", Name: "浙江省", Level: store.LevelProvince},
			{Code: "330500", Name: "湖州市", Level: store.LevelCity, Parent: "330000"},
		}
		var counties []string
		for i := range c.counties {
			code := fmt.Sprintf("c%05d", i)
			counties = append(counties, code)
			regions = append(regions, store.Region{Code: code, Name: "县" + strconv.Itoa(i), Level: store.LevelCounty, Parent: "330500"})
		}
		if _, err := tx.ImportRegions(regions); err != nil {
			return err
		}
		f := &store.FrameworkVersion{ID: "bench", Version: "1", Source: "bench"}
		if err := tx.CreateFramework(f); err != nil {
			return err
		}
		camp := &store.Campaign{Year: 2019, Name: "bench", FrameworkID: "bench", FrameworkVersion: "1",
			Participants: counties, Stage: workflow.StageSelfAssessment}
		if err := tx.CreateCampaign(camp); err != nil {
			return err
		}
		for _, county := range counties {
			s := &store.Submission{CampaignID: camp.ID, County: county, State: workflow.StateDraft,
				Values: map[string]string{}, SelfScores: map[string]store.SelfScore{}}
			for i := range c.items {
				s.Values[fmt.Sprintf("item_%03d", i)] = strconv.Itoa(1000 + i*7)
			}
			for p := range 24 {
				s.SelfScores[fmt.Sprintf("%d.%d", p/4+1, p%4+1)] = store.SelfScore{Points: 40, Justification: "已落实"}
			}
			if err := tx.CreateSubmission(s); err != nil {
				return err
			}
			subs = append(subs, s)
		}
		return nil
	})
	return subs, err
}

// stats is what one phase measured.
type stats struct {
	ops       int
	conflicts int
	elapsed   time.Duration
	latencies []time.Duration
}

func (s stats) rate() float64 { return float64(s.ops) / s.elapsed.Seconds() }

func (s stats) print(title string) {
	slices.Sort(s.latencies)
	q := func(p float64) time.Duration {
		if len(s.latencies) == 0 {
			return 0
		}
		return s.latencies[min(len(s.latencies)-1, int(p*float64(len(s.latencies))))]
	}
	fmt.Printf("%s:\n  %d ops in %v = %.0f/s; p50 %v, p99 %v, max %v; conflicts %d\n", title, s.ops,
		s.elapsed.Round(time.Millisecond), s.rate(), q(0.50).Round(time.Microsecond), q(0.99).Round(time.Microsecond),
		q(1).Round(time.Microsecond), s.conflicts)
}

// saveMix runs the editors until the duration is over. Each save changes
// some values and one self-score; a conflict reloads the submission and
// counts, as a user would see "已被他人修改" and retry.
func saveMix(ctx context.Context, db *store.DB, subs []*store.Submission, c config) (stats, error) {
	deadline := time.Now().Add(c.duration)
	var (
		mu   sync.Mutex
		all  stats
		wg   sync.WaitGroup
		fail error
	)
	start := time.Now()
	for _, s := range subs {
		for e := range c.editors {
			wg.Add(1)
			go func(mine store.Submission, editor int) {
				defer wg.Done()
				var local stats
				n := editor * 1000
				sub := &mine
				for time.Now().Before(deadline) {
					n++
					edit := *sub
					edit.Values = make(map[string]string, len(sub.Values))
					for k, v := range sub.Values {
						edit.Values[k] = v
					}
					edit.SelfScores = make(map[string]store.SelfScore, len(sub.SelfScores))
					for k, v := range sub.SelfScores {
						edit.SelfScores[k] = v
					}
					for i := range c.changes {
						edit.Values[fmt.Sprintf("item_%03d", (n*c.changes+i)%c.items)] = strconv.Itoa(n) + ".5"
					}
					edit.SelfScores["1.1"] = store.SelfScore{Points: framework.Points(n % 40), Justification: "第" + strconv.Itoa(n) + "次保存"}
					t0 := time.Now()
					err := db.Tx(ctx, func(tx *store.Tx) error { return tx.UpdateSubmission(&edit) })
					local.latencies = append(local.latencies, time.Since(t0))
					var ce *store.ConflictError
					switch {
					case err == nil:
						local.ops++
						sub = &edit
					case errors.As(err, &ce) && errors.Is(err, eval.ErrConflict):
						local.conflicts++
						sub = ce.Current.(*store.Submission)
					default:
						mu.Lock()
						fail = err
						mu.Unlock()
						return
					}
				}
				mu.Lock()
				all.ops += local.ops
				all.conflicts += local.conflicts
				all.latencies = append(all.latencies, local.latencies...)
				mu.Unlock()
			}(*s, e)
		}
	}
	wg.Wait()
	all.elapsed = time.Since(start)
	return all, fail
}

// bareInsert measures the driver's limit with the same settings the store
// uses: for SQLite one writer connection (WAL, synchronous=NORMAL), for
// PostgreSQL a pool; one autocommit INSERT of the payload size per op.
func bareInsert(ctx context.Context, dsn, dialect string, c config, size int) (stats, error) {
	var (
		pool *sql.DB
		err  error
	)
	conns := 32
	if dialect == "sqlite" {
		pool, err = sql.Open("sqlite", "file:"+dsn+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(10000)&_txlock=immediate")
		conns = 1
	} else {
		pool, err = sql.Open("pgx", dsn)
	}
	if err != nil {
		return stats{}, err
	}
	pool.SetMaxOpenConns(conns)
	defer pool.Close()
	if _, err := pool.ExecContext(ctx, "CREATE TABLE bench_bare (id INTEGER, v TEXT)"); err != nil {
		return stats{}, err
	}
	insert := "INSERT INTO bench_bare (id, v) VALUES (?, ?)"
	if dialect != "sqlite" {
		insert = "INSERT INTO bench_bare (id, v) VALUES ($1, $2)"
	}
	payload := strings.Repeat("x", size)
	deadline := time.Now().Add(c.duration)
	var (
		mu   sync.Mutex
		all  stats
		wg   sync.WaitGroup
		fail error
	)
	start := time.Now()
	for w := range c.counties * c.editors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local stats
			for time.Now().Before(deadline) {
				t0 := time.Now()
				if _, err := pool.ExecContext(ctx, insert, w, payload); err != nil {
					mu.Lock()
					fail = err
					mu.Unlock()
					return
				}
				local.latencies = append(local.latencies, time.Since(t0))
				local.ops++
			}
			mu.Lock()
			all.ops += local.ops
			all.latencies = append(all.latencies, local.latencies...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	all.elapsed = time.Since(start)
	return all, fail
}
