// Package subscriberio imports subscriber lists exported from other
// newsletter tools (Mailchimp, Substack, Ghost, listmonk, or any CSV file
// with an email column) and exports Herald's subscribers as CSV.
//
// Import streams: memory stays flat however long the file is. It holds one
// record (at most MaxLineBytes), one batch of rows and an 8-byte hash per
// distinct address seen, to count duplicates.
package subscriberio

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

// Row is one valid subscriber from an import file.
type Row struct {
	Line         int    // 1-based line number in the file (header is line 1) where the record starts
	Email        string // as normalised by Options.Validate
	Name         string
	UTF8Local    bool
	Unsubscribed bool      // the source marks this reader as unsubscribed / not receiving email
	SubscribedAt time.Time // from the source when it has it (zero otherwise), UTC
}

// Sink stores imported rows. Rows of one call are a batch; the sink must be
// idempotent (re-importing the same rows changes nothing) and returns how
// many rows it actually changed (added or changed status). The slice is
// reused after ImportRows returns: a sink must not keep it.
type Sink interface {
	ImportRows(ctx context.Context, rows []Row) (changed int, err error)
}

// Options control an import.
type Options struct {
	// Validate normalises an address or rejects it with a reason. Required.
	// It returns the normalised email and whether the local part is UTF-8.
	// A rejection's reason is the Message of a *herald.Error in its chain,
	// else err.Error(); it ends up in front of an editor, so keep it plain.
	Validate  func(raw string) (email string, utf8Local bool, err error)
	BatchSize int              // rows per ImportRows call; zero: 1000
	Progress  func(p Progress) // called after each batch and at the end; may be nil
	MaxErrors int              // row errors kept in the report (all are counted); zero: 1000, negative: none
}

// Progress is how far an import has got.
type Progress struct {
	Rows       int64 // data rows read
	Bytes      int64 // bytes read
	TotalBytes int64 // 0 when unknown
	Changed    int64
	Bad        int64
	Done       bool // the last call of the import, also when it fails
}

// RowError is a rejected row.
type RowError struct {
	Line   int
	Reason string
}

// Report sums up an import.
type Report struct {
	Layout     string     // "mailchimp", "substack", "ghost", "listmonk", "plain"
	Rows       int        // data rows read
	Changed    int        // rows the sink changed
	Unchanged  int        // valid rows the sink already had (Rows - Bad - Changed - Duplicates when the import completes)
	Duplicates int        // same address (case-insensitively) seen earlier in this file; the first one is kept
	Bad        int        // rejected rows, all counted
	Errors     []RowError // the first MaxErrors rejected rows, in line order
}

// Import reads a CSV export from r (size, when known, is its total bytes,
// for progress; 0 if unknown) and feeds valid rows to sink in batches.
//
// A malformed line (a stray quote, more or fewer fields than the header, a
// record over MaxLineBytes, a missing or invalid address) is a RowError
// for that line, and reading goes on. A file with no header Import knows is
// an EINVALID error naming the columns found and those looked for.
// Cancelling ctx stops the import before the next batch, with ctx.Err().
// On any error the report says how far the import got: rows of a batch
// not yet stored count as neither Changed nor Unchanged.
func Import(ctx context.Context, r io.Reader, size int64, sink Sink, opts Options) (Report, error) {
	if opts.Validate == nil || sink == nil {
		return Report{}, errors.New("subscriberio: Import needs a Sink and Options.Validate")
	}
	if err := ctx.Err(); err != nil {
		return Report{}, err
	}
	im := &importer{ctx: ctx, sink: sink, opts: opts, size: size, seed: maphash.MakeSeed()}
	if im.opts.BatchSize <= 0 {
		im.opts.BatchSize = 1000
	}
	if im.opts.MaxErrors == 0 {
		im.opts.MaxErrors = 1000
	}
	im.lim = newLimitReader(r)
	im.cr = csv.NewReader(bufio.NewReaderSize(im.lim, 64<<10))
	im.cr.FieldsPerRecord = -1 // checked against the header in record
	im.cr.ReuseRecord = true
	if err := im.header(); err != nil {
		return Report{}, err
	}
	err := im.run()
	im.rep.Unchanged = im.stored - im.rep.Changed
	im.progress(true)
	return im.rep, err
}

type importer struct {
	ctx  context.Context
	sink Sink
	opts Options
	size int64
	lim  *limitReader
	cr   *csv.Reader

	l         layout
	headerLen int
	seed      maphash.Seed
	seen      hashSet // hashes of lower-cased addresses
	batch     []Row
	stored    int // valid rows handed to the sink
	lastTick  int // Rows at the last progress report
	rep       Report
}

