package admin

import "github.com/charte/charte/internal/i18n"

// translationsText is the wording of the translations page, in the five
// languages the back office is gaining. It stays apart from messages until
// the back office's wording moves to the catalogue files, where it goes.
var translationsText = i18n.Catalog{
	"nav.translations":   {"fr": "Traductions", "en": "Translations", "de": "Übersetzungen", "es": "Traducciones", "it": "Traduzioni"},
	"translations.title": {"fr": "Traductions", "en": "Translations", "de": "Übersetzungen", "es": "Traducciones", "it": "Traduzioni"},
	"translations.intro": {
		"fr": "Les textes que vous avez rédigés (bandeau, catégories, cookies), dans chacune des langues du site. Un texte non traduit s'affiche aux visiteurs dans la langue par défaut du site",
		"en": "The texts you wrote (banner, categories, cookies), in each of the site's languages. A text left untranslated is shown to visitors in the site's default language",
		"de": "Die Texte, die Sie verfasst haben (Banner, Kategorien, Cookies), in jeder Sprache der Website. Ein nicht übersetzter Text wird Besuchern in der Standardsprache der Website angezeigt",
		"es": "Los textos que ha redactado (banner, categorías, cookies), en cada uno de los idiomas del sitio. Un texto sin traducir se muestra a los visitantes en el idioma predeterminado del sitio",
		"it": "I testi che hai scritto (banner, categorie, cookie), in ciascuna delle lingue del sito. Un testo non tradotto viene mostrato ai visitatori nella lingua predefinita del sito",
	},
	"translations.onelang": {
		"fr": "Ce site n'a qu'une langue : ajoutez-en dans ses réglages pour traduire ses textes.",
		"en": "This site has only one language: add languages in its settings to translate its texts.",
		"de": "Diese Website hat nur eine Sprache: Fügen Sie in ihren Einstellungen Sprachen hinzu, um ihre Texte zu übersetzen.",
		"es": "Este sitio solo tiene un idioma: añada idiomas en su configuración para traducir sus textos.",
		"it": "Questo sito ha una sola lingua: aggiungi altre lingue nelle sue impostazioni per tradurne i testi.",
	},
	"translations.languages": {"fr": "Langues de traduction", "en": "Translation languages", "de": "Übersetzungssprachen", "es": "Idiomas de traducción", "it": "Lingue di traduzione"},
	"translations.count":     {"fr": "à traduire : %d", "en": "untranslated: %d", "de": "unübersetzt: %d", "es": "sin traducir: %d", "it": "da tradurre: %d"},
	"translations.complete":  {"fr": "tout est traduit", "en": "all translated", "de": "alles übersetzt", "es": "todo traducido", "it": "tutto tradotto"},
	"translations.text":      {"fr": "Texte", "en": "Text", "de": "Text", "es": "Texto", "it": "Testo"},
	"translations.source":    {"fr": "Original", "en": "Original", "de": "Original", "es": "Original", "it": "Originale"},
	"translations.target":    {"fr": "Traduction", "en": "Translation", "de": "Übersetzung", "es": "Traducción", "it": "Traduzione"},
	"translations.flag":      {"fr": "À traduire", "en": "Not translated", "de": "Nicht übersetzt", "es": "Sin traducir", "it": "Da tradurre"},
	"translations.fallback": {
		"fr": "En attendant, les visiteurs lisent l'original.",
		"en": "Meanwhile, visitors read the original.",
		"de": "Bis dahin lesen Besucher das Original.",
		"es": "Mientras tanto, los visitantes leen el original.",
		"it": "Nel frattempo, i visitatori leggono l'originale.",
	},
	"translations.ownwording": {
		"fr": "En attendant, les visiteurs lisent le texte standard de charte dans cette langue.",
		"en": "Meanwhile, visitors read charte's standard wording in this language.",
		"de": "Bis dahin lesen Besucher den Standardtext von charte in dieser Sprache.",
		"es": "Mientras tanto, los visitantes leen el texto estándar de charte en este idioma.",
		"it": "Nel frattempo, i visitatori leggono il testo standard di charte in questa lingua.",
	},
	"translations.nosource": {
		"fr": "L'original est vide : videz ce champ pour retirer la traduction.",
		"en": "The original is empty: empty this field to remove the translation.",
		"de": "Das Original ist leer: Leeren Sie dieses Feld, um die Übersetzung zu entfernen.",
		"es": "El original está vacío: vacíe este campo para quitar la traducción.",
		"it": "L'originale è vuoto: svuota questo campo per rimuovere la traduzione.",
	},
	"translations.empty": {
		"fr": "Un champ laissé vide retire la traduction : les visiteurs lisent alors l'original. Rien n'est montré aux visiteurs avant la publication.",
		"en": "A field left empty removes the translation: visitors then read the original. Visitors see nothing of it until you publish.",
		"de": "Ein leer gelassenes Feld entfernt die Übersetzung: Besucher lesen dann das Original. Besucher sehen davon nichts, bevor Sie veröffentlichen.",
		"es": "Un campo vacío quita la traducción: los visitantes leen entonces el original. Los visitantes no ven nada hasta que publique.",
		"it": "Un campo lasciato vuoto rimuove la traduzione: i visitatori leggono allora l'originale. I visitatori non vedono nulla finché non pubblichi.",
	},
	"translations.none": {
		"fr": "Ce site n'a encore aucun texte à traduire.",
		"en": "This site has no text to translate yet.",
		"de": "Diese Website hat noch keinen Text zu übersetzen.",
		"es": "Este sitio aún no tiene ningún texto que traducir.",
		"it": "Questo sito non ha ancora alcun testo da tradurre.",
	},
	"translations.stale": {
		"fr": "Ces textes ont changé depuis l'ouverture de la page (quelqu'un les a modifiés, ou une catégorie ou un cookie a été ajouté, déplacé ou supprimé). Rien n'a été enregistré : voici les textes actuels ; saisissez à nouveau vos modifications.",
		"en": "These texts changed since you opened the page (someone edited them, or a category or cookie was added, moved or removed). Nothing was saved: here are the texts as they are now; enter your changes again.",
		"de": "Diese Texte haben sich geändert, seit Sie die Seite geöffnet haben (jemand hat sie bearbeitet, oder eine Kategorie oder ein Cookie wurde hinzugefügt, verschoben oder gelöscht). Nichts wurde gespeichert: Hier sind die aktuellen Texte; geben Sie Ihre Änderungen erneut ein.",
		"es": "Estos textos han cambiado desde que abrió la página (alguien los modificó, o se añadió, movió o eliminó una categoría o una cookie). No se ha guardado nada: estos son los textos actuales; vuelva a introducir sus cambios.",
		"it": "Questi testi sono cambiati da quando hai aperto la pagina (qualcuno li ha modificati, oppure una categoria o un cookie è stato aggiunto, spostato o eliminato). Non è stato salvato nulla: ecco i testi attuali; inserisci di nuovo le modifiche.",
	},
	"translations.nolang": {
		"fr": "« %s » n'est pas une langue de traduction de ce site : choisissez l'une de ses langues autres que la langue par défaut.",
		"en": "“%s” is not a language this site is translated into: choose one of its languages other than the default one.",
		"de": "„%s“ ist keine Sprache, in die diese Website übersetzt wird: Wählen Sie eine ihrer Sprachen außer der Standardsprache.",
		"es": "«%s» no es un idioma al que se traduzca este sitio: elija uno de sus idiomas distinto del predeterminado.",
		"it": "«%s» non è una lingua in cui questo sito è tradotto: scegli una delle sue lingue diversa da quella predefinita.",
	},
	"translations.nofield": {
		"fr": "Ce site n'a pas de texte « %s » à traduire.",
		"en": "This site has no text “%s” to translate.",
		"de": "Diese Website hat keinen zu übersetzenden Text „%s“.",
		"es": "Este sitio no tiene ningún texto «%s» que traducir.",
		"it": "Questo sito non ha alcun testo «%s» da tradurre.",
	},
	"flash.translations.unchanged": {
		"fr": "Aucun texte n'a changé : rien à enregistrer.",
		"en": "No text changed: nothing to save.",
		"de": "Kein Text wurde geändert: nichts zu speichern.",
		"es": "Ningún texto ha cambiado: nada que guardar.",
		"it": "Nessun testo è cambiato: niente da salvare.",
	},
	"translations.part.banner.title":           {"fr": "Bandeau — titre", "en": "Banner — title", "de": "Banner — Titel", "es": "Banner — título", "it": "Banner — titolo"},
	"translations.part.banner.message":         {"fr": "Bandeau — message", "en": "Banner — message", "de": "Banner — Nachricht", "es": "Banner — mensaje", "it": "Banner — messaggio"},
	"translations.part.categories.name":        {"fr": "Catégorie « %s » — nom", "en": "Category “%s” — name", "de": "Kategorie „%s“ — Name", "es": "Categoría «%s» — nombre", "it": "Categoria «%s» — nome"},
	"translations.part.categories.description": {"fr": "Catégorie « %s » — description", "en": "Category “%s” — description", "de": "Kategorie „%s“ — Beschreibung", "es": "Categoría «%s» — descripción", "it": "Categoria «%s» — descrizione"},
	"translations.part.cookies.service":        {"fr": "Cookie « %s » — service et emplacement", "en": "Cookie “%s” — service and location", "de": "Cookie „%s“ — Dienst und Ort", "es": "Cookie «%s» — servicio y ubicación", "it": "Cookie «%s» — servizio e posizione"},
	"translations.part.cookies.purpose":        {"fr": "Cookie « %s » — finalité", "en": "Cookie “%s” — purpose", "de": "Cookie „%s“ — Zweck", "es": "Cookie «%s» — finalidad", "it": "Cookie «%s» — finalità"},
}

// wording is the back office's text for key in lang: the translations
// page's own, then the rest of the back office's.
func wording(lang, key string) string {
	if _, ok := translationsText[key]; ok {
		return translationsText.T(lang, key)
	}
	return messages.T(lang, key)
}
