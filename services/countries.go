package services

// countries names the vendors' countries in French and English, for the
// charter's "country" column. A recipe naming a country missing here fails
// its check, so no visitor ever reads a bare code.
var countries = map[string][2]string{
	"AT": {"Autriche", "Austria"},
	"AU": {"Australie", "Australia"},
	"BE": {"Belgique", "Belgium"},
	"CA": {"Canada", "Canada"},
	"CH": {"Suisse", "Switzerland"},
	"CZ": {"Tchéquie", "Czechia"},
	"DE": {"Allemagne", "Germany"},
	"DK": {"Danemark", "Denmark"},
	"EE": {"Estonie", "Estonia"},
	"ES": {"Espagne", "Spain"},
	"FI": {"Finlande", "Finland"},
	"FR": {"France", "France"},
	"GB": {"Royaume-Uni", "United Kingdom"},
	"IE": {"Irlande", "Ireland"},
	"IL": {"Israël", "Israel"},
	"IN": {"Inde", "India"},
	"IT": {"Italie", "Italy"},
	"LU": {"Luxembourg", "Luxembourg"},
	"LV": {"Lettonie", "Latvia"},
	"MT": {"Malte", "Malta"},
	"NL": {"Pays-Bas", "Netherlands"},
	"NO": {"Norvège", "Norway"},
	"NZ": {"Nouvelle-Zélande", "New Zealand"},
	"PL": {"Pologne", "Poland"},
	"RU": {"Russie", "Russia"},
	"SE": {"Suède", "Sweden"},
	"SI": {"Slovénie", "Slovenia"},
	"US": {"États-Unis", "United States"},
}

// CountryName is the country's name in lang (French or English), or the
// code itself for a code the table lacks.
func CountryName(code, lang string) string {
	n, ok := countries[code]
	if !ok {
		return code
	}
	if lang == "fr" {
		return n[0]
	}
	return n[1]
}
