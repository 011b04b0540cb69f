package subscriberio_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald/internal/subscriberio"
)

type fakeSource []subscriberio.ExportRow

func (s fakeSource) EachSubscriber(ctx context.Context, fn func(subscriberio.ExportRow) error) error {
	for _, r := range s {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

func TestExport(t *testing.T) {
	denver := time.FixedZone("MST", -7*3600)
	src := fakeSource{
		{Email: "ann@example.com", Name: "Ann Lee", CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, denver),
			Newsletters: []subscriberio.ExportSubscription{{Slug: "denver", Status: "active"}, {Slug: "morning", Status: "unsubscribed"}},
			ConsentAt:   time.Date(2026, 1, 2, 10, 5, 0, 0, time.UTC), ConsentIP: "198.51.100.7", ConsentForm: "/local/denver#signup"},
		{Email: "bob@example.com", Name: "=cmd|' /C calc'!A0", Newsletters: []subscriberio.ExportSubscription{{Slug: "denver", Status: "pending"}},
			Suppressed: "hard bounce: 550 5.1.1 no such user"},
		{Email: "-x@example.com", Name: "Lee, \"Al\"\nJr", ConsentForm: "@SUM(1+1)*cmd|' /C calc'!A0"},
	}
	var buf bytes.Buffer
	if err := subscriberio.Export(context.Background(), &buf, src); err != nil {
		t.Fatal(err)
	}
	if header, _, _ := strings.Cut(buf.String(), "\n"); header != "email,name,created_at,newsletters,consent_at,consent_ip,consent_form,suppressed" {
		t.Errorf("header %q", header)
	}
	got, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"email", "name", "created_at", "newsletters", "consent_at", "consent_ip", "consent_form", "suppressed"},
		{"ann@example.com", "Ann Lee", "2026-01-02T10:04:05Z", "denver:active;morning:unsubscribed", "2026-01-02T10:05:00Z", "198.51.100.7", "/local/denver#signup", ""},
		{"bob@example.com", "'=cmd|' /C calc'!A0", "", "denver:pending", "", "", "", "hard bounce: 550 5.1.1 no such user"},
		{"'-x@example.com", "Lee, \"Al\"\nJr", "", "", "", "", "'@SUM(1+1)*cmd|' /C calc'!A0", ""},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("export reads back as\n%q\nwant\n%q", got, want)
	}
}

func TestExportError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := subscriberio.Export(ctx, new(bytes.Buffer), fakeSource{{Email: "a@example.com"}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
