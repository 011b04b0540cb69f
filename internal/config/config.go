// Package config holds Herald's one Config struct, filled from flags, then
// HERALD_* environment variables, then defaults.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Config is everything an operator can set.
type Config struct {
	Addr        string // where the web server listens
	BaseURL     string // the public address, for canonical links and emails
	DataDir     string // SQLite database and media live here by default
	DatabaseURL string // a SQLite path (PostgreSQL in a later release)
	MediaDir    string
	TimeZone    string // the site's zone for dates shown to readers
	LogLevel    string
	LogFormat   string // text or json
	Role        string // all, web or worker
	PageSize    int
	ShutdownFor time.Duration // how long graceful shutdown may take

	SMTPURL      string // smtp://user:pass@host:587; empty: the development inbox
	SignupsPerIP int    // signups one client address may make an hour
	// TrustedProxies are the reverse proxies (addresses, CIDR ranges)
	// whose X-Forwarded-For names the client.
	TrustedProxies string
	CheckDomains   string // on, off or auto (on when mail really goes out)

	// Sending.
	SMTPConnections   int           // concurrent connections to the relay
	SMTPRate          int           // messages per second across the pool; 0: no limit
	SMTPPerConn       int           // messages before a connection is replaced
	ThrottlePause     time.Duration // pause after a throttling reply (421 4.7.28, 454)
	RetryBase         time.Duration // first wait after a 4xx
	RetryDeadline     time.Duration // stop retrying this long after a send started
	RetryUnknown      bool          // resend messages whose outcome is unknown (risks duplicates)
	Lease             time.Duration // how long a claimed recipient stays this node's
	Tick              time.Duration // how often scheduled editions are looked for
	AutoEditions      bool          // the desk works newsletters' send times (drafts, approval notices, automatic sends)
	Node              string        // this process's name on its leases
	DKIMKey           string        // PEM private key file; empty: no DKIM signature
	DKIMDomain        string
	DKIMSelector      string
	UnsubscribeMailto string // address for the mailto: form of List-Unsubscribe
	FeedbackID        string // sender part of the Feedback-ID header; empty: no header
	APIToken          string // an extra admin-role API token (HERALD_API_TOKEN); empty: none

	// Operations.
	MetricsAddr  string // where the ops listener serves /healthz and /metrics without auth; empty: no listener
	MetricsToken string // bearer token that may read the site's /metrics; empty: staff sessions only

	// Bounces and complaints.
	BounceDomain      string        // domain of VERP return paths; empty: the From address is the return path
	BounceAddr        string        // where the bounce receiver listens for SMTP; empty: no receiver
	SoftBounceLimit   int           // soft bounces on this many editions suppress …
	SoftBounceWindow  time.Duration // … within this long
	SESTopics         string        // SNS topic ARNs accepted, comma-separated; empty: the SES webhook is off
	SESCert           string        // PEM file: the only certificates trusted for SNS signatures (nothing is fetched)
	PostmarkUser      string        // HTTP Basic credentials of the Postmark webhook; empty: off
	PostmarkPassword  string
	MailgunSigningKey string // Mailgun's webhook signing key; empty: the Mailgun webhook is off
}

// setting describes one option: its flag, its environment variable, its
// default and where it goes.
type setting struct {
	name, env, usage string
	str              *string
	num              *int
	dur              *time.Duration
	flag             *bool
	def              string
}

