package smtpmail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"github.com/herald-news/herald/internal/mail/smtptest"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/mail"
)

// confirmation is a text-only message with a fixed Date and Message-ID, so
// its bytes are the same every time. The lone "." line tests dot-stuffing.
func confirmation(to string) *mail.Message {
	return &mail.Message{
		From:      mail.Address{Name: "Herald", Email: "news@herald.example"},
		To:        mail.Address{Email: to},
		Subject:   "Confirm your subscription",
		Date:      time.Date(2026, 3, 4, 7, 30, 0, 0, time.UTC),
		MessageID: "confirm-1@herald.example",
		Text:      "Please confirm: https://herald.example/confirm?t=abc\n.\n..two dots\n",
	}
}

func loopback(port int) Config {
	return Config{Host: "127.0.0.1", Port: port, Timeout: 5 * time.Second, HELO: "herald.test"}
}

func mustSendOne(t *testing.T, r *smtptest.Relay, cfg Config, m *mail.Message) smtptest.Received {
	t.Helper()
	if err := New(cfg).Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	msgs := r.Messages()
	if len(msgs) != 1 {
		t.Fatalf("relay got %d messages, want 1", len(msgs))
	}
	return msgs[0]
}

func TestSendOverLoopbackWithoutTLSDeliversExactBytesAndCredentials(t *testing.T) {
	r := &smtptest.Relay{Password: "s3cret"}
	cfg := loopback(smtptest.MustStart(t, r, nil))
	cfg.Username, cfg.Password = "herald", "s3cret"
	m := confirmation("ann@bücher.example")

	got := mustSendOne(t, r, cfg, m)
	want, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Data, want) {
		t.Errorf("relay got\n%q\nwant\n%q", got.Data, want)
	}
	if got.From != "news@herald.example" || len(got.To) != 1 || got.To[0] != "ann@xn--bcher-kva.example" {
		t.Errorf("envelope = %s → %v", got.From, got.To)
	}
	if got.Username != "herald" || got.Password != "s3cret" {
		t.Errorf("AUTH = %q/%q", got.Username, got.Password)
	}
	if got.TLS || got.UTF8 {
		t.Errorf("TLS = %v, UTF8 = %v; want neither", got.TLS, got.UTF8)
	}
}

func TestSendRefusesWithoutSTARTTLSWhenRequired(t *testing.T) {
	r := &smtptest.Relay{Password: "s3cret"}
	cfg := loopback(smtptest.MustStart(t, r, nil))
	cfg.RequireTLS = true
	cfg.Username, cfg.Password = "herald", "s3cret"

	err := New(cfg).Send(context.Background(), confirmation("ann@example.com"))
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("Send = %v, want an error about STARTTLS", err)
	}
	if mails, auths := r.Calls(); mails != 0 || auths != 0 {
		t.Errorf("relay saw %d MAIL and %d AUTH, want none", mails, auths)
	}
}

func TestNonLoopbackHostAlwaysNeedsTLS(t *testing.T) {
	for _, tt := range []struct {
		cfg  Config
		want bool
	}{
		{Config{Host: "smtp.example.com"}, true},
		{Config{Host: "10.0.0.5"}, true},
		{Config{Host: "127.0.0.1"}, false},
		{Config{Host: "127.9.9.9"}, false},
		{Config{Host: "::1"}, false},
		{Config{Host: "LocalHost"}, false},
		{Config{Host: "localhost", RequireTLS: true}, true},
		{Config{Host: "smtp.example.com", ImplicitTLS: true}, false}, // TLS already
	} {
		if got := tt.cfg.needsSTARTTLS(); got != tt.want {
			t.Errorf("%+v needsSTARTTLS = %v, want %v", tt.cfg, got, tt.want)
		}
	}
}

func TestSendUsesSTARTTLSWithTrustedCertificate(t *testing.T) {
	cert, pool := smtptest.MustCert(t)
	r := &smtptest.Relay{Password: "s3cret"}
	port := smtptest.MustStart(t, r, func(s *smtp.Server) {
		s.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		s.AllowInsecureAuth = false // AUTH only after STARTTLS
	})
	cfg := loopback(port)
	cfg.RequireTLS = true
	cfg.Username, cfg.Password = "herald", "s3cret"
	cfg.TLSConfig = &tls.Config{RootCAs: pool}

	got := mustSendOne(t, r, cfg, confirmation("ann@example.com"))
	if !got.TLS || got.Username != "herald" {
		t.Errorf("TLS = %v, user = %q; want TLS and AUTH", got.TLS, got.Username)
	}

	cfg.TLSConfig = nil // the system roots don't know the test certificate
	err := New(cfg).Send(context.Background(), confirmation("ann@example.com"))
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("Send = %v, want a certificate error", err)
	}
}

