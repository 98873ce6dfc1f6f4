package app

import (
	"context"
	"fmt"

	"lvzhi/internal/eval"
	"lvzhi/internal/region"
	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

var storeLevels = map[region.Level]store.RegionLevel{
	region.LevelProvince: store.LevelProvince,
	region.LevelCity:     store.LevelCity,
	region.LevelCounty:   store.LevelCounty,
}

func toStoreRegions(rows []region.Region) []store.Region {
	out := make([]store.Region, len(rows))
	for i, r := range rows {
		out[i] = store.Region{Code: r.Code, Name: r.Name, Level: storeLevels[r.Level()], Parent: r.Parent}
	}
	return out
}

// regions loads every stored region as a set.
func regions(tx *store.Tx) (*region.Set, error) {
	rows, err := tx.FindRegions(store.RegionFilter{})
	if err != nil {
		return nil, err
	}
	out := make([]region.Region, len(rows))
	for i, r := range rows {
		out[i] = region.Region{Code: r.Code, Name: r.Name, Parent: r.Parent}
	}
	return region.NewSet(out...), nil
}

// Regions returns the stored regions.
func Regions(ctx context.Context, db *store.DB) (*region.Set, error) {
	var set *region.Set
	err := db.View(ctx, func(tx *store.Tx) error {
		var err error
		set, err = regions(tx)
		return err
	})
	return set, err
}

// SeedRegions loads the built-in list of China's divisions (region.China)
// when the database has no regions yet, and returns how many it stored (0
// when there were regions already).
func SeedRegions(ctx context.Context, db *store.DB) (int, error) {
	n := 0
	err := db.Tx(store.WithActor(ctx, System), func(tx *store.Tx) error {
		have, err := tx.FindRegions(store.RegionFilter{})
		if err != nil || len(have) > 0 {
			return err
		}
		n, err = tx.ImportRegions(toStoreRegions(region.China().All()))
		return err
	})
	return n, err
}

// ImportRegions reads a region file (see region.Parse) against the stored
// regions and stores its rows in one transaction, returning how many were
// new or changed. Only a province admin may import, and only regions inside
// their province.
func ImportRegions(ctx context.Context, db *store.DB, a workflow.Actor, file string, src []byte) (int, error) {
	if a.Role != workflow.RoleProvinceAdmin {
		return 0, fmt.Errorf("只有省级管理员可以导入行政区划，%s不能: %w", a.Role.Label(), eval.ErrForbidden)
	}
	n := 0
	err := db.Tx(as(ctx, a), func(tx *store.Tx) error {
		set, err := regions(tx)
		if err != nil {
			return err
		}
		rows, err := region.Parse(file, src, set)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := workflow.CheckScope(a, r.Code); err != nil {
				return err
			}
		}
		n, err = tx.ImportRegions(toStoreRegions(rows))
		return err
	})
	return n, err
}
