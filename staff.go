package herald

import (
	"strings"
	"time"
)

// Role is what a member of staff, or an API token, may do. Roles are
// ordered: an editor can do everything a writer can, an admin everything.
type Role string

// Roles.
const (
	RoleWriter Role = "writer" // drafts stories
	RoleEditor Role = "editor" // publishes stories, composes and sends editions, manages subscribers
	RoleAdmin  Role = "admin"  // manages staff, API tokens and settings
)

// Roles lists the roles from least to most trusted.
var Roles = []Role{RoleWriter, RoleEditor, RoleAdmin}

// ParseRole parses a role name, case-insensitively.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if r.rank() == 0 {
		return "", Errorf(EINVALID, "Unknown role %q: use writer, editor or admin.", s)
	}
	return r, nil
}

func (r Role) rank() int {
	switch r {
	case RoleWriter:
		return 1
	case RoleEditor:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.rank() > 0 }

// AtLeast reports whether r holds every power of other.
func (r Role) AtLeast(other Role) bool { return r.rank() >= other.rank() }

// Permission is one thing staff may be allowed to do. Every admin route and
// API operation names the permission it needs; the server checks it.
type Permission string

// Permissions, each held by the role named beside it and every role above.
const (
	PermRead        Permission = "read"        // writer: see stories, editions and the newsroom's lists
	PermDraft       Permission = "draft"       // writer: create and edit stories that are not live
	PermPublish     Permission = "publish"     // editor: publish, schedule, unpublish, edit live stories, corrections
	PermNewsroom    Permission = "newsroom"    // editor: sections, topics, authors, cities
	PermEditions    Permission = "editions"    // editor: compose editions, send tests
	PermSend        Permission = "send"        // editor: schedule, send, pause, resume, cancel editions
	PermSubscribers Permission = "subscribers" // editor: see, add, import, export and erase subscribers
	PermStaff       Permission = "staff"       // admin: staff accounts and API tokens
	PermSettings    Permission = "settings"    // admin: newsletters, suppressions lifted, site settings
)

var permissionRole = map[Permission]Role{
	PermRead: RoleWriter, PermDraft: RoleWriter,
	PermPublish: RoleEditor, PermNewsroom: RoleEditor, PermEditions: RoleEditor, PermSend: RoleEditor,
	PermSubscribers: RoleEditor,
	PermStaff:       RoleAdmin, PermSettings: RoleAdmin,
}

// Can reports whether role r holds permission p. Unknown roles and
// permissions hold nothing.
func (r Role) Can(p Permission) bool {
	need, ok := permissionRole[p]
	return ok && r.rank() > 0 && r.rank() >= need.rank()
}

// MinRole is the least trusted role that holds p.
func (p Permission) MinRole() Role { return permissionRole[p] }

// User is a member of staff who signs in to the admin.
type User struct {
	ID           int64
	Email        string
	Name         string
	Role         Role
	PasswordHash string // argon2id, PHC string format; never shown
	AuthorID     int64  // the byline this person writes under, if any
	CreatedAt    time.Time
	DisabledAt   time.Time // zero while the account may sign in
}

// Active reports whether the user may sign in.
func (u *User) Active() bool { return u.DisabledAt.IsZero() }

// Session is a signed-in browser. The cookie carries a random secret; the
// database keeps only its SHA-256, so a leaked table signs no one in.
type Session struct {
	ID        int64
	UserID    int64
	User      *User
	CreatedAt time.Time
	LastSeen  time.Time
	ExpiresAt time.Time // absolute: a session never outlives this
	IP        string
	UserAgent string
}

// APIToken lets another tool use the JSON API with a role. The secret is
// shown once when created; the database keeps only its SHA-256.
type APIToken struct {
	ID         int64
	Name       string
	Role       Role
	Prefix     string // the first characters of the secret, to tell tokens apart
	CreatedBy  string
	CreatedAt  time.Time
	LastUsedAt time.Time
	ExpiresAt  time.Time // zero: never
	RevokedAt  time.Time
}

// Usable reports whether the token may be used at now.
func (t *APIToken) Usable(now time.Time) bool {
	return t.RevokedAt.IsZero() && (t.ExpiresAt.IsZero() || now.Before(t.ExpiresAt))
}
