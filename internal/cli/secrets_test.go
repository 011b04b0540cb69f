package cli

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald/internal/mail/smtptest"
	"github.com/herald-news/herald/internal/sqldb/sqldbtest"
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

// TestServeLogsNoSecrets runs serve with a password in the database URL
// (PostgreSQL's when the tests run on it) and in the SMTP URL, sends a
// confirmation through the relay, and scans every log line, shutdown
// included, for either password.
func TestServeLogsNoSecrets(t *testing.T) {
	const dbSecret, smtpSecret = "dbPassw0rdXyz", "smtpPassw0rdQrs"
	dsn := "file:" + filepath.Join(t.TempDir(), "h.db") + "?_pragma=busy_timeout(5000)&password=" + dbSecret
	if server := os.Getenv(sqldbtest.PostgresEnv); server != "" {
		u, err := url.Parse(sqldbtest.MustURL(t))
		if err != nil {
			t.Fatal(err)
		}
		u.User = url.UserPassword(u.User.Username(), dbSecret) // the test cluster trusts loopback: any password will do
		dsn = u.String()
	}
	relay := &smtptest.Relay{Password: smtpSecret}
	port := smtptest.MustStart(t, relay, nil)
	addr := freeAddr(t)
	var logs *syncBuffer
	t.Cleanup(func() { // runs after serve has stopped
		if logs == nil {
			return
		}
		for _, secret := range []string{dbSecret, smtpSecret} {
			if strings.Contains(logs.String(), secret) {
				t.Errorf("the log holds a password:\n%s", logs.String())
			}
		}
	})
	logs = mustRunUntilHealthy(t, []string{"serve", "--demo", "-addr", addr, "-database-url", dsn, "-check-domains", "off",
		"-smtp-url", fmt.Sprintf("smtp://herald:%s@127.0.0.1:%d", smtpSecret, port), "-log-level", "debug"}, "http://"+addr+"/healthz")
	res, err := http.PostForm("http://"+addr+"/subscribe", url.Values{"email": {"reader@example.com"}, "newsletter": {"am"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	deadline := time.Now().Add(20 * time.Second)
	for relay.Count() == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if relay.Count() == 0 {
		t.Fatalf("no confirmation reached the relay (signup %d):\n%s", res.StatusCode, logs.String())
	}
}
