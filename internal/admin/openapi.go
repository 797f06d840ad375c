package admin

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/charte/charte/internal/auth"
)

// The OpenAPI 3 document is built from the route tables, so a route cannot
// be added to the back office's API without appearing in it; the public
// routes of internal/web are listed below by hand, and a test walks the
// real server's routes to check that the document misses none.

// publicAPI are internal/web's /api/v1 routes (server.go), open to anyone.
var publicAPI = []apiRoute{
	{"GET /api/v1/sites/{site}/cookies", auth.Public, nil, "The published registry as JSON (open data)"},
	{"POST /api/v1/sites/{site}/consents", auth.Public, nil, "Record a visitor's choice; 201 once it is durable (called by the banner, cross-origin, CORS-limited to the site's origins, no cookie)"},
	{"OPTIONS /api/v1/sites/{site}/consents", auth.Public, nil, "CORS preflight of the consent endpoint"},
	{"GET /api/v1/sites/{site}/consents/{consent_id}", auth.Public, nil, "The choices recorded under one pseudonymous consent id"},
	{"GET /api/v1/sites/{site}/proof/head", auth.Public, nil, "The end of the site's proof chain (seq, hash, time), signed with the installation's key: save it as a witness (docs/proof.md)"},
	{"GET /api/v1/proof/key", auth.Public, nil, "The public key that verifies signed heads: algorithm, key_id, public_key (base64), pem, signature_format"},
	{"GET /api/v1/sites/{site}/revisions/{revision}", auth.Public, nil, "A published revision as snapshotted (revision, published_at, registry) and the banner scripts served for it: language, sha256, charte_version, first_served, size, url"},
	{"GET /api/v1/sites/{site}/revisions/{revision}/banners/{file}", auth.Public, nil, "The exact bytes of an escrowed banner script; {file} is SHA256.js. Served as a text/plain attachment, never to run, cacheable for a year"},
}

// requestBodies describes what each writing route takes.
var requestBodies = map[string]string{
	"PUT /api/v1/sites/{site}/draft":                  "A whole registry, as GET returns it",
	"PUT /api/v1/sites/{site}/draft/categories/{cat}": "A category: id, name and description per language, exempt, anonymous_statistics",
	"POST /api/v1/sites/{site}/draft/cookies":         "A cookie: name, provider, service, domain, purpose, category, lifetime, party",
	"PUT /api/v1/sites/{site}/draft/cookies/{n}":      "A cookie: name, provider, service, domain, purpose, category, lifetime, party",
	"PUT /api/v1/sites/{site}/draft/texts":            `Banner texts per language: {"fr": {"title": "…", "message": "…"}}`,
	"POST /api/v1/tokens":                             `{"name": "…", "role": "owner|admin|editor|viewer", "sites": ["…"]} (sites for editors and viewers)`,
	"POST /api/v1/sites/{site}/consents":              `{"id", "consent_id", "action", "decisions", "revision", "language", "page"}`,
}

var permNames = map[auth.Perm]string{
	auth.Public:      "public",
	auth.SignedIn:    "signed in (any role)",
	auth.ViewSite:    "view the site: its viewers and editors, admins, owners",
	auth.EditSite:    "edit the site: its editors, admins, owners",
	auth.Audit:       "admins and owners",
	auth.ManageUsers: "owners",
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

func (a *Admin) openAPIDocument() map[string]any {
	paths := map[string]map[string]any{}
	for _, rt := range append(a.apiTable(), publicAPI...) {
		method, path, _ := strings.Cut(rt.pattern, " ")
		op := map[string]any{
			"summary":             rt.summary,
			"operationId":         strings.ToLower(method) + pathParam.ReplaceAllString(strings.NewReplacer("/api/v1", "", "/", "_", ".", "_").Replace(path), "by_$1"),
			"x-charte-permission": permNames[rt.perm],
			"responses": map[string]any{
				"2XX":     map[string]any{"description": "Success (JSON)"},
				"default": map[string]any{"description": "Error", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}},
			},
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		if params != nil {
			op["parameters"] = params
		}
		if d, ok := requestBodies[rt.pattern]; ok {
			op["requestBody"] = map[string]any{"required": true, "description": d,
				"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}}
		}
		if rt.perm == auth.Public {
			op["security"] = []any{}
		} else {
			op["security"] = []any{map[string]any{"bearer": []any{}}, map[string]any{"session": []any{}, "csrf": []any{}}}
		}
		if paths[path] == nil {
			paths[path] = map[string]any{}
		}
		paths[path][strings.ToLower(method)] = op
	}
	doc := map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":   "charte API",
			"version": "1",
			"description": "The public registry and consent endpoints, and everything the back office does. " +
				"Authenticate with \"Authorization: Bearer <token>\" (charte token create, or the back office's API tokens page), " +
				"or from a signed-in browser with the sessionid cookie and the X-CSRFToken header on unsafe methods. " +
				"Errors are {\"error\": \"…\", \"field\": \"…\"} with a 4xx status.",
		},
		"paths": paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"bearer":  map[string]any{"type": "http", "scheme": "bearer"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": auth.SessionCookie},
				"csrf":    map[string]any{"type": "apiKey", "in": "header", "name": auth.CSRFHeader},
			},
			"schemas": map[string]any{
				"Error": map[string]any{
					"type":     "object",
					"required": []string{"error"},
					"properties": map[string]any{
						"error":    map[string]any{"type": "string", "description": "what went wrong, in the caller's language"},
						"field":    map[string]any{"type": "string", "description": "the input at fault, when there is one"},
						"problems": map[string]any{"type": "array", "description": "the registry's validation problems", "items": map[string]any{"type": "object"}},
					},
				},
			},
		},
	}
	if a.cfg.BaseURL != nil {
		doc["servers"] = []any{map[string]any{"url": strings.TrimSuffix(a.cfg.BaseURL.String(), "/")}}
	}
	return doc
}

func (a *Admin) openAPI(w http.ResponseWriter, r *http.Request) error {
	// Scripts and tools on other origins read it: it holds no secret.
	w.Header().Set("Access-Control-Allow-Origin", "*")
	return writeJSON(w, http.StatusOK, a.openAPIDocument())
}
