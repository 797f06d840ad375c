package web

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/httpx"
)

// The OpenAPI 3 document is built from the route table (routes.go): every
// /api/v1 route served is in it, with its permission and summary, and
// nothing else is.

var permNames = map[auth.Perm]string{
	auth.Public:      "public",
	auth.SignedIn:    "signed in (any role)",
	auth.ViewSite:    "view the site: its viewers and editors, admins, owners",
	auth.EditSite:    "edit the site: its editors, admins, owners",
	auth.Audit:       "admins and owners",
	auth.ManageUsers: "owners",
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// apiRoutes are the table's routes under /api/v1.
func apiRoutes(table []route) []route {
	var out []route
	for _, rt := range table {
		if _, path, _ := strings.Cut(rt.pattern, " "); strings.HasPrefix(path, "/api/v1/") {
			out = append(out, rt)
		}
	}
	return out
}

func (s *Server) openAPIDocument() map[string]any {
	paths := map[string]map[string]any{}
	for _, rt := range apiRoutes(s.table()) {
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
		if rt.body != "" {
			op["requestBody"] = map[string]any{"required": true, "description": rt.body,
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
						"problems": map[string]any{"type": "array", "description": "the registry's validation problems", "items": map[string]any{"$ref": "#/components/schemas/Problem"}},
					},
				},
				// registry.Problem: English for people, code and args for
				// programs (docs/admin.md, JSON API).
				"Problem": map[string]any{
					"type":     "object",
					"required": []string{"severity", "field", "code", "message"},
					"properties": map[string]any{
						"severity": map[string]any{"type": "string", "enum": []string{"error", "warning"}},
						"field":    map[string]any{"type": "string", "description": "the registry path at fault, such as cookies[2].purpose.fr"},
						"code":     map[string]any{"type": "string", "description": "the kind of problem, stable (registry/codes.go)"},
						"args": map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"},
							"description": "the values the message is made of, by name, written as in the message"},
						"message": map[string]any{"type": "string", "description": "the problem in English"},
						"line":    map[string]any{"type": "integer", "description": "the line of the imported file, when known"},
					},
				},
			},
		},
	}
	if s.cfg.BaseURL != nil {
		doc["servers"] = []any{map[string]any{"url": strings.TrimSuffix(s.cfg.BaseURL.String(), "/")}}
	}
	return doc
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	// Scripts and tools on other origins read it: it holds no secret.
	w.Header().Set("Access-Control-Allow-Origin", "*")
	return httpx.WriteJSON(w, http.StatusOK, s.openAPIDocument())
}
