package subscriberio

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"
)

// ExportRow is one subscriber as exported.
type ExportRow struct {
	Email, Name string
	CreatedAt   time.Time
	Newsletters []ExportSubscription
	// The latest signup or confirm consent.
	ConsentAt   time.Time
	ConsentIP   string
	ConsentForm string
	// Suppressed is why the address is never mailed (a hard bounce, a
	// complaint), or empty.
	Suppressed string
}

// ExportSubscription is one of a subscriber's newsletters.
type ExportSubscription struct {
	Slug, Status string
	ConfirmedAt  time.Time
}

// Source streams subscribers for export.
type Source interface {
	EachSubscriber(ctx context.Context, fn func(ExportRow) error) error
}

// exportHeader is the first row Export writes.
var exportHeader = []string{"email", "name", "created_at", "newsletters", "consent_at", "consent_ip", "consent_form", "suppressed"}

// Export writes every subscriber of src to w as CSV with the header
// email,name,created_at,newsletters,consent_at,consent_ip,consent_form,
// suppressed (why the address is never mailed: a hard bounce, a complaint);
// newsletters as "slug:status" joined by ";", times in RFC 3339, UTC, or
// empty when unknown.
//
// The file is meant to be opened in a spreadsheet, and names, addresses
// and form paths come from readers, who can type anything into a signup
// box. A spreadsheet runs a cell that starts with =, +, - or @ as a formula
// (and some also after a tab or carriage return), so a reader named
// "=HYPERLINK(...)" or "=cmd|' /C calc'!A0" could make an editor's
// spreadsheet fetch URLs with other readers' data or run commands. As
// OWASP advises against CSV injection, such a cell gets a leading single
// quote, which spreadsheets show as text and do not evaluate. The price is
// that such a value (say an address starting with "-") reads back with
// the quote.
func Export(ctx context.Context, w io.Writer, src Source) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(exportHeader); err != nil {
		return fmt.Errorf("subscriberio: write export: %w", err)
	}
	rec := make([]string, len(exportHeader))
	var nl strings.Builder
	err := src.EachSubscriber(ctx, func(r ExportRow) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		nl.Reset()
		for i, s := range r.Newsletters {
			if i > 0 {
				nl.WriteByte(';')
			}
			nl.WriteString(s.Slug + ":" + s.Status)
		}
		rec[0], rec[1], rec[2] = r.Email, r.Name, exportTime(r.CreatedAt)
		rec[3], rec[4] = nl.String(), exportTime(r.ConsentAt)
		rec[5], rec[6], rec[7] = r.ConsentIP, r.ConsentForm, r.Suppressed
		for i, v := range rec {
			rec[i] = defuse(v)
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("subscriberio: write export: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("subscriberio: write export: %w", err)
	}
	return nil
}

func exportTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// defuse prefixes a cell a spreadsheet would run as a formula with a
// single quote (see Export).
func defuse(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
