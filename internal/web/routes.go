package web

import (
	"net/http"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/i18n"
)

// This file is the server's one route table: every URL charte answers, who
// may call it and, under /api/v1, the summary the OpenAPI document shows
// (openapi.go builds the document from this table, so a route cannot be
// served without being documented). Start here to find a handler.
//
// Public routes are served by this package and its renderer (errors.go).
// Back-office pages and the private API are internal/admin's handlers,
// wrapped by admin.Page or admin.API: security headers, a body limit, the
// session (or an API token), CSRF, then the permission written beside the
// route, checked against the URL's {site}.

// via says which chain of middleware serves a route.
type via int

const (
	public   via = iota // open to anyone, rendered by this package
	page                // a back-office page: session, CSRF, permission
	adminAPI            // the private JSON API: session or token, CSRF, permission
)

// route is one line of the table.
type route struct {
	pattern string
	via     via
	perm    auth.Perm // for page and adminAPI; public routes are auth.Public
	h       handler
	summary string // under /api/v1: the OpenAPI summary
	body    string // under /api/v1, for routes that take one: what it holds
}

func (s *Server) table() []route {
	a := s.admin
	return []route{
		// Public pages, the banner and the demo.
		{pattern: "GET /{$}", h: s.home},
		{pattern: "GET /healthz", h: s.healthz}, // the process serves (liveness)
		{pattern: "GET /readyz", h: s.readyz},   // health.go: database reachable and migrated (readiness)
		{pattern: "GET /metrics", h: s.metricsPage},
		{pattern: "GET /static/{file}", h: s.static},
		{pattern: "GET /sites/{site}/charter", h: s.charterPage},
		{pattern: "GET /sites/{site}/banner.js", h: s.bannerLatest},                  // banner.go: latest revision, 5 minutes of cache
		{pattern: "GET /sites/{site}/banner/{revision}/{file}", h: s.bannerRevision}, // one revision: LANG.js, or LANG.json its dialog's details; cached for a year
		{pattern: "GET /sites/{site}/demo", h: s.demoPage},                           // demo.go
		{pattern: "GET /sites/{site}/demo/video", h: s.demoVideo},

		// The public API: what the banner, auditors and open-data users call.
		{pattern: "GET /api/v1/sites/{site}/cookies", h: s.cookiesJSON,
			summary: "The published registry as JSON (open data)"},
		{pattern: "POST /api/v1/sites/{site}/consents", h: s.postConsent, // consent.go
			summary: "Record a visitor's choice; 201 once it is durable (called by the banner, cross-origin, CORS-limited to the site's origins, no cookie)",
			body:    `{"id", "consent_id", "action", "decisions", "revision", "language", "page"}`},
		{pattern: "OPTIONS /api/v1/sites/{site}/consents", h: s.consentPreflight,
			summary: "CORS preflight of the consent endpoint"},
		{pattern: "GET /api/v1/sites/{site}/consents/{consent_id}", h: s.consentHistory,
			summary: "The choices recorded under one pseudonymous consent id"},
		{pattern: "GET /api/v1/sites/{site}/proof/head", h: s.proofHead, // proofapi.go
			summary: "The end of the site's proof chain (seq, hash, time), signed with the installation's key: save it as a witness (docs/proof.md)"},
		{pattern: "GET /api/v1/proof/key", h: s.proofKey, // proofkey.go
			summary: "The public key that verifies signed heads: algorithm, key_id, public_key (base64), pem, signature_format"},
		{pattern: "GET /api/v1/sites/{site}/revisions/{revision}", h: s.revisionSnapshot, // revisionapi.go
			summary: "A published revision as snapshotted (revision, published_at, registry) and the banner scripts served for it: language, sha256, charte_version, first_served, size, url"},
		{pattern: "GET /api/v1/sites/{site}/revisions/{revision}/banners/{file}", h: s.escrowedBanner,
			summary: "The exact bytes of an escrowed banner script; {file} is SHA256.js. Served as a text/plain attachment, never to run, cacheable for a year"},

		// The back office's pages (internal/admin).
		{"GET /admin/static/{file}", page, auth.Public, a.Static, "", ""},
		{"GET /admin/login", page, auth.Public, a.LoginForm, "", ""},
		{"POST /admin/login", page, auth.Public, a.Login, "", ""},
		{"POST /i18n/setlang", page, auth.Public, a.SetLanguage, "", ""},
		{"POST /admin/logout", page, auth.SignedIn, a.Logout, "", ""},
		{"GET /admin/{$}", page, auth.SignedIn, a.Dashboard, "", ""},
		{"GET /admin/password", page, auth.SignedIn, a.PasswordForm, "", ""},
		{"POST /admin/password", page, auth.SignedIn, a.ChangePassword, "", ""},

		{"GET /admin/sites/{site}/{$}", page, auth.ViewSite, a.SettingsForm, "", ""},
		{"POST /admin/sites/{site}/{$}", page, auth.EditSite, a.SaveSettings, "", ""},
		{"GET /admin/sites/{site}/registry", page, auth.ViewSite, a.RegistryPage, "", ""},
		{"GET /admin/sites/{site}/categories/{cat}", page, auth.EditSite, a.CategoryForm, "", ""},
		{"POST /admin/sites/{site}/categories/{cat}", page, auth.EditSite, a.SaveCategory, "", ""},
		{"POST /admin/sites/{site}/categories/{cat}/delete", page, auth.EditSite, a.DeleteCategory, "", ""},
		{"GET /admin/sites/{site}/cookies/{n}", page, auth.EditSite, a.CookieForm, "", ""},
		{"POST /admin/sites/{site}/cookies/{n}", page, auth.EditSite, a.SaveCookie, "", ""},
		{"POST /admin/sites/{site}/cookies/{n}/delete", page, auth.EditSite, a.DeleteCookie, "", ""},
		{"GET /admin/sites/{site}/services", page, auth.ViewSite, a.ServicesPage, "", ""},
		{"POST /admin/sites/{site}/services", page, auth.EditSite, a.AddService, "", ""},
		{"POST /admin/sites/{site}/services/{id}/delete", page, auth.EditSite, a.RemoveService, "", ""},
		{"GET /admin/sites/{site}/export.yaml", page, auth.ViewSite, a.ExportYAML, "", ""},
		{"POST /admin/sites/{site}/import", page, auth.EditSite, a.ImportYAML, "", ""},
		{"GET /admin/sites/{site}/texts", page, auth.EditSite, a.TextsForm, "", ""},
		{"POST /admin/sites/{site}/texts", page, auth.EditSite, a.SaveTexts, "", ""},
		{"GET /admin/sites/{site}/translations", page, auth.ViewSite, a.Translations, "", ""},
		{"GET /admin/sites/{site}/translations/{lang}", page, auth.ViewSite, a.Translations, "", ""},
		{"POST /admin/sites/{site}/translations/{lang}", page, auth.EditSite, a.SaveTranslations, "", ""},
		{"GET /admin/sites/{site}/preview", page, auth.ViewSite, a.Preview, "", ""},
		{"GET /admin/sites/{site}/banner-preview", page, auth.ViewSite, a.BannerPreview, "", ""},
		{"GET /admin/sites/{site}/publish", page, auth.EditSite, a.PublishForm, "", ""},
		{"POST /admin/sites/{site}/publish", page, auth.EditSite, a.Publish, "", ""},
		{"GET /admin/sites/{site}/stats", page, auth.ViewSite, a.StatsPage, "", ""},
		{"GET /admin/sites/{site}/consents", page, auth.ViewSite, a.ConsentLog, "", ""},
		{"GET /admin/sites/{site}/consents/{seq}", page, auth.ViewSite, a.RecordPage, "", ""},
		{"GET /admin/sites/{site}/consents.csv", page, auth.ViewSite, a.ExportCSV, "", ""},
		{"GET /admin/sites/{site}/consents.json", page, auth.ViewSite, a.ExportJSON, "", ""},
		{"GET /admin/sites/{site}/verify", page, auth.ViewSite, a.VerifyChain, "", ""},
		{"GET /admin/sites/{site}/scans", page, auth.ViewSite, a.ScansPage, "", ""},
		{"POST /admin/sites/{site}/scans", page, auth.EditSite, a.StartScan, "", ""},
		{"POST /admin/sites/{site}/scans/schedule", page, auth.EditSite, a.SaveSchedule, "", ""},
		{"GET /admin/sites/{site}/scans/{id}", page, auth.ViewSite, a.ScanPage, "", ""},
		{"GET /admin/sites/{site}/scans/{id}/report.html", page, auth.ViewSite, a.ScanReport, "", ""},
		{"GET /admin/sites/{site}/scans/{id}/report.json", page, auth.ViewSite, a.ScanReport, "", ""},
		{"GET /admin/sites/{site}/scans/{id}/report.md", page, auth.ViewSite, a.ScanReport, "", ""},

		{"GET /admin/audit", page, auth.Audit, a.AuditLog, "", ""},
		{"GET /admin/users", page, auth.ManageUsers, a.UsersPage, "", ""},
		{"POST /admin/users", page, auth.ManageUsers, a.CreateUser, "", ""},
		{"POST /admin/users/{id}", page, auth.ManageUsers, a.UpdateUser, "", ""},
		{"POST /admin/users/{id}/delete", page, auth.ManageUsers, a.DeleteUser, "", ""},
		{"GET /admin/tokens", page, auth.ManageUsers, a.TokensPage, "", ""},
		{"POST /admin/tokens", page, auth.ManageUsers, a.CreateTokenForm, "", ""},
		{"POST /admin/tokens/{id}/revoke", page, auth.ManageUsers, a.RevokeTokenForm, "", ""},
		{"/admin/", page, auth.Public, a.NotFound, "", ""},

		// The private API: everything the back office does, as JSON. A
		// browser calls it with its session and the X-CSRFToken header; a
		// script with "Authorization: Bearer <token>". The draft is edited
		// under /draft/, beside the public /cookies of the published registry.
		{"GET /api/v1/openapi.json", adminAPI, auth.Public, s.openAPI, "This document: every /api/v1 route of charte", ""},
		{"GET /api/v1/sites", adminAPI, auth.SignedIn, a.APISites, "The sites the caller may see", ""},
		{"GET /api/v1/sites/{site}/draft", adminAPI, auth.ViewSite, a.APIDraft, "The draft registry of a site (settings, categories, cookies, banner texts)", ""},
		{"PUT /api/v1/sites/{site}/draft", adminAPI, auth.EditSite, a.APIPutDraft, "Replace the draft registry (its id must be the site's)",
			"A whole registry, as GET returns it"},
		{"GET /api/v1/sites/{site}/draft/categories", adminAPI, auth.ViewSite, a.APICategories, "The draft's categories", ""},
		{"PUT /api/v1/sites/{site}/draft/categories/{cat}", adminAPI, auth.EditSite, a.APIPutCategory, "Create or replace a category (an id in the body renames it, with its cookies)",
			"A category: id, name and description per language, exempt, anonymous_statistics"},
		{"DELETE /api/v1/sites/{site}/draft/categories/{cat}", adminAPI, auth.EditSite, a.APIDeleteCategory, "Delete a category no cookie uses", ""},
		{"GET /api/v1/sites/{site}/draft/cookies", adminAPI, auth.ViewSite, a.APICookies, "The draft's cookies, addressed by position", ""},
		{"POST /api/v1/sites/{site}/draft/cookies", adminAPI, auth.EditSite, a.APIAddCookie, "Add a cookie",
			"A cookie: name, provider, service, domain, purpose, category, lifetime, party"},
		{"PUT /api/v1/sites/{site}/draft/cookies/{n}", adminAPI, auth.EditSite, a.APIPutCookie, "Replace the cookie at position n",
			"A cookie: name, provider, service, domain, purpose, category, lifetime, party"},
		{"DELETE /api/v1/sites/{site}/draft/cookies/{n}", adminAPI, auth.EditSite, a.APIDeleteCookie, "Delete the cookie at position n", ""},
		{"GET /api/v1/sites/{site}/draft/texts", adminAPI, auth.ViewSite, a.APITexts, "The banner's title and message per language", ""},
		{"PUT /api/v1/sites/{site}/draft/texts", adminAPI, auth.EditSite, a.APIPutTexts, "Replace the banner texts (empty: charte's default wording)",
			`Banner texts per language: {"fr": {"title": "…", "message": "…"}}`},
		{"GET /api/v1/sites/{site}/draft/translations/{lang}", adminAPI, auth.ViewSite, a.APITranslations,
			"The operator's texts in one language beside the default language's: field, source, translation, missing; and how many are missing", ""},
		{"PUT /api/v1/sites/{site}/draft/translations/{lang}", adminAPI, auth.EditSite, a.APIPutTranslations,
			"Set texts in one language (an empty text removes the translation; other languages are untouched)",
			`Texts by field, as GET names them: {"categories[1].name": "…", "banner.title": "…"}`},
		{"GET /api/v1/sites/{site}/publish", adminAPI, auth.EditSite, a.APIPublishDiff, "What publishing would change: live and draft revisions, differences", ""},
		{"POST /api/v1/sites/{site}/publish", adminAPI, auth.EditSite, a.APIPublish, "Publish the draft as a new immutable revision (the banner asks again)", ""},
		{"GET /api/v1/sites/{site}/consents", adminAPI, auth.ViewSite, a.ExportJSON, "The consent records, streamed in chain order (filters: since, until, action, revision, after)", ""},
		{"GET /api/v1/sites/{site}/records/{seq}", adminAPI, auth.ViewSite, a.APIRecord, "One consent record with its chain status", ""},
		{"GET /api/v1/sites/{site}/verify", adminAPI, auth.ViewSite, a.APIVerify, "Verify the whole proof chain against its head", ""},
		{"GET /api/v1/sites/{site}/stats", adminAPI, auth.ViewSite, a.APIStats, "Choices per day and action, opt-in rate per category (days: 30 or 90)", ""},
		{"GET /api/v1/sites/{site}/scan-schedule", adminAPI, auth.ViewSite, a.APISchedule, "The site's scan schedule: frequency (daily, weekly, monthly or off), url, pages, next_at", ""},
		{"PUT /api/v1/sites/{site}/scan-schedule", adminAPI, auth.EditSite, a.APIPutSchedule, "Schedule the site's scans (the first run is due at once and is the baseline); frequency off removes the schedule",
			`{"frequency": "daily|weekly|monthly|off", "url": "https://…", "pages": 1-100}`},
		{"GET /api/v1/sites/{site}/alerts", adminAPI, auth.ViewSite, a.APIAlerts, "Drift alerts of the site's scheduled scans, newest first: id, scan, created_at, changes (undeclared, preconsent, early_script, third_party, no_longer_seen)", ""},
		{"GET /api/v1/audit", adminAPI, auth.Audit, a.APIAudit, "The audit log, newest first (site, before)", ""},
		{"GET /api/v1/tokens", adminAPI, auth.ManageUsers, a.APITokens, "The API tokens (never the tokens themselves)", ""},
		{"POST /api/v1/tokens", adminAPI, auth.ManageUsers, a.APICreateToken, "Create an API token; the answer is the only time it is shown",
			`{"name": "…", "role": "owner|admin|editor|viewer", "sites": ["…"]} (sites for editors and viewers)`},
		{"DELETE /api/v1/tokens/{id}", adminAPI, auth.ManageUsers, a.APIRevokeToken, "Revoke an API token at once", ""},

		// Anything else is a 404 page.
		{pattern: "/", h: s.notFound},
	}
}

// routes registers the table on the server's mux.
func (s *Server) routes() {
	for _, rt := range s.table() {
		s.mux.Handle(rt.pattern, s.wrap(rt))
	}
}

func (s *Server) wrap(rt route) http.Handler {
	switch rt.via {
	case page:
		return s.admin.Page(rt.perm, rt.h)
	case adminAPI:
		return s.admin.API(rt.perm, rt.h)
	}
	return s.serve(rt.h)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return errorf(http.StatusNotFound, "", "%s", i18n.T(s.lang(r, nil), "web.notfound"))
}

// metricsPage serves Prometheus metrics.
func (s *Server) metricsPage(w http.ResponseWriter, r *http.Request) error {
	s.metrics.handler().ServeHTTP(w, r)
	return nil
}
