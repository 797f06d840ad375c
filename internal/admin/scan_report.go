package admin

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"path"
	"strings"

	"github.com/charte/charte/internal/scan"
	"github.com/charte/charte/internal/store"
)

// scanReport serves a finished scan's report as the scanner renders it:
// report.html (shown in the scan page's iframe, or downloaded with
// ?download), report.json and report.md, in the operator's language.
func (a *Admin) ScanReport(w http.ResponseWriter, r *http.Request) error {
	s, err := a.siteScan(r)
	if err != nil {
		return err
	}
	if s.Status != store.ScanDone {
		return errorf(http.StatusNotFound, "error.notfound")
	}
	rep, err := decodeReport(s)
	if err != nil {
		return err
	}
	format := strings.TrimPrefix(path.Ext(r.URL.Path), ".")
	var b bytes.Buffer
	if err := scan.Render(&b, rep, format, lang(r)); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", map[string]string{
		"html": "text/html; charset=utf-8", "json": "application/json", "md": "text/markdown; charset=utf-8",
	}[format])
	name := fmt.Sprintf("scan-%s-%d.%s", s.SiteID, s.ID, format)
	if format != "html" || r.URL.Query().Has("download") {
		h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	}
	if format == "html" {
		// The report is one self-contained file with its own <style>: the
		// back office's CSP would refuse it, so this response allows that
		// one style by its hash, no script at all, and framing by the
		// scan page only.
		h.Set("Content-Security-Policy", "default-src 'none'; style-src "+styleHash(b.Bytes())+
			"; img-src data:; form-action 'none'; frame-ancestors 'self'; base-uri 'none'")
		h.Set("X-Frame-Options", "SAMEORIGIN")
	}
	_, err = b.WriteTo(w)
	return err
}

// styleHash is the CSP source of the document's first <style> element.
// Values in the report are escaped by html/template, so the first literal
// <style> is the template's own.
func styleHash(doc []byte) string {
	_, rest, ok := bytes.Cut(doc, []byte("<style>"))
	css, _, ok2 := bytes.Cut(rest, []byte("</style>"))
	if !ok || !ok2 {
		return "'none'"
	}
	sum := sha256.Sum256(css)
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}
