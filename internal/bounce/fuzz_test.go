package bounce

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seed adds every testdata sample whose name starts with prefix.
func seed(f *testing.F, prefix string) {
	files, err := filepath.Glob(filepath.Join("testdata", prefix+"*.eml"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no %s samples: %v", prefix, err)
	}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
}

func FuzzParseDSN(f *testing.F) {
	seed(f, "dsn-")
	f.Fuzz(func(t *testing.T, raw []byte) {
		r, err := ParseDSN(raw)
		if err != nil {
			return
		}
		if len(r.Recipients) == 0 {
			t.Fatal("a DSN with no recipient")
		}
		_ = r.String()
		for _, rc := range r.Recipients {
			if c := rc.Code; c.Class != 0 && !strings.HasPrefix(c.String(), "2.") && !strings.HasPrefix(c.String(), "4.") && !strings.HasPrefix(c.String(), "5.") {
				t.Fatalf("code %v", c)
			}
			if k := Classify(rc.Code); k == "" {
				t.Fatalf("no kind for %v", rc.Code)
			}
		}
	})
}

func FuzzParseARF(f *testing.F) {
	seed(f, "arf-")
	f.Fuzz(func(t *testing.T, raw []byte) {
		r, err := ParseARF(raw)
		if err != nil {
			return
		}
		if r.Type != TypeARF {
			t.Fatalf("type %q", r.Type)
		}
		_ = r.String()
	})
}
