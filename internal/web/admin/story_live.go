package admin

import (
	"context"
	"encoding/json"
	"html/template"
	"mime"
	"net/http"
	"strings"

	"github.com/herald-news/herald"
)

// maxDraftBytes bounds what the preview and the check read: a story is
// a few kilobytes.
const maxDraftBytes = 1 << 20

// draftText is what the editor's live panes send: {headline, body} as
// JSON (the editor's script) or as a form.
type draftText struct {
	Headline string `json:"headline"`
	Body     string `json:"body"`
}

// readDraft reads a draft and refuses a body past the limits a save would
// refuse (herald.CheckMarkdown), so the check and preview never take longer
// than rendering a story may.
func readDraft(w http.ResponseWriter, r *http.Request) (draftText, error) {
	var d draftText
	r.Body = http.MaxBytesReader(w, r.Body, maxDraftBytes)
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/json" {
		if err := json.NewDecoder(r.Body).Decode(&d); err != nil {
			return d, herald.Errorf(herald.EINVALID, "The draft could not be read.")
		}
	} else {
		d = draftText{Headline: r.PostFormValue("headline"), Body: r.PostFormValue("body")}
	}
	return d, herald.CheckMarkdown("body", d.Body, herald.MaxStoryBodyChars)
}

// previewStory renders a draft body exactly as the story page does, block
// by block, through the site's sanitising renderer.
func (h *Handler) previewStory(w http.ResponseWriter, r *http.Request) {
	d, err := readDraft(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var b strings.Builder
	if err := previewTemplate.Execute(&b, herald.ParseBody(d.Body)); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"headline": d.Headline, "html": b.String()})
}

// previewTemplate is the story body as the site's story template lays it
// out (internal/web/site/templates/story.html).
var previewTemplate = template.Must(template.New("preview").Parse(
	`{{range .Blocks}}<div class="block block-{{.Kind}}">{{.HTML}}</div>{{end}}`))

// checkStory runs the Smart Brevity check on a draft.
func (h *Handler) checkStory(w http.ResponseWriter, r *http.Request) {
	d, err := readDraft(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, herald.CheckBrevity(d.Headline, d.Body))
}

// relatedPick is a story offered or chosen as "Go deeper" reading.
type relatedPick struct {
	ID       int64  `json:"id"`
	Headline string `json:"headline"`
	Path     string `json:"path"`
	Status   string `json:"status"`
}

// searchStories answers the related-story picker: live stories matching q.
func (h *Handler) searchStories(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	picks := []relatedPick{}
	if q != "" {
		results, _, err := h.Search.Search(r.Context(), q, h.Clock.Now(), 8, 0)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, res := range results {
			picks = append(picks, pickOf(res.Story))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"stories": picks})
}

func pickOf(st *herald.Story) relatedPick {
	return relatedPick{ID: st.ID, Headline: st.Headline, Path: st.Path(), Status: string(st.Status)}
}

// relatedPicks names the chosen related stories, in order, skipping any
// that no longer exist.
func (h *Handler) relatedPicks(ctx context.Context, ids []int64) ([]relatedPick, error) {
	var picks []relatedPick
	for _, id := range ids {
		st, err := h.Stories.FindStoryByID(ctx, id)
		if herald.ErrorCode(err) == herald.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		picks = append(picks, pickOf(st))
	}
	return picks, nil
}
