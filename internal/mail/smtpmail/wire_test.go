package smtpmail

import (
	"bufio"
	"bytes"
	"net/textproto"
	"testing"
)

func TestAppendDotStuffedWritesWhatDotWriterWrites(t *testing.T) {
	for _, data := range []string{
		"Subject: x\r\n\r\n.a line with a dot\r\n..two\r\nend.\r\n.",
		".first\r\n.\r\n",
		"no dots at all\r\n",
		"",
	} {
		var want bytes.Buffer
		bw := bufio.NewWriter(&want)
		w := textproto.NewWriter(bw).DotWriter()
		w.Write([]byte(data))
		bw.Flush()
		got, ok := appendDotStuffed([]byte("kept"), []byte(data))
		if !ok || string(got) != "kept"+want.String() {
			t.Errorf("%q: got %q (%v), want %q", data, got, ok, "kept"+want.String())
		}
	}
	for _, data := range []string{"bare\nLF\r\n", "bare\rCR\r\n", "\r\r\n"} {
		if got, ok := appendDotStuffed([]byte("kept"), []byte(data)); ok || string(got) != "kept" {
			t.Errorf("%q: got %q, %v; want it left to the DotWriter", data, got, ok)
		}
	}
}
