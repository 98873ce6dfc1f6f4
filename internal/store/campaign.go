package store

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"lvzhi/internal/workflow"
)

// Campaign is one yearly evaluation round (年度评价). It pins one framework
// version; after OpenedAt is set that pin can no longer change and the
// framework version itself becomes immutable.
type Campaign struct {
	ID               int64
	Year             int
	Name             string
	FrameworkID      string
	FrameworkVersion string
	// Participants are the county codes taking part, sorted.
	Participants []string
	// CityReview says whether the campaign has a city review stage.
	CityReview bool
	Stage      workflow.Stage
	// Deadlines maps a stage to the moment it ends.
	Deadlines map[workflow.Stage]time.Time
	// ObjectionOpens and ObjectionCloses bound the objection window after
	// provisional results; nil when not set.
	ObjectionOpens, ObjectionCloses *time.Time
	// Sample is the recorded on-site check sample, nil before drawing.
	Sample *Sample
	// CarriedFrom is the previous campaign whose open problems this one
	// carries over; 0 for none.
	CarriedFrom int64
	// OpenedAt is when the campaign was opened; nil while it is being
	// prepared.
	OpenedAt  *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
	// Version is the optimistic-locking counter.
	Version int64
}

// Sample is a reproducible draw of counties for on-site checks.
type Sample struct {
	Seed    int64        `json:"seed"`
	Picks   []SamplePick `json:"picks"`
	DrawnAt time.Time    `json:"drawn_at"`
	DrawnBy string       `json:"drawn_by"`
}

// SamplePick is one drawn county with why it was picked.
type SamplePick struct {
	County  string   `json:"county"`
	Reasons []string `json:"reasons,omitempty"`
}

func (c *Campaign) what() string {
	if c.Name != "" {
		return fmt.Sprintf("年度评价 #%d（%d %s）", c.ID, c.Year, c.Name)
	}
	return fmt.Sprintf("年度评价 #%d", c.ID)
}

func (c *Campaign) validate() error {
	if c.Year < 2000 || c.Year > 2200 {
		return invalid("年度评价的年份 %d 无效", c.Year)
	}
	if c.Name == "" {
		return invalid("年度评价必须有名称")
	}
	if c.FrameworkID == "" || c.FrameworkVersion == "" {
		return invalid("年度评价必须指定指标体系及其版本")
	}
	if !c.Stage.Valid() {
		return invalid("年度评价的阶段 %q 无效", c.Stage)
	}
	for s := range c.Deadlines {
		if !s.Valid() {
			return invalid("截止时间中的阶段 %q 无效", s)
		}
	}
	return nil
}

// campaignAudit is the campaign as the audit log shows it.
type campaignAudit struct {
	Year            int                          `json:"year"`
	Name            string                       `json:"name"`
	Framework       string                       `json:"framework"`
	Participants    []string                     `json:"participants"`
	CityReview      bool                         `json:"city_review"`
	Stage           workflow.Stage               `json:"stage"`
	Deadlines       map[workflow.Stage]time.Time `json:"deadlines"`
	ObjectionOpens  *time.Time                   `json:"objection_opens"`
	ObjectionCloses *time.Time                   `json:"objection_closes"`
	Sample          *Sample                      `json:"sample"`
	CarriedFrom     int64                        `json:"carried_from"`
	OpenedAt        *time.Time                   `json:"opened_at"`
}

func (c *Campaign) audit() campaignAudit {
	return campaignAudit{c.Year, c.Name, c.FrameworkID + "@" + c.FrameworkVersion, c.Participants, c.CityReview,
		c.Stage, c.Deadlines, c.ObjectionOpens, c.ObjectionCloses, c.Sample, c.CarriedFrom, c.OpenedAt}
}

// normalize sorts and deduplicates the participants and puts times in UTC.
func (c *Campaign) normalize() {
	p := slices.Clone(c.Participants)
	sort.Strings(p)
	c.Participants = slices.Compact(p)
	for s, t := range c.Deadlines {
		c.Deadlines[s] = t.UTC().Truncate(time.Microsecond)
	}
	for _, t := range []*time.Time{c.ObjectionOpens, c.ObjectionCloses, c.OpenedAt} {
		if t != nil {
			*t = t.UTC().Truncate(time.Microsecond)
		}
	}
}

