package store

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"lvzhi/internal/framework"
	"lvzhi/internal/workflow"
)

// Submission is one county's self-assessment in one campaign (at most one
// per campaign × county). The store keeps its content as given; the app
// decides who may change it and when (workflow.State.Editable).
type Submission struct {
	ID         int64
	CampaignID int64
	County     string
	State      workflow.State
	// ReturnReason is why the submission was last returned ("" if never).
	ReturnReason string
	// Values maps an item code to its value written exactly as entered
	// ("80.91", "true", "A"); the framework's item type says how to read it.
	Values map[string]string
	// SelfScores maps a manual point's code to the county's own score.
	SelfScores map[string]SelfScore
	// Bonus lists the bonus points claimed.
	Bonus []BonusClaim
	// Narrative is the self-assessment report, section by section.
	Narrative []Section
	CreatedAt time.Time
	UpdatedAt time.Time
	UpdatedBy string
	// Version is the optimistic-locking counter: UpdateSubmission saves only
	// if it still matches the stored row.
	Version int64
}

// SelfScore is a county's score for one manual point, with its reasons.
type SelfScore struct {
	Points        framework.Points `json:"points"`
	Justification string           `json:"justification,omitempty"`
}

// BonusClaim is one bonus (加分) the county asks for.
type BonusClaim struct {
	Code          string           `json:"code"`
	Points        framework.Points `json:"points"`
	Justification string           `json:"justification,omitempty"`
}

// Section is one titled part of the narrative report.
type Section struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

func (s *Submission) what() string {
	return fmt.Sprintf("%s 的提交材料 #%d", s.County, s.ID)
}

// submissionAudit is the submission as the audit log shows it; map fields
// are diffed key by key.
type submissionAudit struct {
	State        workflow.State       `json:"state"`
	ReturnReason string               `json:"return_reason"`
	Values       map[string]string    `json:"values"`
	SelfScores   map[string]SelfScore `json:"self_scores"`
	Bonus        []BonusClaim         `json:"bonus"`
	Narrative    []Section            `json:"narrative"`
}

func (s *Submission) audit() submissionAudit {
	return submissionAudit{s.State, s.ReturnReason, s.Values, s.SelfScores, s.Bonus, s.Narrative}
}

func (s *Submission) content() ([]any, error) {
	values := encodeStringMap(s.Values)
	scores, err := jsonText(s.SelfScores, "{}")
	if err != nil {
		return nil, err
	}
	bonus, err := jsonText(s.Bonus, "[]")
	if err != nil {
		return nil, err
	}
	narrative, err := jsonText(s.Narrative, "[]")
	if err != nil {
		return nil, err
	}
	return []any{string(s.State), s.ReturnReason, values, scores, bonus, narrative}, nil
}

