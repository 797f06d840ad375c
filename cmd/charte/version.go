package main

import (
	"context"
	"fmt"

	"github.com/charte/charte/internal/cli"
	"github.com/charte/charte/internal/version"
)

func cmdVersion(ctx context.Context, io cli.IO, args []string) error {
	fs := cli.NewFlagSet("charte version", "charte version",
		"Print charte's version (the tag given at build time with\n-ldflags \"-X github.com/charte/charte/internal/version.Tag=v1.2.3\", else the module version or\nthe VCS revision it was built from) and the Go release it was built with.", io.Stderr)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return cli.Usagef("charte version: unexpected argument %q", fs.Arg(0))
	}
	fmt.Fprintf(io.Stdout, "charte %s %s\n", version.String(), version.Go())
	return nil
}
