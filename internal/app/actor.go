package app

import (
	"context"
	"errors"
	"fmt"

	"lvzhi/internal/eval"
	"lvzhi/internal/store"
	"lvzhi/internal/workflow"
)

// System is the actor recorded for changes lvzhi makes on its own, such as
// loading the built-in region list.
const System = "system"

// ActorFor returns the workflow actor of the user with login name, refusing
// unknown or disabled users with eval.ErrForbidden.
func ActorFor(ctx context.Context, db *store.DB, name string) (workflow.Actor, error) {
	if name == "" {
		return workflow.Actor{}, fmt.Errorf("请用 --as 或 LVZHI_USER 指明操作用户: %w", eval.ErrForbidden)
	}
	var u *store.User
	err := db.View(ctx, func(tx *store.Tx) error {
		var err error
		u, err = tx.FindUserByName(name)
		return err
	})
	if errors.Is(err, eval.ErrNotFound) {
		return workflow.Actor{}, fmt.Errorf("用户 %s 不存在: %w", name, eval.ErrForbidden)
	}
	if err != nil {
		return workflow.Actor{}, err
	}
	if u.Disabled {
		return workflow.Actor{}, fmt.Errorf("用户 %s 已停用: %w", name, eval.ErrForbidden)
	}
	return workflow.Actor{Name: u.Name, Role: u.Role, Region: u.Region}, nil
}

// as returns ctx recording actor as the author of the changes made with it.
func as(ctx context.Context, a workflow.Actor) context.Context {
	return store.WithActor(ctx, a.Name)
}
