package site_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/web/site"
)

// cachedNewsroom is a newsroom with the page cache on, whose generation
// moves only when the test says so.
func cachedNewsroom(t *testing.T) (*newsroom, *atomic.Uint64) {
	var gen atomic.Uint64
	n := mustNewsroom(t, func(h *site.Handler) {
		h.Generation = gen.Load
		h.NextScheduled = func(ctx context.Context, now time.Time) (time.Time, error) {
			return h.Stories.(interface {
				NextScheduled(context.Context, time.Time) (time.Time, error)
			}).NextScheduled(ctx, now)
		}
	})
	return n, &gen
}

// fetch GETs path, with a cookie when one is given, and returns the body.
func (n *newsroom) fetch(path, cookie string) string {
	n.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, n.srv.URL+path, nil)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		n.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func TestPageCacheServesAStoredPageUntilTheGenerationMoves(t *testing.T) {
	n, gen := cachedNewsroom(t)
	n.story("First story", time.Hour, nil)
	gen.Add(1)
	if !strings.Contains(n.fetch("/", ""), "First story") {
		t.Fatal("home lacks the first story")
	}
	n.story("Second story", time.Minute, nil) // the test's counter does not move
	if strings.Contains(n.fetch("/", ""), "Second story") {
		t.Fatal("home was rendered again although the generation did not move")
	}
	if !strings.Contains(n.fetch("/", "session=x"), "Second story") {
		t.Error("a request with a cookie got the stored page")
	}
	gen.Add(1)
	if !strings.Contains(n.fetch("/", ""), "Second story") {
		t.Error("home still lacks the second story after the generation moved")
	}
}

func TestPageCacheEntriesExpire(t *testing.T) {
	n, _ := cachedNewsroom(t)
	n.fetch("/", "")
	n.story("Late story", time.Minute, nil)
	n.clock.Advance(site.DefaultCacheTTL - time.Second)
	if strings.Contains(n.fetch("/", ""), "Late story") {
		t.Fatal("home was rendered again before its time")
	}
	n.clock.Advance(2 * time.Second)
	if !strings.Contains(n.fetch("/", ""), "Late story") {
		t.Error("home was not rendered again after the TTL")
	}
}

func TestPageCacheDoesNotOutliveTheNextScheduledStory(t *testing.T) {
	n, gen := cachedNewsroom(t)
	n.story("Scheduled story", -10*time.Second, func(st *herald.Story) { st.Status = herald.StatusScheduled })
	gen.Add(1)
	if strings.Contains(n.fetch("/", ""), "Scheduled story") {
		t.Fatal("a story scheduled for later is on the home page")
	}
	n.clock.Advance(11 * time.Second)
	if !strings.Contains(n.fetch("/", ""), "Scheduled story") {
		t.Error("the scheduled story's time came, but the stored home page was served")
	}
}

func TestSiteWritesMoveTheContentGeneration(t *testing.T) {
	n := mustNewsroom(t)
	before := n.db.ContentGeneration()
	n.story("Any story", time.Hour, nil)
	if n.db.ContentGeneration() == before {
		t.Error("creating a story did not move the content generation")
	}
	before = n.db.ContentGeneration()
	if err := n.rooms.SaveSection(context.Background(), &herald.Section{Slug: "sports", Name: "Sports"}); err != nil {
		t.Fatal(err)
	}
	if n.db.ContentGeneration() == before {
		t.Error("saving a section did not move the content generation")
	}
}

func TestPageCacheIgnoresQueryParametersThePageDoesNotRead(t *testing.T) {
	n, gen := cachedNewsroom(t)
	n.story("First story", time.Hour, nil)
	gen.Add(1)
	if !strings.Contains(n.fetch("/", ""), "First story") {
		t.Fatal("home lacks the first story")
	}
	n.story("Second story", time.Minute, nil) // the generation does not move
	for _, q := range []string{"?a=1", "?a=2&b=3", "?utm_source=x"} {
		if strings.Contains(n.fetch("/"+q, ""), "Second story") {
			t.Errorf("/%s was rendered afresh instead of served from the cache", q)
		}
	}
	if !strings.Contains(n.fetch("/?page=1", ""), "Second story") {
		t.Error("/?page=1 (a parameter the page reads) was served the cached page of /")
	}
}
