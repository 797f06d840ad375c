// Command charte is a self-hosted cookie charter and consent platform: it
// renders a site's cookie charter from its registry, serves the consent
// banner, keeps proof of every choice and enforces choices on the server.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
	// The time zone database, in the binary (~450 KB): the container image
	// is FROM scratch, with no /usr/share/zoneinfo, and TZ must still work.
	_ "time/tzdata"

	"github.com/charte/charte/internal/cli"
)

// command is one subcommand: run parses its own flags from args.
type command struct {
	run     func(ctx context.Context, io cli.IO, args []string) error
	summary string
}

// commands is the table of subcommands; each file of this package adds none
// on its own, so the whole CLI is readable here.
var commands = map[string]command{
	"serve":       {cmdServe, "run the web server: charters, banner, consent API, back office"},
	"charter":     {cmdCharter, "print a site's cookie charter (html, md or json)"},
	"site":        {cmdSite, "list, import or export site registries"},
	"db":          {cmdDB, "database maintenance: migrate, backup, check"},
	"consents":    {cmdConsents, "verify (with witnesses), export, purge the proof of consent; export checkpoints"},
	"proof":       {cmdProof, "print the public key that signs the proof heads"},
	"bench":       {cmdBench, "measure durable consent writes against a running server"},
	"user":        {cmdUser, "manage back-office accounts"},
	"token":       {cmdToken, "manage API tokens"},
	"proxy":       {cmdProxy, "reverse proxy that enforces consent and injects the banner"},
	"scan":        {cmdScan, "crawl a site in headless Chromium and check its cookies against the registry"},
	"healthcheck": {cmdHealthcheck, "ask a running server's /healthz (the container image's health check)"},
	"services":    {cmdServices, "list and show the catalogue of ready-made service recipes"},
	"version":     {cmdVersion, "print charte's version"},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], cli.IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
	stop()
	os.Exit(code)
}

// run executes one command line and returns the exit status: 0 on success
// (and for -h), 2 for a usage error, 1 for anything else.
func run(ctx context.Context, args []string, io cli.IO) int {
	err := dispatch(ctx, args, io)
	var usage *cli.UsageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &usage):
		fmt.Fprintln(io.Stderr, "charte:", usage.Reason)
		return 2
	case errors.Is(err, errSilentFailure):
		return 1
	default:
		fmt.Fprintln(io.Stderr, "charte:", err)
		return 1
	}
}

// errSilentFailure is returned by commands that already explained the failure
// (a scan with findings, a broken proof chain) and only need exit status 1.
var errSilentFailure = errors.New("failed")

func dispatch(ctx context.Context, args []string, io cli.IO) error {
	if len(args) == 0 {
		usage(io.Stderr)
		return cli.Usagef("missing command")
	}
	name := args[0]
	if name == "-h" || name == "-help" || name == "--help" || name == "help" {
		usage(io.Stdout)
		return nil
	}
	cmd, ok := commands[name]
	if !ok {
		return cli.Usagef("unknown command %q (run charte -h for the list)", name)
	}
	return cmd.run(ctx, io, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: charte <command> [flags] [arguments]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-11s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun charte <command> -h for a command's flags.")
}
