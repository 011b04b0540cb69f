package subscriberio_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/subscriberio"
	"github.com/herald-news/herald/internal/subscriberio/subscriberiotest"
)

func TestImportDuplicates(t *testing.T) {
	file := "email,name\na@example.com,A\nA@Example.COM,A again\nb@example.com,B\na@example.com,A thrice\n"
	sink := newMemSink()
	rep, err := subscriberio.Import(context.Background(), strings.NewReader(file), 0, sink, subscriberio.Options{Validate: validate})
	want := subscriberio.Report{Layout: "plain", Rows: 4, Changed: 2, Duplicates: 2}
	if err != nil || fmt.Sprint(rep) != fmt.Sprint(want) {
		t.Fatalf("report %+v, %v; want %+v", rep, err, want)
	}
	if r := sink.rows["a@example.com"]; r.Name != "A" || r.Line != 2 {
		t.Errorf("kept %+v, want the first of the duplicates", r)
	}
}

// TestImportMalformed checks that broken lines are reported on the line
// they start on and that reading goes on after them.
func TestImportMalformed(t *testing.T) {
	huge := strings.Repeat("x", 5<<20)
	var longQuoted strings.Builder // many short lines, one long record
	for range 100 {
		longQuoted.WriteString(strings.Repeat("y", 1000) + "\r\n")
	}
	lines := []string{
		"id,email,name,subscribed_to_emails",                     // 1
		"1,ok1@example.com,One,true",                             // 2
		`2,"x"y@example.com,Two,true`,                            // 3: stray quote
		"3",                                                      // 4: too few fields
		"4,ok2@example.com,Four,true,,",                          // 5: empty extra fields are fine
		"5,ok3@example.com,\"Multi\nline\",true",                 // 6-7
		"6,ok4@example.com," + huge + ",true",                    // 8: over 64 KB
		"7,ok5@example.com,Seven,true",                           // 9
		"8,ok6@example.com,\"" + longQuoted.String() + "\",true", // 10-110: record over 64 KB
		"9,ok7@example.com,Nine,false",                           // 111
		"",                                                       // 112: blank
		"10,ok8@example.com,\"Ten,false",                         // 113: never closed
		"11,ok9@example.com,Eleven,true",                         // 114, swallowed by 113
	}
	sink := newMemSink()
	rep, err := subscriberio.Import(context.Background(), strings.NewReader(strings.Join(lines, "\n")), 0, sink, subscriberio.Options{Validate: validate})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range rep.Errors {
		got = append(got, fmt.Sprint(e.Line))
	}
	if g := strings.Join(got, ","); g != "3,4,8,10,113" {
		t.Errorf("bad lines %s, want 3,4,8,10,113; errors %+v", g, rep.Errors)
	}
	if rep.Rows != 10 || rep.Changed != 5 {
		t.Errorf("report %+v, want 10 rows, 5 changed", rep)
	}
	for email, line := range map[string]int{"ok1": 2, "ok2": 5, "ok3": 6, "ok5": 9, "ok7": 111} {
		if r, ok := sink.rows[email+"@example.com"]; !ok || r.Line != line {
			t.Errorf("%s: got %+v, want line %d", email, r, line)
		}
	}
	if r := sink.rows["ok3@example.com"]; r.Name != "Multi\nline" {
		t.Errorf("multi-line name %q", r.Name)
	}
}

func TestImportHeaderErrors(t *testing.T) {
	for _, file := range []string{"", "\n\n", "Address,Name\na@example.com,A\n", "em\"ail,name\n", strings.Repeat("e", 70<<10) + "\n"} {
		_, err := subscriberio.Import(context.Background(), strings.NewReader(file), 0, newMemSink(), subscriberio.Options{Validate: validate})
		if herald.ErrorCode(err) != herald.EINVALID {
			t.Errorf("%.20q: err = %v, want EINVALID", file, err)
		}
	}
	rep, err := subscriberio.Import(context.Background(), strings.NewReader("\ufeff\"Email Address\",\"First Name\"\r\na@example.com,A\r\n"), 0, newMemSink(), subscriberio.Options{Validate: validate})
	if err != nil || rep.Layout != "mailchimp" || rep.Changed != 1 {
		t.Errorf("BOM and quoted header: %+v, %v", rep, err)
	}
}