// CreateCampaign stores a new campaign with its participants and sets c.ID,
// c.Version and the times. A taken (Year, Name) is a *ConflictError; an
// unknown framework version or county matches eval.ErrInvalid.
func (tx *Tx) CreateCampaign(c *Campaign) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if err := c.validate(); err != nil {
		return err
	}
	c.normalize()
	if _, err := tx.FindFramework(c.FrameworkID, c.FrameworkVersion); err != nil {
		return err
	}
	cols, err := c.columns()
	if err != nil {
		return err
	}
	c.CreatedAt, c.UpdatedAt, c.Version = tx.now, tx.now, 1
	id, err := tx.insertID(`INSERT INTO campaigns (year, name, framework_id, framework_version, city_review, stage, deadlines,
		objection_opens, objection_closes, sample, carried_from, opened_at, created_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
		append(cols, formatTime(tx.now), formatTime(tx.now))...)
	if err != nil {
		return tx.campaignWriteError(c, err)
	}
	c.ID = id
	if err := tx.addParticipants(c, c.Participants); err != nil {
		return err
	}
	return tx.record("campaign", auditID(id), "create", nil, c.audit())
}

// columns are the values of the editable columns, in the order of the
// INSERT and UPDATE statements.
func (c *Campaign) columns() ([]any, error) {
	deadlines, err := jsonText(c.Deadlines, "{}")
	if err != nil {
		return nil, err
	}
	sample := ""
	if c.Sample != nil {
		if sample, err = jsonText(c.Sample, ""); err != nil {
			return nil, err
		}
	}
	var carried any
	if c.CarriedFrom != 0 {
		carried = c.CarriedFrom
	}
	return []any{c.Year, c.Name, c.FrameworkID, c.FrameworkVersion, c.CityReview, string(c.Stage), deadlines,
		nullTime(c.ObjectionOpens), nullTime(c.ObjectionCloses), sample, carried, nullTime(c.OpenedAt)}, nil
}

func (tx *Tx) addParticipants(c *Campaign, counties []string) error {
	for _, county := range counties {
		_, err := tx.exec("INSERT INTO campaign_participants (campaign_id, county) VALUES (?, ?)", c.ID, county)
		if err != nil {
			if isForeignKey(err) {
				return invalid("%s 的参评县 %s 不存在", c.what(), county)
			}
			return fmt.Errorf("store: add participant %s: %w", county, err)
		}
	}
	return nil
}

func (tx *Tx) campaignWriteError(c *Campaign, err error) error {
	switch {
	case isUnique(err):
		return duplicateError[Campaign](fmt.Sprintf("%d 年度的年度评价“%s”", c.Year, c.Name), nil)
	case isForeignKey(err):
		return invalid("%s 引用的指标体系或上年评价不存在", c.what())
	case errors.Is(err, errImmutable):
		return fmt.Errorf("store: %s 已开始，不能更换指标体系版本: %w", c.what(), err)
	}
	return fmt.Errorf("store: save campaign %d: %w", c.ID, err)
}

// UpdateCampaign saves every field of c (stage, deadlines, participants,
// sample, …) if c.Version is still the stored version, then increments
// c.Version. A stale version is a *ConflictError carrying the current
// *Campaign. Changing the framework pin of an opened campaign matches
// eval.ErrForbidden; removing a participant that has a submission matches
// eval.ErrInvalid.
func (tx *Tx) UpdateCampaign(c *Campaign) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if err := c.validate(); err != nil {
		return err
	}
	c.normalize()
	old, err := tx.FindCampaignByID(c.ID)
	if err != nil {
		return err
	}
	if old.Version != c.Version {
		return staleError(old.what(), c.Version, old.Version, old)
	}
	cols, err := c.columns()
	if err != nil {
		return err
	}
	res, err := tx.exec(`UPDATE campaigns SET year = ?, name = ?, framework_id = ?, framework_version = ?, city_review = ?, stage = ?,
		deadlines = ?, objection_opens = ?, objection_closes = ?, sample = ?, carried_from = ?, opened_at = ?,
		updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		append(cols, formatTime(tx.now), c.ID, c.Version)...)
	if err != nil {
		return tx.campaignWriteError(c, err)
	}
	if err := tx.checkUpdated(res, func() error {
		cur, err := tx.FindCampaignByID(c.ID)
		if err != nil {
			return err
		}
		return staleError(cur.what(), c.Version, cur.Version, cur)
	}); err != nil {
		return err
	}
	var added, removed []string
	for _, p := range c.Participants {
		if !slices.Contains(old.Participants, p) {
			added = append(added, p)
		}
	}
	for _, p := range old.Participants {
		if !slices.Contains(c.Participants, p) {
			removed = append(removed, p)
		}
	}
	for _, county := range removed {
		if _, err := tx.exec("DELETE FROM campaign_participants WHERE campaign_id = ? AND county = ?", c.ID, county); err != nil {
			if isForeignKey(err) {
				return invalid("%s 的参评县 %s 已有提交材料，不能移出", c.what(), county)
			}
			return fmt.Errorf("store: remove participant %s: %w", county, err)
		}
	}
	if err := tx.addParticipants(c, added); err != nil {
		return err
	}
	c.Version++
	c.UpdatedAt = tx.now
	return tx.record("campaign", auditID(c.ID), "update", old.audit(), c.audit())
}

