package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver

	"lvzhi/internal/eval"
)

// DefaultPath is where the SQLite database lives when no DSN is given.
const DefaultPath = "lvzhi-data/lvzhi.db"

// DefaultMaxBlobSize is the largest evidence file accepted unless
// DB.MaxBlobSize says otherwise: 20 MiB.
const DefaultMaxBlobSize = 20 << 20

// sqliteBusyTimeout is how long a SQLite connection waits for a lock held by
// another process (a second lvzhi command on the same file) before giving up.
// Within one process writes are serialized by the single writer connection
// and never wait on SQLite's lock at all.
const sqliteBusyTimeout = 10 * time.Second

// DB is an open lvzhi database. It is safe for concurrent use. All access
// goes through transactions: Tx for changes, View for reads.
type DB struct {
	dialect dialect
	// write runs the write transactions. For SQLite it holds exactly one
	// connection, so writers queue in Go (honouring their context) instead of
	// meeting SQLITE_BUSY; for PostgreSQL it is the same pool as read.
	write *sql.DB
	// read runs read-only transactions (for SQLite a pool of connections
	// that refuse writes: PRAGMA query_only).
	read *sql.DB
	// path is the SQLite file ("" for PostgreSQL).
	path string
	// gate queues SQLite write transactions first come, first served
	// (database/sql hands a freed connection to a random waiter, which
	// gives long tail latencies under load); nil for PostgreSQL.
	gate chan struct{}
	// prepared holds the hot statements of the SQLite writer connection,
	// prepared once at Open (the driver does not cache statements itself),
	// keyed by query text.
	prepared map[string]*sql.Stmt

	// Now gives the time recorded in rows and audit entries; tests replace
	// it. It is read once per transaction. Set it (and MaxBlobSize) right
	// after Open, before the DB is shared.
	Now func() time.Time
	// MaxBlobSize is the largest evidence file AddEvidence and PutBlob
	// accept, in bytes.
	MaxBlobSize int64
}

// Open opens (creating if needed) the database named by dsn and applies any
// pending migrations:
//
//   - "" opens SQLite at DefaultPath (relative to the working directory);
//   - "sqlite:PATH" or a plain file path opens SQLite at PATH, creating its
//     directory;
//   - "postgres://…" or "postgresql://…" opens PostgreSQL through pgx. Any
//     libpq-style query parameters are passed on (for example
//     search_path=myschema).
//
// SQLite runs in WAL mode with foreign keys on, synchronous=NORMAL and a busy
// timeout. The caller must Close the DB.
func Open(ctx context.Context, dsn string) (*DB, error) {
	var (
		db  *DB
		err error
	)
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		db, err = openPostgres(dsn)
	default:
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" {
			path = DefaultPath
		}
		db, err = openSQLite(path)
	}
	if err != nil {
		return nil, err
	}
	if err := db.ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: 无法打开数据库 %s: %w", redactDSN(dsn), err)
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.prepare(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// hotStatements are the queries of a deadline-day save, prepared once on
// the SQLite writer connection. PostgreSQL's driver caches prepared
// statements by itself.
var hotStatements = []string{
	submissionSelectForUpdate,
	submissionUpdate,
	auditHeadSelect,
	auditInsertOne,
	auditHeadUpdate,
}

func (db *DB) prepare(ctx context.Context) error {
	if db.dialect != sqlite {
		return nil
	}
	db.prepared = make(map[string]*sql.Stmt, len(hotStatements))
	for _, q := range hotStatements {
		st, err := db.write.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("store: prepare %q: %w", q, db.dialect.mapError(err))
		}
		db.prepared[q] = st
	}
	return nil
}

