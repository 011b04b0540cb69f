package cli

import (
	"flag"
	"io"
	"strings"
	"testing"
)

// Flags and arguments come in any order; "--" ends the flags, and a
// boolean flag leaves the next argument alone.
func TestParseInterleaved(t *testing.T) {
	for _, tc := range []struct {
		args       []string
		rest       string
		wait, name string
	}{
		{[]string{"1", "--wait"}, "1", "true", ""},
		{[]string{"--wait", "1"}, "1", "true", ""},
		{[]string{"-wait=false", "1"}, "1", "false", ""},
		{[]string{"1", "--name", "ann", "2"}, "1 2", "false", "ann"},
		{[]string{"--name", "-x", "1"}, "1", "false", "-x"},
		{[]string{"1", "--", "--wait", "-"}, "1 --wait -", "false", ""},
		{[]string{"-", "--name=a", "b"}, "- b", "false", "a"},
		{nil, "", "false", ""},
	} {
		fs := newTestFlagSet()
		rest, err := parseInterleaved(fs, tc.args)
		if err != nil {
			t.Errorf("%q: %v", tc.args, err)
			continue
		}
		if got := strings.Join(rest, " "); got != tc.rest || fs.Lookup("wait").Value.String() != tc.wait || fs.Lookup("name").Value.String() != tc.name {
			t.Errorf("%q: rest %q wait %s name %q", tc.args, got, fs.Lookup("wait").Value, fs.Lookup("name").Value)
		}
	}
	if _, err := parseInterleaved(newTestFlagSet(), []string{"1", "--nope"}); err == nil {
		t.Error("an unknown flag after an argument parsed")
	}
}

func newTestFlagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Bool("wait", false, "")
	fs.String("name", "", "")
	return fs
}
