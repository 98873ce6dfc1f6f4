package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"lvzhi/internal/framework"
)

// Result is one county's published outcome in a campaign.
type Result struct {
	County string `json:"county"`
	// Total is the final score; SelfTotal the county's own.
	Total     framework.Points `json:"total"`
	SelfTotal framework.Points `json:"self_total"`
	Grade     string           `json:"grade"`
	// Downgrades are the reasons the grade was lowered, in Chinese.
	Downgrades   []string `json:"downgrades"`
	ProvinceRank int      `json:"province_rank"`
	CityRank     int      `json:"city_rank"`
	// Credibility of the self-assessment, exact to 1e-4 (the app's formula,
	// docs/design.md).
	Credibility framework.Decimal `json:"credibility"`
	// PointScores are the final scores per point.
	PointScores map[string]framework.Points `json:"point_scores"`
}

// ResultSnapshot is the frozen, published result set of one campaign.
type ResultSnapshot struct {
	CampaignID  int64
	Counties    int
	SHA256      string // of the canonical JSON of Results, sorted by county
	PublishedAt time.Time
	PublishedBy string
	Results     []Result // sorted by county
}

// ErrTampered means stored published results no longer match the checksum
// written when they were published.
var ErrTampered = errors.New("已公布的结果与公布时的校验值不符，数据可能被改动")

// resultsChecksum is the SHA-256 of the results' canonical JSON.
func resultsChecksum(results []Result) (string, error) {
	b, err := json.Marshal(results)
	if err != nil {
		return "", fmt.Errorf("store: encode results: %w", err)
	}
	return sha256Hex(b), nil
}

// PublishResults freezes the results of a campaign: it writes every row and
// then the snapshot, in this transaction. A campaign publishes once: a
// second call is a *ConflictError carrying the stored *ResultSnapshot, and
// the database refuses any later insert, update or delete of those rows
// (an error matching eval.ErrForbidden).
func (tx *Tx) PublishResults(campaignID int64, results []Result) (*ResultSnapshot, error) {
	if err := tx.writable(); err != nil {
		return nil, err
	}
	if len(results) == 0 {
		return nil, invalid("没有可公布的结果")
	}
	if cur, err := tx.FindResults(campaignID); err == nil {
		return nil, duplicateError(fmt.Sprintf("年度评价 #%d 的公布结果", campaignID), cur)
	}
	if _, err := tx.FindCampaignByID(campaignID); err != nil {
		return nil, err
	}
	sorted := normalizeResults(results)
	sum, err := resultsChecksum(sorted)
	if err != nil {
		return nil, err
	}
	for _, r := range sorted {
		downgrades, err := jsonText(r.Downgrades, "[]")
		if err != nil {
			return nil, err
		}
		points, err := jsonText(r.PointScores, "{}")
		if err != nil {
			return nil, err
		}
		_, err = tx.exec(`INSERT INTO results (campaign_id, county, total, self_total, grade, downgrades, province_rank, city_rank,
			credibility, point_scores) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			campaignID, r.County, int64(r.Total), int64(r.SelfTotal), r.Grade, downgrades, r.ProvinceRank, r.CityRank,
			int64(r.Credibility), points)
		if err != nil {
			switch {
			case isUnique(err):
				return nil, invalid("结果中 %s 出现了两次", r.County)
			case isForeignKey(err):
				return nil, invalid("结果中的县 %s 不存在", r.County)
			}
			return nil, fmt.Errorf("store: publish result %s: %w", r.County, err)
		}
	}
	snap := &ResultSnapshot{CampaignID: campaignID, Counties: len(sorted), SHA256: sum,
		PublishedAt: tx.now, PublishedBy: tx.actor, Results: sorted}
	_, err = tx.exec(`INSERT INTO result_snapshots (campaign_id, counties, sha256, published_at, published_by) VALUES (?, ?, ?, ?, ?)`,
		campaignID, len(sorted), sum, formatTime(tx.now), tx.actor)
	if err != nil {
		return nil, fmt.Errorf("store: publish results of campaign %d: %w", campaignID, err)
	}
	err = tx.record("results", auditID(campaignID), "publish", nil, map[string]any{"counties": len(sorted), "sha256": sum})
	return snap, err
}

// normalizeResults sorts a copy by county and gives nil lists and maps
// their empty values, so that the checksum reads back identical.
func normalizeResults(results []Result) []Result {
	out := make([]Result, len(results))
	copy(out, results)
	for i := range out {
		if out[i].Downgrades == nil {
			out[i].Downgrades = []string{}
		}
		if out[i].PointScores == nil {
			out[i].PointScores = map[string]framework.Points{}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].County < out[j].County })
	return out
}

// FindResults returns the published snapshot of a campaign, or an error
// matching eval.ErrNotFound when it has not been published. It checks the
// rows against the snapshot's count and checksum and returns an error
// matching ErrTampered if they differ.
func (tx *Tx) FindResults(campaignID int64) (*ResultSnapshot, error) {
	snap := &ResultSnapshot{CampaignID: campaignID}
	var at string
	err := tx.queryRow("SELECT counties, sha256, published_at, published_by FROM result_snapshots WHERE campaign_id = ?", campaignID).
		Scan(&snap.Counties, &snap.SHA256, &at, &snap.PublishedBy)
	if err != nil {
		return nil, rowErr(err, fmt.Sprintf("find results %d", campaignID), fmt.Sprintf("年度评价 #%d 的公布结果", campaignID))
	}
	if snap.PublishedAt, err = parseTime(at); err != nil {
		return nil, err
	}
	rows, err := tx.query(`SELECT county, total, self_total, grade, downgrades, province_rank, city_rank, credibility, point_scores
		FROM results WHERE campaign_id = ? ORDER BY county`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("store: find results %d: %w", campaignID, err)
	}
	defer rows.Close()
	snap.Results = []Result{}
	for rows.Next() {
		var (
			r                  Result
			total, self, cred  int64
			downgrades, points string
		)
		if err := rows.Scan(&r.County, &total, &self, &r.Grade, &downgrades, &r.ProvinceRank, &r.CityRank, &cred, &points); err != nil {
			return nil, fmt.Errorf("store: find results %d: %w", campaignID, err)
		}
		r.Total, r.SelfTotal, r.Credibility = framework.Points(total), framework.Points(self), framework.Decimal(cred)
		r.Downgrades, r.PointScores = []string{}, map[string]framework.Points{}
		if err := fromJSON(downgrades, &r.Downgrades); err != nil {
			return nil, err
		}
		if err := fromJSON(points, &r.PointScores); err != nil {
			return nil, err
		}
		snap.Results = append(snap.Results, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: find results %d: %w", campaignID, tx.d.mapError(err))
	}
	sum, err := resultsChecksum(snap.Results)
	if err != nil {
		return nil, err
	}
	if len(snap.Results) != snap.Counties || sum != snap.SHA256 {
		return nil, fmt.Errorf("store: 年度评价 #%d: %w", campaignID, ErrTampered)
	}
	return snap, nil
}