// header reads and recognises the header row.
func (im *importer) header() error {
	header, err := im.cr.Read()
	var pe *csv.ParseError
	switch {
	case err == io.EOF:
		return herald.Errorf(herald.EINVALID, "The file is empty: Herald expects a CSV file whose first row names the columns, one of them the email address.")
	case errors.As(err, &pe):
		return herald.Errorf(herald.EINVALID, "The file's first row is not valid CSV (%s).", csvReason(pe))
	case err != nil:
		return fmt.Errorf("subscriberio: read header: %w", err)
	case im.lim.cutBefore(im.cr.InputOffset()):
		return herald.Errorf(herald.EINVALID, "The file's first row is longer than 64 KB; is it a CSV export?")
	}
	im.l, err = detect(header)
	im.rep.Layout, im.headerLen = im.l.name, len(header)
	return err
}

// run reads the data rows.
func (im *importer) run() error {
	for {
		rec, err := im.cr.Read()
		if err == io.EOF {
			return im.flush()
		}
		var pe *csv.ParseError
		if err != nil && !errors.As(err, &pe) {
			return fmt.Errorf("subscriberio: read the file after %d rows: %w", im.rep.Rows, err)
		}
		im.rep.Rows++
		cut := im.lim.cutBefore(im.cr.InputOffset())
		switch {
		case pe != nil && cut:
			im.bad(pe.StartLine, "the line is longer than 64 KB")
		case pe != nil:
			im.bad(pe.StartLine, "the line is not valid CSV: "+csvReason(pe))
		case cut:
			line, _ := im.cr.FieldPos(0)
			im.bad(line, "the line is longer than 64 KB")
		default:
			line, _ := im.cr.FieldPos(0)
			im.record(line, rec)
		}
		var stop error
		if len(im.batch) >= im.opts.BatchSize {
			stop = im.flush()
		} else if im.rep.Rows-im.lastTick >= im.opts.BatchSize {
			stop = im.tick()
		}
		if stop != nil {
			return stop
		}
	}
}

// record checks one parsed record and adds it to the batch.
func (im *importer) record(line int, rec []string) {
	l := &im.l
	switch {
	case len(rec) < l.need:
		im.bad(line, fmt.Sprintf("the line has %d fields, but the header has %d", len(rec), im.headerLen))
		return
	case len(rec) > im.headerLen && strings.Join(rec[im.headerLen:], "") != "":
		im.bad(line, fmt.Sprintf("the line has %d fields, but the header has %d (a comma in a value without quotes?)", len(rec), im.headerLen))
		return
	}
	raw := strings.TrimSpace(rec[l.email])
	if raw == "" {
		im.bad(line, "the email address is empty")
		return
	}
	if strings.ContainsFunc(raw, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		im.bad(line, "the email address contains a line break or another control character")
		return
	}
	email, utf8Local, err := im.opts.Validate(raw)
	if err != nil {
		im.bad(line, reason(err))
		return
	}
	if !im.seen.add(maphash.String(im.seed, strings.ToLower(email))) {
		im.rep.Duplicates++
		return
	}
	im.batch = append(im.batch, Row{Line: line, Email: email, UTF8Local: utf8Local})
	l.row(rec, &im.batch[len(im.batch)-1])
}

// bad counts a rejected row and keeps it for the report while there is room.
func (im *importer) bad(line int, reason string) {
	im.rep.Bad++
	if len(im.rep.Errors) < im.opts.MaxErrors {
		im.rep.Errors = append(im.rep.Errors, RowError{Line: line, Reason: reason})
	}
}

// flush hands the batch to the sink, unless ctx is done.
func (im *importer) flush() error {
	if err := im.ctx.Err(); err != nil {
		return err
	}
	if len(im.batch) > 0 {
		b := im.batch
		n, err := im.sink.ImportRows(im.ctx, b)
		if err != nil {
			return fmt.Errorf("subscriberio: store the rows of lines %d to %d: %w", b[0].Line, b[len(b)-1].Line, err)
		}
		im.rep.Changed += n
		im.stored += len(b)
		clear(b) // let the records' strings go
		im.batch = b[:0]
	}
	return im.tick()
}

// tick reports progress and stops when ctx is done.
func (im *importer) tick() error {
	im.lastTick = im.rep.Rows
	im.progress(false)
	return im.ctx.Err()
}

func (im *importer) progress(done bool) {
	if im.opts.Progress == nil {
		return
	}
	im.opts.Progress(Progress{
		Rows: int64(im.rep.Rows), Bytes: im.lim.read, TotalBytes: im.size,
		Changed: int64(im.rep.Changed), Bad: int64(im.rep.Bad), Done: done,
	})
}

// csvReason words an encoding/csv parse error for an editor.
func csvReason(pe *csv.ParseError) string {
	what := pe.Err.Error()
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		what = `a quote (") inside a value that does not start with one`
	case errors.Is(pe.Err, csv.ErrQuote):
		what = `a quote (") out of place, or a quoted value that is never closed`
	}
	if pe.Line != pe.StartLine {
		return fmt.Sprintf("%s (line %d, column %d)", what, pe.Line, pe.Column)
	}
	return fmt.Sprintf("%s (column %d)", what, pe.Column)
}

// reason is the text of a Validate rejection.
func reason(err error) string {
	var he *herald.Error
	if errors.As(err, &he) {
		return he.Message
	}
	return err.Error()
}
