// Package storetest opens fresh lvzhi databases for tests, so that one test
// body runs on SQLite and on PostgreSQL: Each(t, func(t, db) {…}).
//
// SQLite: a new file in t.TempDir(). PostgreSQL: when LVZHI_TEST_POSTGRES
// holds a DSN, a new schema per test (CREATE SCHEMA, search_path set on the
// connection, DROP SCHEMA … CASCADE at cleanup), so tests can run in
// parallel on one database. When LVZHI_TEST_POSTGRES_REQUIRED=1 a missing
// DSN or an unreachable server fails the test instead of skipping it.
//
// It is for tests only and must not be imported by production code.
package storetest
