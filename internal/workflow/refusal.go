package workflow

import (
	"fmt"

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
