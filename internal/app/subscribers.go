package app

import (
	"context"
	"io"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/address"
	"github.com/herald-news/herald/internal/subscriberio"
)

// ImportSubscribers reads a CSV export (size bytes, 0 if unknown) into the
// newsletter named by slug, for the CLI and the JSON API alike. Confirmed
// readers become active (the caller vouches for their consent); others
// stay pending and get no email. source is kept with each consent record.
func (a *App) ImportSubscribers(ctx context.Context, r io.Reader, size int64, slug string, confirmed bool, source string,
	progress func(subscriberio.Progress)) (*herald.Newsletter, subscriberio.Report, error) {
	nl, err := a.Newsroom.FindNewsletter(ctx, slug)
	if err != nil {
		return nil, subscriberio.Report{}, err
	}
	sink := a.Subscribers.ImportSink(nl.ID, confirmed, source)
	report, err := subscriberio.Import(ctx, r, size, sink, subscriberio.Options{
		Validate: ValidateImported, Progress: progress, MaxErrors: 100_000,
	})
	return nl, report, err
}

// ValidateImported checks an imported address's syntax; no DNS lookups,
// which would take hours for a large list.
func ValidateImported(raw string) (string, bool, error) {
	addr, err := address.Parse(raw)
	if err != nil {
		return "", false, err
	}
	return addr.Email, addr.UTF8Local, nil
}
