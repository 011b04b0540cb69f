package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/herald-news/herald/internal/mail/dkim"
)

// runDKIM writes a new DKIM key and prints the DNS record to publish.
func runDKIM(e env, args []string) error {
	if len(args) == 0 || args[0] != "generate" {
		return errors.New("usage: herald dkim generate --domain DOMAIN [--selector herald] [--algo ed25519|rsa] [--out dkim.pem]")
	}
	fs := flag.NewFlagSet("herald dkim generate", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	domain := fs.String("domain", "", "the signing domain (d=), usually your From address's domain")
	selector := fs.String("selector", "herald", "the selector (s=)")
	algo := fs.String("algo", "ed25519", "ed25519, or rsa (2048 bits) for receivers that lack Ed25519")
	out := fs.String("out", "dkim.pem", "where to write the private key")
	rest, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(rest, " "))
	}
	if *domain == "" {
		return errors.New("--domain is required")
	}
	key, record, err := dkim.GenerateKey(*algo)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("write key (an existing key is never overwritten): %w", err)
	}
	if _, err := f.Write(key); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "Wrote %s. Publish this TXT record:\n\n%s. IN TXT \"%s\"\n\nThen run Herald with HERALD_DKIM_KEY=%s HERALD_DKIM_DOMAIN=%s HERALD_DKIM_SELECTOR=%s\n",
		*out, dkim.DNSName(*domain, *selector), record, *out, *domain, *selector)
	return err
}
