package bounce

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/herald-news/herald"
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics counts bounces and complaints as they are recorded. A nil
// *Metrics counts nothing.
type Metrics struct {
	events   *prometheus.CounterVec
	rejected *prometheus.CounterVec
}

// NewMetrics returns unregistered counters; register Collectors().
func NewMetrics() *Metrics {
	return &Metrics{
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "herald_bounce_events_total",
			Help: "Bounces and complaints recorded, by newsletter and kind (hard, soft, policy, complaint, unknown).",
		}, []string{"newsletter", "kind"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "herald_bounce_rejected_total",
			Help: "Bounce reports and webhook calls refused: bad VERP signature, forged or replayed webhook.",
		}, []string{"source", "reason"}),
	}
}

// Collectors are the counters, for a registry.
func (m *Metrics) Collectors() []prometheus.Collector {
	return []prometheus.Collector{m.events, m.rejected}
}

func (m *Metrics) event(r Result) {
	if m != nil {
		m.events.WithLabelValues(r.Newsletter, string(r.Kind)).Inc()
	}
}

// Rejected counts a refused report or webhook call.
func (m *Metrics) Rejected(source, reason string) {
	if m != nil {
		m.rejected.WithLabelValues(source, reason).Inc()
	}
}

// EditionRate is one edition's deliveries, bounces and complaints.
type EditionRate struct {
	EditionID  int64
	Newsletter string
	Delivered  int // messages the relay took, and those refused at once as hard bounces
	Bounces    int // readers whose message bounced, at once or later
	Complaints int // readers who complained
}

// BounceRate is bounces per delivered message.
func (r EditionRate) BounceRate() float64 { return ratio(r.Bounces, r.Delivered) }

// ComplaintRate is complaints per delivered message.
func (r EditionRate) ComplaintRate() float64 { return ratio(r.Complaints, r.Delivered) }

func ratio(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// RateSource reads recent editions' rates and the open alerts (sqldb).
type RateSource interface {
	EditionRates(ctx context.Context, since time.Time) ([]EditionRate, error)
	OpenAlerts(ctx context.Context) (int, error)
}

// RateCollector reports, at each scrape, the bounce and complaint rates of
// the editions started within Window, per edition and per newsletter, and
// the number of open operator alerts. Old editions drop out, so the
// edition label stays bounded.
type RateCollector struct {
	Source RateSource
	Window time.Duration
	Clock  herald.Clock
	Logger *slog.Logger
}

var (
	editionBounceDesc = prometheus.NewDesc("herald_edition_bounce_rate",
		"Share of an edition's delivered messages that bounced (editions started within the soft-bounce window).", []string{"newsletter", "edition"}, nil)
	editionComplaintDesc = prometheus.NewDesc("herald_edition_complaint_rate",
		"Share of an edition's delivered messages whose reader complained (recent editions); Gmail asks for under 0.001.", []string{"newsletter", "edition"}, nil)
	newsletterBounceDesc = prometheus.NewDesc("herald_newsletter_bounce_rate",
		"Share of a newsletter's delivered messages that bounced, over its recent editions.", []string{"newsletter"}, nil)
	newsletterComplaintDesc = prometheus.NewDesc("herald_newsletter_complaint_rate",
		"Share of a newsletter's delivered messages whose reader complained, over its recent editions.", []string{"newsletter"}, nil)
	alertsDesc = prometheus.NewDesc("herald_bounce_alerts_open",
		"Operator alerts not yet resolved: mail refused for our own authentication or policy (5.7.x).", nil, nil)
)

// Describe implements prometheus.Collector.
func (c *RateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{editionBounceDesc, editionComplaintDesc, newsletterBounceDesc, newsletterComplaintDesc, alertsDesc} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *RateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rates, err := c.Source.EditionRates(ctx, c.Clock.Now().Add(-c.Window))
	if err != nil {
		c.Logger.Error("metrics: edition bounce rates", "err", err)
		return
	}
	totals := map[string]*EditionRate{}
	for _, r := range rates {
		id := strconv.FormatInt(r.EditionID, 10)
		ch <- prometheus.MustNewConstMetric(editionBounceDesc, prometheus.GaugeValue, r.BounceRate(), r.Newsletter, id)
		ch <- prometheus.MustNewConstMetric(editionComplaintDesc, prometheus.GaugeValue, r.ComplaintRate(), r.Newsletter, id)
		t := totals[r.Newsletter]
		if t == nil {
			t = &EditionRate{Newsletter: r.Newsletter}
			totals[r.Newsletter] = t
		}
		t.Delivered, t.Bounces, t.Complaints = t.Delivered+r.Delivered, t.Bounces+r.Bounces, t.Complaints+r.Complaints
	}
	for slug, t := range totals {
		ch <- prometheus.MustNewConstMetric(newsletterBounceDesc, prometheus.GaugeValue, t.BounceRate(), slug)
		ch <- prometheus.MustNewConstMetric(newsletterComplaintDesc, prometheus.GaugeValue, t.ComplaintRate(), slug)
	}
	if n, err := c.Source.OpenAlerts(ctx); err != nil {
		c.Logger.Error("metrics: open alerts", "err", err)
	} else {
		ch <- prometheus.MustNewConstMetric(alertsDesc, prometheus.GaugeValue, float64(n))
	}
}
