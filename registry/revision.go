package registry

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Revision is a hash of what visitors are told and of how the banner treats
// their choice: the site's name, languages, categories, cookies, banner
// texts, choice lifetime, cookie domain, GPC and Consent Mode settings, the
// services and their recipes' versions, the theme and automatic blocking. The
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
		Services   []Service             `json:"services"`
		// The theme changes what visitors are shown: a new revision. Empty,
		// it leaves the revisions of every earlier registry as they were.
		Theme string `json:"theme"`
		// Blocking changes what the banner's script does with the page
		// (and the script is cached and escrowed by revision). Empty, it
		// too leaves earlier revisions as they were.
		Blocking string `json:"blocking"`
	}{s.Name, s.Languages, s.DefaultLanguage, s.Banner, s.Categories, s.Cookies,
		s.ChoiceDuration(), s.CookieDomain, s.IgnoreGPC, s.ConsentMode, s.Services, s.Theme, s.Blocking}
	sum := sha256.Sum256(canonical(visible))
	return hex.EncodeToString(sum[:8])
}

// canonical is v's JSON with nulls, empty strings, empty lists and empty maps
// removed, so that a registry means the same revision whether a file wrote
// an empty field, an empty list or nothing at all.
func canonical(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("registry: a Site always marshals: " + err.Error())
	}
	var tree any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		panic("registry: own JSON does not decode: " + err.Error())
	}
	out, _ := json.Marshal(prune(tree))
	return out
}

func prune(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if e = prune(e); e == nil {
				delete(t, k)
			} else {
				t[k] = e
			}
		}
		if len(t) == 0 {
			return nil
		}
	case []any:
		for i, e := range t {
			t[i] = prune(e)
		}
		if len(t) == 0 {
			return nil
		}
	case string:
		if t == "" {
			return nil
		}
	}
	return v
}
