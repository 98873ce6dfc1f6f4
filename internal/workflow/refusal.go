package workflow

import (
	"fmt"
	"time"

	"lvzhi/internal/eval"
)

// RefusedError is a request the rules do not allow, with the reason in
// Chinese for the person who asked. It unwraps to its kind:
// eval.ErrForbidden (wrong role, foreign region, past a deadline),
// eval.ErrConflict (the submission or campaign is not in a state that
// allows it) or eval.ErrInvalid (a required reason is missing).
type RefusedError struct {
	Kind   error
	Reason string
}

func (e *RefusedError) Error() string { return e.Reason }

// Unwrap returns the error kind.
func (e *RefusedError) Unwrap() error { return e.Kind }

func forbidden(format string, args ...any) error {
	return &RefusedError{Kind: eval.ErrForbidden, Reason: fmt.Sprintf(format, args...)}
}

func conflict(format string, args ...any) error {
	return &RefusedError{Kind: eval.ErrConflict, Reason: fmt.Sprintf(format, args...)}
}

func invalid(format string, args ...any) error {
	return &RefusedError{Kind: eval.ErrInvalid, Reason: fmt.Sprintf(format, args...)}
}

// Zone is the time zone times are shown in: China Standard Time. Times are
// stored and compared as instants; only messages use Zone.
var Zone = time.FixedZone("CST", 8*3600)

// ShowTime writes t for a message: "2020-08-31 23:59" in China Standard
// Time.
func ShowTime(t time.Time) string { return t.In(Zone).Format("2006-01-02 15:04") }
