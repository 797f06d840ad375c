package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/charte/charte/internal/cli"
	"github.com/charte/charte/internal/store"
	"github.com/charte/charte/registry"
)

const siteHelp = `Manage site registries.

  list              list the sites with their published revision
  import FILE       validate a registry file (YAML or JSON, "-" for standard input), save it
                    and publish it; a file with errors is refused, naming each line and
                    reason, and nothing is written
  export ID         print a site's registry as YAML (or JSON with --format json); import
                    reads it back unchanged`

func cmdSite(ctx context.Context, io cli.IO, args []string) error {
	fs := cli.NewFlagSet("charte site", "charte site [--db DSN] [--format yaml|json] [--draft] list | import FILE | export ID", siteHelp, io.Stderr)
	db := cli.DBFlag(fs)
	format := fs.String("format", "yaml", "export format: yaml or json")
	draft := fs.Bool("draft", false, "import: save as a draft without publishing it to visitors")
	verb := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		verb, args = args[0], args[1:]
	}
	if err := parseDBCommand(fs, io, args); err != nil {
		return err
	}
	rest := fs.Args()
	if verb == "" && len(rest) > 0 {
		verb, rest = rest[0], rest[1:]
	}
	wantArgs := map[string]int{"list": 0, "import": 1, "export": 1}
	n, known := wantArgs[verb]
	switch {
	case !known:
		return cli.Usagef("charte site: want one of: list, import FILE, export ID")
	case len(rest) != n:
		return cli.Usagef("charte site %s: want %d argument(s), got %d (flags go before arguments)", verb, n, len(rest))
	case *format != "yaml" && *format != "json":
		return cli.Usagef("charte site: --format %q: want yaml or json", *format)
	}
	if verb == "import" {
		// Read and validate before touching the database: a broken file
		// must change nothing.
		site, err := readRegistry(io, rest[0])
		if err != nil {
			return err
		}
		st, err := openStore(ctx, *db)
		if err != nil {
			return err
		}
		defer st.Close()
		return importSite(ctx, io, st, site, !*draft)
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if verb == "list" {
		return listSites(ctx, io, st)
	}
	site, err := st.Site(ctx, rest[0])
	if err != nil {
		return err
	}
	if *format == "json" {
		return registry.EncodeJSON(io.Stdout, site)
	}
	return registry.EncodeYAML(io.Stdout, site)
}

func readRegistry(io cli.IO, name string) (registry.Valid, error) {
	f, err := cli.Open(name, io.Stdin)
	if err != nil {
		return registry.Valid{}, err
	}
	defer f.Close()
	v, problems, err := registry.Read(f)
	if err != nil {
		return registry.Valid{}, fmt.Errorf("%s: %w", name, err)
	}
	for _, w := range problems.Warnings() {
		fmt.Fprintf(io.Stderr, "%s: %s\n", name, w)
	}
	return v, nil
}

func importSite(ctx context.Context, io cli.IO, st store.Store, v registry.Valid, publish bool) error {
	if err := st.SaveSite(ctx, v); err != nil {
		return err
	}
	site := v.Site()
	if !publish {
		fmt.Fprintf(io.Stdout, "saved %s as a draft (revision %s, not published)\n", site.ID, v.Revision())
		return nil
	}
	rev, err := st.Publish(ctx, site.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "imported %s, published revision %s\n", site.ID, rev.ID)
	return nil
}

func listSites(ctx context.Context, io cli.IO, st store.Store) error {
	sites, err := st.ListSites(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(io.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tPUBLISHED\tUPDATED")
	for _, s := range sites {
		published := s.Published
		if published == "" {
			published = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", s.ID, s.Name, published, s.UpdatedAt.UTC().Format("2006-01-02 15:04"))
	}
	return w.Flush()
}
