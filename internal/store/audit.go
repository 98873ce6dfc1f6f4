package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The audit log records every change the store makes, in the transaction
// that makes it: who (the actor of the context), when (the transaction's
// time), what (entity and id), the action, and the old and new values as
// JSON — for an update only the fields that changed, and inside map fields
// (data values, self-scores) only the keys that changed.
//
// The rows form a hash chain. Each row's hash is
//
//	hex(sha256(prev_hash + "\n" + canonical))
//
// where canonical is the JSON array [seq, at, actor, entity, entity_id,
// action, old_value, new_value] (numbers and strings as encoding/json writes
// them) and prev_hash is the hash of the row before (empty for row 1).
// audit_head holds the last sequence number and hash the store wrote, and
// is updated in the same transaction. VerifyAudit walks the chain.

// AuditEntry is one row of the audit log.
type AuditEntry struct {
	Seq      int64
	At       time.Time
	Actor    string
	Entity   string // table-like name: "submission", "campaign", …
	EntityID string
	Action   string // "create", "update", "delete", "import", "publish", …
	Old, New string // JSON; "" when there is none
	PrevHash string
	Hash     string
}

// auditEntry is a change waiting for the commit.
type auditEntry struct {
	entity, id, action string
	old, new           string
}

// record queues an audit row for a change made in this transaction. old and
// new are values to encode as JSON (nil for none). For "update", only the
// fields that differ are kept.
func (tx *Tx) record(entity, id, action string, old, new any) error {
	if err := tx.writable(); err != nil {
		return err
	}
	oldJSON, err := encodeAudit(old)
	if err != nil {
		return err
	}
	newJSON, err := encodeAudit(new)
	if err != nil {
		return err
	}
	if action == "update" && oldJSON != "" && newJSON != "" {
		oldJSON, newJSON, err = diffJSON(oldJSON, newJSON)
		if err != nil {
			return err
		}
		if oldJSON == newJSON {
			return nil // nothing changed
		}
	}
	tx.audit = append(tx.audit, auditEntry{entity: entity, id: id, action: action, old: oldJSON, new: newJSON})
	return nil
}

func encodeAudit(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("store: encode audit value: %w", err)
	}
	return string(b), nil
}

// diffJSON keeps only the fields of two JSON objects that differ. Where both
// sides of a field are objects it keeps only the keys that differ inside
// them, so that saving one data value out of hundreds records one value.
func diffJSON(oldJSON, newJSON string) (string, string, error) {
	var o, n map[string]json.RawMessage
	if json.Unmarshal([]byte(oldJSON), &o) != nil || json.Unmarshal([]byte(newJSON), &n) != nil {
		return oldJSON, newJSON, nil // not objects: keep whole
	}
	od, nd := map[string]json.RawMessage{}, map[string]json.RawMessage{}
	for k := range union(o, n) {
		ov, inOld := o[k]
		nv, inNew := n[k]
		if inOld && inNew && bytes.Equal(ov, nv) {
			continue
		}
		var oo, no map[string]json.RawMessage
		if inOld && inNew && json.Unmarshal(ov, &oo) == nil && json.Unmarshal(nv, &no) == nil && oo != nil && no != nil {
			sub := func(from, other map[string]json.RawMessage) map[string]json.RawMessage {
				m := map[string]json.RawMessage{}
				for kk, v := range from {
					if w, ok := other[kk]; !ok || !bytes.Equal(v, w) {
						m[kk] = v
					}
				}
				return m
			}
			od[k], _ = json.Marshal(sub(oo, no))
			nd[k], _ = json.Marshal(sub(no, oo))
			continue
		}
		if inOld {
			od[k] = ov
		}
		if inNew {
			nd[k] = nv
		}
	}
	ob, err := json.Marshal(od)
	if err != nil {
		return "", "", fmt.Errorf("store: encode audit diff: %w", err)
	}
	nb, err := json.Marshal(nd)
	if err != nil {
		return "", "", fmt.Errorf("store: encode audit diff: %w", err)
	}
	return string(ob), string(nb), nil
}

func union(a, b map[string]json.RawMessage) map[string]bool {
	u := make(map[string]bool, len(a)+len(b))
	for k := range a {
		u[k] = true
	}
	for k := range b {
		u[k] = true
	}
	return u
}

// auditHash is the chain hash of one row.
func auditHash(prev string, seq int64, at, actor, entity, id, action, old, new string) string {
	canonical, _ := json.Marshal([]any{seq, at, actor, entity, id, action, old, new})
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write([]byte("\n"))
	h.Write(canonical)
	return hex.EncodeToString(h.Sum(nil))
}

