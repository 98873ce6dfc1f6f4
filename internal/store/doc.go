// Package store keeps lvzhi's workflow data — regions, users, framework
// versions, campaigns, submissions, reviews, evidence files, published
// results, objections, rectification problems — and the hash-chained audit
// log, in SQLite (the default, one file) or PostgreSQL (production).
//
// One SQL text serves both databases: queries are written with ? placeholders
// and rebound to $1, $2, … for PostgreSQL; the few real differences live in
// dialect.go. The schema is embedded (migrations/) and applied by Open.
//
// Every read and write happens inside a transaction: DB.Tx for changes,
// DB.View for reads. Each change writes its audit row in the same
// transaction, so a change and its record commit or vanish together. The
// actor of a change comes from the context (WithActor).
//
// What this package must not do: decide whether a change is allowed. Roles,
// regions, states and stage transitions are checked by the app layer (with
// the rules of package workflow) inside the transaction the store provides;
// the store only guarantees atomicity, optimistic locking (a stale version is
// a *ConflictError, never a lost update), immutability of published results
// and pinned frameworks, and the audit trail. It never computes scores.
package store
