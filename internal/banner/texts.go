package banner

// scriptTexts maps the one-letter names the script reads (W.A, W.R…),
// which keep the served script small, to the catalogue's messages
// (internal/i18n/locales). Those of the dialog (dialogTexts) are rendered
// into it and leave the script (dialog.go). A site may override the title (T) and the
// message (M) per language in its registry; the first layer's line of
// purposes and partners (P) is built in config.go.
var scriptTexts = map[string]string{
	"H": "banner.charter",
	"A": "banner.accept",
	"R": "banner.reject",
	"C": "banner.customise",
	"X": "banner.continue",
	"D": "banner.dialog",
	"S": "banner.save",
	"O": "banner.always",
	"I": "banner.consent_id",
	"G": "banner.gpc",
	"L": "banner.show",
	"N": "banner.none",
	"F": "banner.close",
	"U": "banner.services",
	"K": "banner.saved",
	"W": "banner.loading",
	"E": "banner.load_failed",
}

// dsfrTexts are the texts only the DSFR theme's dialog has: each
// purpose's two radios, and the dialog's button.
var dsfrTexts = map[string]string{
	"V": "banner.dsfr_accept",
	"Z": "banner.dsfr_refuse",
	"Y": "banner.dsfr_confirm",
}
