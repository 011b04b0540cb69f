// Package subscriberiotest writes subscriber export files, as Mailchimp,
// Substack, Ghost, listmonk or a plain CSV file would, for tests and
// benchmarks of subscriberio.Import and the commands built on it.
package subscriberiotest

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Layouts are the layouts Write knows.
var Layouts = []string{"mailchimp", "substack", "ghost", "listmonk", "plain"}

// Stats describes a written file.
type Stats struct {
	Rows         int   // data rows
	Bad          int   // rows Import must reject
	BadLines     []int // the line each bad row starts on (the header is line 1), ascending
	Unsubscribed int   // good rows marked unsubscribed (row numbers ending in 7; none in plain files)
	Lines        int   // lines in the file, header included
}

// Good is the number of rows Import should accept.
func (s Stats) Good() int { return s.Rows - s.Bad }

// WriteCSV writes a file in layout with rows data rows, every badEvery-th
// of them invalid (none when badEvery is 0), and returns how many are bad.
func WriteCSV(w io.Writer, layout string, rows int, badEvery int) (bad int, err error) {
	s, err := Write(w, layout, rows, badEvery)
	return s.Bad, err
}

// Write is WriteCSV, reporting more. Good rows have distinct addresses,
// some with an upper-case domain or a UTF-8 local part, and names with
// commas and quotes. Bad rows take turns at being wrong in these ways:
//
//	0 no @ in the address
//	1 a line break (CRLF) inside the quoted address: two lines
//	2 a display name: "Reader 9 <reader9@example.com>"
//	3 an empty address
//	4 an address over 254 characters
//	5 two values more than the header has
//	6 a bare quote in the unquoted address (malformed CSV)
//
// and every 25th bad row is instead a good-looking line over 64 KB.
func Write(w io.Writer, layout string, rows, badEvery int) (Stats, error) {
	f, ok := formats[layout]
	if !ok {
		return Stats{}, fmt.Errorf("subscriberiotest: unknown layout %q", layout)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	var st Stats
	var line []byte
	line = appendRecord(line[:0], f.header, -1)
	st.Lines = 1
	bw.Write(line)
	fields := make([]string, len(f.header))
	for i := 1; i <= rows; i++ {
		bad := badEvery > 0 && i%badEvery == 0
		unsub := f.unsub && !bad && i%10 == 7
		f.row(fields, i, unsub)
		raw := -1
		if bad {
			kind := st.Bad % 7
			if st.Bad%25 == 24 {
				kind = 7
			}
			st.Bad++
			st.BadLines = append(st.BadLines, st.Lines+1)
			switch kind {
			case 0:
				fields[f.email] = "reader" + strconv.Itoa(i) + ".example.com"
			case 1:
				fields[f.email] = "reader" + strconv.Itoa(i) + "\r\n@example.com"
				st.Lines++
			case 2:
				fields[f.email] = "Reader " + strconv.Itoa(i) + " <reader" + strconv.Itoa(i) + "@example.com>"
			case 3:
				fields[f.email] = ""
			case 4:
				fields[f.email] = strings.Repeat("a", 250) + strconv.Itoa(i) + "@example.com"
			case 5:
				fields = append(fields, "surplus", "values")
			case 6:
				fields[f.email] = `reader"` + strconv.Itoa(i) + "@example.com"
				raw = f.email
			case 7:
				fields[f.pad] = strings.Repeat("x", 70<<10)
			}
		} else if unsub {
			st.Unsubscribed++
		}
		line = appendRecord(line[:0], fields, raw)
		fields = fields[:len(f.header)]
		st.Rows++
		st.Lines++
		if _, err := bw.Write(line); err != nil {
			return st, err
		}
	}
	return st, bw.Flush()
}

// appendRecord appends one CSV line, quoting as needed, except for field
// raw (-1: none), which goes in as it is.
func appendRecord(b []byte, fields []string, raw int) []byte {
	for i, v := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		if i == raw || !strings.ContainsAny(v, ",\"\r\n") && !strings.HasPrefix(v, " ") {
			b = append(b, v...)
			continue
		}
		b = append(b, '"')
		b = append(b, strings.ReplaceAll(v, `"`, `""`)...)
		b = append(b, '"')
	}
	return append(b, '\n')
}

