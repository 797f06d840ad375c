package admin

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/charte/charte/registry"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/httpx"
	"github.com/charte/charte/internal/store"
)

// API tokens are for scripts: owners create them here, in the API or with
// "charte token create", and see each token once.

type tokenSpec struct {
	Name  string   `json:"name"`
	Role  string   `json:"role"`
	Sites []string `json:"sites"`
}

// check applies the rules of accounts to a token: a valid role, and sites
// for editors and viewers only. It returns the message key and the field.
func (s *tokenSpec) check() (string, string) {
	s.Name = strings.TrimSpace(s.Name)
	switch {
	// CheckText: the name and site ids reach the database, where PostgreSQL
	// refuses a NUL or invalid UTF-8 with an error that was a 500.
	case s.Name == "" || len(s.Name) > 100 || registry.CheckText(s.Name, false) != nil:
		return "tokens.badname", "name"
	case slices.ContainsFunc(s.Sites, func(id string) bool { return !registry.IsSiteID(id) }):
		return "users.nosite", "sites"
	case !auth.ValidRole(s.Role):
		return "users.badrole", "role"
	case auth.AllSites(auth.User{Role: s.Role}):
		s.Sites = nil
	case len(s.Sites) == 0:
		return "users.nosite", "sites"
	}
	return "", ""
}

// createToken stores a token for spec and returns it with the one copy of
// the secret there will ever be.
func (a *Admin) createToken(r *http.Request, spec tokenSpec) (auth.Token, string, error) {
	if key, field := spec.check(); key != "" {
		return auth.Token{}, "", &httpError{status: http.StatusUnprocessableEntity, key: key, field: field}
	}
	id, _ := auth.FromContext(r.Context())
	secret, hash := auth.NewToken()
	t, err := a.st.CreateToken(r.Context(), auth.Token{Name: spec.Name, Hash: hash, Role: spec.Role, Sites: spec.Sites, CreatedBy: id.User.Email})
	if errors.Is(err, store.ErrNotFound) {
		return auth.Token{}, "", &httpError{status: http.StatusUnprocessableEntity, key: "users.nosite", field: "sites"}
	}
	if err != nil {
		return auth.Token{}, "", err
	}
	a.audit(r, "", "token.create", map[string]any{"token": t.Name, "id": t.ID, "role": t.Role, "sites": t.Sites})
	return t, secret, nil
}

func (a *Admin) revokeToken(r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		err = a.st.RevokeToken(r.Context(), id, time.Now())
	}
	var ne *strconv.NumError
	if errors.Is(err, store.ErrNotFound) || errors.As(err, &ne) {
		return &httpError{status: http.StatusNotFound, key: "error.notoken", args: []any{"ID", r.PathValue("id")}, field: "id"}
	}
	if err != nil {
		return err
	}
	a.audit(r, "", "token.revoke", map[string]any{"id": id})
	return nil
}

type tokensData struct {
	Tokens []auth.Token
	Sites  []store.SiteSummary
	Roles  []string
	New    string // the token just created, shown once
}

func (a *Admin) renderTokens(w http.ResponseWriter, r *http.Request, status int, msg, secret string) error {
	tokens, err := a.st.ListTokens(r.Context())
	if err != nil {
		return err
	}
	sites, err := a.st.ListSites(r.Context())
	if err != nil {
		return err
	}
	p := a.newPage(w, r, "tokens.title")
	p.Message = msg
	p.Data = tokensData{Tokens: tokens, Sites: sites, Roles: auth.Roles, New: secret}
	return a.renderStatus(w, "tokens", status, p)
}

func (a *Admin) TokensPage(w http.ResponseWriter, r *http.Request) error {
	return a.renderTokens(w, r, http.StatusOK, "", "")
}

func (a *Admin) CreateTokenForm(w http.ResponseWriter, r *http.Request) error {
	_, secret, err := a.createToken(r, tokenSpec{Name: r.PostFormValue("name"), Role: r.PostFormValue("role"), Sites: r.PostForm["sites"]})
	var he *httpError
	if errors.As(err, &he) {
		return a.renderTokens(w, r, he.status, msg(lang(r), he.key), "")
	}
	if err != nil {
		return err
	}
	// Rendered rather than redirected: the token must not travel in a URL.
	return a.renderTokens(w, r, http.StatusCreated, "", secret)
}

func (a *Admin) RevokeTokenForm(w http.ResponseWriter, r *http.Request) error {
	if err := a.revokeToken(r); err != nil {
		return err
	}
	return seeOther(w, r, "/admin/tokens", "flash.revoked")
}

type apiToken struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Role      string     `json:"role"`
	Sites     []string   `json:"sites"`
	CreatedBy string     `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at"`
	// Token is present only in the answer to its creation.
	Token string `json:"token,omitempty"`
}

func toAPIToken(t auth.Token) apiToken {
	out := apiToken{ID: t.ID, Name: t.Name, Role: t.Role, Sites: orEmpty(t.Sites), CreatedBy: t.CreatedBy, CreatedAt: t.CreatedAt}
	if !t.RevokedAt.IsZero() {
		out.RevokedAt = &t.RevokedAt
	}
	return out
}

func (a *Admin) APITokens(w http.ResponseWriter, r *http.Request) error {
	tokens, err := a.st.ListTokens(r.Context())
	if err != nil {
		return err
	}
	out := []apiToken{}
	for _, t := range tokens {
		out = append(out, toAPIToken(t))
	}
	return httpx.WriteJSON(w, http.StatusOK, out)
}

func (a *Admin) APICreateToken(w http.ResponseWriter, r *http.Request) error {
	var spec tokenSpec
	if err := readJSON(r, &spec); err != nil {
		return err
	}
	t, secret, err := a.createToken(r, spec)
	if err != nil {
		return err
	}
	out := toAPIToken(t)
	out.Token = secret
	return httpx.WriteJSON(w, http.StatusCreated, out)
}

func (a *Admin) APIRevokeToken(w http.ResponseWriter, r *http.Request) error {
	if err := a.revokeToken(r); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
