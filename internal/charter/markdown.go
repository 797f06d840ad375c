package charter

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strings"
)

var tags = regexp.MustCompile(`</?strong>`)

// RenderMarkdown writes the charter as a Markdown document with pipe tables.
func RenderMarkdown(w io.Writer, p Page) error {
	v := newView(p)
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "# %s — %s\n\n%s\n\n", mdEscape(v.Title), mdEscape(v.SiteName), mdEscape(v.Intro))
	fmt.Fprintf(b, "## %s\n\n%s\n\n", v.t("what.title"), v.t("what.body"))
	fmt.Fprintf(b, "## %s\n\n", v.t("kinds.title"))
	for _, k := range []string{"kinds.necessary", "kinds.statistics", "kinds.first", "kinds.third"} {
		fmt.Fprintf(b, "- %s\n", tags.ReplaceAllString(v.t(k), "**"))
	}
	fmt.Fprintf(b, "\n## %s\n", mdEscape(v.UsedTitle))
	cols := []string{"col.provider", "col.service", "col.name", "col.purpose", "col.lifetime", "col.party", "col.consent"}
	for _, c := range v.Categories {
		fmt.Fprintf(b, "\n### %s\n\n", mdEscape(c.Name))
		if c.Description != "" {
			fmt.Fprintf(b, "%s\n\n", mdEscape(c.Description))
		}
		fmt.Fprintf(b, "%s\n\n", c.ConsentNote)
		if len(c.Services) > 0 {
			fmt.Fprintf(b, "#### %s\n\n", v.t("services.title"))
			for _, sv := range c.Services {
				fmt.Fprintf(b, "- **%s**", mdEscape(sv.Name))
				if sv.Description != "" {
					fmt.Fprintf(b, " — %s", mdEscape(sv.Description))
				}
				if sv.Vendor != "" {
					fmt.Fprintf(b, " — %s %s", v.t("service.vendor"), mdEscape(sv.Vendor))
					if sv.Country != "" {
						fmt.Fprintf(b, " (%s)", mdEscape(sv.Country))
					}
				}
				if sv.PrivacyPolicy != "" {
					fmt.Fprintf(b, " — [%s](<%s>)", mdEscape(sv.PolicyLabel), strings.NewReplacer("<", "%3C", ">", "%3E", " ", "%20").Replace(sv.PrivacyPolicy))
				}
				if sv.Exemption != "" {
					fmt.Fprintf(b, " — %s %s", v.t("service.exempt"), mdEscape(sv.Exemption))
				}
				b.WriteString("\n")
			}
			b.WriteString("\n")
		}
		if len(c.Cookies) == 0 {
			continue
		}
		b.WriteString("|")
		for _, col := range cols {
			fmt.Fprintf(b, " %s |", v.t(col))
		}
		b.WriteString("\n|")
		for range cols {
			b.WriteString(" --- |")
		}
		b.WriteString("\n")
		for _, k := range c.Cookies {
			name := "`" + strings.ReplaceAll(k.Name, "`", "'") + "`"
			if k.Prefix {
				name += "… " + v.t("prefix")
			}
			if k.Domain != "" {
				name += " (" + v.t("domain") + " " + mdEscape(k.Domain) + ")"
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s |\n", mdEscape(k.Provider), mdEscape(k.Service),
				strings.ReplaceAll(name, "|", `\|`), mdEscape(k.Purpose), k.Lifetime, k.Party, k.Consent)
		}
	}
	if len(v.Partners) > 0 {
		fmt.Fprintf(b, "\n## %s\n\n%s\n\n", v.t("partners.title"), v.t("partners.body"))
		for _, p := range v.Partners {
			fmt.Fprintf(b, "- %s\n", mdEscape(p))
		}
	}
	fmt.Fprintf(b, "\n## %s\n\n%s\n\n---\n\n%s\n", v.t("choice.title"), v.ChoiceText, v.RevisionLine)
	return b.Flush()
}

var mdReplacer = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`,
	"<", "&lt;", ">", "&gt;", "#", `\#`, "\r\n", " ", "\n", " ", "\r", " ",
)

// mdEscape keeps a registry string literal in Markdown: no markup, no HTML,
// no line break that would end a table row.
func mdEscape(s string) string { return mdReplacer.Replace(s) }
