package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sample(name string) string { return filepath.Join("..", "bounce", "testdata", name) }

func TestBounceProcessRecordsSavedReportsOnce(t *testing.T) {
	dir := mustNewsletterDir(t)
	list := filepath.Join(t.TempDir(), "list.csv")
	if err := os.WriteFile(list, []byte("email\nreader0001@example.com\nreader0002@example.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, "subscribers", "import", "-data-dir", dir, "-newsletter", "am", "-confirmed", list); code != 0 {
		t.Fatal(errOut)
	}
	// A relay forwarded the bounces elsewhere: the operator vouches for
	// the file, and its recipient names the reader.
	code, out, errOut := run(t, "bounce", "process", "-data-dir", dir, sample("dsn-malformed.eml"), sample("dsn-delayed.eml"), sample("dsn-5.7.26.eml"))
	if code != 0 || !strings.Contains(out, "dsn-malformed.eml: hard bounce") || !strings.Contains(out, ": suppressed") ||
		!strings.Contains(out, "dsn-delayed.eml: nothing to do: a delay warning") || !strings.Contains(out, "dsn-5.7.26.eml: refused for our own policy") {
		t.Fatalf("process: %d %q %q", code, out, errOut)
	}
	if _, out, _ := run(t, "bounce", "process", "-data-dir", dir, sample("dsn-malformed.eml")); !strings.Contains(out, "recorded before; nothing changed") {
		t.Errorf("second time: %q", out)
	}
	// With a bounce domain, a report whose VERP address we did not sign is ignored.
	code, out, _ = run(t, "bounce", "process", "-data-dir", dir, "-bounce-domain", "bounces.herald.example", sample("dsn-5.2.2.eml"))
	if code != 1 || !strings.Contains(out, "not one this Herald signed") {
		t.Errorf("unsigned: %d %q", code, out)
	}
	if _, out, _ := run(t, "bounce", "alerts", "-data-dir", dir); !strings.Contains(out, "OPEN") || !strings.Contains(out, "5.7.26") {
		t.Errorf("alerts: %q", out)
	}
	if code, out, _ := run(t, "bounce", "alerts", "-data-dir", dir, "-resolve", "1"); code != 0 || !strings.Contains(out, "resolved") {
		t.Errorf("resolve: %d %q", code, out)
	}
}

func TestSuppressionsListExportAndLiftWithAReason(t *testing.T) {
	dir := mustNewsletterDir(t)
	list := filepath.Join(t.TempDir(), "list.csv")
	if err := os.WriteFile(list, []byte("email\nreader0001@example.com\nreader0002@example.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, "subscribers", "import", "-data-dir", dir, "-newsletter", "am", "-confirmed", list)
	run(t, "bounce", "process", "-data-dir", dir, sample("dsn-malformed.eml"))
	run(t, "subscribers", "delete", "-data-dir", dir, "reader0002@example.com")
	code, out, _ := run(t, "suppressions", "list", "-data-dir", dir)
	if code != 0 || !strings.Contains(out, "reader0001@example.com") || !strings.Contains(out, "hard bounce 5.1.1") ||
		!strings.Contains(out, "(erased) sha256:") || strings.Contains(out, "reader0002") {
		t.Errorf("list: %q", out)
	}
	if code, out, _ := run(t, "suppressions", "export", "-data-dir", dir); code != 0 ||
		!strings.HasPrefix(out, "email,email_hash,reason,source") || !strings.Contains(out, "reader0001@example.com,") {
		t.Errorf("export: %q", out)
	}
	if code, _, errOut := run(t, "suppressions", "remove", "-data-dir", dir, "reader0001@example.com"); code != 1 || !strings.Contains(errOut, "--reason") {
		t.Errorf("remove without a reason: %d %q", code, errOut)
	}
	if code, _, errOut := run(t, "suppressions", "remove", "reader0002@example.com", "-data-dir", dir, "--reason", "oops"); code != 1 || !strings.Contains(errOut, "erased") {
		t.Errorf("remove an erased reader: %d %q", code, errOut)
	}
	code, out, errOut := run(t, "suppressions", "remove", "reader0001@example.com", "-data-dir", dir, "--reason", "the reader wrote in", "--by", "ops")
	if code != 0 || !strings.Contains(out, "Lifted") || !strings.Contains(errOut, "suppression lifted") || !strings.Contains(errOut, "by=ops") {
		t.Fatalf("remove: %d %q %q", code, out, errOut)
	}
	if _, out, _ := run(t, "suppressions", "list", "-data-dir", dir); strings.Contains(out, "reader0001") {
		t.Errorf("after lifting: %q", out)
	}
}
