package bounce

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mustRead(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestParseReadsRealFormatReports(t *testing.T) {
	tests := []struct {
		file      string
		typ       ReportType
		malformed bool
		action    string
		code      string
		kind      Kind
		final     string
	}{
		{"dsn-5.1.1.eml", TypeDSN, false, "failed", "5.1.1", Hard, "reader0001@example.com"},
		{"dsn-4.2.2.eml", TypeDSN, false, "failed", "4.2.2", Soft, "reader0001@example.com"},
		{"dsn-5.2.2.eml", TypeDSN, false, "failed", "5.2.2", Soft, "reader0001@example.com"},
		{"dsn-5.7.26.eml", TypeDSN, false, "failed", "5.7.26", Policy, "reader0001@example.com"},
		{"dsn-delayed.eml", TypeDSN, false, "delayed", "4.4.1", Soft, "reader0001@example.com"},
		{"dsn-malformed.eml", TypeDSN, true, "failed", "5.1.1", Hard, "reader0001@example.com"},
		{"arf-abuse.eml", TypeARF, false, "", "", "", ""},
	}
	for _, tt := range tests {
		r, err := Parse(mustRead(t, tt.file))
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		if r.Type != tt.typ || r.Malformed != tt.malformed {
			t.Errorf("%s: type %q malformed %v", tt.file, r.Type, r.Malformed)
		}
		if r.Original.MessageID != "edition-7-12@herald.example" {
			t.Errorf("%s: original Message-ID %q", tt.file, r.Original.MessageID)
		}
		if !strings.HasPrefix(r.Original.ReturnPath, "bounces+42.") {
			t.Errorf("%s: original Return-Path %q", tt.file, r.Original.ReturnPath)
		}
		if tt.typ == TypeARF {
			f := r.Feedback
			if f.Type != "abuse" || len(f.OriginalRcptTo) != 1 || f.OriginalRcptTo[0] != "reader0001@example.com" || f.SourceIP != "203.0.113.9" {
				t.Errorf("%s: feedback %+v", tt.file, f)
			}
			continue
		}
		if len(r.Recipients) != 1 {
			t.Fatalf("%s: recipients %+v", tt.file, r.Recipients)
		}
		rc := r.Recipients[0]
		if rc.Action != tt.action || rc.Code.String() != tt.code || Classify(rc.Code) != tt.kind || rc.Final != tt.final {
			t.Errorf("%s: %+v, want %s %s (%s) for %s", tt.file, rc, tt.action, tt.code, tt.kind, tt.final)
		}
		if !tt.malformed && rc.Diagnostic == "" {
			t.Errorf("%s: no diagnostic", tt.file)
		}
	}
}

func TestParseDSNAndParseARFKeepToTheirKind(t *testing.T) {
	if _, err := ParseARF(mustRead(t, "dsn-5.1.1.eml")); err != ErrNotARF {
		t.Errorf("ParseARF of a DSN: %v", err)
	}
	if r, err := ParseDSN(mustRead(t, "arf-abuse.eml")); err != nil || !r.Malformed {
		t.Errorf("ParseDSN of an ARF report: %+v %v", r, err)
	}
	if _, err := Parse([]byte("not a message at all")); err != ErrNotReport {
		t.Errorf("garbage: %v", err)
	}
}

func TestGenericStatusGivesWayToTheDiagnostic(t *testing.T) {
	raw := strings.ReplaceAll(string(mustRead(t, "dsn-5.1.1.eml")), "Status: 5.1.1", "Status: 5.0.0")
	r, err := ParseDSN([]byte(raw))
	if err != nil || r.Recipients[0].Code.String() != "5.1.1" {
		t.Errorf("5.0.0 with a 550 5.1.1 diagnostic: %+v %v", r, err)
	}
}

func TestBase64DeliveryStatusIsDecoded(t *testing.T) {
	raw := `From: MAILER-DAEMON@mx.example.net
To: bounces+1.x@b.example
Message-ID: <b64@mx.example.net>
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: message/delivery-status
Content-Transfer-Encoding: base64

` + "UmVwb3J0aW5nLU1UQTogZG5zOyBteC5leGFtcGxlLm5ldAoKRmluYWwtUmVjaXBpZW50OiByZmM4\nMjI7IGFubkBleGFtcGxlLmNvbQpBY3Rpb246IGZhaWxlZApTdGF0dXM6IDUuMS4xCg==\n" + `
--b--
`
	r, err := ParseDSN([]byte(raw))
	if err != nil || r.Malformed || len(r.Recipients) != 1 || r.Recipients[0].Final != "ann@example.com" || r.Recipients[0].Code.String() != "5.1.1" {
		t.Errorf("base64 delivery-status: %+v %v", r, err)
	}
}