// auditBatch is how many audit rows go into one multi-row INSERT.
const auditBatch = 50

const (
	auditHeadSelect = "SELECT seq, hash FROM audit_head WHERE id = 1"
	auditHeadUpdate = "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1"
	auditColumns    = "INSERT INTO audit_log (seq, at, actor, entity, entity_id, action, old_value, new_value, prev_hash, hash) VALUES "
	auditInsertOne  = auditColumns + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)

// flushAudit writes the queued audit rows and moves the chain head. It locks
// the head row first (PostgreSQL: FOR UPDATE; SQLite: the write transaction
// already excludes other writers), so concurrent transactions extend the
// chain one after the other. It runs just before the commit, so the lock is
// held only briefly.
func (tx *Tx) flushAudit() error {
	if len(tx.audit) == 0 {
		return nil
	}
	var (
		seq  int64
		prev string
	)
	err := tx.queryRow(auditHeadSelect+tx.d.forUpdate()).Scan(&seq, &prev)
	if err != nil {
		return fmt.Errorf("store: read audit head: %w", tx.d.mapError(err))
	}
	at := formatTime(tx.now)
	row := func(e auditEntry) []any {
		seq++
		h := auditHash(prev, seq, at, tx.actor, e.entity, e.id, e.action, e.old, e.new)
		args := []any{seq, at, tx.actor, e.entity, e.id, e.action, e.old, e.new, prev, h}
		prev = h
		return args
	}
	// Chunks of up to auditBatch rows. On PostgreSQL the head moves in the
	// same statement as the last chunk (a data-modifying WITH), one round
	// trip less while the head row is locked.
	pending := tx.audit
	for len(pending) > 0 {
		n := min(len(pending), auditBatch)
		last := n == len(pending)
		var q strings.Builder
		args := make([]any, 0, n*10+2)
		moveHead := last && tx.d == postgres
		if moveHead {
			q.WriteString("WITH head AS (UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1) ")
		}
		var rows []any
		for i, e := range pending[:n] {
			if i == 0 {
				q.WriteString(auditColumns)
			} else {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			rows = append(rows, row(e)...)
		}
		if moveHead {
			args = append(args, seq, prev) // final after the rows above
		}
		args = append(args, rows...)
		if _, err := tx.exec(q.String(), args...); err != nil {
			return fmt.Errorf("store: write audit log: %w", err)
		}
		pending = pending[n:]
	}
	if tx.d != postgres {
		if _, err := tx.exec(auditHeadUpdate, seq, prev); err != nil {
			return fmt.Errorf("store: move audit head: %w", err)
		}
	}
	tx.audit = nil
	return nil
}

// AuditFilter selects audit rows. Zero fields select everything.
type AuditFilter struct {
	Entity   string
	EntityID string
	Limit    int // 0: no limit
}

// FindAudit lists audit rows in sequence order.
func (tx *Tx) FindAudit(f AuditFilter) ([]AuditEntry, error) {
	q := "SELECT seq, at, actor, entity, entity_id, action, old_value, new_value, prev_hash, hash FROM audit_log WHERE 1 = 1"
	var args []any
	if f.Entity != "" {
		q += " AND entity = ?"
		args = append(args, f.Entity)
	}
	if f.EntityID != "" {
		q += " AND entity_id = ?"
		args = append(args, f.EntityID)
	}
	q += " ORDER BY seq"
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit)
	}
	rows, err := tx.query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: find audit: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: find audit: %w", tx.d.mapError(err))
	}
	return out, nil
}

func scanAudit(rows interface{ Scan(...any) error }) (AuditEntry, error) {
	var (
		e  AuditEntry
		at string
	)
	if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Entity, &e.EntityID, &e.Action, &e.Old, &e.New, &e.PrevHash, &e.Hash); err != nil {
		return e, fmt.Errorf("store: read audit row: %w", err)
	}
	// A tampered time must not stop the walk; VerifyAudit hashes the text.
	e.At, _ = time.Parse(timeFormat, at)
	return e, nil
}

// AuditProblemKind says how the audit chain was broken at a row.
type AuditProblemKind string

// The kinds of tampering VerifyAudit tells apart.
const (
	// AuditEdited: the row's content or hash was changed after it was
	// written.
	AuditEdited AuditProblemKind = "edited"
	// AuditDeleted: rows Seq..LastSeq are missing.
	AuditDeleted AuditProblemKind = "deleted"
	// AuditInserted: the row was not written by the store (its sequence
	// number lies outside the chain the store recorded).
	AuditInserted AuditProblemKind = "inserted"
)

