// Package cli holds what every charte command shares: flag parsing that
// turns mistakes into usage errors (exit 2), CHARTE_* environment defaults,
// and opening files where "-" means standard input.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// UsageError is a mistake in how a command was called: charte prints its
// one-line reason and exits 2.
type UsageError struct{ Reason string }

func (e *UsageError) Error() string { return e.Reason }

// Usagef builds a UsageError.
func Usagef(format string, args ...any) error {
	return &UsageError{Reason: fmt.Sprintf(format, args...)}
}

// IO is what a command reads and writes, so tests run commands in-process.
type IO struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads the environment; os.Getenv in production.
	Getenv func(string) string
}

// NewFlagSet returns a flag set that reports errors instead of exiting and
// prints usage (with the synopsis and description) only for -h.
func NewFlagSet(name, synopsis, description string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: %s\n\n%s\n", synopsis, strings.TrimSpace(description))
		var hasFlags bool
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(stderr, "\nFlags:")
			fs.SetOutput(stderr)
			fs.PrintDefaults()
			fs.SetOutput(io.Discard)
		}
	}
	return fs
}

// Parse parses args. -h prints usage and returns flag.ErrHelp (exit 0); any
// other flag mistake becomes a UsageError.
func Parse(fs *flag.FlagSet, args []string) error {
	// The flag package prints the whole usage on any mistake; a mistake
	// deserves one line, so usage is silenced while parsing.
	usage := fs.Usage
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.Usage = usage
	if errors.Is(err, flag.ErrHelp) {
		fs.Usage()
		return flag.ErrHelp
	}
	if err != nil {
		return &UsageError{Reason: fmt.Sprintf("%s: %v (see %s -h)", fs.Name(), err, fs.Name())}
	}
	return nil
}

// EnvDefaults sets flags not given on the command line from the environment
// variable CHARTE_<FLAG> (upper case, dashes as underscores), or from the file
// CHARTE_<FLAG>_FILE names: the named flags only, or every flag when no name
// is given. Call it after Parse.
//
// The _FILE form keeps a secret such as the database's password out of the
// environment, which leaks into /proc, crash reports and `docker inspect`:
// systemd's LoadCredential and Docker or Kubernetes secrets hand a service a
// file instead (Miniflux reads DATABASE_URL_FILE the same way). One
// trailing newline is dropped, since editors and `echo` add one.
func EnvDefaults(fs *flag.FlagSet, getenv func(string) string, only ...string) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] || err != nil || (len(only) > 0 && !slices.Contains(only, f.Name)) {
			return
		}
		name := EnvName(f.Name)
		v, from, e := envValue(name, getenv)
		if e != nil {
			err = e
			return
		}
		if from != "" {
			if e := f.Value.Set(v); e != nil {
				err = &UsageError{Reason: fmt.Sprintf("%s: %v", from, e)}
			}
		}
	})
	return err
}

// envValue reads a flag's value from the variable name or the file
// name_FILE names; from describes where it came from ("" when neither is
// set), for error messages, without repeating a secret.
func envValue(name string, getenv func(string) string) (v, from string, err error) {
	v, file := getenv(name), getenv(name+"_FILE")
	switch {
	case v != "" && file != "":
		return "", "", &UsageError{Reason: fmt.Sprintf("both %s and %s_FILE are set: keep one", name, name)}
	case v != "":
		return v, fmt.Sprintf("%s=%q", name, v), nil
	case file == "":
		return "", "", nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", "", &UsageError{Reason: fmt.Sprintf("%s_FILE: %v", name, err)}
	}
	v = strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if v == "" {
		return "", "", &UsageError{Reason: fmt.Sprintf("%s_FILE: %s is empty", name, file)}
	}
	return v, fmt.Sprintf("%s_FILE (%s)", name, file), nil
}

// EnvName is the environment variable read for a flag.
func EnvName(flagName string) string {
	return "CHARTE_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// DefaultDB is the database used when neither --db nor CHARTE_DB is given.
const DefaultDB = "sqlite:charte.db"

// DBFlag declares the --db flag every database command takes.
func DBFlag(fs *flag.FlagSet) *string {
	return fs.String("db", DefaultDB, "database: sqlite:PATH or postgres://… (env CHARTE_DB)")
}

// Open opens a file for reading, "-" meaning in.
func Open(name string, in io.Reader) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(in), nil
	}
	return os.Open(name)
}
