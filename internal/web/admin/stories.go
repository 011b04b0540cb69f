package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/sqldb"
)

func (h *Handler) storyRoutes() []route {
	return []route{
		{"GET /admin/stories", herald.PermRead, h.listStories},
		{"GET /admin/stories/new", herald.PermDraft, h.newStory},
		{"GET /admin/stories/search", herald.PermRead, h.searchStories},
		{"GET /admin/stories/{id}", herald.PermRead, h.editStory},
		{"POST /admin/stories", herald.PermDraft, h.createStory},
		{"POST /admin/stories/{id}", herald.PermDraft, h.updateStory}, // live stories: PermPublish, in mayEdit
		{"POST /admin/stories/preview", herald.PermDraft, h.previewStory},
		{"POST /admin/stories/check", herald.PermDraft, h.checkStory},
		{"POST /admin/stories/{id}/publish", herald.PermPublish, h.publishStory},
		{"POST /admin/stories/{id}/schedule", herald.PermPublish, h.scheduleStory},
		{"POST /admin/stories/{id}/unpublish", herald.PermPublish, h.unpublishStory},
		{"POST /admin/stories/{id}/unschedule", herald.PermPublish, h.unscheduleStory},
		{"POST /admin/stories/{id}/corrections", herald.PermPublish, h.addCorrection},
		{"POST /admin/stories/{id}/delete", herald.PermDraft, h.deleteStory}, // once public: PermPublish, in the handler
	}
}

// storiesPerPage is the length of a page of the story list.
const storiesPerPage = 25

// storyListPage is what the story list shows.
type storyListPage struct {
	Stories  []storyRow
	Total    int
	Q        string
	Status   string
	Statuses []herald.StoryStatus
	Sections []choice
	Cities   []choice
	Page     int
	Prev     string // link to the previous page, "" on the first
	Next     string // link to the next page, "" on the last
}

// storyRow is one story of the list.
type storyRow struct {
	*herald.Story
	Live bool
}

// listStories lists stories newest first, filtered by status, section,
// city and words of the headline.
func (h *Handler) listStories(w http.ResponseWriter, r *http.Request) {
	ctx, q := r.Context(), r.URL.Query()
	p := storyListPage{Q: strings.TrimSpace(q.Get("q")), Status: q.Get("status"),
		Statuses: []herald.StoryStatus{herald.StatusDraft, herald.StatusScheduled, herald.StatusPublished, herald.StatusUnpublished}}
	f := sqldb.DeskFilter{Headline: p.Q}
	if s := herald.StoryStatus(p.Status); s.Valid() {
		f.Status = s
	} else {
		p.Status = ""
	}
	f.SectionID, f.CityID = formID(q.Get("section")), formID(q.Get("city"))
	p.Page = max(1, int(formID(q.Get("page"))))
	f.Limit, f.Offset = storiesPerPage, (p.Page-1)*storiesPerPage
	opts, err := h.storyOptions(ctx)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, s := range opts.Sections {
		p.Sections = append(p.Sections, choice{ID: s.ID, Name: s.Name, Selected: s.ID == f.SectionID})
	}
	for _, c := range opts.Cities {
		p.Cities = append(p.Cities, choice{ID: c.ID, Name: c.Name, Selected: c.ID == f.CityID})
	}
	stories, total, err := h.Stories.FindDeskStories(ctx, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	now := h.Clock.Now()
	for _, st := range stories {
		p.Stories = append(p.Stories, storyRow{Story: st, Live: st.Live(now)})
	}
	p.Total = total
	if p.Page > 1 {
		p.Prev = pageLink(q, p.Page-1)
	}
	if p.Page*storiesPerPage < total {
		p.Next = pageLink(q, p.Page+1)
	}
	h.render(w, r, http.StatusOK, "stories", "Stories", p)
}

// pageLink is the list's address with the same filters at page n.
func pageLink(q url.Values, n int) string {
	v := url.Values{}
	for k, vals := range q {
		v[k] = vals
	}
	v.Set("page", strconv.Itoa(n))
	return "/admin/stories?" + v.Encode()
}
