package subscriberio

import (
	"bytes"
	"io"
)

// MaxLineBytes is the longest record (one CSV line, or several when a quoted
// value spans lines) that Import reads; longer ones are reported as bad rows.
// Line breaks do not count towards it.
const MaxLineBytes = 64 << 10

// States of the small CSV scanner in limitReader. It mirrors what
// encoding/csv (without LazyQuotes) does, only to know where a record ends.
const (
	stFieldStart = iota // at the start of a field
	stUnquoted          // inside an unquoted field
	stQuoted            // inside a quoted field
	stQuote             // just after a quote inside a quoted field
	stBadLine           // after a quoting error: the rest of the line is lost
)

// limitReader sits between the file and encoding/csv so that no record held
// in memory is longer than MaxLineBytes, however the file is made. It drops
// a leading UTF-8 byte order mark and cuts every record longer than the
// limit: the rest of the record is dropped, an open quote is closed, and
// every dropped line break is kept, so encoding/csv still counts lines
// right (the blank lines it then sees are skipped). The byte offset, in the
// stream it gives, of the end of every cut record is queued in cuts, for
// Import to compare with csv.Reader.InputOffset.
type limitReader struct {
	r       io.Reader
	buf     []byte // read buffer
	in      []byte // unread part of buf
	pending []byte // made-up bytes still to give out
	err     error  // error from r, returned once in and pending are empty
	started bool

	state    int
	recBytes int  // bytes of the current record so far, line breaks aside
	skipping bool // dropping the rest of a record that is too long
	closed   bool // the cut record's line break has been given out

	read int64   // bytes read from r
	out  int64   // bytes given out
	cuts []int64 // offsets (in bytes given out) just past each cut record
}

func newLimitReader(r io.Reader) *limitReader {
	return &limitReader{r: r, buf: make([]byte, 32<<10)}
}

var bom = []byte("\xef\xbb\xbf")

// fill reads more input; at the start it makes sure it can see a whole
// byte order mark, and drops it.
func (l *limitReader) fill() {
	n, err := l.r.Read(l.buf)
	l.read += int64(n)
	l.in, l.err = l.buf[:n], err
	if l.started {
		return
	}
	for len(l.in) < len(bom) && l.err == nil {
		n, err = l.r.Read(l.buf[len(l.in):])
		l.read += int64(n)
		l.in, l.err = l.buf[:len(l.in)+n], err
	}
	l.started = true
	if len(l.in) >= len(bom) && string(l.in[:len(bom)]) == string(bom) {
		l.in = l.in[len(bom):]
	}
}

// Read implements io.Reader. It never returns 0, nil.
func (l *limitReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(l.pending) > 0 {
			k := copy(p[n:], l.pending)
			l.pending = l.pending[k:]
			n += k
			continue
		}
		if len(l.in) == 0 {
			if l.err != nil {
				if l.skipping && !l.closed {
					l.endCut(n)
					continue
				}
				break
			}
			if n > 0 {
				break // give what we have before blocking on more input
			}
			l.fill()
			continue
		}
		if l.skipping {
			c := l.in[0]
			l.in = l.in[1:]
			l.skip(c, n)
			continue
		}
		k := l.wholeLines(len(p) - n)
		over := false
		if k == 0 {
			k, over = l.scan(l.in[:min(len(l.in), len(p)-n)])
		}
		n += copy(p[n:], l.in[:k])
		l.in = l.in[k:]
		if over {
			l.skipping, l.closed = true, false
			if l.state == stQuoted {
				l.pending = append(l.pending[:0], '"')
			}
		}
	}
	l.out += int64(n)
	if n == 0 {
		return 0, l.err
	}
	return n, nil
}

// wholeLines is the fast path of Read: at the start of a record, the
// length of the longest run of whole lines at the front of in, at most
// room bytes and MaxLineBytes, in which there is no quote. Such lines are
// records as they are: encoding/csv only needs a quote to make a value
// span lines. 0 means Read must go byte by byte.
func (l *limitReader) wholeLines(room int) int {
	if l.skipping || l.recBytes != 0 || l.state != stFieldStart {
		return 0
	}
	seg := l.in[:min(len(l.in), room, MaxLineBytes)]
	if q := bytes.IndexByte(seg, '"'); q >= 0 {
		seg = seg[:q]
	}
	return bytes.LastIndexByte(seg, '\n') + 1
}

// scan runs the scanner over b up to the end of a record and returns how
// many bytes of b go out as they are; over reports that the next byte
// would make the record too long.
func (l *limitReader) scan(b []byte) (k int, over bool) {
	for i, c := range b {
		if c != '\n' && c != '\r' {
			if l.recBytes == MaxLineBytes {
				return i, true
			}
			l.recBytes++
		}
		if l.step(c) {
			l.recBytes = 0
			return i + 1, false
		}
	}
	return len(b), false
}

// skip drops byte c of a record that is too long; n is how many bytes the
// current Read has given out so far.
func (l *limitReader) skip(c byte, n int) {
	end := l.step(c)
	if c == '\n' {
		if !l.closed {
			l.endCut(n)
		} else {
			l.pending = append(l.pending, '\n') // a blank line for csv to skip
		}
	}
	if end {
		l.skipping, l.recBytes = false, 0
	}
}

// endCut gives out the line break that ends a cut record and notes where.
func (l *limitReader) endCut(n int) {
	l.pending = append(l.pending, '\n')
	l.closed = true
	l.cuts = append(l.cuts, l.out+int64(n)+int64(len(l.pending)))
}

// step moves the scanner over c and reports whether c ended a record.
func (l *limitReader) step(c byte) bool {
	switch l.state {
	case stFieldStart, stUnquoted:
		switch c {
		case '\n':
			l.state = stFieldStart
			return true
		case ',':
			l.state = stFieldStart
		case '"':
			if l.state == stFieldStart {
				l.state = stQuoted
			} else {
				l.state = stBadLine // encoding/csv: bare quote
			}
		default:
			l.state = stUnquoted
		}
	case stQuoted:
		if c == '"' {
			l.state = stQuote
		}
	case stQuote:
		switch c {
		case '"':
			l.state = stQuoted
		case ',':
			l.state = stFieldStart
		case '\n':
			l.state = stFieldStart
			return true
		case '\r': // "\r\n" reads as "\n"
		default:
			l.state = stBadLine // encoding/csv: extraneous quote
		}
	case stBadLine:
		if c == '\n' {
			l.state = stFieldStart
			return true
		}
	}
	return false
}

// cutBefore reports whether a record cut short ends at or before offset
// (csv.Reader.InputOffset after reading a record), forgetting those cuts.
func (l *limitReader) cutBefore(offset int64) bool {
	cut := false
	for len(l.cuts) > 0 && l.cuts[0] <= offset {
		l.cuts = l.cuts[1:]
		cut = true
	}
	return cut
}