// ping opens the first connection. On a new SQLite file several processes
// starting at once may meet SQLITE_BUSY while one of them switches the file
// to WAL (that step does not wait on the busy handler), so a busy open is
// retried for up to the busy timeout.
func (db *DB) ping(ctx context.Context) error {
	deadline := time.Now().Add(sqliteBusyTimeout)
	for {
		err := db.dialect.mapError(db.write.PingContext(ctx))
		if err == nil || db.dialect != sqlite || !errors.Is(err, errRetry) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// redactDSN hides the password of a PostgreSQL DSN for messages.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func openPostgres(dsn string) (*DB, error) {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	pool.SetMaxOpenConns(32)
	pool.SetMaxIdleConns(32)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	return &DB{dialect: postgres, write: pool, read: pool, Now: time.Now, MaxBlobSize: DefaultMaxBlobSize}, nil
}

func openSQLite(path string) (*DB, error) {
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("store: SQLite 文件路径 %q 不能含有 ? 或 #: %w", path, eval.ErrInvalid)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("store: 无法创建数据目录 %s: %w", dir, err)
		}
	}
	params := url.Values{}
	params.Add("_pragma", "foreign_keys(1)")
	params.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", sqliteBusyTimeout.Milliseconds()))
	params.Add("_pragma", "journal_mode(WAL)")
	params.Add("_pragma", "synchronous(NORMAL)")
	params.Set("_txlock", "immediate")
	write, err := sql.Open("sqlite", "file:"+path+"?"+params.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)

	readParams := url.Values{}
	readParams.Add("_pragma", "foreign_keys(1)")
	readParams.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", sqliteBusyTimeout.Milliseconds()))
	readParams.Add("_pragma", "query_only(1)")
	read, err := sql.Open("sqlite", "file:"+path+"?"+readParams.Encode())
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	return &DB{dialect: sqlite, write: write, read: read, path: path, gate: make(chan struct{}, 1),
		Now: time.Now, MaxBlobSize: DefaultMaxBlobSize}, nil
}

// Close closes the database.
func (db *DB) Close() error {
	var err error
	for _, st := range db.prepared {
		err = errors.Join(err, st.Close())
	}
	err = errors.Join(err, db.write.Close())
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Dialect names the database behind db: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name() }

// Path is the SQLite database file, or "" for PostgreSQL.
func (db *DB) Path() string { return db.path }

// Tx runs fn in one write transaction and commits it when fn returns nil;
// when fn returns an error (or panics) everything fn did is rolled back and
// the error is returned as is. The audit rows of the changes fn made are
// written just before the commit. Do not call db.Tx or db.View from inside
// fn: on SQLite the single writer connection is busy and the call would wait
// until ctx ends. The actor recorded for the changes is Actor(ctx).
//
// On SQLite the transaction begins with BEGIN IMMEDIATE on the one writer
// connection, so concurrent writers queue instead of failing with "database
// is locked".
func (db *DB) Tx(ctx context.Context, fn func(tx *Tx) error) error {
	if db.gate != nil {
		select {
		case db.gate <- struct{}{}:
			defer func() { <-db.gate }()
		case <-ctx.Done():
			return fmt.Errorf("store: wait for the writer: %w", ctx.Err())
		}
	}
	return db.run(ctx, db.write, false, fn)
}

// View runs fn in a read-only transaction that sees one consistent snapshot.
// Any write attempted inside fn fails.
func (db *DB) View(ctx context.Context, fn func(tx *Tx) error) error {
	return db.run(ctx, db.read, true, fn)
}

// txOptions: a View is one snapshot on both databases (PostgreSQL needs
// REPEATABLE READ for that; a SQLite read transaction is one already).
func (db *DB) txOptions(readOnly bool) *sql.TxOptions {
	if readOnly && db.dialect == postgres {
		return &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	}
	return &sql.TxOptions{ReadOnly: readOnly}
}

func (db *DB) run(ctx context.Context, pool *sql.DB, readOnly bool, fn func(tx *Tx) error) (err error) {
	sqlTx, err := pool.BeginTx(ctx, db.txOptions(readOnly))
	if err != nil {
		return fmt.Errorf("store: begin transaction: %w", db.dialect.mapError(err))
	}
	tx := &Tx{
		ctx:      ctx,
		tx:       sqlTx,
		db:       db,
		writer:   !readOnly,
		d:        db.dialect,
		now:      db.Now().UTC().Truncate(time.Microsecond),
		actor:    Actor(ctx),
		readOnly: readOnly,
	}
	defer func() {
		if p := recover(); p != nil {
			sqlTx.Rollback()
			err = fmt.Errorf("store: transaction aborted: %v", p)
		}
	}()
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := tx.flushAudit(); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", db.dialect.mapError(err))
	}
	return nil
}

