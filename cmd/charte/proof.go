package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/charte/charte/internal/cli"
	"github.com/charte/charte/internal/proof"
)

const proofHelp = `The installation's proof key: the Ed25519 key that signs the heads of the
proof chains (GET /api/v1/sites/{site}/proof/head and the checkpoint log).
It is created in the database the first time it is needed (charte serve
creates it at start) and shared by every node on that database.

  key       print the public key: by default the base64 of its 32 bytes (the
            form --key of "charte consents verify" takes), --format pem for a
            PEM PUBLIC KEY block (openssl reads it), --format json for what
            GET /api/v1/proof/key answers (algorithm, key_id, public_key, pem)

The key id is the first 16 bytes of the SHA-256 of the public key, in hex.
Save the public key somewhere the operator cannot rewrite: anyone who can
write to the database can also replace the key (docs/proof.md).`

func cmdProof(ctx context.Context, io cli.IO, args []string) error {
	fs := cli.NewFlagSet("charte proof", "charte proof key [--format base64|pem|json] [--db DSN]", proofHelp, io.Stderr)
	format := fs.String("format", "base64", "key: base64, pem or json")
	db := cli.DBFlag(fs)
	verb, err := parseVerbCommand(fs, io, args)
	if err != nil {
		return err
	}
	switch {
	case verb != "key":
		return cli.Usagef("charte proof: want key")
	case *format != "base64" && *format != "pem" && *format != "json":
		return cli.Usagef("charte proof key: --format %q: want base64, pem or json", *format)
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	priv, err := st.ProofKey(ctx)
	if err != nil {
		return err
	}
	signer, err := proof.NewSigner(priv)
	if err != nil {
		return err
	}
	pub := signer.Public()
	switch *format {
	case "pem":
		fmt.Fprint(io.Stdout, proof.PublicKeyPEM(pub))
	case "json":
		return json.NewEncoder(io.Stdout).Encode(map[string]string{"algorithm": "ed25519", "key_id": signer.KeyID(),
			"public_key": base64.StdEncoding.EncodeToString(pub), "pem": proof.PublicKeyPEM(pub), "signature_format": proof.HeadFormatV1})
	default:
		fmt.Fprintln(io.Stdout, base64.StdEncoding.EncodeToString(pub))
	}
	return nil
}
