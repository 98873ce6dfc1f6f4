package store_test

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"lvzhi/internal/store"
	"lvzhi/internal/store/storetest"
)

// The child process of TestSIGKILLDuringImport: it imports batches of
// regions, each in one transaction together with a change to a submission,
// until it is killed.
const (
	envCrashChild = "LVZHI_STORE_CRASH_CHILD_DB"
	crashBatch    = 3000
)

// batchRegions is batch b of the crash test: crashBatch counties under
// 湖州市 with codes "b<b>-<i>".
func batchRegions(b int) []store.Region {
	rs := make([]store.Region, crashBatch)
	for i := range rs {
		rs[i] = store.Region{Code: fmt.Sprintf("b%03d-%05d", b, i), Name: fmt.Sprintf("测试县%d-%d", b, i),
			Level: store.LevelCounty, Parent: "330500"}
	}
	return rs
}

func crashChild(t *testing.T, path string) {
	db, err := store.Open(t.Context(), path)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	ctx := store.WithActor(t.Context(), "crash-child")
	for b := firstFreeBatch(t, db); ; b++ {
		fmt.Printf("begin %d\n", b)
		err := db.Tx(ctx, func(tx *store.Tx) error {
			if _, err := tx.ImportRegions(batchRegions(b)); err != nil {
				return err
			}
			campaigns, err := tx.FindCampaigns(store.CampaignFilter{})
			if err != nil {
				return err
			}
			s, err := tx.FindSubmission(campaigns[0].ID, "330502")
			if err != nil {
				return err
			}
			s.Values["batch"] = strconv.Itoa(b)
			return tx.UpdateSubmission(s)
		})
		if err != nil {
			fmt.Println("batch:", err)
			os.Exit(2)
		}
		fmt.Printf("committed %d\n", b)
	}
}

// firstFreeBatch is one past the highest batch stored.
func firstFreeBatch(t *testing.T, db *store.DB) int {
	next := 1
	mustView(t, db, func(tx *store.Tx) error {
		level := store.LevelCounty
		all, err := tx.FindRegions(store.RegionFilter{Level: &level})
		for _, r := range all {
			var b int
			if _, err := fmt.Sscanf(r.Code, "b%03d-", &b); err == nil && b >= next {
				next = b + 1
			}
		}
		return err
	})
	return next
}

// A process killed with SIGKILL in the middle of a large import leaves the
// database consistent: every batch is there whole or not at all, the
// submission changed in the same transaction agrees, and the earlier data
// and the audit chain are intact.
//
// On PostgreSQL the server rolls the killed client's transaction back; the
// same checks run there.
func TestSIGKILLDuringImport(t *testing.T) {
	if path := os.Getenv(envCrashChild); path != "" {
		crashChild(t, path)
		return
	}
	if testing.Short() {
		t.Skip("starts subprocesses")
	}
	t.Run("sqlite", func(t *testing.T) {
		sigkillRounds(t, filepath.Join(t.TempDir(), "lvzhi.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		sigkillRounds(t, storetest.PostgresDSN(t))
	})
}

func sigkillRounds(t *testing.T, path string) {
	db, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	c := mustCampaign(t, db)
	before := mustSubmission(t, db, c, "330502")
	db.Close()

	committed := 0
	for round := 1; round <= 3; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSIGKILLDuringImport$", "-test.count=1")
		cmd.Env = append(os.Environ(), envCrashChild+"="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Let two batches commit, measuring how long one takes, then kill
		// the child at a random moment inside the third batch's
		// transaction.
		lines := bufio.NewScanner(out)
		seen, began := 0, time.Time{}
		var batchTime time.Duration
		for lines.Scan() {
			line := lines.Text()
			if _, ok := strings.CutPrefix(line, "begin "); ok {
				if seen == 2 {
					break
				}
				began = time.Now()
			} else if n, ok := strings.CutPrefix(line, "committed "); ok {
				committed, _ = strconv.Atoi(n)
				batchTime = time.Since(began)
				seen++
			} else if line != "" && !strings.HasPrefix(line, "=== RUN") {
				t.Logf("child: %s", line)
			}
		}
		if seen < 2 {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("round %d: child stopped before committing twice", round)
		}
		time.Sleep(time.Duration(rand.Int64N(int64(batchTime) * 9 / 10)))
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		finished := false
		for lines.Scan() {
			finished = finished || strings.HasPrefix(lines.Text(), "committed ")
		}
		err = cmd.Wait()
		t.Logf("round %d: killed after batch %d (one batch takes %v; the batch in flight finished: %v)", round, committed, batchTime, finished)
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: child ended with %v, want killed by SIGKILL", round, err)
		}
		checkAfterCrash(t, path, c, before, committed)
	}
}

func checkAfterCrash(t *testing.T, path string, c *store.Campaign, before *store.Submission, committed int) {
	t.Helper()
	db, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("reopen after SIGKILL: %v", err)
	}
	defer db.Close()
	if err := db.IntegrityCheck(t.Context()); err != nil {
		t.Fatalf("after SIGKILL: %v", err)
	}
	perBatch := map[int]int{}
	var sub *store.Submission
	mustView(t, db, func(tx *store.Tx) error {
		level := store.LevelCounty
		all, err := tx.FindRegions(store.RegionFilter{Level: &level})
		if err != nil {
			return err
		}
		for _, r := range all {
			var b int
			if _, err := fmt.Sscanf(r.Code, "b%03d-", &b); err == nil {
				perBatch[b]++
			}
		}
		sub, err = tx.FindSubmissionByID(before.ID)
		return err
	})
	last := 0
	for b, n := range perBatch {
		if n != crashBatch {
			t.Errorf("batch %d has %d of %d regions: a partial import survived", b, n, crashBatch)
		}
		last = max(last, b)
	}
	for b := 1; b <= committed; b++ {
		if perBatch[b] != crashBatch {
			t.Errorf("committed batch %d has %d regions, want %d", b, perBatch[b], crashBatch)
		}
	}
	if last > committed+1 {
		t.Errorf("batch %d stored but only %d were reported committed", last, committed)
	}
	if sub.Values["batch"] != strconv.Itoa(last) {
		t.Errorf("submission says batch %q, regions say %d: the transaction was split", sub.Values["batch"], last)
	}
	if sub.Values["students"] != before.Values["students"] {
		t.Errorf("earlier data changed: students %q, want %q", sub.Values["students"], before.Values["students"])
	}
	rep, err := db.VerifyAudit(t.Context())
	if err != nil || !rep.OK() {
		t.Errorf("audit after SIGKILL: %+v, %v", rep.Problems, err)
	}
}

