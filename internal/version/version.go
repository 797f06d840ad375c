// Package version names the charte build, for `charte version` and for the
// banner escrow, which records which build made each script visitors ran.
package version

import (
	"runtime/debug"
	"sync"
)

// Tag is set at build time with
// -ldflags "-X github.com/charte/charte/internal/version.Tag=v1.2.3".
var Tag = ""

// String names this build: Tag when set, else the module version when
// charte was built as a module (go install …@v1.2.3), else the VCS revision
// the binary was built from ("+dirty" with uncommitted changes), else
// "(devel)".
var String = sync.OnceValue(func() string {
	if Tag != "" {
		return Tag
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(devel)"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch {
		case s.Key == "vcs.revision":
			rev = s.Value
		case s.Key == "vcs.modified" && s.Value == "true":
			dirty = "+dirty"
		}
	}
	if rev == "" {
		return "(devel)"
	}
	return rev + dirty
})

// Go is the Go release the binary was built with.
func Go() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		return info.GoVersion
	}
	return ""
}
