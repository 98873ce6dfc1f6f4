package workflow

import (
	"lvzhi/internal/region"
)

// Actor is the person asking: their user name, role and the region subtree
// they are scoped to (a short GB/T 2260 code: "33" a province, "3305" a
// city, "330502" a county).
type Actor struct {
	Name   string
	Role   Role
	Region string
}

// String names the actor for messages: "省级管理员 admin（33）".
func (a Actor) String() string {
	return a.Role.Label() + " " + a.Name + "（" + a.Region + "）"
}

// CheckScope refuses an actor whose region subtree does not contain code,
// with eval.ErrForbidden. A valid role is required too, so that a user with
// a damaged role can do nothing.
func CheckScope(a Actor, code string) error {
	if !a.Role.Valid() {
		return forbidden("用户 %s 的角色“%s”无效，不能进行任何操作", a.Name, a.Role)
	}
	if !region.Contains(a.Region, code) {
		return forbidden("%s的管辖范围是 %s，不能操作范围外的地区 %s", a.Role.Label(), scopeText(a.Region), code)
	}
	return nil
}

// ScopeLevel is the tier a role's region must be: a province admin is
// scoped to a province, a city reviewer to a city, a county user to a
// county. Experts work for the province.
func ScopeLevel(r Role) region.Level {
	switch r {
	case RoleProvinceAdmin, RoleExpert:
		return region.LevelProvince
	case RoleCityReviewer:
		return region.LevelCity
	case RoleCountyFiller, RoleCountyApprover:
		return region.LevelCounty
	}
	return 0
}

// CheckUserScope checks that a new user's region suits their role (see
// ScopeLevel), with eval.ErrInvalid. unit reports whether code is an
// evaluated county-level unit (region.Set.Units): county users must be
// scoped to one, which may be a city without counties such as 东莞市.
func CheckUserScope(r Role, code string, unit bool) error {
	if !r.Valid() {
		return invalid("角色“%s”无效，应为 province_admin、city_reviewer、expert、county_filler、county_approver 之一", r)
	}
	want := ScopeLevel(r)
	if want == region.LevelCounty {
		if !unit {
			return invalid("%s的管辖地区应为一个县级评价单位，“%s”不是", r.Label(), code)
		}
		return nil
	}
	if region.LevelOf(code) != want {
		return invalid("%s的管辖地区应为%s区划（%d 位代码），“%s”不是", r.Label(), want.Label(), 2*int(want), code)
	}
	return nil
}

func scopeText(code string) string {
	if code == "" {
		return "（无）"
	}
	return code
}