// Tx is one open transaction. Its methods read and change the data; they are
// only valid inside the function given to DB.Tx or DB.View.
type Tx struct {
	ctx      context.Context
	tx       *sql.Tx
	db       *DB
	writer   bool // runs on the writer connection (may use db.prepared)
	d        dialect
	now      time.Time
	actor    string
	readOnly bool
	audit    []auditEntry
}

// Now is the time of this transaction, as recorded in rows it writes.
func (tx *Tx) Now() time.Time { return tx.now }

// Actor is who the changes of this transaction are recorded for.
func (tx *Tx) Actor() string { return tx.actor }

// Dialect names the database: "sqlite" or "postgres".
func (tx *Tx) Dialect() string { return tx.d.name() }

func (tx *Tx) exec(query string, args ...any) (sql.Result, error) {
	var (
		res sql.Result
		err error
	)
	if st := tx.stmt(query); st != nil {
		res, err = st.ExecContext(tx.ctx, args...)
		st.Close()
	} else {
		res, err = tx.tx.ExecContext(tx.ctx, tx.d.rebind(query), args...)
	}
	if err != nil {
		return nil, tx.d.mapError(err)
	}
	return res, nil
}

// stmt returns the prepared form of a hot statement bound to this
// transaction, or nil. The caller closes it (which keeps the statement
// prepared on the connection).
func (tx *Tx) stmt(query string) *sql.Stmt {
	if !tx.writer || tx.db.prepared == nil {
		return nil
	}
	if st, ok := tx.db.prepared[query]; ok {
		return tx.tx.StmtContext(tx.ctx, st)
	}
	return nil
}

func (tx *Tx) query(query string, args ...any) (*sql.Rows, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, tx.d.rebind(query), args...)
	if err != nil {
		return nil, tx.d.mapError(err)
	}
	return rows, nil
}

// queryRow runs a query that returns at most one row. A prepared hot
// statement is closed by the transaction's end.
func (tx *Tx) queryRow(query string, args ...any) *sql.Row {
	if st := tx.stmt(query); st != nil {
		return st.QueryRowContext(tx.ctx, args...)
	}
	return tx.tx.QueryRowContext(tx.ctx, tx.d.rebind(query), args...)
}

// insertID runs an INSERT … RETURNING id and returns the new id.
func (tx *Tx) insertID(query string, args ...any) (int64, error) {
	var id int64
	if err := tx.queryRow(query+" RETURNING id", args...).Scan(&id); err != nil {
		return 0, tx.d.mapError(err)
	}
	return id, nil
}

// writable refuses changes in a View transaction and changes without an
// actor, before anything is written.
func (tx *Tx) writable() error {
	if tx.readOnly {
		return fmt.Errorf("store: 只读事务中不能修改数据: %w", eval.ErrInvalid)
	}
	if tx.actor == "" {
		return fmt.Errorf("store: 修改数据必须指明操作人（store.WithActor）: %w", eval.ErrForbidden)
	}
	return nil
}

type actorKey struct{}

// WithActor returns a context that records actor (a user name, or a fixed
// word such as "system" for jobs the program does on its own) as the author
// of the changes made through it. Every change needs one: a Tx whose context
// has no actor fails at its first change with an error matching
// eval.ErrForbidden.
func WithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// Actor returns the actor set by WithActor, or "".
func Actor(ctx context.Context) string {
	a, _ := ctx.Value(actorKey{}).(string)
	return a
}

// timeFormat is how times are stored: UTC, fixed width, microseconds, so
// that text order is time order on both databases and the audit hash sees
// the same text everywhere.
const timeFormat = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeFormat, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: bad stored time %q: %w", s, err)
	}
	return t, nil
}

// nullTime writes an optional time: NULL for nil or zero.
func nullTime(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return formatTime(*t)
}

func scanNullTime(s sql.NullString) (*time.Time, error) {
	if !s.Valid || s.String == "" {
		return nil, nil
	}
	t, err := parseTime(s.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}
