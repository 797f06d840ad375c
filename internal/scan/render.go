package scan

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Formats Render writes.
var Formats = []string{"text", "json", "md", "html"}

// Render writes the report in format ("text", "json", "md", "html") and
// language (one of the back office's: de, en, es, fr, it; English for another).
func Render(w io.Writer, r *Report, format, lang string) error {
	switch format {
	case "text", "":
		return renderText(w, newView(r, lang))
	case "json":
		return renderJSON(w, r, lang)
	case "md":
		return renderMarkdown(w, newView(r, lang))
	case "html":
		return renderHTML(w, newView(r, lang))
	}
	return fmt.Errorf("unknown report format %q (want text, json, md or html)", format)
}

// jsonFinding adds the finding's sentence in the report's language, so a
// reader of the JSON need not know every kind; the structured fields stay
// the contract.
type jsonFinding struct {
	Finding
	Message string `json:"message"`
}

func renderJSON(w io.Writer, r *Report, lang string) error {
	out := struct {
		*Report
		Lang     string        `json:"lang"`
		Findings []jsonFinding `json:"findings"`
	}{Report: r, Lang: lang, Findings: []jsonFinding{}}
	for _, f := range r.Findings {
		out.Findings = append(out.Findings, jsonFinding{f, f.Message(lang)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// renderText is the terminal summary: findings first, then one block per
// pass with aligned columns.
func renderText(w io.Writer, v view) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "%s\n%s\n\n", v.Title, strings.Repeat("=", len([]rune(v.Title))))
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	for _, m := range v.Meta {
		fmt.Fprintf(tw, "%s:\t%s\n", m[0], m[1])
	}
	tw.Flush()
	fmt.Fprintf(ew, "\n%s (%d)\n", T(v.Lang, "findings"), len(v.Findings.Rows))
	if v.Findings.empty() {
		fmt.Fprintln(ew, v.NoFind)
	} else {
		textTable(ew, v.Findings)
	}
	for _, p := range v.Passes {
		fmt.Fprintf(ew, "\n%s\n%s\n", p.Title, strings.Repeat("-", len([]rune(p.Title))))
		if p.Consent != "" {
			fmt.Fprintln(ew, p.Consent)
		}
		for _, t := range []struct {
			h string
			t table
		}{{p.CookiesH, p.Cookies}, {p.StorageH, p.Storage}, {p.HostsH, p.Hosts}, {p.ServicesH, p.Services}} {
			fmt.Fprintf(ew, "\n%s (%d)\n", t.h, len(t.t.Rows))
			if !t.t.empty() {
				textTable(ew, t.t)
			}
		}
	}
	return ew.err
}

func textTable(w io.Writer, t table) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.ToUpper(strings.Join(t.Head, "\t")))
	for _, row := range t.Rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = cmpOr(strings.ReplaceAll(c, "\t", " "), "-")
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	tw.Flush()
}

// renderMarkdown is for pasting into an issue or a wiki page.
func renderMarkdown(w io.Writer, v view) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "# %s\n\n", mdEscape(v.Title))
	for _, m := range v.Meta {
		fmt.Fprintf(ew, "- **%s**: %s\n", mdEscape(m[0]), mdEscape(m[1]))
	}
	fmt.Fprintf(ew, "\n## %s (%d)\n\n", T(v.Lang, "findings"), len(v.Findings.Rows))
	if v.Findings.empty() {
		fmt.Fprintln(ew, v.NoFind)
	} else {
		mdTable(ew, v.Findings)
	}
	for _, p := range v.Passes {
		fmt.Fprintf(ew, "\n## %s\n\n", mdEscape(p.Title))
		if p.Consent != "" {
			fmt.Fprintf(ew, "%s\n\n", mdEscape(p.Consent))
		}
		for _, t := range []struct {
			h string
			t table
		}{{p.CookiesH, p.Cookies}, {p.StorageH, p.Storage}, {p.HostsH, p.Hosts}, {p.ServicesH, p.Services}} {
			fmt.Fprintf(ew, "### %s (%d)\n\n", mdEscape(t.h), len(t.t.Rows))
			if t.t.empty() {
				fmt.Fprintf(ew, "_%s_\n\n", T(v.Lang, "none"))
				continue
			}
			mdTable(ew, t.t)
			fmt.Fprintln(ew)
		}
	}
	fmt.Fprintf(ew, "## %s\n\n", T(v.Lang, "pages"))
	for _, p := range v.Pages {
		fmt.Fprintf(ew, "- <%s>\n", strings.ReplaceAll(p, ">", "%3E"))
	}
	return ew.err
}

func mdTable(w io.Writer, t table) {
	cells := func(row []string) string {
		out := make([]string, len(row))
		for i, c := range row {
			out[i] = mdEscape(c)
		}
		return "| " + strings.Join(out, " | ") + " |"
	}
	fmt.Fprintln(w, cells(t.Head))
	fmt.Fprintln(w, "|"+strings.Repeat(" --- |", len(t.Head)))
	for _, r := range t.Rows {
		fmt.Fprintln(w, cells(r))
	}
}

// mdEscape keeps cookie names such as "_pk_id*" from turning into emphasis
// and a "|" from splitting a cell.
var mdEscaper = strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", "[", `\[`, "\n", " ")

func mdEscape(s string) string { return mdEscaper.Replace(s) }

// errWriter keeps the first write error so renderers check once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return len(p), nil
	}
	_, e.err = e.w.Write(p)
	return len(p), nil
}
