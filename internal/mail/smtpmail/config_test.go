package smtpmail

import (
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		raw  string
		want Config
		skip bool // TLSConfig.InsecureSkipVerify
	}{
		{"smtp://user:p%40ss@smtp.example.com:2525", Config{Host: "smtp.example.com", Port: 2525, Username: "user", Password: "p@ss", RequireTLS: true}, false},
		{"smtp://smtp.example.com", Config{Host: "smtp.example.com", RequireTLS: true}, false},
		{"SMTPS://user:pass@smtp.example.com:465/", Config{Host: "smtp.example.com", Port: 465, Username: "user", Password: "pass", ImplicitTLS: true}, false},
		{"smtp://127.0.0.1:1025", Config{Host: "127.0.0.1", Port: 1025}, false},
		{"smtp://localhost:25?helo=news.herald.example&timeout=2m", Config{Host: "localhost", Port: 25, HELO: "news.herald.example", Timeout: 2 * time.Minute}, false},
		{"smtp://[::1]:25", Config{Host: "::1", Port: 25}, false},
		{"smtp://relay.internal:587?insecure_skip_verify=true", Config{Host: "relay.internal", Port: 587, RequireTLS: true}, true},
		{"smtp://relay.internal:587?insecure_skip_verify=false", Config{Host: "relay.internal", Port: 587, RequireTLS: true}, false},
	}
	for _, tt := range tests {
		got, err := ParseURL(tt.raw)
		if err != nil {
			t.Errorf("ParseURL(%q): %v", tt.raw, err)
			continue
		}
		skip := got.TLSConfig != nil && got.TLSConfig.InsecureSkipVerify
		got.TLSConfig = nil
		if got != tt.want || skip != tt.skip {
			t.Errorf("ParseURL(%q) =\n%+v (skip verify %v)\nwant\n%+v (skip verify %v)", tt.raw, got, skip, tt.want, tt.skip)
		}
	}
}

func TestParseURLRejectsWithClearMessages(t *testing.T) {
	tests := []struct{ raw, mention string }{
		{"http://smtp.example.com", "smtp://"},
		{"smtp.example.com:587", "smtp://"},
		{"smtp://user:secret@:587", "host"},
		{"smtp://smtp.example.com:0", "port"},
		{"smtp://smtp.example.com:70000", "port"},
		{"smtp://user:secret@smtp.example.com:http", "can't be read"},
		{"smtp://smtp.example.com?timeout=soon", "timeout"},
		{"smtp://smtp.example.com?timeout=-1s", "timeout"},
		{"smtp://smtp.example.com?insecure_skip_verify=maybe", "insecure_skip_verify"},
		{"smtp://smtp.example.com?helo=bad%20name", "HELO"},
		{"smtp://smtp.example.com?tls=off", "unknown option"},
		{"smtp://smtp.example.com/inbox", "path"},
	}
	for _, tt := range tests {
		_, err := ParseURL(tt.raw)
		if herald.ErrorCode(err) != herald.EINVALID {
			t.Errorf("ParseURL(%q) = %v, want EINVALID", tt.raw, err)
			continue
		}
		msg := herald.ErrorMessage(err)
		if !strings.Contains(msg, tt.mention) {
			t.Errorf("ParseURL(%q) message %q does not mention %q", tt.raw, msg, tt.mention)
		}
		if strings.Contains(msg, "secret") {
			t.Errorf("ParseURL(%q) message %q repeats the password", tt.raw, msg)
		}
	}
}

func TestNewFillsDefaults(t *testing.T) {
	cfg := New(Config{Host: "smtp.example.com"}).cfg
	if cfg.Port != 587 || cfg.Timeout != DefaultTimeout || cfg.HELO == "" {
		t.Errorf("defaults = %+v", cfg)
	}
	if cfg := New(Config{Host: "smtp.example.com", ImplicitTLS: true}).cfg; cfg.Port != 465 {
		t.Errorf("implicit TLS port = %d, want 465", cfg.Port)
	}
}