func TestImportProgress(t *testing.T) {
	var buf bytes.Buffer
	if _, err := subscriberiotest.WriteCSV(&buf, "plain", 10_000, 50); err != nil {
		t.Fatal(err)
	}
	size := int64(buf.Len())
	var calls []subscriberio.Progress
	opts := subscriberio.Options{Validate: validate, BatchSize: 100, Progress: func(p subscriberio.Progress) { calls = append(calls, p) }}
	if _, err := subscriberio.Import(context.Background(), &buf, size, newMemSink(), opts); err != nil {
		t.Fatal(err)
	}
	if len(calls) < 100 {
		t.Fatalf("%d progress calls, want one per batch", len(calls))
	}
	for i, p := range calls[1 : len(calls)-1] {
		if p.Rows <= calls[i].Rows || p.Bytes < calls[i].Bytes || p.Done || p.TotalBytes != size {
			t.Fatalf("call %d: %+v after %+v", i+1, p, calls[i])
		}
	}
	last := calls[len(calls)-1]
	if !last.Done || last.Rows != 10_000 || last.Bad != 200 || last.Bytes != size || last.Changed != 9800 {
		t.Errorf("last progress %+v", last)
	}
}

// cancelSink cancels the import after n batches.
type cancelSink struct {
	memSink
	n      int
	cancel context.CancelFunc
}

func (s *cancelSink) ImportRows(ctx context.Context, rows []subscriberio.Row) (int, error) {
	if s.batches+1 == s.n {
		s.cancel()
	}
	return s.memSink.ImportRows(ctx, rows)
}

func TestImportCancel(t *testing.T) {
	var buf bytes.Buffer
	if _, err := subscriberiotest.WriteCSV(&buf, "plain", 10_000, 0); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	sink := &cancelSink{memSink: *newMemSink(), n: 3, cancel: cancel}
	rep, err := subscriberio.Import(ctx, &buf, 0, sink, subscriberio.Options{Validate: validate, BatchSize: 100})
	if !errors.Is(err, context.Canceled) || sink.batches != 3 || rep.Changed != 300 || rep.Rows > 400 {
		t.Errorf("after cancel: %+v, %v, %d batches", rep, err, sink.batches)
	}
	_, err = subscriberio.Import(ctx, strings.NewReader("email\na@example.com\n"), 0, newMemSink(), subscriberio.Options{Validate: validate})
	if err != context.Canceled {
		t.Errorf("cancelled before: %v", err)
	}
}

func TestImportLineLimit(t *testing.T) {
	line := func(email string, size int) string { // a CRLF line of size bytes, line break aside
		prefix := email + ",\""
		return prefix + strings.Repeat("n", size-len(prefix)-1) + "\"\r\n"
	}
	file := "email,name\r\n" + line("a@example.com", subscriberio.MaxLineBytes) +
		line("b@example.com", subscriberio.MaxLineBytes+1) + "c@example.com,C\r\n"
	sink := newMemSink()
	rep, err := subscriberio.Import(context.Background(), strings.NewReader(file), 0, sink, subscriberio.Options{Validate: validate})
	if err != nil || rep.Bad != 1 || rep.Errors[0].Line != 3 || rep.Changed != 2 || sink.rows["c@example.com"].Line != 4 {
		t.Errorf("report %+v, %v", rep, err)
	}
	if n := len(sink.rows["a@example.com"].Name); n != subscriberio.MaxLineBytes-len("a@example.com,\"\"") {
		t.Errorf("name of %d bytes", n)
	}
}
