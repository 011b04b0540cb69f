package subscriberio_test

import (
	"bytes"
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald/internal/subscriberio"
	"github.com/herald-news/herald/internal/subscriberio/subscriberiotest"
)

// TestImportGenerated imports 100,000-row exports with 1% bad rows twice.
func TestImportGenerated(t *testing.T) {
	for _, layout := range []string{"mailchimp", "substack", "ghost", "listmonk"} {
		t.Run(layout, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			st, err := subscriberiotest.Write(&buf, layout, 100_000, 100)
			if err != nil {
				t.Fatal(err)
			}
			if st.Bad != 1000 || st.Unsubscribed == 0 {
				t.Fatalf("generator wrote %+v", st)
			}
			sink := newMemSink()
			opts := subscriberio.Options{Validate: validate, MaxErrors: st.Bad + 10}
			rep, err := subscriberio.Import(context.Background(), bytes.NewReader(buf.Bytes()), int64(buf.Len()), sink, opts)
			if err != nil {
				t.Fatal(err)
			}
			want := subscriberio.Report{Layout: layout, Rows: st.Rows, Changed: st.Good(), Bad: st.Bad}
			checkReport(t, rep, want, st.BadLines)
			if got := sink.unsubscribed(); got != st.Unsubscribed {
				t.Errorf("sink has %d unsubscribed, want %d", got, st.Unsubscribed)
			}
			for i, want := range map[int]string{3: "empty", 5: "fields", 6: "quote", 24: "64 KB"} {
				if r := rep.Errors[i].Reason; !strings.Contains(r, want) {
					t.Errorf("bad row %d: reason %q, want it to mention %q", i, r, want)
				}
			}
			checkRows(t, layout, sink)

			rep, err = subscriberio.Import(context.Background(), bytes.NewReader(buf.Bytes()), 0, sink, opts)
			if err != nil {
				t.Fatal(err)
			}
			want.Changed, want.Unchanged = 0, st.Good()
			checkReport(t, rep, want, st.BadLines)
		})
	}
}

func checkReport(t *testing.T, got, want subscriberio.Report, badLines []int) {
	t.Helper()
	lines := make([]int, len(got.Errors))
	for i, e := range got.Errors {
		lines[i] = e.Line
		if e.Reason == "" {
			t.Errorf("line %d: no reason", e.Line)
		}
	}
	if !slices.Equal(lines, badLines) {
		for i := range min(len(lines), len(badLines)) {
			if lines[i] != badLines[i] {
				t.Errorf("bad row %d reported on line %d (%s), want line %d", i, lines[i], got.Errors[i].Reason, badLines[i])
				break
			}
		}
		t.Errorf("%d bad lines reported, want %d", len(lines), len(badLines))
	}
	got.Errors = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("report %+v, want %+v", got, want)
	}
}

// checkRows spot-checks what the sink got for a few generated rows.
func checkRows(t *testing.T, layout string, sink *memSink) {
	t.Helper()
	for _, i := range []int{1, 7, 13, 20} {
		email := subscriberiotest.Email(i)
		if i == 7 {
			email = "Reader7@news.example.org"
		}
		r, ok := sink.rows[strings.ToLower(email)]
		switch {
		case !ok:
			t.Errorf("row %d: %s not imported", i, email)
			continue
		case r.Email != email || r.Line != i+1 || r.Unsubscribed != (i == 7) || r.UTF8Local != (i == 13):
			t.Errorf("row %d: got %+v", i, r)
		case layout != "substack" && r.Name != subscriberiotest.Name(i):
			t.Errorf("row %d: name %q, want %q", i, r.Name, subscriberiotest.Name(i))
		case !r.SubscribedAt.Equal(subscriberiotest.Created(i)):
			t.Errorf("row %d: subscribed at %v, want %v", i, r.SubscribedAt, subscriberiotest.Created(i))
		}
	}
}

func TestImportUnsubscribed(t *testing.T) {
	t0 := time.Date(2024, 3, 5, 14, 2, 11, 0, time.UTC)
	tests := []struct {
		layout, file string
		unsub        []bool
	}{
		{"mailchimp", "Email Address,First Name,Last Name,OPTIN_TIME,CONFIRM_TIME,CLEAN_TIME\n" +
			"a@example.com,Ann,Lee,2024-03-05 14:02:11,,\n" +
			"b@example.com,Ann,Lee,,2024-03-05 14:02:11,2024-05-01 00:00:00\n", []bool{false, true}},
		{"mailchimp", "Email Address,First Name,Last Name,OPTIN_TIME,Unsubscribe Time\n" +
			"a@example.com,Ann,Lee,2024-03-05 14:02:11,\n" +
			"b@example.com,Ann,Lee,2024-03-05 14:02:11,2024-05-01 00:00:00\n", []bool{false, true}},
		{"substack", "email,active_subscription,expiry,plan,email_disabled,created_at\n" +
			"a@example.com,true,,monthly,false,2024-03-05T14:02:11Z\n" +
			"b@example.com,false,,free,true,2024-03-05 14:02:11\n", []bool{false, true}},
		{"ghost", "id,email,name,subscribed_to_emails,created_at\n" +
			"1,a@example.com,Ann Lee,true,2024-03-05T14:02:11.000Z\n" +
			"2,b@example.com,Ann Lee,false,2024-03-05T14:02:11.000Z\n", []bool{false, true}},
		{"listmonk", "uuid,email,name,attributes,status,created_at\n" +
			"u1,a@example.com,Ann Lee,{},enabled,2024-03-05 14:02:11.000000+00\n" +
			"u2,b@example.com,Ann Lee,{},blocklisted,2024-03-05 16:02:11+02\n", []bool{false, true}},
		{"plain", "name,email\nAnn Lee,a@example.com\n", []bool{false}},
	}
	for _, tt := range tests {
		sink := newMemSink()
		rep, err := subscriberio.Import(context.Background(), strings.NewReader(tt.file), 0, sink, subscriberio.Options{Validate: validate})
		if err != nil || rep.Layout != tt.layout || rep.Changed != len(tt.unsub) {
			t.Errorf("%s: report %+v, %v", tt.layout, rep, err)
			continue
		}
		for i, unsub := range tt.unsub {
			r := sink.rows[string(rune('a'+i))+"@example.com"]
			wantTime := t0
			if tt.layout == "plain" {
				wantTime = time.Time{}
			}
			wantName := "Ann Lee"
			if tt.layout == "substack" {
				wantName = "" // Substack exports no names
			}
			if r.Unsubscribed != unsub || r.Name != wantName || !r.SubscribedAt.Equal(wantTime) {
				t.Errorf("%s: line %d: got %+v, want unsubscribed %v", tt.layout, r.Line, r, unsub)
			}
		}
	}
}
