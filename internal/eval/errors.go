package eval

import (
	"errors"
	"sort"
	"strings"
)

// The error kinds every layer wraps with %w. Callers act on them with
// errors.Is; an edge (CLI, HTTP handler) maps each to an exit status or a
// response. Add a kind only when some caller must act differently on it.
var (
	// ErrNotFound: the thing asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: the input breaks a rule; the message says which.
	ErrInvalid = errors.New("invalid input")
	// ErrForbidden: the actor may not do this.
	ErrForbidden = errors.New("forbidden")
	// ErrConflict: the change collides with another one (stale version,
	// duplicate key).
	ErrConflict = errors.New("conflict")
)

// ValidationError reports problems with user input field by field, so that a
// form can be shown again with a message beside each field. Fields maps a
// field name (a form field, an item code, a "sheet!cell" or "file:line") to a
// message in Chinese. It matches ErrInvalid under errors.Is.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("invalid input:")
	for _, k := range keys {
		b.WriteString(" ")
		b.WriteString(k)
		b.WriteString(": ")
		b.WriteString(e.Fields[k])
		b.WriteString(";")
	}
	return strings.TrimSuffix(b.String(), ";")
}

// Is makes errors.Is(err, ErrInvalid) true for a *ValidationError.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }
