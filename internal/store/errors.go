package store

import (
	"database/sql"
	"errors"
	"fmt"

	"lvzhi/internal/eval"
)

// ConflictError is returned when a change collides with another one: a save
// based on a stale version, or a new row whose key already exists. It
// matches eval.ErrConflict under errors.Is. Current holds the row as it is
// now in the database (for a stale save always; for a duplicate key when the
// store can load it), typed as the method's record (for example
// *Submission), so that the user can be shown what changed.
type ConflictError struct {
	// What names the thing in Chinese, e.g. "提交材料 #12".
	What string
	// Reason says in Chinese what happened.
	Reason string
	// Current is the row as it is now, or nil.
	Current any
}

func (e *ConflictError) Error() string {
	return "store: " + e.What + e.Reason
}

// Is makes errors.Is(err, eval.ErrConflict) true.
func (e *ConflictError) Is(target error) bool { return target == eval.ErrConflict }

// staleError is the conflict of a save whose version is no longer current.
func staleError(what string, sent, current int64, row any) *ConflictError {
	return &ConflictError{
		What:    what,
		Reason:  fmt.Sprintf(" 已被他人修改（您编辑的是第 %d 版，当前是第 %d 版），请刷新后重试", sent, current),
		Current: row,
	}
}

// duplicateError is the conflict of a new row whose key is taken; row is
// the existing row, or nil when it could not be loaded.
func duplicateError[T any](what string, row *T) *ConflictError {
	e := &ConflictError{What: what, Reason: " 已存在"}
	if row != nil {
		e.Current = row // never a typed nil inside the interface
	}
	return e
}

// notFound wraps eval.ErrNotFound with a Chinese message naming the thing.
func notFound(what string) error {
	return fmt.Errorf("store: %s 不存在: %w", what, eval.ErrNotFound)
}

// invalid wraps eval.ErrInvalid with a Chinese message.
func invalid(format string, args ...any) error {
	return fmt.Errorf("store: %s: %w", fmt.Sprintf(format, args...), eval.ErrInvalid)
}

// rowErr turns sql.ErrNoRows into a not-found error naming what, and wraps
// anything else with the operation.
func rowErr(err error, op, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(what)
	}
	return fmt.Errorf("store: %s: %w", op, mapDriverError(err))
}