func TestSendOverImplicitTLS(t *testing.T) {
	cert, pool := smtptest.MustCert(t)
	r := &smtptest.Relay{}
	cfg := loopback(smtptest.MustStartTLS(t, r, &tls.Config{Certificates: []tls.Certificate{cert}}))
	cfg.ImplicitTLS = true
	cfg.TLSConfig = &tls.Config{RootCAs: pool}

	if got := mustSendOne(t, r, cfg, confirmation("ann@example.com")); !got.TLS {
		t.Error("relay saw no TLS")
	}
}

func TestRefusalsAreSendErrorsThatTellTemporaryFromPermanent(t *testing.T) {
	tests := []struct {
		name      string
		relay     *smtptest.Relay
		cfg       func(*Config)
		stage     string
		code      int
		enhanced  [3]int
		temporary bool
	}{
		{"unknown user", &smtptest.Relay{RcptErr: &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}},
			nil, "RCPT TO", 550, [3]int{5, 1, 1}, false},
		{"greylisted", &smtptest.Relay{DataErr: &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "try again later"}},
			nil, "end of DATA", 451, [3]int{4, 7, 1}, true},
		{"wrong password", &smtptest.Relay{Password: "right"},
			func(c *Config) { c.Username, c.Password = "herald", "wrong" }, "AUTH", 535, [3]int{5, 7, 8}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := loopback(smtptest.MustStart(t, tt.relay, nil))
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			err := New(cfg).Send(context.Background(), confirmation("ann@example.com"))
			var se *SendError
			if !errors.As(err, &se) {
				t.Fatalf("Send = %v, want a *SendError", err)
			}
			if se.Stage != tt.stage || se.Code != tt.code || se.EnhancedCode != tt.enhanced || se.Temporary() != tt.temporary {
				t.Errorf("got %+v (Temporary %v), want %s %d %v (Temporary %v)", se, se.Temporary(), tt.stage, tt.code, tt.enhanced, tt.temporary)
			}
			var reply *smtp.SMTPError
			if !errors.As(err, &reply) || reply.Code != tt.code {
				t.Errorf("go-smtp's error is not reachable with errors.As: %v", err)
			}
		})
	}
}

func TestConnectionLostAfterMessageIsOutcomeUnknown(t *testing.T) {
	cfg := loopback(smtptest.MustStart(t, &smtptest.Relay{HangUp: true}, nil))
	err := New(cfg).Send(context.Background(), confirmation("ann@example.com"))
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("Send = %v, want ErrOutcomeUnknown", err)
	}
	var se *SendError
	if errors.As(err, &se) {
		t.Errorf("Send = %v, a SendError; want no relay reply", err)
	}
}

func TestSendUTF8LocalPartNeedsSMTPUTF8Relay(t *testing.T) {
	r := &smtptest.Relay{}
	cfg := loopback(smtptest.MustStart(t, r, func(s *smtp.Server) { s.EnableSMTPUTF8 = true }))
	got := mustSendOne(t, r, cfg, confirmation("zoë@example.com"))
	if !got.UTF8 || len(got.To) != 1 || got.To[0] != "zoë@example.com" {
		t.Errorf("relay saw UTF8 = %v, RCPT %v", got.UTF8, got.To)
	}

	plain := &smtptest.Relay{}
	cfg = loopback(smtptest.MustStart(t, plain, nil))
	err := New(cfg).Send(context.Background(), confirmation("zoë@example.com"))
	if herald.ErrorCode(err) != herald.EINVALID {
		t.Fatalf("Send = %v, want EINVALID", err)
	}
	if mails, _ := plain.Calls(); mails != 0 || len(plain.Messages()) != 0 {
		t.Errorf("relay without SMTPUTF8 saw %d MAIL commands", mails)
	}
}

func TestSendToSilentServerEndsPromptly(t *testing.T) {
	l := smtptest.MustListen(t)
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() }) // accept, then say nothing
		}
	}()
	port := l.Addr().(*net.TCPAddr).Port

	t.Run("context deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := New(loopback(port)).Send(ctx, confirmation("ann@example.com"))
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Send = %v, want context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("Send took %v", d)
		}
	})
	t.Run("config timeout", func(t *testing.T) {
		cfg := loopback(port)
		cfg.Timeout = 300 * time.Millisecond
		start := time.Now()
		if err := New(cfg).Send(context.Background(), confirmation("ann@example.com")); err == nil {
			t.Error("Send to a silent server succeeded")
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("Send took %v", d)
		}
	})
}

func TestSendRefusesInvalidMessageBeforeConnecting(t *testing.T) {
	m := confirmation("ann@example.com")
	m.Subject = "Hi\r\nBcc: evil@x.example"
	// Port 1 on loopback has no listener: a connection attempt would fail
	// with a different error.
	err := New(loopback(1)).Send(context.Background(), m)
	if herald.ErrorCode(err) != herald.EINVALID {
		t.Errorf("Send = %v, want EINVALID", err)
	}
}

func TestNameIsSMTP(t *testing.T) {
	if got := New(Config{Host: "localhost"}).Name(); got != "smtp" {
		t.Errorf("Name = %q", got)
	}
}
