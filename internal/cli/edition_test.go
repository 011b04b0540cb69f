package cli

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/herald-news/herald/internal/app"
	"github.com/herald-news/herald/internal/sqldb"
)

// The editor's loop from the command line: draft from the demo stories,
// look at it, test it, send it and watch it finish.
func TestEditionCommands(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := run(t, "demo", "-data-dir", dir); code != 0 {
		t.Fatal(errOut)
	}
	list := filepath.Join(t.TempDir(), "list.csv")
	if err := os.WriteFile(list, []byte("email\nann@example.com\nbo@example.com\ncy@example.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, "subscribers", "import", "-data-dir", dir, "-newsletter", "am", "-confirmed", list); code != 0 {
		t.Fatal(errOut)
	}
	code, out, errOut := run(t, "edition", "draft", "-data-dir", dir, "-newsletter", "am")
	m := regexp.MustCompile(`drafted edition (\d+) of Herald AM`).FindStringSubmatch(out)
	if code != 0 || m == nil || !strings.Contains(out, "Smart Brevity count:") {
		t.Fatalf("draft: %d %q %q", code, out, errOut)
	}
	id := m[1]
	if code, out, _ := run(t, "edition", "show", "-data-dir", dir, id); code != 0 || !strings.Contains(out, "1 big thing") {
		t.Errorf("show: %d %q", code, out)
	}
	if code, out, errOut := run(t, "edition", "test", "-data-dir", dir, "-to", "editor@example.com", id); code != 0 || !strings.Contains(out, "devinbox") {
		t.Errorf("test: %d %q %q", code, out, errOut)
	}
	code, out, errOut = run(t, "edition", "send", "-data-dir", dir, "-wait", id)
	if code != 0 || !strings.Contains(out, "sending to 3 readers") || !strings.Contains(out, "sent — 3 of 3 done, accepted 3") {
		t.Fatalf("send: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := run(t, "edition", "send", "-data-dir", dir, id); code != 1 || !strings.Contains(errOut, "not a draft") {
		t.Errorf("second send: %d %q", code, errOut)
	}
	withTestApp(t, dir, func(a *app.App) {
		msgs, err := sqldb.NewInboxStore(a.DB).InboxMessages(context.Background(), 0)
		if err != nil {
			t.Fatal(err)
		}
		var tests, editions int
		for _, m := range msgs {
			if strings.HasPrefix(m.Subject, "[Test] ") {
				tests++
			} else {
				editions++
			}
		}
		if tests != 1 || editions != 3 {
			t.Errorf("inbox: %d test copies, %d edition copies", tests, editions)
		}
	})
}

func TestDKIMGenerate(t *testing.T) {
	key := filepath.Join(t.TempDir(), "dkim.pem")
	code, out, errOut := run(t, "dkim", "generate", "-domain", "news.example", "-selector", "h1", "-out", key)
	if code != 0 || !strings.Contains(out, `h1._domainkey.news.example. IN TXT "v=DKIM1; k=ed25519; p=`) {
		t.Fatalf("generate: %d %q %q", code, out, errOut)
	}
	if st, err := os.Stat(key); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v %v", st, err)
	}
	if code, _, errOut := run(t, "dkim", "generate", "-domain", "news.example", "-out", key); code != 1 || !strings.Contains(errOut, "never overwritten") {
		t.Errorf("overwrite: %d %q", code, errOut)
	}
}
