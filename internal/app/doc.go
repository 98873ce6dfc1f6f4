// Package app holds lvzhi's use cases: the operations the CLI and the web UI
// call, each one combining the domain rules (workflow, scoring, framework,
// region) with the store. A use case that changes data checks the actor's
// role and region scope and the state of what it changes with the pure
// rules of package workflow, computes whatever follows (scores always come
// from the engine, never from input), and writes everything in one store
// transaction, so that a refused or failed request changes nothing.
//
// Errors are the eval kinds (ErrNotFound, ErrInvalid, ErrForbidden,
// ErrConflict) wrapped with %w and a Chinese message for the person who
// asked. The package never prints, reads files or looks at flags: its
// callers hand it bytes and values.
package app
