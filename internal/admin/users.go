package admin

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/charte/charte/registry"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/store"
)

type usersData struct {
	Users []auth.User
	Sites []store.SiteSummary
	Roles []string
	Email string
}

func (a *Admin) UsersPage(w http.ResponseWriter, r *http.Request) error {
	return a.renderUsers(w, r, http.StatusOK, "", "")
}

func (a *Admin) renderUsers(w http.ResponseWriter, r *http.Request, status int, msgKey, email string) error {
	users, err := a.st.ListUsers(r.Context())
	if err != nil {
		return err
	}
	sites, err := a.st.ListSites(r.Context())
	if err != nil {
		return err
	}
	p := a.newPage(w, r, "users.title")
	if msgKey != "" {
		p.Message = msg(p.Lang, msgKey)
	}
	p.Data = usersData{Users: users, Sites: sites, Roles: auth.Roles, Email: email}
	return a.renderStatus(w, "users", status, p)
}

// roleForm reads a role and its sites; owners and admins get no site list
// since they see every site.
func roleForm(r *http.Request) (string, []string, string) {
	role := r.PostFormValue("role")
	sites := r.PostForm["sites"]
	switch {
	case !auth.ValidRole(role):
		return "", nil, "users.badrole"
	case auth.AllSites(auth.User{Role: role}):
		return role, nil, ""
	case len(sites) == 0:
		return "", nil, "users.nosite"
	}
	return role, sites, ""
}

func (a *Admin) CreateUser(w http.ResponseWriter, r *http.Request) error {
	email := strings.TrimSpace(r.PostFormValue("email"))
	role, sites, bad := roleForm(r)
	pw := r.PostFormValue("password")
	// CheckText: a NUL or invalid UTF-8 would reach PostgreSQL as a 500.
	if bad == "" && (auth.CheckEmail(email) != nil || len(email) > maxEmail || registry.CheckText(email, false) != nil) {
		bad = "users.bademail"
	}
	if bad == "" {
		bad = passwordProblem(pw)
	}
	if bad != "" {
		return a.renderUsers(w, r, http.StatusUnprocessableEntity, bad, email)
	}
	hash, err := auth.HashPassword(r.Context(), pw, a.cfg.Params)
	if err != nil {
		return err
	}
	u, err := a.st.CreateUser(r.Context(), auth.User{Email: email, PasswordHash: hash, Role: role, Sites: sites})
	switch {
	case errors.Is(err, store.ErrExists):
		return a.renderUsers(w, r, http.StatusUnprocessableEntity, "users.exists", email)
	case errors.Is(err, store.ErrNotFound):
		return a.renderUsers(w, r, http.StatusUnprocessableEntity, "users.nosite", email)
	case err != nil:
		return err
	}
	a.audit(r, "", "user.create", map[string]any{"email": u.Email, "role": u.Role, "sites": u.Sites})
	return seeOther(w, r, "/admin/users", "flash.saved")
}

func (a *Admin) userFromPath(r *http.Request) (auth.User, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return auth.User{}, errorf(http.StatusNotFound, "error.notfound")
	}
	return a.st.UserByID(r.Context(), id)
}

// updateUser changes a role and sites. An owner cannot demote themselves:
// the last owner would lock everyone out of user management.
func (a *Admin) UpdateUser(w http.ResponseWriter, r *http.Request) error {
	u, err := a.userFromPath(r)
	if err != nil {
		return err
	}
	role, sites, bad := roleForm(r)
	me, _ := auth.FromContext(r.Context())
	if bad == "" && u.ID == me.User.ID && role != auth.Owner {
		bad = "users.self"
	}
	if bad != "" {
		return a.renderUsers(w, r, http.StatusUnprocessableEntity, bad, "")
	}
	if err := a.st.SetUserRole(r.Context(), u.ID, role, sites); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return a.renderUsers(w, r, http.StatusUnprocessableEntity, "users.nosite", "")
		}
		return err
	}
	a.audit(r, "", "user.update", map[string]any{"email": u.Email, "role": role, "sites": sites})
	return seeOther(w, r, "/admin/users", "flash.saved")
}

func (a *Admin) DeleteUser(w http.ResponseWriter, r *http.Request) error {
	u, err := a.userFromPath(r)
	if err != nil {
		return err
	}
	if me, _ := auth.FromContext(r.Context()); me.User.ID == u.ID {
		return a.renderUsers(w, r, http.StatusUnprocessableEntity, "users.self", "")
	}
	if err := a.st.DeleteUser(r.Context(), u.ID); err != nil {
		return err
	}
	a.audit(r, "", "user.delete", map[string]any{"email": u.Email})
	return seeOther(w, r, "/admin/users", "flash.deleted")
}

// passwordProblem is the message key for why auth.CheckNewPassword
// refuses pw, or "" when it is accepted.
func passwordProblem(pw string) string {
	switch err := auth.CheckNewPassword(pw); {
	case err == nil:
		return ""
	case errors.Is(err, auth.ErrPasswordBlank):
		return "password.blank"
	case errors.Is(err, auth.ErrPasswordCommon):
		return "password.common"
	default:
		return "password.short"
	}
}
