package bounce

import (
	"strings"
	"testing"

	"github.com/herald-news/herald/internal/token"
)

func mustKey(t *testing.T) token.Key {
	t.Helper()
	k, err := token.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestVERPRoundTripsAndRefusesForgeries(t *testing.T) {
	old, fresh := mustKey(t), mustKey(t)
	before, err := NewVERP("Bounces.Herald.Example", old)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVERP("bounces.herald.example", fresh, old)
	if err != nil {
		t.Fatal(err)
	}
	addr := v.Address(4242)
	if !strings.HasPrefix(addr, "bounces+4242.") || !strings.HasSuffix(addr, "@bounces.herald.example") {
		t.Fatalf("address %q", addr)
	}
	for _, a := range []string{addr, strings.ToUpper(addr), "<" + addr + ">", before.Address(4242)} {
		if id, ok := v.Parse(a); !ok || id != 4242 {
			t.Errorf("Parse(%q) = %d %v", a, id, ok)
		}
	}
	sig := addr[len("bounces+4242.") : len(addr)-len("@bounces.herald.example")]
	flip := "b"
	if sig[0] == 'b' {
		flip = "c"
	}
	for _, a := range []string{
		"bounces+4243." + sig + "@bounces.herald.example",            // another row, same signature
		"bounces+4242." + flip + sig[1:] + "@bounces.herald.example", // one character changed
		"bounces+4242." + sig + "@other.example",                     // another domain
		"bounces+04242." + sig + "@bounces.herald.example",           // the same number spelled otherwise
		"bounces+4242@bounces.herald.example",
		"postmaster@bounces.herald.example",
		"bounces+-1." + sig + "@bounces.herald.example",
		"",
	} {
		if id, ok := v.Parse(a); ok {
			t.Errorf("Parse(%q) accepted, row %d", a, id)
		}
	}
	other, _ := NewVERP("bounces.herald.example", mustKey(t))
	if _, ok := other.Parse(addr); ok {
		t.Error("another Herald's key verified our address")
	}
	if !v.IsVERP("bounces+1.zz@bounces.herald.example") || v.IsVERP("postmaster@bounces.herald.example") {
		t.Error("IsVERP")
	}
	if _, err := NewVERP("", fresh); err == nil {
		t.Error("a VERP without a domain")
	}
}