// A database file that cannot be written gives a clear error and writes
// nothing.
func TestReadOnlyDatabaseFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lvzhi.db")
	db, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	mustRegions(t, db)
	db.Close()
	makeReadOnly(t, path)

	db, err = store.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open(read-only file) = %v, want it to open for reading", err)
	}
	defer db.Close()
	err = db.Tx(storetest.Context(t), func(tx *store.Tx) error {
		_, err := tx.ImportRegions([]store.Region{{Code: "330600", Name: "绍兴市", Level: store.LevelCity, Parent: "330000"}})
		return err
	})
	if !errors.Is(err, store.ErrReadOnly) || !strings.Contains(err.Error(), "只读") {
		t.Fatalf("write to a read-only file = %v, want ErrReadOnly with a Chinese message", err)
	}
	mustView(t, db, func(tx *store.Tx) error {
		all, err := tx.FindRegions(store.RegionFilter{})
		if err != nil || len(all) != len(zhejiangSample) {
			t.Errorf("after the refused write: %d regions, %v; want %d", len(all), err, len(zhejiangSample))
		}
		return nil
	})
}

// makeReadOnly makes the file unwritable even for root (chattr +i), or by
// mode bits for other users, and undoes it at cleanup.
func makeReadOnly(t *testing.T, path string) {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := os.Chmod(path, 0o444); err != nil {
			t.Fatal(err)
		}
		return
	}
	out, err := exec.Command("chattr", "+i", path).CombinedOutput()
	if err != nil {
		t.Skipf("running as root and chattr +i is not available (%v: %s): cannot make a read-only file", err, out)
	}
	t.Cleanup(func() { exec.Command("chattr", "-i", path).Run() })
}

// Running out of space rolls the whole import back with a clear error, and
// the database stays usable.
func TestDiskFull(t *testing.T) {
	db := storetest.SQLite(t)
	mustRegions(t, db)
	if err := store.LimitPagesForTest(t.Context(), db, 20); err != nil {
		t.Fatal(err)
	}
	err := db.Tx(storetest.Context(t), func(tx *store.Tx) error {
		_, err := tx.ImportRegions(batchRegions(1))
		return err
	})
	if !errors.Is(err, store.ErrDiskFull) || !strings.Contains(err.Error(), "磁盘") {
		t.Fatalf("import into a full database = %v, want ErrDiskFull", err)
	}
	mustView(t, db, func(tx *store.Tx) error {
		all, err := tx.FindRegions(store.RegionFilter{})
		if err != nil || len(all) != len(zhejiangSample) {
			t.Errorf("after the failed import: %d regions, %v; want %d", len(all), err, len(zhejiangSample))
		}
		return nil
	})
	if err := store.LimitPagesForTest(t.Context(), db, 1<<20); err != nil {
		t.Fatal(err)
	}
	mustTx(t, db, func(tx *store.Tx) error {
		_, err := tx.ImportRegions(batchRegions(1))
		return err
	})
	rep, err := db.VerifyAudit(t.Context())
	if err != nil || !rep.OK() {
		t.Errorf("audit after disk full: %+v, %v", rep.Problems, err)
	}
}

// A backup taken while counties keep saving is a consistent snapshot: its
// file passes the integrity check and its audit chain is whole.
func TestBackupWhileWriting(t *testing.T) {
	db := storetest.SQLite(t)
	c := mustCampaign(t, db)
	s := mustSubmission(t, db, c, "330502")
	var saves atomic.Int64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
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
			saves.Add(1)
		}
	}()
	// waitFor waits until the writer has saved n times (or gives up).
	waitFor := func(n int64) {
		for deadline := time.Now().Add(30 * time.Second); saves.Load() < n && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
	}
	waitFor(20)
	target := filepath.Join(t.TempDir(), "backup.db")
	err := db.Backup(t.Context(), target)
	after := saves.Load() + 20
	waitFor(after)
	close(stop)
	<-done
	if err != nil {
		t.Fatalf("Backup under load: %v", err)
	}
	backup, err := store.Open(t.Context(), target)
	if err != nil {
		t.Fatal(err)
	}
	defer backup.Close()
	if err := backup.IntegrityCheck(t.Context()); err != nil {
		t.Error(err)
	}
	rep, err := backup.VerifyAudit(t.Context())
	if err != nil || !rep.OK() {
		t.Errorf("backup audit: %+v, %v", rep.Problems, err)
	}
	var copied *store.Submission
	mustView(t, backup, func(tx *store.Tx) (err error) {
		copied, err = tx.FindSubmissionByID(s.ID)
		return err
	})
	n, _ := strconv.Atoi(copied.Values["students"])
	total := saves.Load()
	if total < after || int64(n) >= total {
		t.Errorf("backup holds save %d of %d: expected a snapshot taken while saving went on", n, total)
	}
	t.Logf("%d saves during the test; the backup holds the state after save %d", total, n)
}
