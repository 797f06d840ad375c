package registry

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Revision is a hash of what visitors are told: the site's name, languages,
// categories, cookies and banner texts. The same registry always gives the
// same revision; any visible change gives a new one, and the banner then asks
// again. Settings visitors never see (origins, Consent Mode, GPC handling)
// are left out so that changing them does not re-ask everyone.
func (s *Site) Revision() string {
	// encoding/json writes struct fields in declaration order and map keys
	// sorted, which makes this form canonical.
	visible := struct {
		Name       string                `json:"name"`
		Languages  []string              `json:"languages"`
		Default    string                `json:"default_language"`
		Banner     map[string]BannerText `json:"banner"`
		Categories []Category            `json:"categories"`
		Cookies    []Cookie              `json:"cookies"`
	}{s.Name, s.Languages, s.DefaultLanguage, s.Banner, s.Categories, s.Cookies}
	b, err := json.Marshal(visible)
	if err != nil {
		panic("registry: a Site always marshals: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}
