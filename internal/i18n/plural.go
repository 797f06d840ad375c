package i18n

import (
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// pluralForms are CLDR's plural categories, as go-i18n files name them.
var pluralForms = []string{"zero", "one", "two", "few", "many", "other"}

var formNames = map[plural.Form]string{
	plural.Zero: "zero", plural.One: "one", plural.Two: "two",
	plural.Few: "few", plural.Many: "many", plural.Other: "other",
}

// pluralRuleOf names, for the languages whose CLDR rules x/text does not
// carry, the language whose rule is theirs: Occitan and Corsican use the
// singular for one alone, as Catalan and Italian do.
var pluralRuleOf = map[string]string{"oc": "ca", "co": "it"}

// pluralForm is the CLDR plural category of the integer n in lang.
func pluralForm(lang string, n int) string {
	if l, ok := pluralRuleOf[lang]; ok {
		lang = l
	}
	tag, err := language.Parse(lang)
	if err != nil {
		return "other"
	}
	return formNames[plural.Cardinal.MatchPlural(tag, n, 0, 0, 0, 0)]
}

// integerForms lists the plural categories integers take in lang, plus
// "other", which go-i18n requires of every plural message: what a plural
// message of lang must define, no more, no less.
func integerForms(lang string) []string {
	seen := map[string]bool{"other": true}
	for n := range 1_001 {
		seen[pluralForm(lang, n)] = true
	}
	seen[pluralForm(lang, 1_000_000)] = true
	var out []string
	for _, f := range pluralForms {
		if seen[f] {
			out = append(out, f)
		}
	}
	return out
}
