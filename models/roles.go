package models

// Role is what a signed-in user may do. Roles are ordered: each one may do
// everything the ones before it may.
type Role string

// The roles, from least to most rights. RoleAnonymous is nobody signed in.
const (
	RoleAnonymous Role = ""
	RoleViewer    Role = "viewer"
	RoleAnalyst   Role = "analyst"
	RolePlanner   Role = "planner"
	RoleAdmin     Role = "admin"
)

var roleRank = map[Role]int{RoleAnonymous: 0, RoleViewer: 1, RoleAnalyst: 2, RolePlanner: 3, RoleAdmin: 4}

// Allows reports whether a user with role r may use something that needs need.
func (r Role) Allows(need Role) bool { return roleRank[r] >= roleRank[need] }

// Valid reports whether r names a role a user can have.
func (r Role) Valid() bool { _, ok := roleRank[r]; return ok && r != RoleAnonymous }
