package banner

import "github.com/charte/charte/internal/i18n"

// texts is the banner's default wording, keyed by the one-letter names the
// script reads (W.A, W.R…) so the served script stays small. A site may
// override the title (T) and the message (M) per language in its registry.
//
// %s in M is the choice lifetime; %p and %c in B are the providers and the
// category of blocked content, filled in by the script.
var texts = i18n.Catalog{
	"T": {"fr": "Vos choix sur les cookies", "en": "Your cookie choices"},
	"M": {
		"fr": "Avec votre accord, ce site et ses partenaires utilisent des cookies pour les finalités ci-dessous. Refuser ne vous empêche pas d'utiliser le site. Votre choix est conservé %s ; vous pouvez le changer à tout moment via « Gérer mes cookies ».",
		"en": "With your consent, this site and its partners use cookies for the purposes below. Rejecting does not stop you from using the site. Your choice is kept for %s; you can change it at any time with “Manage my cookies”.",
	},
	"purposes": {"fr": "Finalités : %s.", "en": "Purposes: %s."},
	"partners": {"fr": "Partenaires tiers : %s.", "en": "Third parties: %s."},
	"H":        {"fr": "Charte cookies", "en": "Cookie charter"},
	"A":        {"fr": "Tout accepter", "en": "Accept all"},
	"R":        {"fr": "Tout refuser", "en": "Reject all"},
	"C":        {"fr": "Personnaliser", "en": "Customise"},
	"X":        {"fr": "Continuer sans accepter", "en": "Continue without accepting"},
	"D":        {"fr": "Vos préférences cookies", "en": "Your cookie preferences"},
	"S":        {"fr": "Enregistrer mes choix", "en": "Save my choices"},
	"O":        {"fr": "Toujours actifs", "en": "Always active"},
	"I":        {"fr": "Identifiant de consentement :", "en": "Consent id:"},
	"G": {
		"fr": "Votre navigateur envoie le signal Global Privacy Control : tout est refusé, sauf ce que vous autorisez ci-dessous.",
		"en": "Your browser sends the Global Privacy Control signal: everything is refused, except what you allow below.",
	},
	"B": {
		"fr": "Contenu de %p (« %c ») : il ne s'affiche qu'avec votre accord.",
		"en": "Content from %p (“%c”): it is shown only with your consent.",
	},
	"L": {"fr": "Accepter et afficher", "en": "Accept and show"},
	"N": {
		"fr": "Ce site n'utilise que des cookies nécessaires : aucun ne requiert votre consentement.",
		"en": "This site only uses necessary cookies: none of them needs your consent.",
	},
	"F": {"fr": "Fermer", "en": "Close"},
	"U": {"fr": "Services de cette catégorie", "en": "Services in this category"},
	"K": {"fr": "Vos choix sont enregistrés.", "en": "Your choices have been saved."},
	// The DSFR theme's: each purpose's two radios, and the dialog's button.
	"V": {"fr": "Accepter", "en": "Accept"},
	"Z": {"fr": "Refuser", "en": "Refuse"},
	"Y": {"fr": "Confirmer mes choix", "en": "Confirm my choices"},
}

// dsfrKeys are the texts only the DSFR theme's script carries.
var dsfrKeys = []string{"V", "Z", "Y"}

// scriptKeys are the texts the script reads as they are.
var scriptKeys = []string{"H", "A", "R", "C", "X", "D", "S", "O", "I", "G", "B", "L", "N", "F", "U", "K"}
