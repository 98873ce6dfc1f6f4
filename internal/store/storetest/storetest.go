package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver for the admin connection

	"lvzhi/internal/store"
)

// The environment variables that turn on the PostgreSQL runs.
const (
	EnvPostgres         = "LVZHI_TEST_POSTGRES"
	EnvPostgresRequired = "LVZHI_TEST_POSTGRES_REQUIRED"
)

// Actor is the actor Context puts in test contexts.
const Actor = "tester"

// Context returns t's context carrying Actor, for changes made in tests.
func Context(t testing.TB) context.Context {
	return store.WithActor(t.Context(), Actor)
}

// Each runs fn as subtest "sqlite" on a fresh SQLite database and, when
// PostgreSQL is configured, as subtest "postgres" on a fresh schema. The
// subtests run one after the other; fn may call t.Parallel.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, SQLite(t))
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, Postgres(t))
	})
}

// SQLite opens a fresh SQLite database in t.TempDir() and closes it at
// cleanup.
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "lvzhi.db"))
}

// Postgres opens the store on a fresh schema of the test PostgreSQL
// database, dropped at cleanup. It skips the test when LVZHI_TEST_POSTGRES
// is not set, and fails it when LVZHI_TEST_POSTGRES_REQUIRED=1 and the
// database is not set or not reachable.
func Postgres(t testing.TB) *store.DB {
	t.Helper()
	dsn := PostgresDSN(t)
	return open(t, dsn)
}

// PostgresDSN creates a fresh schema (dropped at cleanup) and returns a DSN
// whose connections use it. It skips or fails like Postgres.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	required := os.Getenv(EnvPostgresRequired) == "1"
	if base == "" {
		if required {
			t.Fatalf("%s=1 but %s is empty: the PostgreSQL tests must run", EnvPostgresRequired, EnvPostgres)
		}
		t.Skipf("%s not set: PostgreSQL tests skipped", EnvPostgres)
	}
	admin, err := adminDB(base)
	if err == nil {
		err = admin.PingContext(t.Context())
	}
	if err != nil {
		if required {
			t.Fatalf("PostgreSQL at %s is required but unreachable: %v", redact(base), err)
		}
		t.Skipf("PostgreSQL at %s unreachable: %v", redact(base), err)
	}
	schema := "lvzhi_test_" + randomHex(8)
	if _, err := admin.ExecContext(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func open(t testing.TB, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(t.Context(), dsn)
	if err != nil {
		t.Fatalf("store.Open(%s): %v", redact(dsn), err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return db
}

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
)

// adminDB is one connection pool per test process for creating and
// dropping schemas.
func adminDB(dsn string) (*sql.DB, error) {
	adminOnce.Do(func() {
		admin, adminErr = sql.Open("pgx", dsn)
		if adminErr == nil {
			admin.SetMaxOpenConns(4)
		}
	})
	return admin, adminErr
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// redact hides a password in a DSN for messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxx")
	}
	return strings.Replace(u.String(), "xxx", "***", 1)
}
