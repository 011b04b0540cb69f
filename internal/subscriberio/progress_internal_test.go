package subscriberio

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestProgressBarTerminal(t *testing.T) {
	var out strings.Builder
	now := time.Unix(0, 0)
	b := &bar{w: &out, term: true, now: func() time.Time { return now }}
	for i := range 50 { // 50 calls in 1 s: at most 10 redraws, plus the first
		now = now.Add(20 * time.Millisecond)
		b.update(Progress{Rows: int64(i+1) * 1000, Bytes: int64(i+1) * 2, TotalBytes: 100, Bad: 3})
	}
	b.update(Progress{Rows: 51_000, Bytes: 100, TotalBytes: 100, Bad: 3, Done: true})
	s := out.String()
	if n := strings.Count(s, "\r"); n < 2 || n > 12 {
		t.Errorf("%d redraws, want at most 10 a second plus the last", n)
	}
	if !strings.HasSuffix(s, "\r[########################] 100%  51,000 rows  3 bad\n") {
		t.Errorf("last line %q", s[strings.LastIndex(s, "\r"):])
	}
}

func TestProgressBarLog(t *testing.T) {
	var out strings.Builder
	bar := NewProgressBar(&out)
	for i := range 1000 {
		bar(Progress{Rows: int64(i), Bytes: int64(i), TotalBytes: 1000})
	}
	bar(Progress{Rows: 1_234_567, Bytes: 1000, TotalBytes: 1000, Done: true})
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 10 || lines[0] != " 10%  100 rows" || lines[9] != "100%  1,234,567 rows" {
		t.Errorf("log lines %q", lines)
	}
}

func TestIsTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) || isTerminal(&strings.Builder{}) {
		t.Error("a file or a buffer taken for a terminal")
	}
}
