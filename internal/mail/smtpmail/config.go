// Package smtpmail sends mail through an SMTP relay with
// github.com/emersion/go-smtp: STARTTLS or implicit TLS, AUTH, SMTPUTF8,
// and the relay's replies as structured errors.
package smtpmail

import (
	"crypto/tls"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

// DefaultTimeout caps each step of a send when Config.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Default ports.
const (
	submissionPort  = 587 // smtp://, STARTTLS (RFC 6409)
	submissionsPort = 465 // smtps://, implicit TLS (RFC 8314)
)

// Config says how to reach the relay; ParseURL makes one from HERALD_SMTP_URL.
type Config struct {
	Host        string
	Port        int // 0: 465 with ImplicitTLS, else 587
	Username    string
	Password    string
	ImplicitTLS bool // TLS from the first byte (smtps://, port 465)
	// RequireTLS refuses to send unless STARTTLS succeeds. TLS is required
	// for every host but a loopback one whatever this says; on loopback,
	// STARTTLS is used only when RequireTLS is set.
	RequireTLS bool
	Timeout    time.Duration // caps connecting, each command and the reply to the message; 0: DefaultTimeout
	HELO       string        // the name given in EHLO; "": this machine's host name, or "localhost"
	TLSConfig  *tls.Config   // nil: system roots, ServerName = Host
}

// ParseURL reads a relay URL:
//
//	smtp://user:pass@host:587    STARTTLS, required unless host is loopback
//	smtps://user:pass@host:465   implicit TLS
//
// with query options timeout=30s, insecure_skip_verify=false and helo=name.
// Errors are herald EINVALID and never repeat the password.
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Config{}, herald.Errorf(herald.EINVALID, "The SMTP URL can't be read; it should look like smtp://user:password@host:587.")
	}
	var cfg Config
	switch strings.ToLower(u.Scheme) {
	case "smtp":
	case "smtps":
		cfg.ImplicitTLS = true
	default:
		return Config{}, herald.Errorf(herald.EINVALID, "The SMTP URL must start with smtp:// (STARTTLS) or smtps:// (TLS), not %q.", u.Scheme)
	}
	if cfg.Host = u.Hostname(); cfg.Host == "" {
		return Config{}, herald.Errorf(herald.EINVALID, "The SMTP URL has no host name.")
	}
	if p := u.Port(); p != "" {
		if cfg.Port, err = strconv.Atoi(p); err != nil || cfg.Port < 1 || cfg.Port > 65535 {
			return Config{}, herald.Errorf(herald.EINVALID, "The SMTP URL's port %q is not a number from 1 to 65535.", p)
		}
	}
	if u.Path != "" && u.Path != "/" {
		return Config{}, herald.Errorf(herald.EINVALID, "The SMTP URL must not have a path (%q).", u.Path)
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
	}
	cfg.RequireTLS = !cfg.ImplicitTLS && !isLoopback(cfg.Host)

	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Config{}, herald.Errorf(herald.EINVALID, "The SMTP URL's options after ? can't be read.")
	}
	for key, values := range q {
		v := values[len(values)-1]
		switch key {
		case "timeout":
			if cfg.Timeout, err = time.ParseDuration(v); err != nil || cfg.Timeout <= 0 {
				return Config{}, herald.Errorf(herald.EINVALID, "The SMTP timeout %q is not a duration such as 30s or 2m.", v)
			}
		case "insecure_skip_verify":
			skip, err := strconv.ParseBool(v)
			if err != nil {
				return Config{}, herald.Errorf(herald.EINVALID, "insecure_skip_verify must be true or false, not %q.", v)
			}
			if skip {
				cfg.TLSConfig = &tls.Config{InsecureSkipVerify: true}
			}
		case "helo":
			if !validHELO(v) {
				return Config{}, herald.Errorf(herald.EINVALID, "The HELO name %q is not a host name.", v)
			}
			cfg.HELO = v
		default:
			return Config{}, herald.Errorf(herald.EINVALID, "The SMTP URL has an unknown option %q; known options are timeout, insecure_skip_verify and helo.", key)
		}
	}
	return cfg, nil
}

// isLoopback reports whether host is "localhost" or a loopback IP
// (127.0.0.0/8, ::1): the only hosts Herald talks to without TLS.
func isLoopback(host string) bool {
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// needsSTARTTLS reports whether a session must be upgraded with STARTTLS
// before anything else: always, unless TLS is implicit or the relay is on
// loopback and RequireTLS is unset.
func (c Config) needsSTARTTLS() bool {
	return !c.ImplicitTLS && (c.RequireTLS || !isLoopback(c.Host))
}

// withDefaults fills the zero fields.
func (c Config) withDefaults() Config {
	if c.Port == 0 {
		c.Port = submissionPort
		if c.ImplicitTLS {
			c.Port = submissionsPort
		}
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.HELO == "" {
		c.HELO = "localhost"
		if name, err := os.Hostname(); err == nil && validHELO(name) {
			c.HELO = name
		}
	}
	return c
}

// tlsConfig returns the TLS settings for the relay, checking its
// certificate against Host unless told otherwise.
func (c Config) tlsConfig() *tls.Config {
	var t *tls.Config
	if c.TLSConfig != nil {
		t = c.TLSConfig.Clone()
	} else {
		t = &tls.Config{}
	}
	if t.ServerName == "" {
		t.ServerName = c.Host
	}
	if t.MinVersion == 0 {
		t.MinVersion = tls.VersionTLS12
	}
	return t
}

// validHELO accepts a host name of letters, digits, hyphens and dots.
func validHELO(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
