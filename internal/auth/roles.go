package auth

import (
	"slices"
)

// Roles, from most to least powerful. Owners and admins act on every site;
// editors and viewers only on the sites they are assigned.
const (
	Owner  = "owner"
	Admin  = "admin"
	Editor = "editor"
	Viewer = "viewer"
)

// Roles lists the valid roles, most powerful first.
var Roles = []string{Owner, Admin, Editor, Viewer}

// ValidRole reports whether r is one of Roles.
func ValidRole(r string) bool { return slices.Contains(Roles, r) }

// Perm is what a route requires. Route tables write one beside each route.
type Perm int

const (
	// Public routes need no session: the login form, the language choice.
	Public Perm = iota
	// SignedIn routes need a session and nothing more: the dashboard (which
	// lists only the sites the user may see), logout, one's own password.
	SignedIn
	// ViewSite: read a site's registry, statistics, consent log and proof.
	// Viewers and editors of the site, admins, owners.
	ViewSite
	// EditSite: change a site's registry, texts and settings, and publish.
	// Editors of the site, admins, owners.
	EditSite
	// Audit: read the audit log of every site. Admins and owners.
	Audit
	// ManageUsers: create, change and delete accounts. Owners only.
	ManageUsers
)

// rank orders roles so that a permission names the weakest role holding it.
var rank = map[string]int{Owner: 4, Admin: 3, Editor: 2, Viewer: 1}

// AllSites reports whether the user acts on every site (owner, admin).
func AllSites(u User) bool { return rank[u.Role] >= rank[Admin] }

// Can reports whether u holds perm on site ("" for permissions that are
// about no site). A user with an unknown role can do nothing: a role
// written by a newer version is refused rather than guessed.
func Can(u User, perm Perm, site string) bool {
	r := rank[u.Role]
	if r == 0 {
		return perm == Public
	}
	onSite := AllSites(u) || slices.Contains(u.Sites, site)
	switch perm {
	case Public, SignedIn:
		return true
	case ViewSite:
		return onSite
	case EditSite:
		return onSite && r >= rank[Editor]
	case Audit:
		return r >= rank[Admin]
	case ManageUsers:
		return r >= rank[Owner]
	}
	return false
}
