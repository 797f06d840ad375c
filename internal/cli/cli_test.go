package cli_test

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charte/charte/internal/cli"
)

// A flag comes from the command line, else CHARTE_<FLAG>, else the file
// CHARTE_<FLAG>_FILE names; mistakes are usage errors that never echo a
// file's content.
func TestEnvDefaultsFromFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	secret := write("db", "postgres://charte:s3cret@db/charte\n")
	crlf := write("crlf", "postgres://charte:s3cret@db/charte\r\n")
	empty := write("empty", "\n")
	for _, tt := range []struct {
		name    string
		args    []string
		env     map[string]string
		want    string // the flag's value
		wantErr string // a part of the usage error
	}{
		{"default", nil, nil, cli.DefaultDB, ""},
		{"variable", nil, map[string]string{"CHARTE_DB": "sqlite:a.db"}, "sqlite:a.db", ""},
		{"file, trailing newline dropped", nil, map[string]string{"CHARTE_DB_FILE": secret}, "postgres://charte:s3cret@db/charte", ""},
		{"file with CRLF", nil, map[string]string{"CHARTE_DB_FILE": crlf}, "postgres://charte:s3cret@db/charte", ""},
		{"command line wins over the file", []string{"--db", "sqlite:b.db"}, map[string]string{"CHARTE_DB_FILE": secret}, "sqlite:b.db", ""},
		{"both set", nil, map[string]string{"CHARTE_DB": "sqlite:a.db", "CHARTE_DB_FILE": secret}, "", "both CHARTE_DB and CHARTE_DB_FILE are set"},
		{"missing file", nil, map[string]string{"CHARTE_DB_FILE": filepath.Join(dir, "nowhere")}, "", "CHARTE_DB_FILE: open "},
		{"empty file", nil, map[string]string{"CHARTE_DB_FILE": empty}, "", "CHARTE_DB_FILE: " + empty + " is empty"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fs := cli.NewFlagSet("charte test", "charte test", "", io.Discard)
			db := cli.DBFlag(fs)
			if err := cli.Parse(fs, tt.args); err != nil {
				t.Fatal(err)
			}
			err := cli.EnvDefaults(fs, func(k string) string { return tt.env[k] })
			var usage *cli.UsageError
			switch {
			case tt.wantErr != "":
				if !errors.As(err, &usage) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want a usage error with %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "s3cret") {
					t.Errorf("the error repeats the secret: %v", err)
				}
			case err != nil:
				t.Fatal(err)
			case *db != tt.want:
				t.Errorf("--db %q, want %q", *db, tt.want)
			}
		})
	}
}

// A value from a file that the flag refuses names the file, not the value.
func TestEnvDefaultsFileBadValue(t *testing.T) {
	p := filepath.Join(t.TempDir(), "n")
	if err := os.WriteFile(p, []byte("many"), 0o600); err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.Int("batch-size", 1, "")
	err := cli.EnvDefaults(fs, func(k string) string { return map[string]string{"CHARTE_BATCH_SIZE_FILE": p}[k] })
	if err == nil || !strings.Contains(err.Error(), "CHARTE_BATCH_SIZE_FILE ("+p+")") {
		t.Fatalf("error %v, want one naming the file", err)
	}
}
