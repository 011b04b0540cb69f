package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestMigrateNeverPrintsTheDatabasePassword runs migrate with a password in
// the database URL and scans everything it printed for it.
func TestMigrateNeverPrintsTheDatabasePassword(t *testing.T) {
	const secret = "s3cretPassw0rd"
	dsn := "file:" + filepath.Join(t.TempDir(), "h.db") + "?_pragma=busy_timeout(5000)&password=" + secret
	code, out, errOut := run(t, "migrate", "-database-url", dsn)
	if code != 0 {
		t.Fatalf("migrate: %d %s %s", code, out, errOut)
	}
	if !strings.Contains(out, "database is up to date") || !strings.Contains(out, "password=xxxxx") {
		t.Errorf("migrate printed %q, want the redacted URL", out)
	}
	if strings.Contains(out+errOut, secret) {
		t.Errorf("migrate printed the password: %s %s", out, errOut)
	}
}
