package registry

// Code names a kind of problem. Codes are stable: programs (the back
// office's translated messages, API clients) key on them, so a code is
// never renamed or given another meaning; a new kind of problem gets a new
// code. The back office words each as "registry.<code>" in every one of its
// languages, and its tests fail for a code without wording.
type Code string

// The codes Validate reports. The arguments each fills are named in its
// English message's call; the back office's catalogue uses the same names.
const (
	// A field that must be filled is empty.
	CodeEmpty Code = "empty"
	// A one-line field (a name, a provider) is longer than Max bytes.
	CodeTooLong Code = "too_long"
	// A text is Length bytes long, more than Max.
	CodeTextTooLong Code = "text.too_long"
	// A text is empty in the site's default Language.
	CodeTextRequired   Code = "text.required"
	CodeTextInvalidUTF Code = "text.invalid_utf8"
	// A text holds the control character Char (U+0001).
	CodeTextControl Code = "text.control"

	CodeSiteID            Code = "site.id"
	CodeURLInvalid        Code = "url.invalid"
	CodeOriginsTooMany    Code = "origins.too_many"
	CodeOriginInvalid     Code = "origin.invalid"
	CodeLanguagesEmpty    Code = "languages.empty"
	CodeLanguageUnknown   Code = "language.unknown"
	CodeDefaultLanguage   Code = "default_language.unlisted"
	CodeChoiceLifetime    Code = "choice_lifetime.too_long"
	CodeDomainInvalid     Code = "domain.invalid"
	CodeBannerLanguage    Code = "banner.language_unknown"
	CodeThemeUnknown      Code = "theme.unknown"
	CodeBlockingUnknown   Code = "blocking.unknown"
	CodeBlockingNoService Code = "blocking.no_services"
	CodeConsentModeSignal Code = "consent_mode.signal_unknown"
	CodeCategoriesEmpty   Code = "categories.empty"
	CodeCategoriesTooMany Code = "categories.too_many"
	CodeCookiesTooMany    Code = "cookies.too_many"
	CodeServicesTooMany   Code = "services.too_many"

	CodeCategoryID                Code = "category.id"
	CodeCategoryDuplicate         Code = "category.duplicate"
	CodeCategoryUnknown           Code = "category.unknown"
	CodeCategoryAnonymousOnlyStat Code = "category.anonymous_not_statistics"
	CodeCategoryStatisticsExempt  Code = "category.statistics_exempt"
	CodeCategoryExempt            Code = "category.exempt"
	CodeCategoryNecessaryConsent  Code = "category.necessary_not_exempt"

	CodeCookieName         Code = "cookie.name"
	CodeCookieDuplicate    Code = "cookie.duplicate"
	CodeCookieLifetimeLong Code = "cookie.lifetime_too_long"
	CodeCookieParty        Code = "cookie.party"

	// A lifetime is not "session" or a count and a unit.
	CodeLifetimeSyntax Code = "lifetime.syntax"
	// A lifetime's Unit is not one charte knows.
	CodeLifetimeUnit Code = "lifetime.unit"

	CodeServiceID        Code = "service.id"
	CodeServiceDuplicate Code = "service.duplicate"

	// Texts of the registry have no translation into a listed language
	// (Count of them, Fields naming the first ones, More how many more).
	CodeTranslationsMissing     Code = "translations.missing"
	CodeTranslationsMissingMore Code = "translations.missing_more"
)
