package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/charte/charte/internal/cli"
)

const healthcheckHelp = `Ask a running charte server whether it is healthy: GET --url and exit 0 on a
200 answer, 1 otherwise. The container image's HEALTHCHECK runs it, since an
image built FROM scratch has no curl or wget.

Without --url it asks http://<listen>/healthz, <listen> being CHARTE_LISTEN
(the address charte serve listens on, 127.0.0.1:8080 by default), a wildcard
address (0.0.0.0, [::]) asked on loopback. Use /readyz to also require a
reachable, migrated database.`

func cmdHealthcheck(ctx context.Context, cio cli.IO, args []string) error {
	fs := cli.NewFlagSet("charte healthcheck", "charte healthcheck [--url URL] [--timeout D]", healthcheckHelp, cio.Stderr)
	target := fs.String("url", "", "URL to ask (default http://<CHARTE_LISTEN>/healthz)")
	timeout := fs.Duration("timeout", 5*time.Second, "how long to wait for the answer")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.Usagef("charte healthcheck: unexpected argument %q", fs.Arg(0))
	}
	if *target == "" {
		listen := cio.Getenv(cli.EnvName("listen"))
		if listen == "" {
			listen = "127.0.0.1:8080"
		}
		host, port, err := net.SplitHostPort(listen)
		if err != nil {
			return cli.Usagef("charte healthcheck: %s=%q: want HOST:PORT", cli.EnvName("listen"), listen)
		}
		if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
			host = "127.0.0.1"
		}
		*target = (&url.URL{Scheme: "http", Host: net.JoinHostPort(host, port), Path: "/healthz"}).String()
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *target, nil)
	if err != nil {
		return cli.Usagef("charte healthcheck: --url %q: %v", *target, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", *target, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", *target, resp.Status)
	}
	fmt.Fprintf(cio.Stdout, "%s: %s", *target, body)
	return nil
}
