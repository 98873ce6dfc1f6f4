package store

import (
	"fmt"
	"time"

	"lvzhi/internal/workflow"
)

// User is a person who signs in. Region is the code of the region subtree
// the user is scoped to (a province admin's province, a reviewer's city, a
// county filler's county). PasswordHash is an encoded argon2id hash (package
// auth); the store never sees a password.
type User struct {
	ID           int64
	Name         string // login name, unique
	DisplayName  string
	Role         workflow.Role
	Region       string
	PasswordHash string
	Disabled     bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// Version is the optimistic-locking counter: UpdateUser saves only if
	// it still matches the stored row.
	Version int64
}

// userAudit is what the audit log keeps of a user: never the hash itself.
type userAudit struct {
	Name        string        `json:"name"`
	DisplayName string        `json:"display_name"`
	Role        workflow.Role `json:"role"`
	Region      string        `json:"region"`
	Disabled    bool          `json:"disabled"`
	// PasswordHashSHA256 changes when the password changes, without
	// putting the hash in the log.
	PasswordFingerprint string `json:"password_fingerprint"`
}

func (u *User) audit() userAudit {
	return userAudit{u.Name, u.DisplayName, u.Role, u.Region, u.Disabled, fingerprint(u.PasswordHash)}
}

func (u *User) validate() error {
	if u.Name == "" {
		return invalid("用户名不能为空")
	}
	if !u.Role.Valid() {
		return invalid("用户 %s 的角色 %q 无效", u.Name, u.Role)
	}
	if u.Region == "" {
		return invalid("用户 %s 必须有所属行政区划", u.Name)
	}
	if u.PasswordHash == "" {
		return invalid("用户 %s 没有密码", u.Name)
	}
	return nil
}

// CreateUser stores a new user and sets u.ID, u.Version and the times. A
// taken name is a *ConflictError; an unknown region matches eval.ErrInvalid.
func (tx *Tx) CreateUser(u *User) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if err := u.validate(); err != nil {
		return err
	}
	u.CreatedAt, u.UpdatedAt, u.Version = tx.now, tx.now, 1
	id, err := tx.insertID(`INSERT INTO users (name, display_name, role, region, password_hash, disabled, created_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)`,
		u.Name, u.DisplayName, string(u.Role), u.Region, u.PasswordHash, u.Disabled, formatTime(tx.now), formatTime(tx.now))
	if err != nil {
		return tx.userWriteError(u, err)
	}
	u.ID = id
	return tx.record("user", auditID(id), "create", nil, u.audit())
}

func (tx *Tx) userWriteError(u *User, err error) error {
	switch {
	case isUnique(err):
		cur, _ := tx.FindUserByName(u.Name)
		if cur != nil {
			cur.PasswordHash = ""
		}
		return duplicateError("用户 "+u.Name, cur)
	case isForeignKey(err):
		return invalid("用户 %s 的行政区划 %s 不存在", u.Name, u.Region)
	}
	return fmt.Errorf("store: save user %s: %w", u.Name, err)
}

// UpdateUser saves u if u.Version is still the stored version, then
// increments u.Version. A stale version is a *ConflictError carrying the
// current *User.
func (tx *Tx) UpdateUser(u *User) error {
	if err := tx.writable(); err != nil {
		return err
	}
	if err := u.validate(); err != nil {
		return err
	}
	old, err := tx.FindUserByID(u.ID)
	if err != nil {
		return err
	}
	if old.Version != u.Version {
		return staleError(fmt.Sprintf("用户 %s", old.Name), u.Version, old.Version, old)
	}
	res, err := tx.exec(`UPDATE users SET name = ?, display_name = ?, role = ?, region = ?, password_hash = ?, disabled = ?,
		updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		u.Name, u.DisplayName, string(u.Role), u.Region, u.PasswordHash, u.Disabled, formatTime(tx.now), u.ID, u.Version)
	if err != nil {
		return tx.userWriteError(u, err)
	}
	if err := tx.checkUpdated(res, func() error {
		cur, err := tx.FindUserByID(u.ID)
		if err != nil {
			return err
		}
		return staleError("用户 "+cur.Name, u.Version, cur.Version, cur)
	}); err != nil {
		return err
	}
	u.Version++
	u.UpdatedAt = tx.now
	return tx.record("user", auditID(u.ID), "update", old.audit(), u.audit())
}

const userColumns = "id, name, display_name, role, region, password_hash, disabled, created_at, updated_at, version"

// FindUserByID returns the user, or an error matching eval.ErrNotFound.
func (tx *Tx) FindUserByID(id int64) (*User, error) {
	u, err := scanUser(tx.queryRow("SELECT "+userColumns+" FROM users WHERE id = ?", id))
	if err != nil {
		return nil, rowErr(err, fmt.Sprintf("find user %d", id), fmt.Sprintf("用户 #%d", id))
	}
	return u, nil
}

// FindUserByName returns the user with the login name, or an error matching
// eval.ErrNotFound.
func (tx *Tx) FindUserByName(name string) (*User, error) {
	u, err := scanUser(tx.queryRow("SELECT "+userColumns+" FROM users WHERE name = ?", name))
	if err != nil {
		return nil, rowErr(err, "find user "+name, "用户 "+name)
	}
	return u, nil
}

// UserFilter selects users. Nil fields select everything.
type UserFilter struct {
	Role   *workflow.Role
	Region *string // exactly this scope region
}

// FindUsers lists users ordered by name.
func (tx *Tx) FindUsers(f UserFilter) ([]*User, error) {
	q := "SELECT " + userColumns + " FROM users WHERE 1 = 1"
	var args []any
	if f.Role != nil {
		q += " AND role = ?"
		args = append(args, string(*f.Role))
	}
	if f.Region != nil {
		q += " AND region = ?"
		args = append(args, *f.Region)
	}
	return queryAll(tx, "find users", scanUser, q+" ORDER BY name", args...)
}

func scanUser(row scanner) (*User, error) {
	var (
		u                User
		role             string
		created, updated string
	)
	if err := row.Scan(&u.ID, &u.Name, &u.DisplayName, &role, &u.Region, &u.PasswordHash, &u.Disabled, &created, &updated, &u.Version); err != nil {
		return nil, err
	}
	u.Role = workflow.Role(role)
	var err error
	if u.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if u.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, err
	}
	return &u, nil
}
