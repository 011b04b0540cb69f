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
	addr := v.Address(4242, "")
	if !strings.HasPrefix(addr, "bounces+4242.") || !strings.HasSuffix(addr, "@bounces.herald.example") {
		t.Fatalf("address %q", addr)
	}
	for _, a := range []string{addr, strings.ToUpper(addr), "<" + addr + ">", before.Address(4242, "")} {
		if ref, ok := v.Parse(a); !ok || ref != (SendRef{ID: 4242}) {
			t.Errorf("Parse(%q) = %v %v", a, ref, ok)
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
		if ref, ok := v.Parse(a); ok {
			t.Errorf("Parse(%q) accepted, row %d", a, ref.ID)
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

// An address carries its reader's link key under the signature: it reads
// back whole, and swapping in another key, or dropping it, breaks it.
func TestVERPSignsTheLinkKey(t *testing.T) {
	v, err := NewVERP("bounces.herald.example", mustKey(t))
	if err != nil {
		t.Fatal(err)
	}
	addr := v.Address(77, "0a1b2c3d4e")
	if len(addr[:strings.IndexByte(addr, '@')]) > 64 {
		t.Errorf("local part of %q is longer than SMTP allows", addr)
	}
	if ref, ok := v.Parse(addr); !ok || ref != (SendRef{ID: 77, LinkKey: "0a1b2c3d4e"}) {
		t.Fatalf("Parse(%q) = %v %v", addr, ref, ok)
	}
	if ref, ok := v.Parse(strings.ToUpper(addr)); !ok || ref.LinkKey != "0a1b2c3d4e" {
		t.Errorf("upper-cased address read as %v %v", ref, ok)
	}
	sig := addr[len("bounces+77.0a1b2c3d4e."):strings.IndexByte(addr, '@')]
	for _, a := range []string{
		"bounces+77.0a1b2c3d4f." + sig + "@bounces.herald.example", // another reader's key
		"bounces+77." + sig + "@bounces.herald.example",            // the key dropped
		"bounces+77.0a1b2c3d4e0a1b2c3d4e." + sig + "@bounces.herald.example",
		"bounces+77.0a1b-c3d4e." + sig + "@bounces.herald.example",
	} {
		if ref, ok := v.Parse(a); ok {
			t.Errorf("Parse(%q) accepted as %v", a, ref)
		}
	}
}
