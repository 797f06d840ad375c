package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/charte/charte/internal/cli"
	"github.com/charte/charte/internal/i18n"
	"github.com/charte/charte/services"
)

const servicesHelp = `Browse charte's catalogue of ready-made service recipes (YouTube, Matomo,
maps, chats, advertising tags…). A registry names a recipe under services:
and publishing expands it into the service's cookies, vendor and purposes.

  list [--category C] [--format text|json]
                  list the recipes, or those of one default category
                  (necessary, statistics, preferences, marketing)
  show ID [--lang fr|en] [--format text|json]
                  print one recipe: vendor, cookies, storage keys, URL
                  patterns and, for an exempt variant, the CNIL conditions`

func cmdServices(_ context.Context, io cli.IO, args []string) error {
	fs := cli.NewFlagSet("charte services", "charte services list|show [ID] [flags]", servicesHelp, io.Stderr)
	category := fs.String("category", "", "list: only recipes whose default category is C")
	format := fs.String("format", "text", "output format: text or json")
	lang := fs.String("lang", "en", "language of names, purposes and descriptions: fr or en")
	verb, id := "", ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		verb, args = args[0], args[1:]
	}
	if verb == "show" && len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		id, args = args[0], args[1:]
	}
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if verb == "show" && id == "" && fs.NArg() > 0 {
		// "show --format json ID --lang fr": flags may follow the id too.
		id = fs.Arg(0)
		if err := cli.Parse(fs, fs.Args()[1:]); err != nil {
			return err
		}
	}
	switch {
	case verb != "list" && verb != "show":
		return cli.Usagef("charte services: want one of: list, show")
	case fs.NArg() > 0:
		return cli.Usagef("charte services %s: unexpected argument %q", verb, fs.Arg(0))
	case *format != "text" && *format != "json":
		return cli.Usagef("charte services: --format %q: want text or json", *format)
	case *lang != "fr" && *lang != "en":
		return cli.Usagef("charte services: --lang %q: want fr or en", *lang)
	case verb == "list" && *category != "" && !services.IsCategory(*category):
		return cli.Usagef("charte services list: --category %q: want one of %s", *category, strings.Join(services.Categories, ", "))
	case verb == "show" && id == "":
		return cli.Usagef("charte services show: want a recipe id (see charte services list)")
	}
	cat := services.Builtin()
	if verb == "show" {
		r, ok := cat.Get(id)
		if !ok {
			return fmt.Errorf("no recipe %q in the catalogue (charte services list shows them)", id)
		}
		if *format == "json" {
			return writeJSON(io.Stdout, r)
		}
		return showRecipe(io.Stdout, r, *lang)
	}
	list := cat.All()
	if *category != "" {
		list = cat.InCategory(*category)
	}
	if *format == "json" {
		return writeJSON(io.Stdout, list)
	}
	tw := tabwriter.NewWriter(io.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCATEGORY\tNAME\tVENDOR\tCOOKIES")
	for _, r := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s (%s)\t%d\n", r.ID, r.Category, r.Name.In(*lang, "en"), r.Vendor.Name, r.Vendor.Country, len(r.Cookies))
	}
	fmt.Fprintf(tw, "\n%d recipes\n", len(list))
	return tw.Flush()
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// showRecipe prints a recipe for a person choosing a service: what it is,
// who gets the data, what it stores and how it is recognised.
func showRecipe(w io.Writer, r *services.Recipe, lang string) error {
	l := showLabels[lang]
	fmt.Fprintf(w, "%s (%s), version %d\n%s\n\n", r.Name.In(lang, "en"), r.ID, r.Version, r.Description.In(lang, "en"))
	fmt.Fprintf(w, "%-14s%s, %s\n%-14s%s\n", l[0], r.Vendor.Name, services.CountryName(r.Vendor.Country, lang), l[1], r.Vendor.PrivacyPolicy)
	fmt.Fprintf(w, "%-14s%s\n%-14s%s\n", l[2], r.Category, l[3], r.Placeholder)
	if len(r.ConsentMode) > 0 {
		fmt.Fprintf(w, "%-14s%s\n", "Consent Mode", strings.Join(r.ConsentMode, ", "))
	}
	if r.Exemption != nil {
		fmt.Fprintf(w, "\n"+l[4]+"\n  %s\n", r.Exemption.Of, r.Exemption.Conditions.In(lang, "en"))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if len(r.Cookies) > 0 {
		fmt.Fprintln(tw, "\n"+l[5])
		for _, c := range r.Cookies {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.Name, orDash(c.Domain), c.Lifetime.Localize(i18n.Lifetimes(lang)), c.Party, c.Purpose.In(lang, "en"))
		}
	}
	if len(r.Storage) > 0 {
		fmt.Fprintln(tw, "\n"+l[6])
		for _, s := range r.Storage {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Key, s.Kind, s.Purpose.In(lang, "en"))
		}
	}
	fmt.Fprintln(tw, "\n"+l[7])
	for _, u := range r.URLs {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", u.Pattern, u.Kind, u.Examples[0])
	}
	return tw.Flush()
}

// showLabels are the headings of services show, per language.
var showLabels = map[string][8]string{
	"en": {"Vendor:", "Privacy:", "Category:", "Placeholder:", "Exempt variant of %s. Conditions:",
		"COOKIE\tDOMAIN\tLIFETIME\tPARTY\tPURPOSE", "STORAGE KEY\tKIND\tPURPOSE", "URL PATTERN\tKIND\tEXAMPLE"},
	"fr": {"Éditeur :", "Confidentialité :", "Catégorie :", "Espace réservé :", "Variante exemptée de %s. Conditions :",
		"COOKIE\tDOMAINE\tDURÉE\tPARTIE\tFINALITÉ", "CLÉ DE STOCKAGE\tTYPE\tFINALITÉ", "MOTIF D’URL\tTYPE\tEXEMPLE"},
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
