package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/bounce"
	"github.com/herald-news/herald/internal/sqldb"
	"github.com/herald-news/herald/internal/subscriberio"
)

// bounces is the subscribers fixture with readers on AM and sent editions.
type bounces struct {
	*subscribers
	eds     *sqldb.EditionService
	bounces *sqldb.BounceService
	// linkKeys are the readers' link keys by ledger row, as the VERP
	// addresses of those rows carry them.
	linkKeys map[int64]string
}

func mustBounces(t *testing.T, readers ...string) *bounces {
	t.Helper()
	s := mustSubscribers(t)
	b := &bounces{subscribers: s, eds: sqldb.NewEditionService(s.db), bounces: sqldb.NewBounceService(s.db),
		linkKeys: map[int64]string{}}
	var rows []subscriberio.Row
	for i, email := range readers {
		rows = append(rows, subscriberio.Row{Line: i + 2, Email: email})
	}
	ctx := context.Background()
	for _, nl := range []*herald.Newsletter{s.am, s.pm} {
		if _, err := s.subs.ImportSink(nl.ID, true, "test").ImportRows(ctx, rows); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

// mustSent starts an edition of AM dated daysAgo and returns its ledger
// row for each reader.
func (b *bounces) mustSent(t *testing.T, daysAgo int) (int64, map[string]int64) {
	t.Helper()
	ctx := context.Background()
	ed := &herald.Edition{NewsletterID: b.am.ID, Newsletter: b.am, Subject: "Today",
		Date: time.Date(2026, 11, 27-daysAgo, 0, 0, 0, 0, time.UTC)}
	if err := b.eds.CreateEdition(ctx, ed); err != nil {
		t.Fatal(err)
	}
	if _, err := b.eds.StartSend(ctx, ed.ID); err != nil {
		t.Fatal(err)
	}
	rows, err := b.db.SQL().Query(`SELECT s.id, b.email, b.link_key FROM sends s JOIN subscribers b ON b.id = s.subscriber_id WHERE s.edition_id = $1`, ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	sends := map[string]int64{}
	for rows.Next() {
		var id int64
		var email, key string
		if err := rows.Scan(&id, &email, &key); err != nil {
			t.Fatal(err)
		}
		sends[email], b.linkKeys[id] = id, key
	}
	return ed.ID, sends
}

// record records ev; an event naming a ledger row carries that row's link
// key, as a verified VERP address would, unless it says otherwise.
func (b *bounces) record(t *testing.T, ev bounce.Event) bounce.Result {
	t.Helper()
	if ev.Provider == "" {
		ev.Provider = bounce.ProviderMail
	}
	if ev.SendID > 0 && ev.LinkKey == "" {
		ev.LinkKey = b.linkKeys[ev.SendID]
	}
	res, err := b.bounces.RecordBounce(context.Background(), ev, bounce.DefaultSoftRule)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (b *bounces) suppressed(t *testing.T, email string) bool {
	t.Helper()
	ok, err := b.subs.IsSuppressed(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

func TestHardBounceSuppressesOnceAndScrubsTheAddress(t *testing.T) {
	b := mustBounces(t, "ann@example.com", "bob@example.com")
	_, sends := b.mustSent(t, 0)
	ev := bounce.Event{ID: "dsn-1", Kind: bounce.Hard, Status: "5.1.1", SendID: sends["ann@example.com"],
		Email: "bob@example.com", Diagnostic: "550 5.1.1 <ANN@example.com>: user unknown"}
	res := b.record(t, ev)
	if res.Duplicate || res.Action != bounce.Suppressed || res.Newsletter != "am" || res.SubscriberID == 0 {
		t.Fatalf("first: %+v", res)
	}
	// The ledger row names the reader, whatever the report claims.
	if !b.suppressed(t, "ann@example.com") || b.suppressed(t, "bob@example.com") {
		t.Error("suppressed the wrong reader")
	}
	if again := b.record(t, ev); !again.Duplicate || again.EventID != 0 {
		t.Errorf("replay: %+v", again)
	}
	var n int
	var diag string
	b.db.SQL().QueryRow(`SELECT COUNT(*), MAX(diagnostic) FROM bounce_events`).Scan(&n, &diag)
	if n != 1 || diag != "550 5.1.1 <(recipient)>: user unknown" {
		t.Errorf("%d events, diagnostic %q", n, diag)
	}
	list, err := b.bounces.Suppressions(context.Background())
	if err != nil || len(list) != 1 || list[0].Email != "ann@example.com" || list[0].Reason != "hard bounce 5.1.1" ||
		list[0].Source != "mail event 1" || list[0].EventID != res.EventID {
		t.Errorf("suppression list: %+v %v", list, err)
	}
}

func TestSoftBouncesSuppressOnTheLimitOfEditionsWithinTheWindow(t *testing.T) {
	b := mustBounces(t, "ann@example.com")
	ed1, s1 := b.mustSent(t, 3)
	_, s2 := b.mustSent(t, 2)
	_, s3 := b.mustSent(t, 1)
	soft := func(id string, send int64) bounce.Result {
		return b.record(t, bounce.Event{ID: id, Kind: bounce.Soft, Status: "4.2.2", SendID: send})
	}
	if r := soft("a", s1["ann@example.com"]); r.Action != bounce.Counted || r.SoftEditions != 1 || r.EditionID != ed1 {
		t.Errorf("first: %+v", r)
	}
	if r := soft("b", s1["ann@example.com"]); r.SoftEditions != 1 {
		t.Errorf("a second soft bounce on the same edition: %+v", r)
	}
	if r := soft("c", s2["ann@example.com"]); r.Action != bounce.Counted || r.SoftEditions != 2 {
		t.Errorf("second edition: %+v", r)
	}
	// A month later the first two have aged out.
	b.clock.Advance(31 * 24 * time.Hour)
	if r := soft("d", s3["ann@example.com"]); r.Action != bounce.Counted || r.SoftEditions != 1 || b.suppressed(t, "ann@example.com") {
		t.Errorf("after the window: %+v", r)
	}
	soft("e", s1["ann@example.com"])
	if r := soft("f", s2["ann@example.com"]); r.Action != bounce.Suppressed || r.SoftEditions != 3 || !b.suppressed(t, "ann@example.com") {
		t.Errorf("third edition within the window: %+v", r)
	}
}

func TestComplaintUnsubscribesFromEveryNewsletter(t *testing.T) {
	b := mustBounces(t, "ann@example.com", "bob@example.com")
	b.mustSent(t, 0)
	// A provider that names only the address: the reader's latest send.
	res := b.record(t, bounce.Event{Provider: bounce.ProviderSES, ID: "sns-1/0", Kind: bounce.Complaint, Email: "ANN@example.com"})
	if res.Action != bounce.Unsubscribed || res.Newsletter != "am" {
		t.Fatalf("%+v", res)
	}
	for _, nl := range []*herald.Newsletter{b.am, b.pm} {
		if got := b.status(t, "ann@example.com", nl); got != herald.SubUnsubscribed {
			t.Errorf("%s: %s", nl.Slug, got)
		}
		if got := b.status(t, "bob@example.com", nl); got != herald.SubActive {
			t.Errorf("bob on %s: %s", nl.Slug, got)
		}
	}
	var form string
	b.db.SQL().QueryRow(`SELECT form FROM consents WHERE action = 'unsubscribe' LIMIT 1`).Scan(&form)
	if !b.suppressed(t, "ann@example.com") || form != "complaint via ses" {
		t.Errorf("suppressed %v, consent form %q", b.suppressed(t, "ann@example.com"), form)
	}
	// An address no one has is still suppressed.
	if r := b.record(t, bounce.Event{ID: "x", Kind: bounce.Complaint, Email: "zed@example.com"}); r.Action != bounce.Suppressed {
		t.Errorf("stranger: %+v", r)
	}
}

func TestPolicyBounceRaisesAnAlertAndBlamesNoOne(t *testing.T) {
	b := mustBounces(t, "ann@example.com")
	_, sends := b.mustSent(t, 0)
	ctx := context.Background()
	res := b.record(t, bounce.Event{ID: "p", Kind: bounce.Policy, Status: "5.7.26", SendID: sends["ann@example.com"],
		Diagnostic: "550 5.7.26 unauthenticated sender"})
	if res.Action != bounce.Alerted || b.suppressed(t, "ann@example.com") {
		t.Fatalf("%+v", res)
	}
	alerts, err := b.bounces.Alerts(ctx, 10)
	if n, _ := b.bounces.OpenAlerts(ctx); err != nil || len(alerts) != 1 || n != 1 || alerts[0].EventID != res.EventID {
		t.Fatalf("alerts %+v (%d open) %v", alerts, n, err)
	}
	if err := b.bounces.ResolveAlert(ctx, alerts[0].ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := b.bounces.OpenAlerts(ctx); n != 0 {
		t.Errorf("%d open after resolving", n)
	}
	if err := b.bounces.ResolveAlert(ctx, alerts[0].ID); herald.ErrorCode(err) != herald.ENOTFOUND {
		t.Errorf("resolving twice: %v", err)
	}
}

func TestLiftingASuppressionIsRecordedAndNeedsAReason(t *testing.T) {
	b := mustBounces(t, "ann@example.com")
	ctx := context.Background()
	b.record(t, bounce.Event{ID: "h", Kind: bounce.Hard, Status: "5.1.1", Email: "ann@example.com"})
	if _, err := b.bounces.LiftSuppression(ctx, "ann@example.com", " ", "ops"); herald.ErrorCode(err) != herald.EINVALID {
		t.Errorf("no reason: %v", err)
	}
	if _, err := b.bounces.LiftSuppression(ctx, "zed@example.com", "typo", "ops"); herald.ErrorCode(err) != herald.ENOTFOUND {
		t.Errorf("not suppressed: %v", err)
	}
	s, err := b.bounces.LiftSuppression(ctx, "Ann@Example.com", "mailbox restored, confirmed by phone", "ops")
	if err != nil || s.Reason != "hard bounce 5.1.1" || b.suppressed(t, "ann@example.com") {
		t.Fatalf("%+v %v", s, err)
	}
	var by, why string
	b.db.SQL().QueryRow(`SELECT lifted_by, lift_reason FROM suppression_lifts`).Scan(&by, &why)
	if by != "ops" || why != "mailbox restored, confirmed by phone" {
		t.Errorf("lift recorded as %q %q", by, why)
	}
}

func TestWebhookTokensComeBackOnlyWithTheSameBody(t *testing.T) {
	b := mustBounces(t)
	ctx := context.Background()
	use := func(token, digest string) bool {
		ok, err := b.bounces.UseWebhookToken(ctx, "mailgun", token, digest, 15*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	for i, step := range []struct {
		token, digest string
		ok            bool
	}{
		{"t1", "d1", true},  // first use
		{"t1", "d1", true},  // the provider's retry: same body
		{"t1", "d2", false}, // the signature on another body
		{"t2", "d2", true},
	} {
		if got := use(step.token, step.digest); got != step.ok {
			t.Errorf("step %d: %v, want %v", i, got, step.ok)
		}
	}
	b.clock.Advance(time.Hour)
	if !use("t1", "d2") {
		t.Error("an expired token was not forgotten")
	}
}

func TestEditionFeedbackCountsReadersOnce(t *testing.T) {
	b := mustBounces(t, "ann@example.com", "bob@example.com", "cy@example.com")
	ed, sends := b.mustSent(t, 0)
	ctx := context.Background()
	b.db.SQL().Exec(`UPDATE sends SET status = 'accepted' WHERE edition_id = $1`, ed)
	b.db.SQL().Exec(`UPDATE sends SET status = 'suppressed', reply = 'not sent: address is suppressed' WHERE id = $1`, sends["cy@example.com"])
	b.record(t, bounce.Event{ID: "1", Kind: bounce.Soft, Status: "4.2.2", SendID: sends["ann@example.com"]})
	b.record(t, bounce.Event{ID: "2", Kind: bounce.Soft, Status: "5.2.2", SendID: sends["ann@example.com"]})
	b.record(t, bounce.Event{ID: "3", Kind: bounce.Complaint, SendID: sends["bob@example.com"]})
	delivered, bounced, complained, err := b.eds.EditionFeedback(ctx, ed)
	if err != nil || delivered != 2 || bounced != 1 || complained != 1 {
		t.Errorf("delivered %d, bounces %d, complaints %d, %v", delivered, bounced, complained, err)
	}
	rates, err := b.bounces.EditionRates(ctx, b.clock.Now().Add(-time.Hour))
	if err != nil || len(rates) != 1 || rates[0].ComplaintRate() != 0.5 || rates[0].Newsletter != "am" {
		t.Errorf("rates %+v %v", rates, err)
	}
}

// A return path names its row and its reader's link key: a key the row's
// reader does not hold (erased, the row now someone else's) names no one.
func TestBounceWithAnotherReadersLinkKeyNamesNoOne(t *testing.T) {
	b := mustBounces(t, "ann@example.com")
	_, sends := b.mustSent(t, 0)
	id := sends["ann@example.com"]
	if b.linkKeys[id] == "" {
		t.Fatal("an imported reader has no link key")
	}
	res := b.record(t, bounce.Event{ID: "dsn-old", Kind: bounce.Hard, Status: "5.1.1", SendID: id, LinkKey: "ffffffffff"})
	if res.Action != bounce.NoAction || res.SubscriberID != 0 || b.suppressed(t, "ann@example.com") {
		t.Fatalf("a bounce for another link key acted: %+v", res)
	}
	if res := b.record(t, bounce.Event{ID: "dsn-new", Kind: bounce.Hard, Status: "5.1.1", SendID: id}); res.Action != bounce.Suppressed {
		t.Fatalf("the reader's own return path: %+v", res)
	}
}
