package address

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"
)

// fakeResolver answers from maps keyed by fully qualified name; a missing
// name is NXDOMAIN. It records the names it was asked about.
type fakeResolver struct {
	mx      map[string][]*net.MX
	hosts   map[string][]string
	mxErr   error // returned instead of an answer when set
	hostErr error
	block   bool // wait for ctx to be done, then fail with its error

	mu    sync.Mutex
	calls []string
}

func (f *fakeResolver) record(call string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
}

func notFound(name string) error {
	return &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func (f *fakeResolver) LookupMX(ctx context.Context, name string) ([]*net.MX, error) {
	f.record("MX " + name)
	if f.block {
		<-ctx.Done()
		return nil, &net.DNSError{Err: ctx.Err().Error(), Name: name, IsTimeout: true}
	}
	if f.mxErr != nil {
		return nil, f.mxErr
	}
	if mx, ok := f.mx[name]; ok {
		return mx, nil
	}
	return nil, notFound(name)
}

func (f *fakeResolver) LookupHost(ctx context.Context, host string) ([]string, error) {
	f.record("HOST " + host)
	if f.block {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if f.hostErr != nil {
		return nil, f.hostErr
	}
	if addrs, ok := f.hosts[host]; ok {
		return addrs, nil
	}
	return nil, notFound(host)
}

func TestValidator(t *testing.T) {
	timeout := &net.DNSError{Err: "i/o timeout", Name: "example.com.", IsTimeout: true}
	servfail := &net.DNSError{Err: "server misbehaving", Name: "example.com.", IsTemporary: true}
	tests := []struct {
		name  string
		in    string
		r     *fakeResolver
		valid bool
	}{
		{"MX", "ann@example.com", &fakeResolver{mx: map[string][]*net.MX{"example.com.": {{Host: "mx.example.com.", Pref: 10}}}}, true},
		{"IDN MX", "anna@bücher.de", &fakeResolver{mx: map[string][]*net.MX{"xn--bcher-kva.de.": {{Host: "mx.xn--bcher-kva.de.", Pref: 10}}}}, true},
		{"A only", "ann@example.com", &fakeResolver{hosts: map[string][]string{"example.com.": {"192.0.2.1"}}}, true},
		{"AAAA only, empty MX answer", "ann@example.com", &fakeResolver{mx: map[string][]*net.MX{"example.com.": {}}, hosts: map[string][]string{"example.com.": {"2001:db8::1"}}}, true},
		{"NXDOMAIN", "ann@example.com", &fakeResolver{}, false},
		{"no records", "ann@example.com", &fakeResolver{mx: map[string][]*net.MX{"example.com.": {}}, hosts: map[string][]string{"example.com.": {}}}, false},
		{"null MX", "ann@example.com", &fakeResolver{mx: map[string][]*net.MX{"example.com.": {{Host: ".", Pref: 0}}}, hosts: map[string][]string{"example.com.": {"192.0.2.1"}}}, false},
		{"null MX, empty host", "ann@example.com", &fakeResolver{mx: map[string][]*net.MX{"example.com.": {{Host: "", Pref: 0}}}}, false},
		{"MX timeout", "ann@example.com", &fakeResolver{mxErr: timeout}, true},
		{"MX SERVFAIL", "ann@example.com", &fakeResolver{mxErr: servfail}, true},
		{"MX other error", "ann@example.com", &fakeResolver{mxErr: errors.New("network unreachable")}, true},
		{"no MX, host timeout", "ann@example.com", &fakeResolver{hostErr: timeout}, true},
		{"bad syntax", "ann@example", &fakeResolver{mx: map[string][]*net.MX{"example.": {{Host: "mx.example.", Pref: 10}}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &Validator{Resolver: tt.r, Timeout: time.Second}
			a, err := v.Validate(context.Background(), tt.in)
			if tt.valid {
				if err != nil {
					t.Fatalf("Validate(%q): %v", tt.in, err)
				}
				if want, _ := Parse(tt.in); a != want {
					t.Errorf("Validate(%q) = %+v, want %+v", tt.in, a, want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate(%q) = %+v, want error", tt.in, a)
			}
			assertInvalid(t, err)
		})
	}
}

func TestValidatorBlockingResolver(t *testing.T) {
	r := &fakeResolver{block: true}
	v := &Validator{Resolver: r, Timeout: 50 * time.Millisecond}
	start := time.Now()
	a, err := v.Validate(context.Background(), "ann@example.com")
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if a.Email != "ann@example.com" {
		t.Errorf("Email = %q", a.Email)
	}
	if elapsed < 50*time.Millisecond || elapsed > 500*time.Millisecond {
		t.Errorf("took %v, want about 50ms", elapsed)
	}
	// A timed-out MX lookup is not an answer, so no A lookup follows.
	if len(r.calls) != 1 {
		t.Errorf("calls = %q, want a single MX lookup", r.calls)
	}
}

func TestValidatorCallerDeadline(t *testing.T) {
	// The caller's deadline applies too, even when shorter than Timeout.
	v := &Validator{Resolver: &fakeResolver{block: true}, Timeout: time.Minute}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := v.Validate(ctx, "ann@example.com"); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if elapsed := time.Since(start); elapsed > 500*time.Millisecond {
		t.Errorf("took %v", elapsed)
	}
}

func TestValidatorSyntaxOnly(t *testing.T) {
	r := &fakeResolver{}
	var nilValidator *Validator
	for _, v := range []*Validator{{}, nilValidator} {
		if _, err := v.Validate(context.Background(), "ann@example.com"); err != nil {
			t.Errorf("Validate: %v", err)
		}
		_, err := v.Validate(context.Background(), "ann@localhost")
		assertInvalid(t, err)
	}
	// A bad address never reaches DNS.
	v := &Validator{Resolver: r}
	_, err := v.Validate(context.Background(), "ann@exa mple.com")
	assertInvalid(t, err)
	if len(r.calls) != 0 {
		t.Errorf("calls = %q, want none", r.calls)
	}
}

func TestValidatorQueriesFQDN(t *testing.T) {
	r := &fakeResolver{hosts: map[string][]string{"example.com.": {"192.0.2.1"}}}
	v := &Validator{Resolver: r}
	if _, err := v.Validate(context.Background(), "Ann@EXAMPLE.com"); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	want := []string{"MX example.com.", "HOST example.com."}
	if len(r.calls) != 2 || r.calls[0] != want[0] || r.calls[1] != want[1] {
		t.Errorf("calls = %q, want %q", r.calls, want)
	}
}

// *net.Resolver must satisfy Resolver.
var _ Resolver = (*net.Resolver)(nil)
