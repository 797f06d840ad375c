package main

import (
	"context"
	"slices"

	"github.com/charte/charte/internal/charter"
	"github.com/charte/charte/internal/cli"
)

func cmdCharter(ctx context.Context, io cli.IO, args []string) error {
	fs := cli.NewFlagSet("charte charter", "charte charter --site ID [--lang fr|en] [--format html|md|json] [--db DSN]",
		"Print the published cookie charter of a site on standard output: the page visitors see at\n/sites/ID/charter (html), a Markdown document with pipe tables (md), or JSON (json).", io.Stderr)
	site := fs.String("site", "", "site id (required)")
	lang := fs.String("lang", "", "language: fr or en (default: the site's default language)")
	format := fs.String("format", "html", "output format: html, md or json")
	db := cli.DBFlag(fs)
	if err := parseDBCommand(fs, io, args); err != nil {
		return err
	}
	switch {
	case *site == "":
		return cli.Usagef("charte charter: --site is required")
	case *lang != "" && *lang != "fr" && *lang != "en":
		return cli.Usagef("charte charter: --lang %q: want fr or en", *lang)
	case !slices.Contains([]string{"html", "md", "json"}, *format):
		return cli.Usagef("charte charter: --format %q: want html, md or json", *format)
	case fs.NArg() > 0:
		return cli.Usagef("charte charter: unexpected argument %q", fs.Arg(0))
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	rev, err := st.Published(ctx, *site)
	if err != nil {
		return err
	}
	p := charter.Page{Site: rev.Site, Revision: rev.ID, PublishedAt: rev.PublishedAt, Lang: *lang}
	if p.Lang == "" {
		p.Lang = rev.Site.DefaultLanguage
	}
	switch *format {
	case "md":
		return charter.RenderMarkdown(io.Stdout, p)
	case "json":
		return charter.RenderJSON(io.Stdout, p)
	}
	return charter.RenderHTML(io.Stdout, p)
}
