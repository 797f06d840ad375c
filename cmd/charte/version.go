package main

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/charte/charte/internal/cli"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3";
// otherwise the module version or VCS revision from the build info is shown.
var version = ""

func cmdVersion(ctx context.Context, io cli.IO, args []string) error {
	fs := cli.NewFlagSet("charte version", "charte version", "Print charte's version, the Go version it was built with and its VCS revision.", io.Stderr)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	v, rev, goVersion := version, "", ""
	if info, ok := debug.ReadBuildInfo(); ok {
		goVersion = info.GoVersion
		if v == "" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				rev = s.Value
			}
		}
	}
	if v == "" {
		v = "(devel)"
	}
	fmt.Fprintf(io.Stdout, "charte %s", v)
	if rev != "" {
		fmt.Fprintf(io.Stdout, " (%.12s)", rev)
	}
	fmt.Fprintf(io.Stdout, " %s\n", goVersion)
	return nil
}
