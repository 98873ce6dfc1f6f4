package app

import (
	"context"
	"errors"
	"fmt"

	"lvzhi/internal/auth"
	"lvzhi/internal/eval"
	"lvzhi/internal/region"
	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

// NewUser is a user to add.
type NewUser struct {
	Name, DisplayName string
	Role              workflow.Role
	Region            string // any written form: "33", "330000"
	Password          string
}

// PasswordParams are the argon2id costs AddUser hashes with; tests lower
// them.
var PasswordParams = auth.DefaultParams

// AddUser adds a user with an argon2id password hash. The first user of an
// empty database needs no actor (by is nil) and must be a province admin;
// after that only a province admin may add users, and only inside their
// province. The user's region must suit the role (workflow.CheckUserScope).
func AddUser(ctx context.Context, db *store.DB, by *workflow.Actor, nu NewUser) (*store.User, error) {
	code, err := region.Normalize(nu.Region)
	if err != nil {
		return nil, err
	}
	hash, err := auth.HashPassword(nu.Password, PasswordParams)
	if err != nil {
		return nil, err
	}
	actor := System
	if by != nil {
		actor = by.Name
	}
	u := &store.User{Name: nu.Name, DisplayName: nu.DisplayName, Role: nu.Role, Region: code, PasswordHash: hash}
	err = db.Tx(store.WithActor(ctx, actor), func(tx *store.Tx) error {
		set, err := regions(tx)
		if err != nil {
			return err
		}
		if _, ok := set.Get(code); !ok {
			return fmt.Errorf("行政区划 %s 不存在（先运行 lvzhi migrate 或 region import）: %w", code, eval.ErrInvalid)
		}
		unit := false
		for _, r := range set.Units(code) {
			unit = unit || r.Code == code
		}
		if err := workflow.CheckUserScope(nu.Role, code, unit); err != nil {
			return err
		}
		if by == nil {
			users, err := tx.FindUsers(store.UserFilter{})
			if err != nil {
				return err
			}
			if len(users) > 0 {
				return fmt.Errorf("已有用户，添加用户须用 --as 指明一位省级管理员: %w", eval.ErrForbidden)
			}
			if nu.Role != workflow.RoleProvinceAdmin {
				return fmt.Errorf("第一位用户必须是省级管理员（province_admin）: %w", eval.ErrInvalid)
			}
		} else {
			if by.Role != workflow.RoleProvinceAdmin {
				return fmt.Errorf("只有省级管理员可以添加用户，%s不能: %w", by.Role.Label(), eval.ErrForbidden)
			}
			if err := workflow.CheckScope(*by, code); err != nil {
				return err
			}
		}
		return tx.CreateUser(u)
	})
	if err != nil {
		var ce *store.ConflictError
		if errors.As(err, &ce) {
			return nil, fmt.Errorf("用户 %s 已存在: %w", nu.Name, err)
		}
		return nil, err
	}
	return u, nil
}

// Users lists the users inside actor's scope.
func Users(ctx context.Context, db *store.DB, a workflow.Actor) ([]*store.User, error) {
	var out []*store.User
	err := db.View(ctx, func(tx *store.Tx) error {
		all, err := tx.FindUsers(store.UserFilter{})
		if err != nil {
			return err
		}
		for _, u := range all {
			if region.Contains(a.Region, u.Region) {
				out = append(out, u)
			}
		}
		return nil
	})
	return out, err
}