func (c *Config) settings() []setting {
	return []setting{
		{name: "addr", env: "HERALD_ADDR", usage: "listen address", str: &c.Addr, def: "127.0.0.1:8080"},
		{name: "base-url", env: "HERALD_BASE_URL", usage: "public base URL (default http://ADDR)", str: &c.BaseURL},
		{name: "data-dir", env: "HERALD_DATA_DIR", usage: "folder for the embedded database and media", str: &c.DataDir, def: "herald-data"},
		{name: "database-url", env: "HERALD_DATABASE_URL", usage: "database: a SQLite file path (default DATA_DIR/herald.db)", str: &c.DatabaseURL},
		{name: "media-dir", env: "HERALD_MEDIA_DIR", usage: "folder for photos (default DATA_DIR/media)", str: &c.MediaDir},
		{name: "time-zone", env: "HERALD_TIME_ZONE", usage: "the site's time zone for dates", str: &c.TimeZone, def: "America/New_York"},
		{name: "log-level", env: "HERALD_LOG_LEVEL", usage: "debug, info, warn or error", str: &c.LogLevel, def: "info"},
		{name: "log-format", env: "HERALD_LOG_FORMAT", usage: "text or json", str: &c.LogFormat, def: "text"},
		{name: "role", env: "HERALD_ROLE", usage: "all, web or worker", str: &c.Role, def: "all"},
		{name: "page-size", env: "HERALD_PAGE_SIZE", usage: "stories per stream page", num: &c.PageSize, def: "20"},
		{name: "smtp-url", env: "HERALD_SMTP_URL", usage: "mail relay, smtp://user:pass@host:587 (default: the development inbox at /dev/inbox)", str: &c.SMTPURL},
		{name: "signups-per-ip", env: "HERALD_SIGNUPS_PER_IP", usage: "signups one client address may make an hour", num: &c.SignupsPerIP, def: "10"},
		{name: "trusted-proxies", env: "HERALD_TRUSTED_PROXIES", usage: "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For names the client, for rate limits and consent records (e.g. 127.0.0.1)", str: &c.TrustedProxies},
		{name: "check-domains", env: "HERALD_CHECK_DOMAINS", usage: "reject signup addresses whose domain has no MX or A record: on, off or auto (on with a real relay)", str: &c.CheckDomains, def: "auto"},
		{name: "smtp-connections", env: "HERALD_SMTP_CONNECTIONS", usage: "connections to the relay while sending", num: &c.SMTPConnections, def: "4"},
		{name: "smtp-rate", env: "HERALD_SMTP_RATE", usage: "messages per second to the relay (0: no limit)", num: &c.SMTPRate, def: "0"},
		{name: "smtp-per-connection", env: "HERALD_SMTP_PER_CONNECTION", usage: "messages before a relay connection is replaced", num: &c.SMTPPerConn, def: "1000"},
		{name: "throttle-pause", env: "HERALD_THROTTLE_PAUSE", usage: "pause after the relay says slow down (421 4.7.28, 454)", dur: &c.ThrottlePause, def: "1m"},
		{name: "retry-base", env: "HERALD_RETRY_BASE", usage: "first wait after a temporary failure; doubles each attempt up to an hour", dur: &c.RetryBase, def: "1m"},
		{name: "retry-deadline", env: "HERALD_RETRY_DEADLINE", usage: "stop retrying this long after a send started", dur: &c.RetryDeadline, def: "12h"},
		{name: "retry-unknown", env: "HERALD_RETRY_UNKNOWN", usage: "resend messages whose connection broke after the data (may duplicate)", flag: &c.RetryUnknown, def: "false"},
		{name: "lease", env: "HERALD_LEASE", usage: "how long a claimed recipient stays with one sending node", dur: &c.Lease, def: "2m"},
		{name: "tick", env: "HERALD_TICK", usage: "how often to look for editions due to go out", dur: &c.Tick, def: "1m"},
		{name: "auto-editions", env: "HERALD_AUTO_EDITIONS", usage: "work each newsletter's send times: draft the edition and tell the editors, and send automatic newsletters' editions (false: only editions an editor schedules go out)", flag: &c.AutoEditions, def: "true"},
		{name: "node", env: "HERALD_NODE", usage: "this node's name on its leases (default host-pid)", str: &c.Node},
		{name: "dkim-key", env: "HERALD_DKIM_KEY", usage: "DKIM private key file (PEM); see herald dkim generate", str: &c.DKIMKey},
		{name: "dkim-domain", env: "HERALD_DKIM_DOMAIN", usage: "DKIM signing domain (d=)", str: &c.DKIMDomain},
		{name: "dkim-selector", env: "HERALD_DKIM_SELECTOR", usage: "DKIM selector (s=)", str: &c.DKIMSelector, def: "herald"},
		{name: "unsubscribe-mailto", env: "HERALD_UNSUBSCRIBE_MAILTO", usage: "address for the mailto: form of List-Unsubscribe", str: &c.UnsubscribeMailto},
		{name: "feedback-id", env: "HERALD_FEEDBACK_ID", usage: "sender id for the Feedback-ID header (Gmail's feedback loop); empty: no header", str: &c.FeedbackID},
		{name: "api-token", env: "HERALD_API_TOKEN", usage: "an extra admin-role bearer token for the JSON API, from before herald token (empty: none)", str: &c.APIToken},
		{name: "metrics-addr", env: "HERALD_METRICS_ADDR", usage: "ops listener serving /healthz and /metrics without auth, such as 127.0.0.1:9090; keep it private (empty: none)", str: &c.MetricsAddr},
		{name: "metrics-token", env: "HERALD_METRICS_TOKEN", usage: "bearer token that may read /metrics on the site, at least 16 characters (empty: admins' sessions only)", str: &c.MetricsToken},
		{name: "bounce-domain", env: "HERALD_BOUNCE_DOMAIN", usage: "domain of the signed return paths (bounces+ID.SIG@DOMAIN); its MX must reach bounce-addr and its SPF allow the relay", str: &c.BounceDomain},
		{name: "bounce-addr", env: "HERALD_BOUNCE_ADDR", usage: "where to receive bounces and abuse reports by SMTP, such as :25 (empty: no receiver)", str: &c.BounceAddr},
		{name: "soft-bounce-limit", env: "HERALD_SOFT_BOUNCE_LIMIT", usage: "soft bounces on this many different editions suppress an address", num: &c.SoftBounceLimit, def: "3"},
		{name: "soft-bounce-window", env: "HERALD_SOFT_BOUNCE_WINDOW", usage: "how far back soft bounces count", dur: &c.SoftBounceWindow, def: "720h"},
		{name: "ses-topics", env: "HERALD_SES_TOPICS", usage: "SNS topic ARNs whose SES notifications /webhooks/ses accepts, comma-separated (empty: off)", str: &c.SESTopics},
		{name: "ses-cert", env: "HERALD_SES_CERT", usage: "PEM certificate file trusted for SNS signatures instead of fetching AWS's", str: &c.SESCert},
		{name: "postmark-user", env: "HERALD_POSTMARK_USER", usage: "HTTP Basic user of the Postmark webhook /webhooks/postmark (empty: off)", str: &c.PostmarkUser},
		{name: "postmark-password", env: "HERALD_POSTMARK_PASSWORD", usage: "HTTP Basic password of the Postmark webhook", str: &c.PostmarkPassword},
		{name: "mailgun-signing-key", env: "HERALD_MAILGUN_SIGNING_KEY", usage: "Mailgun webhook signing key for /webhooks/mailgun (empty: off)", str: &c.MailgunSigningKey},
		{name: "shutdown-timeout", env: "HERALD_SHUTDOWN_TIMEOUT", usage: "how long to wait for work to finish on shutdown", dur: &c.ShutdownFor, def: "30s"},
	}
}

