package admin

import (
	"net/http"
	"slices"
	"strings"

	"github.com/charte/charte/registry"
)

type settingsData struct {
	Signals     []string
	Mapping     map[string][]string
	ConsentCats []registry.Category
}

func (a *Admin) settingsData(s *registry.Site) settingsData {
	d := settingsData{Signals: registry.ConsentModeSignals, Mapping: s.ConsentModeMapping()}
	for _, c := range s.Categories {
		if !c.Exempt {
			d.ConsentCats = append(d.ConsentCats, c)
		}
	}
	return d
}

func (a *Admin) SettingsForm(w http.ResponseWriter, r *http.Request) error {
	p, err := a.sitePage(w, r, "settings.title")
	if err != nil {
		return err
	}
	p.Data = a.settingsData(p.Site)
	return a.render(w, "settings", p)
}

// saveSettings changes the site-wide settings and leaves categories,
// cookies and texts alone. The site id never comes from the form.
func (a *Admin) SaveSettings(w http.ResponseWriter, r *http.Request) error {
	p, err := a.sitePage(w, r, "settings.title")
	if err != nil {
		return err
	}
	s := p.Site
	s.Name = strings.TrimSpace(r.PostFormValue("name"))
	s.URL = strings.TrimSpace(r.PostFormValue("url"))
	s.Origins = lines(r.PostFormValue("origins"))
	s.Languages = nil
	for _, l := range languages {
		if slices.Contains(r.PostForm["languages"], l) {
			s.Languages = append(s.Languages, l)
		}
	}
	s.DefaultLanguage = r.PostFormValue("default_language")
	s.ChoiceLifetime = registry.Lifetime(strings.TrimSpace(r.PostFormValue("choice_lifetime")))
	s.IgnoreGPC = r.PostFormValue("respect_gpc") == ""
	s.Theme = r.PostFormValue("theme") // the registry's check refuses an unknown one
	s.Blocking = r.PostFormValue("blocking")
	cm := &registry.ConsentMode{Enabled: r.PostFormValue("consent_mode") != "", Mapping: map[string][]string{}}
	for _, c := range s.Categories {
		if c.Exempt {
			continue
		}
		if sig := r.PostForm["signal."+c.ID]; len(sig) > 0 {
			cm.Mapping[c.ID] = sig
		}
	}
	if !cm.Enabled && len(cm.Mapping) == 0 {
		cm = nil
	}
	s.ConsentMode = cm
	if p.Problems, err = a.saveDraft(r, s, "settings.update", map[string]any{"name": s.Name}); err != nil {
		return err
	}
	if p.Problems != nil {
		p.Data = a.settingsData(s)
		return a.renderStatus(w, "settings", http.StatusUnprocessableEntity, p)
	}
	return seeOther(w, r, sitePath(r, ""), "flash.saved")
}

// lines splits a textarea into its non-empty trimmed lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
