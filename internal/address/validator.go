package address

import (
	"context"
	"errors"
	"net"
	"time"
)

// DefaultTimeout bounds each DNS lookup when Validator.Timeout is zero.
const DefaultTimeout = 3 * time.Second

// Resolver looks up DNS records; *net.Resolver satisfies it. Names are
// passed fully qualified, with a trailing dot, so that the resolver's search
// list is never tried. A Resolver must return when ctx is done.
type Resolver interface {
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	LookupHost(ctx context.Context, host string) ([]string, error)
}

// Validator checks syntax and that the domain can receive mail.
type Validator struct {
	Resolver Resolver      // nil: syntax only
	Timeout  time.Duration // per lookup; zero: DefaultTimeout
}

// Validate parses raw and, with a Resolver, rejects a domain that has neither
// an MX nor an A/AAAA record, or that publishes a null MX (RFC 7505: "this
// domain takes no mail"). Only definite answers reject: when DNS cannot be
// reached, fails or times out, the address is accepted rather than losing a
// reader (a bad address then just bounces). The same holds when ctx is
// cancelled during the lookups. A nil *Validator checks syntax only. Every
// rejection satisfies errors.Is(err, ErrInvalid).
func (v *Validator) Validate(ctx context.Context, raw string) (Address, error) {
	a, err := Parse(raw)
	if err != nil || v == nil || v.Resolver == nil {
		return a, err
	}
	if reason := v.checkMail(ctx, a.ASCIIDomain+"."); reason != "" {
		return Address{}, invalid(reason)
	}
	return a, nil
}

// checkMail returns why the fully qualified domain fqdn cannot receive mail,
// or "" if it can or DNS cannot tell.
func (v *Validator) checkMail(ctx context.Context, fqdn string) string {
	timeout := v.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}

	mctx, cancel := context.WithTimeout(ctx, timeout)
	mxs, err := v.Resolver.LookupMX(mctx, fqdn)
	cancel()
	// *net.Resolver may return the usable records together with an error
	// when it dropped some malformed ones, so look at records first.
	if len(mxs) > 0 {
		if len(mxs) == 1 && isNullMX(mxs[0]) {
			return "domain publishes a null MX"
		}
		return ""
	}
	if err != nil && !isNotFound(err) {
		return "" // unreachable, failing or timed out: give the benefit of the doubt
	}

	// No MX: RFC 5321 section 5.1 falls back to the domain's own address.
	hctx, cancel := context.WithTimeout(ctx, timeout)
	addrs, err := v.Resolver.LookupHost(hctx, fqdn)
	cancel()
	if len(addrs) > 0 || (err != nil && !isNotFound(err)) {
		return ""
	}
	return "domain has no MX or A/AAAA records"
}

// isNullMX reports whether mx is the RFC 7505 "no mail" record.
func isNullMX(mx *net.MX) bool {
	return mx != nil && (mx.Host == "." || mx.Host == "")
}

// isNotFound reports whether err is a definite "no such name" or "no such
// records" answer, as opposed to a failure to get an answer.
func isNotFound(err error) bool {
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr) && dnsErr.IsNotFound && !dnsErr.IsTimeout && !dnsErr.IsTemporary
}
