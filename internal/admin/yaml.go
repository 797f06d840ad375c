package admin

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/charte/charte/registry"
)

// exportYAML downloads the draft as the YAML "charte site import" reads.
func (a *Admin) ExportYAML(w http.ResponseWriter, r *http.Request) error {
	s, err := a.draft(r)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := registry.EncodeYAML(&b, s); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+s.ID+`.yaml"`)
	_, err = b.WriteTo(w)
	return err
}

// importYAML replaces the draft with an uploaded or pasted registry. The
// file must describe this very site: an editor of one site must not
// overwrite another by importing a file that names it.
func (a *Admin) ImportYAML(w http.ResponseWriter, r *http.Request) error {
	p, err := a.sitePage(w, r, "registry.title")
	if err != nil {
		return err
	}
	var src io.Reader = strings.NewReader(r.PostFormValue("yaml"))
	if f, _, err := r.FormFile("file"); err == nil {
		defer f.Close()
		src = f
	}
	v, problems, err := registry.Read(src)
	if err != nil {
		// Problems carry the line of the file each is about.
		if p.Problems = problems; problems == nil {
			p.Message = err.Error()
		}
		return a.renderStatus(w, "registry", http.StatusUnprocessableEntity, p)
	}
	site := v.Site()
	if site.ID != p.Site.ID {
		p.Message = msg(p.Lang, "import.otherid", "File", strconv.Quote(site.ID), "Site", strconv.Quote(p.Site.ID))
		return a.renderStatus(w, "registry", http.StatusUnprocessableEntity, p)
	}
	if err := a.saveChecked(r, v, "registry.import", map[string]any{"revision": v.Revision()}); err != nil {
		return err
	}
	return seeOther(w, r, sitePath(r, "registry"), "flash.imported")
}
