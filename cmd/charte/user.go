package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/charte/charte/internal/auth"
	"github.com/charte/charte/internal/cli"
	"github.com/charte/charte/internal/store"
)

const userHelp = `Manage back-office accounts. There is no default account and no default
password: create the first owner with "charte user add".

  add --email E --role owner|admin|editor|viewer [--site ID ...]
                  create an account; editors and viewers see only their --site(s)
  passwd --email E
                  set a new password and sign the account out everywhere
  list            list accounts with their role and sites

The password is read from the terminal without echo, or from the first line
of standard input when it is not a terminal (for scripts); never from a flag,
which would leave it in the shell history and the process list. It must be at
least 12 characters long, not only spaces, and not one of the most common
passwords (even padded with digits or symbols, or repeated).`

// siteList collects repeated --site flags.
type siteList []string

func (s *siteList) String() string     { return strings.Join(*s, ",") }
func (s *siteList) Set(v string) error { *s = append(*s, v); return nil }

func cmdUser(ctx context.Context, io cli.IO, args []string) error {
	fs := cli.NewFlagSet("charte user", "charte user add|passwd|list [flags]", userHelp, io.Stderr)
	db := cli.DBFlag(fs)
	email := fs.String("email", "", "the account's email address")
	role := fs.String("role", "", "add: owner, admin, editor or viewer")
	var sites siteList
	fs.Var(&sites, "site", "add: a site the editor or viewer works on (repeat for several)")
	verb, err := parseVerbCommand(fs, io, args)
	if err != nil {
		return err
	}
	switch {
	case verb != "add" && verb != "passwd" && verb != "list":
		return cli.Usagef("charte user: want one of: add, passwd, list")
	case verb != "list" && *email == "":
		return cli.Usagef("charte user %s: --email is required", verb)
	case verb == "add" && auth.CheckEmail(*email) != nil:
		return cli.Usagef("charte user add: --email: %v", auth.CheckEmail(*email))
	case verb == "add" && !auth.ValidRole(*role):
		return cli.Usagef("charte user add: --role %q: want one of %s", *role, strings.Join(auth.Roles, ", "))
	case verb == "add" && (*role == auth.Owner || *role == auth.Admin) && len(sites) > 0:
		return cli.Usagef("charte user add: an %s sees every site: --site is for editors and viewers", *role)
	case verb == "add" && (*role == auth.Editor || *role == auth.Viewer) && len(sites) == 0:
		return cli.Usagef("charte user add: an %s needs at least one --site", *role)
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	switch verb {
	case "list":
		return listUsers(ctx, io, st)
	case "add":
		pw, err := readNewPassword(io)
		if err != nil {
			return err
		}
		hash, err := auth.HashPassword(ctx, pw, auth.DefaultParams)
		if err != nil {
			return err
		}
		u, err := st.CreateUser(ctx, auth.User{Email: *email, PasswordHash: hash, Role: *role, Sites: sites})
		if errors.Is(err, store.ErrExists) {
			return fmt.Errorf("an account with the email %s already exists (change its password with charte user passwd)", *email)
		}
		if err != nil {
			return err
		}
		st.AppendAudit(ctx, auth.AuditEntry{Email: "cli", Action: "user.create", Detail: map[string]any{"email": u.Email, "role": u.Role, "sites": u.Sites}})
		fmt.Fprintf(io.Stdout, "created %s %s\n", u.Role, u.Email)
		return nil
	default:
		u, err := st.UserByEmail(ctx, *email)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no account with the email %s (see charte user list)", *email)
		}
		if err != nil {
			return err
		}
		pw, err := readNewPassword(io)
		if err != nil {
			return err
		}
		hash, err := auth.HashPassword(ctx, pw, auth.DefaultParams)
		if err != nil {
			return err
		}
		if err := st.SetPassword(ctx, u.ID, hash); err != nil {
			return err
		}
		st.AppendAudit(ctx, auth.AuditEntry{Email: "cli", Action: "user.password", Detail: map[string]any{"email": u.Email}})
		fmt.Fprintf(io.Stdout, "changed the password of %s; every session of the account has ended\n", u.Email)
		return nil
	}
}

// readNewPassword reads from the terminal twice without echo, or once from
// the first line of standard input when it is not a terminal.
func readNewPassword(io cli.IO) (string, error) {
	if f, ok := io.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(io.Stderr, "Password (at least 12 characters): ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(io.Stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(io.Stderr, "Password again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(io.Stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the two passwords differ: nothing changed")
		}
		return string(a), auth.CheckNewPassword(string(a))
	}
	line, err := bufio.NewReader(io.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("no password on standard input: give it on the first line")
	}
	pw := strings.TrimRight(line, "\r\n")
	return pw, auth.CheckNewPassword(pw)
}

func listUsers(ctx context.Context, io cli.IO, st store.Store) error {
	users, err := st.ListUsers(ctx)
	if err != nil {
		return err
	}
	if len(users) == 0 {
		fmt.Fprintln(io.Stderr, "no account yet: create the first owner with: charte user add --email you@example.org --role owner")
		return nil
	}
	w := tabwriter.NewWriter(io.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "EMAIL\tROLE\tSITES\tCREATED")
	for _, u := range users {
		sites := strings.Join(u.Sites, ",")
		if auth.AllSites(u) {
			sites = "*"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", u.Email, u.Role, sites, u.CreatedAt.Format("2006-01-02 15:04"))
	}
	return w.Flush()
}

var _ flag.Value = (*siteList)(nil)
