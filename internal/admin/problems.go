package admin

import (
	"strconv"
	"strings"

	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/registry"
)

// problemText is a registry problem in the operator's language: the
// catalogue's "registry.<code>" filled with the problem's arguments. A
// problem without wording in the catalogue (a code newer than it) shows its
// English message rather than an id.
func problemText(lang string, p registry.Problem) string {
	if p.Code == "" {
		return p.Message
	}
	id := "registry." + string(p.Code)
	args := make([]any, 0, 2*len(p.Args))
	for name, value := range p.Args {
		var v any = value
		if name == "Count" {
			// The catalogue picks a plural form from an integer Count.
			if n, err := strconv.Atoi(value); err == nil {
				v = n
			}
		}
		args = append(args, name, v)
	}
	if s := i18n.Admin(lang, id, args...); s != id {
		return s
	}
	return p.Message
}

// problemsAt lists, for a message beside the input concerned, the problems
// whose field is field or lies under it, each with its severity, in the
// operator's language.
func problemsAt(lang string, ps registry.Problems, field string) []string {
	var out []string
	for _, p := range ps {
		if p.Field == field || strings.HasPrefix(p.Field, field+".") || strings.HasPrefix(p.Field, field+"[") {
			out = append(out, msg(lang, "severity."+string(p.Severity))+msg(lang, "colon")+" "+problemText(lang, p))
		}
	}
	return out
}
