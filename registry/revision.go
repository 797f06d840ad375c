package registry

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Revision is a hash of what visitors are told and of how the banner treats
// their choice: the site's name, languages, categories, cookies, banner
// texts, choice lifetime, cookie domain, GPC and Consent Mode settings. The
// same registry always gives the same revision; any such change gives a new
// one, and the banner then asks again. Access settings visitors never meet
// (the allowed origins, the site URL) are left out so that changing them
// does not re-ask everyone; they take effect without publishing.
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
		Choice     Lifetime              `json:"choice_lifetime"`
		Domain     string                `json:"cookie_domain"`
		IgnoreGPC  bool                  `json:"ignore_gpc"`
		Mode       *ConsentMode          `json:"consent_mode"`
	}{s.Name, s.Languages, s.DefaultLanguage, s.Banner, s.Categories, s.Cookies,
		s.ChoiceDuration(), s.CookieDomain, s.IgnoreGPC, s.ConsentMode}
	b, err := json.Marshal(visible)
	if err != nil {
		panic("registry: a Site always marshals: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}