// AuditProblem is one break in the audit chain.
type AuditProblem struct {
	Kind    AuditProblemKind
	Seq     int64 // the row, or the first missing row
	LastSeq int64 // the last missing row (AuditDeleted); else equal to Seq
	Message string
}

// AuditReport is the outcome of VerifyAudit.
type AuditReport struct {
	Rows     int64  // rows read
	HeadSeq  int64  // the last sequence number the store wrote
	HeadHash string // its hash: note it down to detect a rewrite of the whole chain later
	Problems []AuditProblem
}

// OK reports whether the chain is intact.
func (r AuditReport) OK() bool { return len(r.Problems) == 0 }

// VerifyAudit walks the whole audit log and reports every row that was
// edited, deleted or inserted behind the store's back, naming it by
// sequence number. An error means the log could not be read, not that it
// was tampered with: look at the report for that.
//
// Limit: the chain has no secret key. Someone who can write the database
// and recomputes every hash from the changed row to the end, and the head,
// is only caught by comparing HeadHash with a copy kept elsewhere (the
// published result snapshot, a printout).
func (db *DB) VerifyAudit(ctx context.Context) (AuditReport, error) {
	var rep AuditReport
	err := db.View(ctx, func(tx *Tx) error {
		rep = AuditReport{}
		if err := tx.queryRow(auditHeadSelect).Scan(&rep.HeadSeq, &rep.HeadHash); err != nil {
			return fmt.Errorf("store: read audit head: %w", tx.d.mapError(err))
		}
		rows, err := tx.query("SELECT seq, at, actor, entity, entity_id, action, old_value, new_value, prev_hash, hash FROM audit_log ORDER BY seq")
		if err != nil {
			return fmt.Errorf("store: read audit log: %w", err)
		}
		defer rows.Close()
		var (
			next     int64 = 1 // the sequence number expected next
			prevHash string
			problems []AuditProblem
		)
		add := func(kind AuditProblemKind, seq, last int64, msg string) {
			problems = append(problems, AuditProblem{Kind: kind, Seq: seq, LastSeq: last, Message: msg})
		}
		for rows.Next() {
			var e AuditEntry
			var at string
			if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Entity, &e.EntityID, &e.Action, &e.Old, &e.New, &e.PrevHash, &e.Hash); err != nil {
				return fmt.Errorf("store: read audit row: %w", err)
			}
			rep.Rows++
			if e.Seq > rep.HeadSeq || e.Seq < next {
				add(AuditInserted, e.Seq, e.Seq, fmt.Sprintf("审计日志第 %d 条不是本系统写入的（插入的记录）", e.Seq))
				continue
			}
			linked := true
			if e.Seq > next {
				if e.Seq-1 == next {
					add(AuditDeleted, next, e.Seq-1, fmt.Sprintf("审计日志第 %d 条被删除", next))
				} else {
					add(AuditDeleted, next, e.Seq-1, fmt.Sprintf("审计日志第 %d–%d 条被删除", next, e.Seq-1))
				}
				linked = false
			}
			if auditHash(e.PrevHash, e.Seq, at, e.Actor, e.Entity, e.EntityID, e.Action, e.Old, e.New) != e.Hash {
				add(AuditEdited, e.Seq, e.Seq, fmt.Sprintf("审计日志第 %d 条的内容被改动", e.Seq))
			} else if linked && e.PrevHash != prevHash {
				// The row is self-consistent but does not follow the row
				// before: that one was changed and re-hashed.
				add(AuditEdited, e.Seq-1, e.Seq-1, fmt.Sprintf("审计日志第 %d 条被改动并重算了哈希（第 %d 条记录的前一哈希对不上）", e.Seq-1, e.Seq))
			}
			prevHash = e.Hash
			next = e.Seq + 1
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: read audit log: %w", tx.d.mapError(err))
		}
		switch {
		case next <= rep.HeadSeq:
			if next == rep.HeadSeq {
				add(AuditDeleted, next, rep.HeadSeq, fmt.Sprintf("审计日志第 %d 条（最后一条）被删除", next))
			} else {
				add(AuditDeleted, next, rep.HeadSeq, fmt.Sprintf("审计日志第 %d–%d 条（末尾）被删除", next, rep.HeadSeq))
			}
		case rep.HeadSeq > 0 && prevHash != rep.HeadHash:
			add(AuditEdited, rep.HeadSeq, rep.HeadSeq, fmt.Sprintf("审计日志第 %d 条（最后一条）被改动并重算了哈希", rep.HeadSeq))
		}
		rep.Problems = problems
		return nil
	})
	return rep, err
}

// auditID writes a numeric id for the audit log.
func auditID(id int64) string { return strconv.FormatInt(id, 10) }
