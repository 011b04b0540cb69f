package bounce

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/herald-news/herald"
)

// Limits on fetching SNS signing certificates: AWS's are about 2 KB, and
// a few URLs are in use at a time.
const (
	certFetchTimeout  = 10 * time.Second
	maxCertBytes      = 64 << 10
	maxCachedCerts    = 16
	maxSignatureBytes = 1024 // an RSA-8192 signature; SNS's are 256 bytes
)

// certFetch is a certificate fetched, or being fetched, from one URL:
// messages that arrive together wait for one fetch.
type certFetch struct {
	done chan struct{} // closed once cert or err is set
	cert *x509.Certificate
	err  error
}

// expired reports whether f is done and its certificate no longer valid
// at now; a fetch still under way is not.
func (f *certFetch) expired(now time.Time) bool {
	select {
	case <-f.done:
		return f.cert != nil && !now.Before(f.cert.NotAfter)
	default:
		return false
	}
}

// cert returns the certificate at certURL, from the cache while it is
// valid, else fetched once however many messages ask for it at once.
func (v *SNSVerifier) cert(ctx context.Context, certURL string) (*x509.Certificate, error) {
	now := v.now()
	v.mu.Lock()
	f, ok := v.fetched[certURL]
	if ok && f.expired(now) {
		delete(v.fetched, certURL) // fetch it again
		ok = false
	}
	if !ok {
		f = &certFetch{done: make(chan struct{})}
		v.makeRoom(now)
		v.fetched[certURL] = f
		v.mu.Unlock()
		f.cert, f.err = v.fetch(ctx, certURL)
		if f.err != nil {
			v.mu.Lock()
			if v.fetched[certURL] == f {
				delete(v.fetched, certURL) // failures are not kept: the next message tries again
			}
			v.mu.Unlock()
		}
		close(f.done)
		return f.cert, f.err
	}
	v.mu.Unlock()
	select {
	case <-f.done:
		return f.cert, f.err
	case <-ctx.Done():
		return nil, fmt.Errorf("bounce: wait for SNS certificate: %w", ctx.Err())
	}
}

// makeRoom drops expired certificates, then, if the cache is still full,
// one more; v.mu is held.
func (v *SNSVerifier) makeRoom(now time.Time) {
	if v.fetched == nil {
		v.fetched = map[string]*certFetch{}
	}
	for u, f := range v.fetched {
		if f.expired(now) {
			delete(v.fetched, u)
		}
	}
	for u := range v.fetched {
		if len(v.fetched) < maxCachedCerts {
			break
		}
		delete(v.fetched, u)
	}
}

// fetch gets the certificate at certURL, which IsSNSCertURL has passed.
// It returns ErrForged when SNS has no certificate there (or an expired
// one, or something else), and EINTERNAL when it cannot say for now.
func (v *SNSVerifier) fetch(ctx context.Context, certURL string) (*x509.Certificate, error) {
	ctx, cancel := context.WithTimeout(ctx, certFetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, certURL, nil)
	if err != nil {
		return nil, ErrForged
	}
	var client http.Client
	if v.Client != nil {
		client = *v.Client
	}
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("bounce: fetch SNS certificate: %w", err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return nil, fmt.Errorf("bounce: fetch SNS certificate: SNS answered %s", resp.Status)
	case resp.StatusCode != http.StatusOK:
		return nil, ErrForged
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxCertBytes+1))
	if err != nil {
		return nil, fmt.Errorf("bounce: fetch SNS certificate: %w", err)
	}
	if len(body) > maxCertBytes {
		return nil, ErrForged
	}
	certs, err := ParseCerts(body)
	now := v.now()
	if err != nil || now.After(certs[0].NotAfter) || now.Before(certs[0].NotBefore) {
		return nil, ErrForged
	}
	return certs[0], nil
}

// now is the verifier's clock's time.
func (v *SNSVerifier) now() time.Time {
	if v.Clock == nil {
		return herald.SystemClock{}.Now()
	}
	return v.Clock.Now()
}