const campaignColumns = `id, year, name, framework_id, framework_version, city_review, stage, deadlines,
	objection_opens, objection_closes, sample, carried_from, opened_at, created_at, updated_at, version`

// FindCampaignByID returns the campaign with its participants, or an error
// matching eval.ErrNotFound.
func (tx *Tx) FindCampaignByID(id int64) (*Campaign, error) {
	c, err := scanCampaign(tx.queryRow("SELECT "+campaignColumns+" FROM campaigns WHERE id = ?", id))
	if err != nil {
		return nil, rowErr(err, fmt.Sprintf("find campaign %d", id), fmt.Sprintf("年度评价 #%d", id))
	}
	if err := tx.loadParticipants([]*Campaign{c}); err != nil {
		return nil, err
	}
	return c, nil
}

// CampaignFilter selects campaigns. Nil fields select everything.
type CampaignFilter struct {
	Year *int
	// County selects the campaigns the county takes part in.
	County *string
}

// FindCampaigns lists campaigns with their participants, newest year first,
// then by id.
func (tx *Tx) FindCampaigns(f CampaignFilter) ([]*Campaign, error) {
	q := "SELECT " + campaignColumns + " FROM campaigns WHERE 1 = 1"
	var args []any
	if f.Year != nil {
		q += " AND year = ?"
		args = append(args, *f.Year)
	}
	if f.County != nil {
		q += " AND id IN (SELECT campaign_id FROM campaign_participants WHERE county = ?)"
		args = append(args, *f.County)
	}
	rows, err := tx.query(q+" ORDER BY year DESC, id", args...)
	if err != nil {
		return nil, fmt.Errorf("store: find campaigns: %w", err)
	}
	var out []*Campaign
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: find campaigns: %w", err)
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: find campaigns: %w", tx.d.mapError(err))
	}
	if err := tx.loadParticipants(out); err != nil {
		return nil, err
	}
	return out, nil
}

func (tx *Tx) loadParticipants(cs []*Campaign) error {
	for _, c := range cs {
		rows, err := tx.query("SELECT county FROM campaign_participants WHERE campaign_id = ? ORDER BY county", c.ID)
		if err != nil {
			return fmt.Errorf("store: load participants: %w", err)
		}
		c.Participants = []string{}
		for rows.Next() {
			var county string
			if err := rows.Scan(&county); err != nil {
				rows.Close()
				return fmt.Errorf("store: load participants: %w", err)
			}
			c.Participants = append(c.Participants, county)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: load participants: %w", tx.d.mapError(err))
		}
	}
	return nil
}

func scanCampaign(row scanner) (*Campaign, error) {
	var (
		c                           Campaign
		stage, deadlines, sample    string
		objOpens, objCloses, opened sql.NullString
		carried                     sql.NullInt64
		created, updated            string
	)
	if err := row.Scan(&c.ID, &c.Year, &c.Name, &c.FrameworkID, &c.FrameworkVersion, &c.CityReview, &stage, &deadlines,
		&objOpens, &objCloses, &sample, &carried, &opened, &created, &updated, &c.Version); err != nil {
		return nil, err
	}
	c.Stage = workflow.Stage(stage)
	c.CarriedFrom = carried.Int64
	c.Deadlines = map[workflow.Stage]time.Time{}
	if err := fromJSON(deadlines, &c.Deadlines); err != nil {
		return nil, err
	}
	if sample != "" {
		c.Sample = &Sample{}
		if err := fromJSON(sample, c.Sample); err != nil {
			return nil, err
		}
	}
	var err error
	if c.ObjectionOpens, err = scanNullTime(objOpens); err != nil {
		return nil, err
	}
	if c.ObjectionCloses, err = scanNullTime(objCloses); err != nil {
		return nil, err
	}
	if c.OpenedAt, err = scanNullTime(opened); err != nil {
		return nil, err
	}
	if c.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if c.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, err
	}
	return &c, nil
}
