package i18n

import (
	"embed"
	"slices"
)

// The back office's wording — its pages, the scan reports operators read,
// drift alerts, readiness and CSRF errors — is a catalogue of its own,
// locales/admin/<lang>.json, in the same go-i18n JSON format: the back
// office speaks five languages (fr en de es it) and the visitor's side 44,
// so one file set per audience lets the completeness test ask each set for
// exactly its own languages, and a visitor's translator never meets 300
// messages no visitor reads. Ids are namespaced as in the visitor's files:
// "admin." (pages), "admin.scan." (scan pages), "drift.", "ready.", "csrf.".
//
//go:embed locales/admin/*.json
var adminFiles embed.FS

var adminCat = mustLoad(adminFiles, "locales/admin")

// AdminLanguages lists the back office's languages, sorted.
func AdminLanguages() []string { return slices.Clone(adminCat.langs) }

// AdminName is a back-office language's name in itself, for its chooser.
func AdminName(lang string) string { return adminCat.t(lang, "meta.name", nil) }

// Admin returns back-office message id in lang with its named arguments
// (pairs of name and value) filled in; another language than the back
// office's gets English, a missing id shows as itself.
func Admin(lang, id string, args ...any) string { return adminCat.t(lang, id, args) }

// AdminN returns plural back-office message id in lang for count n, which
// fills {{.Count}}.
func AdminN(lang, id string, n int, args ...any) string { return adminCat.n(lang, id, n, args) }