// Register declares every option on fs with its default.
func (c *Config) Register(fs *flag.FlagSet) {
	for _, s := range c.settings() {
		usage := fmt.Sprintf("%s [%s]", s.usage, s.env)
		switch {
		case s.str != nil:
			fs.StringVar(s.str, s.name, s.def, usage)
		case s.num != nil:
			var n int
			fmt.Sscan(s.def, &n)
			fs.IntVar(s.num, s.name, n, usage)
		case s.dur != nil:
			d, _ := time.ParseDuration(s.def)
			fs.DurationVar(s.dur, s.name, d, usage)
		case s.flag != nil:
			fs.BoolVar(s.flag, s.name, s.def == "true", usage)
		}
	}
}

// Resolve applies environment variables to options not set by flags (after
// fs.Parse), fills derived defaults, and validates.
func (c *Config) Resolve(fs *flag.FlagSet, getenv func(string) string) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var errs []error
	for _, s := range c.settings() {
		v := getenv(s.env)
		if set[s.name] || v == "" {
			continue
		}
		if err := fs.Set(s.name, v); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: %w", s.env, v, err))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = filepath.Join(c.DataDir, "herald.db")
	}
	if c.MediaDir == "" {
		c.MediaDir = filepath.Join(c.DataDir, "media")
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Addr
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.Node == "" {
		host, _ := os.Hostname()
		c.Node = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	return c.Validate()
}

// Validate reports every invalid option at once, in words an operator can act on.
func (c *Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("addr %q must look like 127.0.0.1:8080", c.Addr))
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("base-url %q must be an absolute http(s) URL", c.BaseURL))
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil {
		errs = append(errs, fmt.Errorf("time-zone %q is not a known zone such as America/New_York", c.TimeZone))
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		errs = append(errs, fmt.Errorf("log-level %q must be debug, info, warn or error", c.LogLevel))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("log-format %q must be text or json", c.LogFormat))
	}
	if c.Role != "all" && c.Role != "web" && c.Role != "worker" {
		errs = append(errs, fmt.Errorf("role %q must be all, web or worker", c.Role))
	}
	if c.PageSize < 1 || c.PageSize > 100 {
		errs = append(errs, fmt.Errorf("page-size %d must be between 1 and 100", c.PageSize))
	}
	if _, err := c.Proxies(); err != nil {
		errs = append(errs, err)
	}
	if c.SignupsPerIP < 1 {
		errs = append(errs, fmt.Errorf("signups-per-ip %d must be at least 1", c.SignupsPerIP))
	}
	if c.CheckDomains != "on" && c.CheckDomains != "off" && c.CheckDomains != "auto" {
		errs = append(errs, fmt.Errorf("check-domains %q must be on, off or auto", c.CheckDomains))
	}
	if c.SMTPURL != "" && !strings.HasPrefix(c.SMTPURL, "smtp://") && !strings.HasPrefix(c.SMTPURL, "smtps://") {
		errs = append(errs, fmt.Errorf("smtp-url must start with smtp:// or smtps://"))
	}
	if c.SMTPConnections < 1 || c.SMTPConnections > 200 {
		errs = append(errs, fmt.Errorf("smtp-connections %d must be between 1 and 200", c.SMTPConnections))
	}
	if c.SMTPRate < 0 || c.SMTPPerConn < 1 {
		errs = append(errs, fmt.Errorf("smtp-rate must be 0 or more and smtp-per-connection at least 1"))
	}
	if c.RetryBase <= 0 || c.RetryDeadline <= 0 || c.Lease < time.Second || c.ThrottlePause <= 0 || c.Tick < time.Second {
		errs = append(errs, fmt.Errorf("retry-base, retry-deadline, throttle-pause must be positive; lease and tick at least 1s"))
	}
	if c.DKIMKey != "" && c.DKIMDomain == "" {
		errs = append(errs, fmt.Errorf("dkim-domain is required with dkim-key"))
	}
	errs = append(errs, c.validateBounces()...)
	errs = append(errs, c.validateOps()...)
	if c.ShutdownFor <= 0 {
		errs = append(errs, fmt.Errorf("shutdown-timeout must be positive"))
	}
	return errors.Join(errs...)
}