// format is how one layout writes rows.
type format struct {
	header []string
	email  int  // the address column
	pad    int  // where a bad row puts 70 KB
	unsub  bool // the layout can mark readers unsubscribed
	row    func(f []string, i int, unsub bool)
}

// Email is the address of good row i.
func Email(i int) string {
	n := strconv.Itoa(i)
	switch {
	case i%7 == 0:
		return "Reader" + n + "@News.Example.ORG"
	case i%13 == 0:
		return "leser.müller" + n + "@example.de"
	}
	return "reader" + n + "@example.com"
}

// names are the first and last names of row i.
func names(i int) (first, last string) {
	switch i % 5 {
	case 0:
		return "Doe, Jane", strconv.Itoa(i)
	case 1:
		return `Jane "JD"`, "Doe" + strconv.Itoa(i)
	}
	return "Reader", strconv.Itoa(i)
}

// Name is the full name of row i, in layouts that have names.
func Name(i int) string {
	first, last := names(i)
	return first + " " + last
}

// Created is when row i signed up, to the second.
func Created(i int) time.Time {
	return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
}

func pick(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

var formats = map[string]format{
	"mailchimp": {
		unsub: true,
		header: []string{"Email Address", "First Name", "Last Name", "MEMBER_RATING", "OPTIN_TIME", "OPTIN_IP",
			"CONFIRM_TIME", "CONFIRM_IP", "LATITUDE", "LONGITUDE", "GMTOFF", "DSTOFF", "TIMEZONE", "CC", "REGION",
			"LAST_CHANGED", "LEID", "EUID", "NOTES", "TAGS", "UNSUB_TIME"},
		email: 0, pad: 18,
		row: func(f []string, i int, unsub bool) {
			t := Created(i).Format(time.DateTime)
			first, last := names(i)
			copy(f, []string{Email(i), first, last, "2", t, "", t, "198.51.100.7", "39.7392", "-104.9903",
				"-7", "-6", "America/Denver", "US", "CO", t, strconv.Itoa(100000 + i), "c8f1e2" + strconv.Itoa(i),
				"", `"Denver"`, pick(unsub, Created(i+600).Format(time.DateTime), "")})
		},
	},
	"substack": {
		unsub:  true,
		header: []string{"email", "active_subscription", "expiry", "plan", "email_disabled", "created_at", "first_payment_at"},
		email:  0, pad: 3,
		row: func(f []string, i int, unsub bool) {
			copy(f, []string{Email(i), pick(i%4 == 0, "true", "false"), "", pick(i%4 == 0, "monthly", "free"),
				pick(unsub, "true", "false"), Created(i).Format("2006-01-02T15:04:05.000Z"), ""})
		},
	},
	"ghost": {
		unsub: true,
		header: []string{"id", "email", "name", "note", "subscribed_to_emails", "complimentary_plan",
			"stripe_customer_id", "created_at", "deleted_at", "labels", "tiers"},
		email: 1, pad: 3,
		row: func(f []string, i int, unsub bool) {
			copy(f, []string{fmt.Sprintf("65b9a1c2%016x", i), Email(i), Name(i), "", pick(unsub, "false", "true"),
				"false", "", Created(i).Format("2006-01-02T15:04:05.000Z"), "", "Imported, Denver", ""})
		},
	},
	"listmonk": {
		unsub:  true,
		header: []string{"uuid", "email", "name", "attributes", "status", "created_at", "updated_at"},
		email:  1, pad: 3,
		row: func(f []string, i int, unsub bool) {
			t := Created(i).Format("2006-01-02 15:04:05.000000-07")
			copy(f, []string{fmt.Sprintf("0e6c1f3a-9d2b-4c8e-a1f0-%012x", i), Email(i), Name(i),
				`{"city": "Denver"}`, pick(unsub, "blocklisted", "enabled"), t, t})
		},
	},
	"plain": {
		header: []string{"email", "name"},
		email:  0, pad: 1,
		row: func(f []string, i int, unsub bool) {
			f[0], f[1] = Email(i), Name(i)
		},
	},
}
