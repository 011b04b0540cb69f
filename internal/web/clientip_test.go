package web

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestForwardedFor(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8")}
	var got string
	h := forwardedFor(trusted, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = ClientIP(r) }))
	for _, c := range []struct{ peer, xff, want string }{
		{"127.0.0.1:5000", "198.51.100.7", "198.51.100.7"},              // the local proxy names the client
		{"127.0.0.1:5000", "203.0.113.9, 198.51.100.7", "198.51.100.7"}, // the client's own claim is ignored
		{"127.0.0.1:5000", "198.51.100.7, 10.1.2.3", "198.51.100.7"},    // through two trusted proxies
		{"192.0.2.50:5000", "198.51.100.7", "192.0.2.50"},               // not a trusted peer: header ignored
		{"127.0.0.1:5000", "", "127.0.0.1"},                             // no header
		{"127.0.0.1:5000", "not-an-ip", "127.0.0.1"},                    // malformed
		{"127.0.0.1:5000", "2001:db8::1", "2001:db8::1"},                // IPv6 clients
		{"[::ffff:127.0.0.1]:5000", "198.51.100.7", "198.51.100.7"},     // a v4-mapped peer
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.peer
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if got != c.want {
			t.Errorf("peer %s, X-Forwarded-For %q: client %q, want %q", c.peer, c.xff, got, c.want)
		}
	}
}
