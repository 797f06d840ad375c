package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/cli"
	"github.com/charte/charte/internal/store"
)

const tokenHelp = `Manage API tokens. A script sends a token as "Authorization: Bearer <token>"
to /api/v1 and acts with the token's role on its sites, like an account.

  create --name N --role owner|admin|editor|viewer [--site ID ...]
                  create a token and print it on standard output, once:
                  only its hash is stored
  list            list tokens (never the tokens themselves)
  revoke --id N   revoke a token at once (the back office can too)`

func cmdToken(ctx context.Context, io cli.IO, args []string) error {
	fs := cli.NewFlagSet("charte token", "charte token create|list|revoke [flags]", tokenHelp, io.Stderr)
	db := cli.DBFlag(fs)
	name := fs.String("name", "", "create: what the token is for (shown in the audit log as token:NAME)")
	role := fs.String("role", "", "create: owner, admin, editor or viewer")
	id := fs.Int64("id", 0, "revoke: the token's id (see charte token list)")
	var sites siteList
	fs.Var(&sites, "site", "create: a site an editor or viewer token works on (repeat for several)")
	verb, err := parseVerbCommand(fs, io, args)
	if err != nil {
		return err
	}
	switch {
	case verb != "create" && verb != "list" && verb != "revoke":
		return cli.Usagef("charte token: want one of: create, list, revoke")
	case verb == "create" && strings.TrimSpace(*name) == "":
		return cli.Usagef("charte token create: --name is required")
	case verb == "create" && !auth.ValidRole(*role):
		return cli.Usagef("charte token create: --role %q: want one of %s", *role, strings.Join(auth.Roles, ", "))
	case verb == "create" && auth.AllSites(auth.User{Role: *role}) && len(sites) > 0:
		return cli.Usagef("charte token create: a token with role %s acts on every site: --site is for editors and viewers", *role)
	case verb == "create" && !auth.AllSites(auth.User{Role: *role}) && len(sites) == 0:
		return cli.Usagef("charte token create: a token with role %s needs at least one --site", *role)
	case verb == "revoke" && *id <= 0:
		return cli.Usagef("charte token revoke: --id is required (see charte token list)")
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	switch verb {
	case "create":
		secret, hash := auth.NewToken()
		t, err := st.CreateToken(ctx, auth.Token{Name: strings.TrimSpace(*name), Hash: hash, Role: *role, Sites: sites, CreatedBy: "cli"})
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("%w (see charte site list)", err)
		}
		if err != nil {
			return err
		}
		st.AppendAudit(ctx, auth.AuditEntry{Email: "cli", Action: "token.create", Detail: map[string]any{"token": t.Name, "id": t.ID, "role": t.Role, "sites": t.Sites}})
		// The token alone on stdout, so a script can capture it; the
		// explanation goes to stderr.
		fmt.Fprintln(io.Stdout, secret)
		fmt.Fprintf(io.Stderr, "created %s token %d %q; it is shown only this once\n", t.Role, t.ID, t.Name)
		return nil
	case "revoke":
		if err := st.RevokeToken(ctx, *id, time.Now()); errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no working token with id %d (see charte token list)", *id)
		} else if err != nil {
			return err
		}
		st.AppendAudit(ctx, auth.AuditEntry{Email: "cli", Action: "token.revoke", Detail: map[string]any{"id": *id}})
		fmt.Fprintf(io.Stdout, "revoked token %d\n", *id)
		return nil
	default:
		tokens, err := st.ListTokens(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(io.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tNAME\tROLE\tSITES\tCREATED\tREVOKED")
		for _, t := range tokens {
			s := strings.Join(t.Sites, ",")
			if auth.AllSites(auth.User{Role: t.Role}) {
				s = "*"
			}
			revoked := "-"
			if !t.RevokedAt.IsZero() {
				revoked = t.RevokedAt.Format("2006-01-02 15:04")
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", strconv.FormatInt(t.ID, 10), t.Name, t.Role, s, t.CreatedAt.Format("2006-01-02 15:04"), revoked)
		}
		return w.Flush()
	}
}
