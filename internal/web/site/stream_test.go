package site_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/herald-news/herald"
)

func TestHomeStreamCards(t *testing.T) {
	n := mustNewsroom(t)
	n.story("Older story", 30*time.Hour, nil)
	n.story("Newest story", 51*time.Minute, nil)
	n.story("Draft story", time.Minute, func(s *herald.Story) { s.Status = herald.StatusDraft })
	status, d := n.get("/")
	if status != 200 {
		t.Fatalf("home = %d", status)
	}
	cards := d.all("article.card")
	if len(cards) != 2 {
		t.Fatalf("%d cards, want the 2 published ones", len(cards))
	}
	first := cards[0]
	if got := text(all(first, "p.card-meta")[0]); got != "51 mins ago - World" {
		t.Errorf("meta = %q", got)
	}
	if got := text(all(first, "h3")[0]); got != "Newest story" {
		t.Errorf("newest first: %q", got)
	}
	if got := attr(all(first, "time")[0], "datetime"); got != "2026-11-27T14:09:00Z" {
		t.Errorf("datetime = %q", got)
	}
	if got := text(all(first, "figcaption")[0]); got != "Caption for Newest story. Photo: Jo Lee/Herald" {
		t.Errorf("figcaption = %q", got)
	}
	if got := text(all(first, "p.card-summary")[0]); got != "Summary of Newest story." {
		t.Errorf("summary = %q", got)
	}
	if got := text(all(cards[1], "p.card-meta")[0]); got != "Nov 26, 2026 - World" {
		t.Errorf("day-old meta = %q", got)
	}
}

func TestStreamPagination(t *testing.T) {
	n := mustNewsroom(t)
	for i := range 7 {
		n.story(fmt.Sprintf("Story %d", i), time.Duration(i+1)*time.Hour, nil)
	}
	_, d := n.get("/")
	if pager := d.all("nav.pager a"); len(d.all("article.card")) != 5 || len(pager) != 1 || attr(pager[0], "href") != "/?page=2" {
		t.Errorf("page 1: %d cards, pager %q", len(d.all("article.card")), d.texts("nav.pager a"))
	}
	status, d := n.get("/?page=2")
	if status != 200 || len(d.all("article.card")) != 2 || text(d.first(t, "nav.pager a")) != "Newer stories" {
		t.Errorf("page 2: %d, %d cards, pager %q", status, len(d.all("article.card")), d.texts("nav.pager a"))
	}
	for _, bad := range []string{"/?page=3", "/?page=0", "/?page=abc", "/?page=-1"} {
		if status, _ := n.get(bad); status != 404 {
			t.Errorf("GET %s = %d, want 404", bad, status)
		}
	}
}

func TestSectionTopicAuthorAndCityPages(t *testing.T) {
	n := mustNewsroom(t)
	n.story("World story", time.Hour, func(s *herald.Story) { s.Topics = []*herald.Topic{n.climate} })
	n.story("Politics story", time.Hour, func(s *herald.Story) { s.Section = n.politics; s.Authors = []*herald.Author{n.editor} })
	n.story("Denver story", time.Hour, func(s *herald.Story) { s.City = n.denver })
	tests := []struct {
		path, h1 string
		want     []string
	}{
		{"/sections/politics", "Politics & Policy", []string{"Politics story"}},
		{"/sections/world", "World", []string{"Denver story", "World story"}},
		{"/topics/climate", "Climate", []string{"World story"}},
		{"/authors/sam-cole", "Sam Cole", []string{"Politics story"}},
		{"/local/denver", "Denver", []string{"Denver story"}},
	}
	for _, tt := range tests {
		status, d := n.get(tt.path)
		if status != 200 || text(d.first(t, "h1")) != tt.h1 {
			t.Errorf("GET %s = %d, h1 %q", tt.path, status, d.texts("h1"))
			continue
		}
		got := d.texts("article.card h3")
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("GET %s cards = %q, want %q", tt.path, got, tt.want)
		}
	}
	_, d := n.get("/authors/ana-ruiz")
	if got := text(d.first(t, "p.author-bio")); got != "Ana covers cities." {
		t.Errorf("author bio = %q", got)
	}
	for _, path := range []string{"/sections/nope", "/local/atlantis", "/authors/nobody", "/topics/x", "/no/such/page"} {
		status, d := n.get(path)
		if status != 404 || text(d.first(t, "h1")) != "We couldn't find that page" {
			t.Errorf("GET %s = %d", path, status)
		}
	}
}

func TestScheduledStoryAppearsAtItsTimeWithoutRestart(t *testing.T) {
	n := mustNewsroom(t)
	st := n.story("Embargoed jobs report", -10*time.Minute, nil)
	if st.Status != herald.StatusScheduled {
		t.Fatalf("status = %s", st.Status)
	}
	visible := func() (bool, bool) {
		status, _ := n.get(st.Path())
		_, home := n.get("/")
		return status == 200, len(home.all("article.card")) == 1
	}
	n.clock.Advance(10*time.Minute - time.Second)
	if page, listed := visible(); page || listed {
		t.Errorf("a second early: page %v, listed %v", page, listed)
	}
	n.clock.Advance(time.Second)
	if page, listed := visible(); !page || !listed {
		t.Errorf("on time: page %v, listed %v", page, listed)
	}
	if err := n.stories.SetStoryStatus(context.Background(), st.ID, herald.StatusUnpublished, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if page, listed := visible(); page || listed {
		t.Errorf("unpublished: page %v, listed %v", page, listed)
	}
	if status, _ := n.get("/sections/world"); status != 200 {
		t.Errorf("section = %d", status)
	}
}
