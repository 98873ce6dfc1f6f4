package store

import (
	"database/sql"
	"fmt"
	"sort"
)

// RegionLevel is the tier of an administrative division.
type RegionLevel string

// The region levels, from the top.
const (
	LevelProvince RegionLevel = "province"
	LevelCity     RegionLevel = "city"
	LevelCounty   RegionLevel = "county"
)

func (l RegionLevel) rank() int {
	switch l {
	case LevelProvince:
		return 0
	case LevelCity:
		return 1
	case LevelCounty:
		return 2
	}
	return -1
}

// Region is an administrative division with its GB/T 2260 code. Parent is
// "" for a province.
type Region struct {
	Code   string
	Name   string
	Level  RegionLevel
	Parent string
}

// ImportRegions inserts the regions that are new and updates those whose
// name, level or parent changed, in this one transaction, and returns how
// many rows it inserted or changed. Parents may come in any order in the
// list, but each must be in the list or already stored. Each change is
// audited.
func (tx *Tx) ImportRegions(regions []Region) (int, error) {
	if err := tx.writable(); err != nil {
		return 0, err
	}
	sorted := make([]Region, len(regions))
	copy(sorted, regions)
	for _, r := range sorted {
		if r.Code == "" || r.Name == "" || r.Level.rank() < 0 {
			return 0, invalid("行政区划 %q（%s）不完整或级别 %q 无效", r.Code, r.Name, r.Level)
		}
	}
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Level.rank() < sorted[j].Level.rank() })

	existing := map[string]Region{}
	all, err := tx.FindRegions(RegionFilter{})
	if err != nil {
		return 0, err
	}
	for _, r := range all {
		existing[r.Code] = r
	}
	changed := 0
	for _, r := range sorted {
		old, had := existing[r.Code]
		if had && old == r {
			continue
		}
		if had {
			if _, err := tx.exec("UPDATE regions SET name = ?, level = ?, parent = ? WHERE code = ?",
				r.Name, string(r.Level), nullString(r.Parent), r.Code); err != nil {
				return 0, regionWriteError(r, err)
			}
			if err := tx.record("region", r.Code, "update", old, r); err != nil {
				return 0, err
			}
		} else {
			if _, err := tx.exec("INSERT INTO regions (code, name, level, parent) VALUES (?, ?, ?, ?)",
				r.Code, r.Name, string(r.Level), nullString(r.Parent)); err != nil {
				return 0, regionWriteError(r, err)
			}
			if err := tx.record("region", r.Code, "create", nil, r); err != nil {
				return 0, err
			}
		}
		existing[r.Code] = r
		changed++
	}
	return changed, nil
}

func regionWriteError(r Region, err error) error {
	if isForeignKey(err) {
		return invalid("行政区划 %s %s 的上级 %s 不存在", r.Code, r.Name, r.Parent)
	}
	if isUnique(err) {
		return duplicateError[Region]("行政区划 "+r.Code, nil)
	}
	return fmt.Errorf("store: save region %s: %w", r.Code, err)
}

// FindRegion returns the region with the code, or an error matching
// eval.ErrNotFound.
func (tx *Tx) FindRegion(code string) (Region, error) {
	row := tx.queryRow("SELECT code, name, level, parent FROM regions WHERE code = ?", code)
	r, err := scanRegion(row)
	if err != nil {
		return Region{}, rowErr(err, "find region "+code, "行政区划 "+code)
	}
	return r, nil
}

// RegionFilter selects regions. Nil fields select everything.
type RegionFilter struct {
	Parent *string
	Level  *RegionLevel
}

// FindRegions lists regions ordered by code.
func (tx *Tx) FindRegions(f RegionFilter) ([]Region, error) {
	q := "SELECT code, name, level, parent FROM regions WHERE 1 = 1"
	var args []any
	if f.Parent != nil {
		q += " AND parent = ?"
		args = append(args, *f.Parent)
	}
	if f.Level != nil {
		q += " AND level = ?"
		args = append(args, string(*f.Level))
	}
	rows, err := tx.query(q+" ORDER BY code", args...)
	if err != nil {
		return nil, fmt.Errorf("store: find regions: %w", err)
	}
	defer rows.Close()
	var out []Region
	for rows.Next() {
		r, err := scanRegion(rows)
		if err != nil {
			return nil, fmt.Errorf("store: find regions: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: find regions: %w", tx.d.mapError(err))
	}
	return out, nil
}

// RegionPath returns the chain from the province down to the region itself
// (for example 浙江省, 湖州市, 吴兴区), for scope checks: a user scoped to X
// may act on a region whose path contains X.
func (tx *Tx) RegionPath(code string) ([]Region, error) {
	var path []Region
	for c := code; c != ""; {
		r, err := tx.FindRegion(c)
		if err != nil {
			return nil, err
		}
		path = append(path, r)
		if len(path) > 8 {
			return nil, fmt.Errorf("store: region %s: parent chain too long", code)
		}
		c = r.Parent
	}
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	return path, nil
}

func scanRegion(row scanner) (Region, error) {
	var (
		r      Region
		level  string
		parent sql.NullString
	)
	if err := row.Scan(&r.Code, &r.Name, &level, &parent); err != nil {
		return Region{}, err
	}
	r.Level = RegionLevel(level)
	r.Parent = parent.String
	return r, nil
}

// nullString writes "" as NULL.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
