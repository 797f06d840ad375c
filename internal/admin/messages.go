package admin

import "github.com/charte/charte/internal/i18n"

// msg is the back office's message key in lang, from the "admin." messages
// of the back-office catalogue (internal/i18n/locales/admin); args are
// pairs of argument name and value, and a "Count" picks a plural form.
func msg(lang, key string, args ...any) string {
	return i18n.Admin(lang, "admin."+key, args...)
}
