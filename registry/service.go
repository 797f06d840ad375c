package registry

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Service is a ready-made service of charte's catalogue (package services)
// that the site uses, written in a registry file as its id:
//
//	services: [youtube, matomo-exempt]
//
// or with overrides:
//
//	services:
//	  - id: youtube
//	    category: preferences   # instead of the recipe's default
//	    lifetime: 6 months      # no cookie of the recipe lives longer
//	    cookies: [...]          # extra cookies the service sets on this site
//
// Publishing expands each service into its cookies (Cookie.ServiceID names
// the service) and fills the fields below the overrides from the recipe, so
// the published revision holds exactly what visitors were told, and a newer
// recipe changes the site only when it is published again.
type Service struct {
	ID       string   `json:"id" yaml:"id"`
	Category string   `json:"category,omitempty" yaml:"category,omitempty"`
	Lifetime Lifetime `json:"lifetime,omitempty" yaml:"lifetime,omitempty"`
	Cookies  []Cookie `json:"cookies,omitempty" yaml:"cookies,omitempty"`

	// Filled by publishing, from the recipe of that version.
	Version       int    `json:"version,omitempty" yaml:"version,omitempty"`
	Name          Text   `json:"name,omitempty" yaml:"name,omitempty"`
	Description   Text   `json:"description,omitempty" yaml:"description,omitempty"`
	Vendor        string `json:"vendor,omitempty" yaml:"vendor,omitempty"`
	Country       string `json:"country,omitempty" yaml:"country,omitempty"`
	PrivacyPolicy string `json:"privacy_policy,omitempty" yaml:"privacy_policy,omitempty"`
	Placeholder   string `json:"placeholder,omitempty" yaml:"placeholder,omitempty"`
	// ConsentMode lists the Consent Mode signals the service reads.
	ConsentMode []string `json:"consent_mode,omitempty" yaml:"consent_mode,omitempty"`
	// Exemption holds the CNIL conditions of an exempt variant, shown on the
	// charter; empty for a service needing consent.
	Exemption Text `json:"exemption,omitempty" yaml:"exemption,omitempty"`
}

// Expanded reports whether publishing filled the service from its recipe.
func (s Service) Expanded() bool { return s.Version > 0 }

// MaxServices bounds the services of one registry.
const MaxServices = 200

var serviceIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// IsServiceID reports whether s has the form of a service id: lower-case
// letters, digits and dashes, safe in markup and in cookies_preferences.
func IsServiceID(s string) bool { return serviceIDPattern.MatchString(s) }

// serviceFields are the keys a service mapping may hold: a custom decoder
// does not inherit the file decoder's refusal of unknown fields.
var serviceFields = []string{"id", "category", "lifetime", "cookies", "version", "name", "description",
	"vendor", "country", "privacy_policy", "placeholder", "consent_mode", "exemption"}

// serviceFields' decoding target: the same struct without the methods.
type plainService Service

// UnmarshalYAML reads a service written as its id or as a mapping.
func (s *Service) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*s = Service{ID: n.Value}
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: a service is an id such as youtube, or a mapping with an id field", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; !slices.Contains(serviceFields, k.Value) {
			return fmt.Errorf("line %d: field %s not found in a service (use %s)", k.Line, k.Value, strings.Join(serviceFields[:4], ", "))
		}
	}
	var p plainService
	if err := n.Decode(&p); err != nil {
		return err
	}
	*s = Service(p)
	return nil
}

// UnmarshalJSON reads a service written as its id or as an object.
func (s *Service) UnmarshalJSON(data []byte) error {
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '"' {
		var id string
		if err := json.Unmarshal(t, &id); err != nil {
			return err
		}
		*s = Service{ID: id}
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p plainService
	if err := dec.Decode(&p); err != nil {
		return fmt.Errorf("service: %w", err)
	}
	*s = Service(p)
	return nil
}

// Service returns the site's service with that id.
func (s *Site) Service(id string) (Service, bool) {
	for _, sv := range s.Services {
		if sv.ID == id {
			return sv, true
		}
	}
	return Service{}, false
}

// ServicesIn lists the services filed under a category, in registry order;
// a service without a category override is listed by its expanded cookies'
// category, so call it on a published (expanded) site.
func (s *Site) ServicesIn(category string) []Service {
	var out []Service
	for _, sv := range s.Services {
		if s.serviceCategory(sv) == category {
			out = append(out, sv)
		}
	}
	return out
}

// serviceCategory is the override, else the category of the service's
// expanded cookies, else "" (a service without cookies and without
// override is only known after expansion: Expand always sets Category).
func (s *Site) serviceCategory(sv Service) string {
	if sv.Category != "" {
		return sv.Category
	}
	for _, c := range s.Cookies {
		if c.ServiceID == sv.ID {
			return c.Category
		}
	}
	return ""
}

func (s *Site) validateServices(v *validator, cats map[string]bool) {
	if len(s.Services) > MaxServices {
		v.errorf("services", CodeServicesTooMany, "%d services, more than %d", "Count", len(s.Services), "Max", MaxServices)
	}
	seen := map[string]int{}
	for i, sv := range s.Services {
		f := fmt.Sprintf("services[%d]", i)
		if !serviceIDPattern.MatchString(sv.ID) {
			v.errorf(f+".id", CodeServiceID, "%q is not a service id (see charte services list)", "ID", sv.ID)
		} else if j, dup := seen[sv.ID]; dup {
			v.errorf(f+".id", CodeServiceDuplicate, "service %q is already listed as %s", "ID", sv.ID, "Declared", fmt.Sprintf("services[%d]", j))
		} else {
			seen[sv.ID] = i
		}
		if sv.Category != "" && !cats[sv.Category] {
			v.errorf(f+".category", CodeCategoryUnknown, "unknown category %q", "Category", sv.Category)
		}
		if sv.Lifetime != "" {
			if _, _, err := sv.Lifetime.parse(); err != nil {
				v.add(Error, f+".lifetime", err)
			}
		}
		for j, c := range sv.Cookies {
			s.validateCookie(v, fmt.Sprintf("%s.cookies[%d]", f, j), c, cats, true)
		}
		v.text(f+".name", sv.Name, "", false)
		v.str(f+".vendor", sv.Vendor, false)
		v.text(f+".description", sv.Description, "", true)
		v.text(f+".exemption", sv.Exemption, "", true)
	}
}
