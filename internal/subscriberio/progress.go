package subscriberio

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// NewProgressBar returns an Options.Progress that shows an import's
// progress on w. When w is a terminal it keeps one line, redrawn with \r at
// most 10 times a second:
//
//	[#########---------------]  38%  412,000 rows  17 bad
//
// Otherwise (a log, a pipe) it prints a line at every tenth of the file
// when the size is known, and a last line when the import ends.
func NewProgressBar(w io.Writer) func(Progress) {
	b := &bar{w: w, term: isTerminal(w), now: time.Now}
	return b.update
}

// isTerminal reports whether w is a terminal, as far as the standard
// library can tell: a character device (so /dev/null counts too, harmlessly).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || f == nil {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// redrawEvery throttles the terminal bar.
const redrawEvery = 100 * time.Millisecond

type bar struct {
	w      io.Writer
	term   bool
	now    func() time.Time
	drawn  time.Time // last redraw
	width  int       // length of the last line drawn
	tenths int       // tenths of the file already logged
	done   bool
}

func (b *bar) update(p Progress) {
	if b.done {
		return
	}
	b.done = p.Done
	if !b.term {
		b.log(p)
		return
	}
	now := b.now()
	if !p.Done && !b.drawn.IsZero() && now.Sub(b.drawn) < redrawEvery {
		return
	}
	b.drawn = now
	line := b.text(p, true)
	pad := ""
	if n := b.width - len(line); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	b.width = len(line)
	end := ""
	if p.Done {
		end = "\n"
	}
	fmt.Fprint(b.w, "\r"+line+pad+end)
}

// log prints a line when another tenth of the file is read, and at the end.
func (b *bar) log(p Progress) {
	if p.Done {
		fmt.Fprintln(b.w, b.text(p, false))
		return
	}
	if p.TotalBytes <= 0 {
		return
	}
	if t := int(percent(p) / 10); t > b.tenths && t < 10 {
		b.tenths = t
		fmt.Fprintln(b.w, b.text(p, false))
	}
}

func (b *bar) text(p Progress, drawBar bool) string {
	var s strings.Builder
	if p.TotalBytes > 0 {
		pct := percent(p)
		if drawBar {
			const width = 24
			full := int(pct * width / 100)
			s.WriteString("[" + strings.Repeat("#", full) + strings.Repeat("-", width-full) + "] ")
		}
		fmt.Fprintf(&s, "%3d%%  ", pct)
	}
	s.WriteString(group(p.Rows) + " rows")
	if p.Bad > 0 {
		s.WriteString("  " + group(p.Bad) + " bad")
	}
	return s.String()
}

// percent is how much of the file is read, 0 to 100.
func percent(p Progress) int64 {
	if p.TotalBytes <= 0 {
		return 0
	}
	return min(100, max(0, p.Bytes*100/p.TotalBytes))
}

// group writes n with thousands separators: 1234567 → "1,234,567".
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}