// validateBounces checks the bounce and webhook options.
func (c *Config) validateBounces() []error {
	var errs []error
	if d := c.BounceDomain; d != "" && (strings.ContainsAny(d, "@ /:<>") || !strings.Contains(d, ".") && d != "localhost") {
		errs = append(errs, fmt.Errorf("bounce-domain %q must be a domain such as bounces.example.com", d))
	}
	if c.BounceAddr != "" {
		if c.BounceDomain == "" {
			errs = append(errs, fmt.Errorf("bounce-domain is required with bounce-addr"))
		}
		if _, _, err := net.SplitHostPort(c.BounceAddr); err != nil {
			errs = append(errs, fmt.Errorf("bounce-addr %q must look like :25 or 0.0.0.0:2525", c.BounceAddr))
		}
	}
	if c.SoftBounceLimit < 1 || c.SoftBounceWindow <= 0 {
		errs = append(errs, fmt.Errorf("soft-bounce-limit must be at least 1 and soft-bounce-window positive"))
	}
	if (c.PostmarkUser == "") != (c.PostmarkPassword == "") {
		errs = append(errs, fmt.Errorf("postmark-user and postmark-password go together"))
	}
	return errs
}

// validateOps checks the metrics options.
func (c *Config) validateOps() []error {
	var errs []error
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			errs = append(errs, fmt.Errorf("metrics-addr %q must look like 127.0.0.1:9090", c.MetricsAddr))
		} else if c.MetricsAddr == c.Addr {
			errs = append(errs, fmt.Errorf("metrics-addr must differ from addr (%s)", c.Addr))
		}
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		errs = append(errs, fmt.Errorf("metrics-token must be at least 16 characters"))
	}
	return errs
}

// SESTopicList returns the SNS topic ARNs the SES webhook accepts.
func (c *Config) SESTopicList() []string {
	var out []string
	for _, t := range strings.Split(c.SESTopics, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// DomainChecks reports whether signups look up the address's domain. In
// "auto" they do when mail really goes out; with the development inbox
// nothing is delivered, and a machine without DNS can still try the loop.
func (c *Config) DomainChecks() bool {
	return c.CheckDomains == "on" || (c.CheckDomains == "auto" && c.SMTPURL != "")
}

// Location returns the site's time zone (valid after Validate).
func (c *Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Logger builds the structured logger the options ask for, writing to w.
func (c *Config) Logger(w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// Proxies parses TrustedProxies: addresses and CIDR ranges, comma-separated.
func (c *Config) Proxies() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(c.TrustedProxies, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(item); err == nil {
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
		} else {
			return nil, fmt.Errorf("trusted-proxies: %q is neither an address nor a CIDR range such as 10.0.0.0/8", item)
		}
	}
	return out, nil
}