// CreateSubmission stores a new submission and sets s.ID, s.Version and the
// times. A second submission for the same campaign and county is a
// *ConflictError carrying the existing one; a county that is not a
// participant of the campaign matches eval.ErrInvalid.
func (tx *Tx) CreateSubmission(s *Submission) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if !s.State.Valid() {
		return invalid("提交材料的状态 %q 无效", s.State)
	}
	content, err := s.content()
	if err != nil {
		return err
	}
	s.CreatedAt, s.UpdatedAt, s.UpdatedBy, s.Version = tx.now, tx.now, tx.actor, 1
	args := append([]any{s.CampaignID, s.County}, content...)
	args = append(args, formatTime(tx.now), formatTime(tx.now), tx.actor)
	id, err := tx.insertID(`INSERT INTO submissions (campaign_id, county, state, return_reason, data_values, self_scores,
		bonus_claims, narrative, created_at, updated_at, updated_by, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, args...)
	if err != nil {
		switch {
		case isUnique(err):
			cur, _ := tx.FindSubmission(s.CampaignID, s.County)
			return duplicateError(fmt.Sprintf("%s 在年度评价 #%d 中的提交材料", s.County, s.CampaignID), cur)
		case isForeignKey(err):
			return invalid("%s 不是年度评价 #%d 的参评县", s.County, s.CampaignID)
		}
		return fmt.Errorf("store: create submission %s: %w", s.County, err)
	}
	s.ID = id
	return tx.record("submission", auditID(id), "create", nil, s.audit())
}

// The two statements of a save, prepared once on SQLite (hotStatements).
const (
	submissionSelectForUpdate = `SELECT version, state, return_reason, data_values, self_scores, bonus_claims, narrative
		FROM submissions WHERE id = ?`
	submissionUpdate = `UPDATE submissions SET state = ?, return_reason = ?, data_values = ?, self_scores = ?, bonus_claims = ?,
		narrative = ?, updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ? AND version = ?`
)

// UpdateSubmission saves the state and content of s if s.Version is still
// the stored version, then increments s.Version. A stale version is a
// *ConflictError carrying the current *Submission; nothing is written. The
// campaign and county of a submission never change.
//
// This is the deadline-day hot path: it reads the stored columns as text,
// writes the new ones, and decodes the old text only for columns that
// changed, to record just the changed keys in the audit log.
func (tx *Tx) UpdateSubmission(s *Submission) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if !s.State.Valid() {
		return invalid("提交材料的状态 %q 无效", s.State)
	}
	var (
		version                                      int64
		oldState, oldReason                          string
		oldValues, oldScores, oldBonus, oldNarrative string
	)
	err := tx.queryRow(submissionSelectForUpdate+tx.d.forUpdate(), s.ID).
		Scan(&version, &oldState, &oldReason, &oldValues, &oldScores, &oldBonus, &oldNarrative)
	if err != nil {
		return rowErr(err, fmt.Sprintf("update submission %d", s.ID), fmt.Sprintf("提交材料 #%d", s.ID))
	}
	if version != s.Version {
		cur, err := tx.FindSubmissionByID(s.ID)
		if err != nil {
			return err
		}
		return staleError(cur.what(), s.Version, cur.Version, cur)
	}
	values := encodeStringMap(s.Values)
	scores, err := jsonText(s.SelfScores, "{}")
	if err != nil {
		return err
	}
	bonus, err := jsonText(s.Bonus, "[]")
	if err != nil {
		return err
	}
	narrative, err := jsonText(s.Narrative, "[]")
	if err != nil {
		return err
	}
	res, err := tx.exec(submissionUpdate, string(s.State), s.ReturnReason, values, scores, bonus, narrative,
		formatTime(tx.now), tx.actor, s.ID, s.Version)
	if err != nil {
		return fmt.Errorf("store: update submission %d: %w", s.ID, err)
	}
	if err := tx.checkUpdated(res, func() error {
		cur, err := tx.FindSubmissionByID(s.ID)
		if err != nil {
			return err
		}
		return staleError(cur.what(), s.Version, cur.Version, cur)
	}); err != nil {
		return err
	}

	// The audit row: only what changed, and inside the maps only the keys.
	oldA, newA := map[string]any{}, map[string]any{}
	if oldState != string(s.State) {
		oldA["state"], newA["state"] = oldState, s.State
	}
	if oldReason != s.ReturnReason {
		oldA["return_reason"], newA["return_reason"] = oldReason, s.ReturnReason
	}
	if oldValues != values {
		prev, err := decodeStringMap(oldValues)
		if err != nil {
			return err
		}
		oldA["values"], newA["values"] = diffMaps(prev, s.Values)
	}
	if oldScores != scores {
		var prev map[string]SelfScore
		if err := fromJSON(oldScores, &prev); err != nil {
			return err
		}
		oldA["self_scores"], newA["self_scores"] = diffMaps(prev, s.SelfScores)
	}
	if oldBonus != bonus {
		oldA["bonus"], newA["bonus"] = json.RawMessage(oldBonus), json.RawMessage(bonus)
	}
	if oldNarrative != narrative {
		oldA["narrative"], newA["narrative"] = json.RawMessage(oldNarrative), json.RawMessage(narrative)
	}
	s.Version++
	s.UpdatedAt, s.UpdatedBy = tx.now, tx.actor
	if len(newA) == 0 {
		return nil // saved unchanged: nothing to record
	}
	oldJSON, err := json.Marshal(oldA)
	if err != nil {
		return fmt.Errorf("store: encode audit value: %w", err)
	}
	newJSON, err := json.Marshal(newA)
	if err != nil {
		return fmt.Errorf("store: encode audit value: %w", err)
	}
	tx.audit = append(tx.audit, auditEntry{entity: "submission", id: auditID(s.ID), action: "update", old: string(oldJSON), new: string(newJSON)})
	return nil
}

// diffMaps returns the entries of old and new whose keys were added,
// removed or changed.
func diffMaps[V comparable](old, new map[string]V) (map[string]V, map[string]V) {
	o, n := map[string]V{}, map[string]V{}
	for k, v := range old {
		if w, ok := new[k]; !ok || w != v {
			o[k] = v
		}
	}
	for k, v := range new {
		if w, ok := old[k]; !ok || w != v {
			n[k] = v
		}
	}
	return o, n
}

// encodeStringMap writes m as a JSON object with sorted keys, as
// json.Marshal would, but without reflection: data values are the bulk of
// every save.
func encodeStringMap(m map[string]string) string {
	if len(m) == 0 {
		return "{}"
	}
	keys := make([]string, 0, len(m))
	size := 2
	for k, v := range m {
		keys = append(keys, k)
		size += len(k) + len(v) + 6
	}
	sort.Strings(keys)
	b := make([]byte, 0, size)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = appendJSONString(b, m[k])
	}
	b = append(b, '}')
	return string(b)
}

// decodeStringMap reads a JSON object of strings. It parses the common form
// encodeStringMap writes (no spaces, no \u escapes) directly and hands
// anything else to encoding/json.
func decodeStringMap(text string) (map[string]string, error) {
	if m, ok := scanStringMap(text); ok {
		return m, nil
	}
	var m map[string]string
	if err := fromJSON(text, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// scanStringMap is the fast path of decodeStringMap; ok is false when the
// text is not in the simple form.
func scanStringMap(text string) (map[string]string, bool) {
	if len(text) < 2 || text[0] != '{' || text[len(text)-1] != '}' || !utf8.ValidString(text) {
		return nil, false
	}
	m := make(map[string]string, strings.Count(text, ",")+1)
	i := 1
	if text[i] == '}' {
		return m, i == len(text)-1
	}
	str := func() (string, bool) {
		if i >= len(text) || text[i] != '"' {
			return "", false
		}
		i++
		start := i
		escaped := false
		for ; i < len(text) && text[i] != '"'; i++ {
			if text[i] < 0x20 {
				return "", false // JSON forbids raw control characters
			}
			if text[i] == '\\' {
				escaped = true
				i++
			}
		}
		if i >= len(text) {
			return "", false
		}
		raw := text[start:i]
		i++
		if !escaped {
			return raw, true
		}
		var b strings.Builder
		for j := 0; j < len(raw); j++ {
			c := raw[j]
			if c != '\\' {
				b.WriteByte(c)
				continue
			}
			j++
			switch raw[j] {
			case '"', '\\', '/':
				b.WriteByte(raw[j])
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			default:
				return "", false // \u, \b, \f: leave to encoding/json
			}
		}
		return b.String(), true
	}
	for {
		k, ok := str()
		if !ok || i >= len(text) || text[i] != ':' {
			return nil, false
		}
		i++
		v, ok := str()
		if !ok || i >= len(text) {
			return nil, false
		}
		m[k] = v
		switch text[i] {
		case ',':
			i++
		case '}':
			return m, i == len(text)-1
		default:
			return nil, false
		}
	}
}

// appendJSONString appends s as a JSON string. Invalid UTF-8 goes through
// encoding/json, which replaces it, so the text is always valid.
func appendJSONString(b []byte, s string) []byte {
	if !utf8.ValidString(s) {
		q, _ := json.Marshal(s)
		return append(b, q...)
	}
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

const submissionColumns = `id, campaign_id, county, state, return_reason, data_values, self_scores, bonus_claims, narrative,
	created_at, updated_at, updated_by, version`

// FindSubmissionByID returns the submission, or an error matching
// eval.ErrNotFound.
func (tx *Tx) FindSubmissionByID(id int64) (*Submission, error) {
	s, err := scanSubmission(tx.queryRow("SELECT "+submissionColumns+" FROM submissions WHERE id = ?", id))
	if err != nil {
		return nil, rowErr(err, fmt.Sprintf("find submission %d", id), fmt.Sprintf("提交材料 #%d", id))
	}
	return s, nil
}

// FindSubmission returns the county's submission in the campaign, or an
// error matching eval.ErrNotFound.
func (tx *Tx) FindSubmission(campaignID int64, county string) (*Submission, error) {
	s, err := scanSubmission(tx.queryRow("SELECT "+submissionColumns+" FROM submissions WHERE campaign_id = ? AND county = ?", campaignID, county))
	if err != nil {
		return nil, rowErr(err, fmt.Sprintf("find submission %d/%s", campaignID, county),
			fmt.Sprintf("%s 在年度评价 #%d 中的提交材料", county, campaignID))
	}
	return s, nil
}

// SubmissionFilter selects submissions. Nil fields select everything.
type SubmissionFilter struct {
	CampaignID *int64
	County     *string
	State      *workflow.State
}

// FindSubmissions lists submissions ordered by campaign and county.
func (tx *Tx) FindSubmissions(f SubmissionFilter) ([]*Submission, error) {
	q := "SELECT " + submissionColumns + " FROM submissions WHERE 1 = 1"
	var args []any
	if f.CampaignID != nil {
		q += " AND campaign_id = ?"
		args = append(args, *f.CampaignID)
	}
	if f.County != nil {
		q += " AND county = ?"
		args = append(args, *f.County)
	}
	if f.State != nil {
		q += " AND state = ?"
		args = append(args, string(*f.State))
	}
	return queryAll(tx, "find submissions", scanSubmission, q+" ORDER BY campaign_id, county", args...)
}

func scanSubmission(row scanner) (*Submission, error) {
	var (
		s                                  Submission
		state, values, scores, bonus, narr string
		created, updated                   string
	)
	if err := row.Scan(&s.ID, &s.CampaignID, &s.County, &state, &s.ReturnReason, &values, &scores, &bonus, &narr,
		&created, &updated, &s.UpdatedBy, &s.Version); err != nil {
		return nil, err
	}
	s.State = workflow.State(state)
	s.Values = map[string]string{}
	s.SelfScores = map[string]SelfScore{}
	for _, c := range []struct {
		text string
		dst  any
	}{{values, &s.Values}, {scores, &s.SelfScores}, {bonus, &s.Bonus}, {narr, &s.Narrative}} {
		if err := fromJSON(c.text, c.dst); err != nil {
			return nil, err
		}
	}
	var err error
	if s.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if s.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, err
	}
	return &s, nil
}
