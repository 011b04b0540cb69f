package site

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/herald-news/herald"
)

func TestNoIndexPagesAdvertiseNothing(t *testing.T) {
	h := &Handler{BaseURL: "https://news.example"}
	st := &herald.Story{ID: 1, Slug: "draft", Headline: "Draft", Status: herald.StatusDraft,
		Section: &herald.Section{Slug: "world", Name: "World"}, CreatedAt: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}
	preview := page{Site: &herald.DefaultSite, NoIndex: true, Canonical: h.BaseURL + st.Path(), Data: storyPage{Story: st}}
	h.describe(httptest.NewRequest("GET", "/preview/1", nil), &preview)
	if preview.Social != nil || preview.LinkedData != nil || preview.Feeds != nil {
		t.Errorf("a noindex preview carries social tags, JSON-LD or feeds: %+v", preview)
	}
	live := preview
	live.NoIndex = false
	h.describe(httptest.NewRequest("GET", st.Path(), nil), &live)
	if live.Social == nil || live.LinkedData == nil {
		t.Error("the same story without noindex is not described")
	}
}

func TestTwitterHandle(t *testing.T) {
	for in, want := range map[string]string{"": "", "heraldnews": "@heraldnews", " @heraldnews ": "@heraldnews"} {
		if got := twitterHandle(in); got != want {
			t.Errorf("twitterHandle(%q) = %q, want %q", in, got, want)
		}
	}
}
