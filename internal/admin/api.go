package admin

import (
	"encoding/json"
	"errors"
	"github.com/charte/charte/internal/jsonbody"
	"net/http"
	"strings"

	"github.com/charte/charte/internal/auth"
)

// apiRoute is a route of the JSON API: a route of the back office, the
// same permissions checked the same way, plus the summary the OpenAPI
// document shows.
type apiRoute struct {
	pattern string
	perm    auth.Perm
	h       handler
	summary string
}

// apiTable is everything the back office does, as JSON under /api/v1. A
// browser calls it with its session and the X-CSRFToken header; a script
// with "Authorization: Bearer <token>". The draft is edited under
// /draft/, beside the public /cookies of the published registry.
func (a *Admin) apiTable() []apiRoute {
	return []apiRoute{
		{"GET /api/v1/openapi.json", auth.Public, a.openAPI, "This document: every /api/v1 route of charte"},
		{"GET /api/v1/sites", auth.SignedIn, a.apiSites, "The sites the caller may see"},
		{"GET /api/v1/sites/{site}/draft", auth.ViewSite, a.apiDraft, "The draft registry of a site (settings, categories, cookies, banner texts)"},
		{"PUT /api/v1/sites/{site}/draft", auth.EditSite, a.apiPutDraft, "Replace the draft registry (its id must be the site's)"},
		{"GET /api/v1/sites/{site}/draft/categories", auth.ViewSite, a.apiCategories, "The draft's categories"},
		{"PUT /api/v1/sites/{site}/draft/categories/{cat}", auth.EditSite, a.apiPutCategory, "Create or replace a category (an id in the body renames it, with its cookies)"},
		{"DELETE /api/v1/sites/{site}/draft/categories/{cat}", auth.EditSite, a.apiDeleteCategory, "Delete a category no cookie uses"},
		{"GET /api/v1/sites/{site}/draft/cookies", auth.ViewSite, a.apiCookies, "The draft's cookies, addressed by position"},
		{"POST /api/v1/sites/{site}/draft/cookies", auth.EditSite, a.apiAddCookie, "Add a cookie"},
		{"PUT /api/v1/sites/{site}/draft/cookies/{n}", auth.EditSite, a.apiPutCookie, "Replace the cookie at position n"},
		{"DELETE /api/v1/sites/{site}/draft/cookies/{n}", auth.EditSite, a.apiDeleteCookie, "Delete the cookie at position n"},
		{"GET /api/v1/sites/{site}/draft/texts", auth.ViewSite, a.apiTexts, "The banner's title and message per language"},
		{"PUT /api/v1/sites/{site}/draft/texts", auth.EditSite, a.apiPutTexts, "Replace the banner texts (empty: charte's default wording)"},
		{"GET /api/v1/sites/{site}/publish", auth.EditSite, a.apiPublishDiff, "What publishing would change: live and draft revisions, differences"},
		{"POST /api/v1/sites/{site}/publish", auth.EditSite, a.apiPublish, "Publish the draft as a new immutable revision (the banner asks again)"},
		{"GET /api/v1/sites/{site}/consents", auth.ViewSite, a.exportJSON, "The consent records, streamed in chain order (filters: since, until, action, revision, after)"},
		{"GET /api/v1/sites/{site}/records/{seq}", auth.ViewSite, a.apiRecord, "One consent record with its chain status"},
		{"GET /api/v1/sites/{site}/verify", auth.ViewSite, a.apiVerify, "Verify the whole proof chain against its head"},
		{"GET /api/v1/sites/{site}/stats", auth.ViewSite, a.apiStats, "Choices per day and action, opt-in rate per category (days: 30 or 90)"},
		{"GET /api/v1/audit", auth.Audit, a.apiAudit, "The audit log, newest first (site, before)"},
		{"GET /api/v1/tokens", auth.ManageUsers, a.apiTokens, "The API tokens (never the tokens themselves)"},
		{"POST /api/v1/tokens", auth.ManageUsers, a.apiCreateToken, "Create an API token; the answer is the only time it is shown"},
		{"DELETE /api/v1/tokens/{id}", auth.ManageUsers, a.apiRevokeToken, "Revoke an API token at once"},
	}
}

// writeJSON answers v with status; API answers are never cached.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// readJSON decodes the body into v, refusing unknown fields and trailing
// data, so a misspelt field is an error rather than silently ignored; its
// errors name the field, never a Go type (jsonbody). The body is already
// bounded by the back office's MaxBytesReader, whose 413 this keeps.
func readJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return &httpError{status: http.StatusUnsupportedMediaType, key: "error.json", args: []any{"Content-Type must be application/json"}}
	}
	if err := jsonbody.Decode(r.Body, maxJSONBody, v); err != nil {
		var e *jsonbody.Error
		if errors.As(err, &e) && e.Status == http.StatusRequestEntityTooLarge {
			return &httpError{status: e.Status, key: "error.toolarge"}
		} else if errors.As(err, &e) {
			return &httpError{status: e.Status, key: "error.json", args: []any{e.Message}, field: e.Field}
		}
		return err
	}
	return nil
}

// maxJSONBody is the back office's body limit (admin.go), for bodies read
// without it (tests calling handlers directly).
const maxJSONBody = 4 << 20
