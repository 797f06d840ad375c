package main

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/charte/charte/internal/cli"
	"github.com/charte/charte/internal/proof"
	"github.com/charte/charte/internal/store"
)

// parseVerbArgs is parseVerbCommand for a command whose verb takes
// arguments (consents verify FILE…): flags may come before the verb, after
// it, or between the files, and the arguments are returned, not refused.
func parseVerbArgs(fs *flag.FlagSet, io cli.IO, args []string) (string, []string, error) {
	var positional []string
	for {
		if err := cli.Parse(fs, args); err != nil {
			return "", nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		positional, args = append(positional, args[0]), args[1:]
	}
	if err := cli.EnvDefaults(fs, io.Getenv, "db"); err != nil {
		return "", nil, err
	}
	if len(positional) == 0 {
		return "", nil, nil
	}
	return positional[0], positional[1:], nil
}

// readWitnesses reads every witness file ("-": standard input) and refuses,
// as a usage error, a file that holds no head or a head of another site:
// those say nothing about this chain and were given by mistake.
func readWitnesses(io cli.IO, site string, files []string) ([]proof.Witness, error) {
	var all []proof.Witness
	for _, name := range files {
		f, err := cli.Open(name, io.Stdin)
		if err != nil {
			return nil, cli.Usagef("charte consents verify: --witness: %v", err)
		}
		ws, err := proof.ParseWitnesses(name, f)
		f.Close()
		if err != nil {
			return nil, cli.Usagef("charte consents verify: %v", err)
		}
		for _, w := range ws {
			if w.Head.Site != site {
				return nil, cli.Usagef("charte consents verify: witness %s is for site %q, not %q", w.Source, w.Head.Site, site)
			}
		}
		all = append(all, ws...)
	}
	return all, nil
}

// auditorKey reads --key: a file holding the public key, or the key itself
// (base64, PEM, or the JSON of /api/v1/proof/key).
func auditorKey(value string) (ed25519.PublicKey, error) {
	if data, ferr := os.ReadFile(value); ferr == nil {
		pub, err := proof.ParsePublicKey(string(data))
		if err != nil {
			return nil, cli.Usagef("charte consents verify: --key file %s: %v", value, err)
		}
		return pub, nil
	} else if pub, err := proof.ParsePublicKey(value); err == nil {
		return pub, nil
	} else {
		return nil, cli.Usagef("charte consents verify: --key %q is neither a readable file (%v) nor a key (%v)",
			clipArg(value), errors.Unwrap(ferr), err)
	}
}

func clipArg(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// checkWitnesses prints a line per witness and reports whether all hold.
// Without --key, signatures are checked against the key in the database,
// which whoever rewrote the database could have replaced: the output says so.
func checkWitnesses(ctx context.Context, io cli.IO, st store.Store, site string, ws []proof.Witness, key ed25519.PublicKey) (bool, error) {
	if key == nil {
		priv, err := st.ProofKey(ctx)
		if err != nil {
			return false, err
		}
		key = priv.Public().(ed25519.PublicKey)
		fmt.Fprintf(io.Stdout, "%s: signatures checked against the key in the database (%s); pass --key with the key you saved to rule out a replaced key\n",
			site, proof.KeyID(key))
	} else {
		fmt.Fprintf(io.Stdout, "%s: signatures checked against the key given (%s)\n", site, proof.KeyID(key))
	}
	verdicts, err := store.CheckWitnesses(ctx, st, site, key, ws)
	if err != nil {
		return false, err
	}
	failed, uncheckable := 0, 0
	for _, v := range verdicts {
		word := "holds"
		switch v.Status {
		case proof.WitnessFails:
			word, failed = "FAILS", failed+1
		case proof.WitnessBeforeAnchor:
			word, uncheckable = "not checkable", uncheckable+1
		}
		fmt.Fprintf(io.Stdout, "%s: witness %s (record %d, %s): %s: %s\n", site, v.Witness.Source, v.Witness.Head.Seq, v.Signature, word, v.Reason)
	}
	switch {
	case failed > 0:
		fmt.Fprintf(io.Stdout, "%s: %d of %d witnesses FAIL\n", site, failed, len(verdicts))
	case uncheckable > 0:
		fmt.Fprintf(io.Stdout, "%s: %d witnesses hold, %d before the retention anchor not checkable\n", site, len(verdicts)-uncheckable, uncheckable)
	default:
		fmt.Fprintf(io.Stdout, "%s: all %d witnesses hold\n", site, len(verdicts))
	}
	return failed == 0, nil
}

// exportCheckpoints writes a site's checkpoint log, one signed head a line:
// the file is a witness file as it stands.
func exportCheckpoints(ctx context.Context, io cli.IO, st store.Store, site string) error {
	if _, err := st.Site(ctx, site); err != nil {
		return err
	}
	enc := json.NewEncoder(io.Stdout)
	return st.Checkpoints(ctx, site, func(c store.Checkpoint) error { return enc.Encode(c) })
}
