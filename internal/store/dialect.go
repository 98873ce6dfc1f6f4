package store

import (
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	sqlite3 "modernc.org/sqlite"

	"lvzhi/internal/eval"
)

// dialect is the database behind a DB. Every difference between SQLite and
// PostgreSQL that the store's code has to know about is in this file; the
// DDL differences are in the two migration folders.
type dialect int

const (
	sqlite dialect = iota
	postgres
)

func (d dialect) name() string {
	if d == postgres {
		return "postgres"
	}
	return "sqlite"
}

// rebind turns the ? placeholders of a shared query into PostgreSQL's $1,
// $2, …; SQLite queries pass unchanged. Question marks inside quoted
// literals are left alone.
func (d dialect) rebind(query string) string {
	if d != postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	quoted := false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			quoted = !quoted
			b.WriteByte(c)
		case c == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// forUpdate is the suffix that locks the selected rows until commit.
// SQLite needs none: its write transactions already exclude each other.
func (d dialect) forUpdate() string {
	if d == postgres {
		return " FOR UPDATE"
	}
	return ""
}

// ErrReadOnly means the database refused a write because it is read-only
// (a read-only file, directory or mount, or a read-only PostgreSQL
// server). Nothing of the change was written.
var ErrReadOnly = errors.New("数据库只读，无法写入；本次修改没有保存")

// ErrDiskFull means the database ran out of space. The transaction was
// rolled back; nothing of the change was written.
var ErrDiskFull = errors.New("磁盘空间已满，无法写入；本次修改没有保存")

// kindError is a class of database failure that matches one of the eval
// error kinds under errors.Is.
type kindError struct {
	msg  string
	kind error
}

func (k *kindError) Error() string        { return k.msg }
func (k *kindError) Is(target error) bool { return target == k.kind }

var (
	errUnique     = &kindError{"duplicate key", eval.ErrConflict}
	errForeignKey = &kindError{"reference to a missing row", eval.ErrInvalid}
	errCheck      = &kindError{"value breaks a constraint", eval.ErrInvalid}
	errImmutable  = &kindError{"row is immutable", eval.ErrForbidden}
	errRetry      = &kindError{"concurrent change, retry", eval.ErrConflict}
)

// dbError keeps the driver's error and adds the class it belongs to.
type dbError struct {
	class error
	err   error
}

func (e *dbError) Error() string   { return e.class.Error() + " (" + e.err.Error() + ")" }
func (e *dbError) Unwrap() []error { return []error{e.class, e.err} }

// SQLite result codes (sqlite3.h).
const (
	sqliteBusy          = 5
	sqliteLocked        = 6
	sqliteReadOnly      = 8
	sqliteFull          = 13
	sqliteConstraint    = 19
	sqliteConstraintChk = 275
	sqliteConstraintFK  = 787
	sqliteConstraintPK  = 1555
	sqliteConstraintTrg = 1811
	sqliteConstraintUnq = 2067
)

// PostgreSQL SQLSTATE codes.
const (
	pgUniqueViolation = "23505"
	pgForeignKey      = "23503"
	pgCheck           = "23514"
	pgNotNull         = "23502"
	pgSerialization   = "40001"
	pgDeadlock        = "40P01"
	pgDiskFull        = "53100"
	pgReadOnlyTx      = "25006"
	pgImmutable       = "LZ001" // raised by lvzhi's own triggers
)

// mapError classifies a driver error by its code (never by its message) so
// that callers can use errors.Is with the eval kinds, ErrReadOnly and
// ErrDiskFull. Unknown errors pass unchanged. Both drivers' error types are
// recognised whatever d is.
func (d dialect) mapError(err error) error { return mapDriverError(err) }

func mapDriverError(err error) error {
	if err == nil {
		return nil
	}
	var already *dbError
	if errors.As(err, &already) {
		return err
	}
	class := classify(err)
	if class == nil {
		return err
	}
	return &dbError{class: class, err: err}
}

func classify(err error) error {
	var se *sqlite3.Error
	if errors.As(err, &se) {
		code := se.Code()
		switch code {
		case sqliteConstraintUnq, sqliteConstraintPK:
			return errUnique
		case sqliteConstraintFK:
			return errForeignKey
		case sqliteConstraintTrg:
			return errImmutable
		case sqliteConstraintChk:
			return errCheck
		}
		switch code & 0xff {
		case sqliteConstraint:
			return errCheck
		case sqliteReadOnly:
			return ErrReadOnly
		case sqliteFull:
			return ErrDiskFull
		case sqliteBusy, sqliteLocked:
			return errRetry
		}
		return nil
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case pgUniqueViolation:
			return errUnique
		case pgForeignKey:
			return errForeignKey
		case pgCheck, pgNotNull:
			return errCheck
		case pgImmutable:
			return errImmutable
		case pgSerialization, pgDeadlock:
			return errRetry
		case pgDiskFull:
			return ErrDiskFull
		case pgReadOnlyTx:
			return ErrReadOnly
		}
	}
	return nil
}

func isUnique(err error) bool     { return errors.Is(err, errUnique) }
func isForeignKey(err error) bool { return errors.Is(err, errForeignKey) }
