package admin

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/herald-news/herald"
)

// editionGate is what stands between a draft and its readers, in words:
// shown on the composer, the Editions list and the dashboard.
type editionGate struct {
	Kind    string // blocked, missed, automatic, held, approve; empty once on its way
	Text    string
	Hold    bool // offer Hold (automatic) or Let it go automatically (held)
	Release bool
}

// gateOf says how a draft will (or will not) go out, as of now.
func gateOf(ed *herald.Edition, now time.Time) editionGate {
	if ed == nil || ed.Status != herald.EditionDraft || ed.Newsletter == nil {
		return editionGate{}
	}
	n := ed.Newsletter
	loc := n.Location()
	slot, hasSlot := n.SlotOn(ed.Date.Year(), ed.Date.Month(), ed.Date.Day())
	switch {
	case ed.Blocked != "":
		return editionGate{Kind: "blocked", Text: "Blocked: " + ed.Blocked + " Nothing went out, and nothing will by itself: fix it, then schedule or send the edition."}
	case !ed.MissedAt.IsZero():
		return editionGate{Kind: "missed", Text: fmt.Sprintf("Missed: it was due at %s, but nobody approved it. It will not go out late on its own: schedule or send it.",
			ed.MissedAt.In(loc).Format("Mon Jan 2 15:04 MST"))}
	case n.SendMode == herald.SendAutomatic && ed.Held:
		return editionGate{Kind: "held", Release: hasSlot && slot.After(now),
			Text: "Held: it will not go out automatically. Schedule or send it when it is ready."}
	case n.SendMode == herald.SendAutomatic && hasSlot && slot.After(now):
		return editionGate{Kind: "automatic", Hold: true, Text: fmt.Sprintf("Goes out automatically at %s (in %s).",
			slot.In(loc).Format("15:04 MST, Mon Jan 2"), untilText(slot.Sub(now)))}
	default:
		return editionGate{Kind: "approve", Text: "Waits for an editor: nothing goes out until you schedule or send it."}
	}
}

// untilText is a duration as "2 h 14 min".
func untilText(d time.Duration) string {
	m := int(d.Round(time.Minute).Minutes())
	switch {
	case m < 1:
		return "less than a minute"
	case m < 60:
		return fmt.Sprintf("%d min", m)
	case m < 48*60:
		return fmt.Sprintf("%d h %d min", m/60, m%60)
	}
	return fmt.Sprintf("%d days", m/(24*60))
}

// attention lists the drafts editors must look at: blocked, missed, held,
// or about to go out automatically.
func (h *Handler) attention(ctx context.Context) ([]*herald.Edition, error) {
	eds, err := h.Editions.EditionsInStatus(ctx, herald.EditionDraft)
	if err != nil {
		return nil, err
	}
	now := h.Clock.Now()
	var out []*herald.Edition
	for _, ed := range eds {
		if k := gateOf(ed, now).Kind; k != "" && k != "approve" {
			out = append(out, ed)
		}
	}
	return out, nil
}

// holdEdition holds an automatic newsletter's draft, or lets it go
// automatically again ("release").
func (h *Handler) holdEdition(w http.ResponseWriter, r *http.Request) {
	ed, ok := h.pathEdition(w, r)
	if !ok {
		return
	}
	held := r.URL.Path == editionPath(ed.ID, "hold")
	if err := h.Editions.HoldEdition(r.Context(), ed.ID, held); err != nil {
		h.fail(w, r, err)
		return
	}
	note := "Held: it will not go out automatically."
	if !held {
		note = "It goes out automatically at the newsletter's send time."
	}
	h.redirectWith(w, r, editionPath(ed.ID, ""), note)
}
