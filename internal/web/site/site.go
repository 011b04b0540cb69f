// Package site serves the reader's website: the home stream, story pages,
// section, topic, author and city pages. Pages are server-rendered and need
// no JavaScript.
package site

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/media"
	"github.com/herald-news/herald/internal/subscribe"
	"github.com/herald-news/herald/internal/web"
)

//go:embed templates static
var assets embed.FS

// Handler is the public website.
type Handler struct {
	Stories  herald.StoryService
	Newsroom herald.NewsroomService
	Site     herald.SiteService
	Clock    herald.Clock
	Location *time.Location // the site's zone for dates
	BaseURL  string         // absolute, no trailing slash
	PageSize int
	Logger   *slog.Logger
	// Subscribe handles signups and the links in emails.
	Subscribe *subscribe.Service
	// Editions and Archive serve the public archive of sent editions.
	Editions herald.EditionService
	Archive  ArchiveRenderer
	// Search finds stories for /search; without it the page is not found.
	Search herald.SearchService
	// Media, when set, gives uploaded photos a srcset of their resized
	// copies.
	Media *media.Store
	// FeedFullContent puts whole story bodies in feeds; by default feeds
	// carry summaries and readers click through.
	FeedFullContent bool
	// SitemapSize and NewsSitemapSize cap the URLs in one story sitemap and
	// one Google News sitemap; zero means the protocols' 50,000 and 1,000.
	SitemapSize     int
	NewsSitemapSize int

	// Generation, when set with NextScheduled, turns on the page cache:
	// it tells whether stored pages are still current (sqldb's
	// ContentGeneration), and NextScheduled when the next scheduled
	// story goes live. CacheTTL bounds an entry's life; zero:
	// DefaultCacheTTL.
	Generation    func() uint64
	NextScheduled func(ctx context.Context, now time.Time) (time.Time, error)
	CacheTTL      time.Duration

	pages map[string]*template.Template
	mux   *http.ServeMux
	cache *pageCache
}

// pageNames are the templates under templates/ that render whole pages.
var pageNames = []string{"home", "story", "stream", "author", "notfound", "error",
	"newsletters", "newsletter", "signup", "confirm", "unsubscribe", "preferences", "edition", "search"}

// Init parses the templates and builds the routes; call it once before use.
func (h *Handler) Init() error {
	h.pages = map[string]*template.Template{}
	funcs := h.funcs()
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(assets,
			"templates/layout.html", "templates/partials.html", "templates/meta.html", "templates/"+name+".html")
		if err != nil {
			return fmt.Errorf("site: parse %s: %w", name, err)
		}
		h.pages[name] = t
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", h.home)
	mux.HandleFunc("GET /{year}/{month}/{day}/{slug}", h.story)
	mux.HandleFunc("GET /local/{city}/{year}/{month}/{day}/{slug}", h.story)
	mux.HandleFunc("GET /local/{city}", h.city)
	mux.HandleFunc("GET /sections/{slug}", h.section)
	mux.HandleFunc("GET /topics/{slug}", h.topic)
	mux.HandleFunc("GET /authors/{slug}", h.author)
	mux.HandleFunc("GET /search", h.search)
	mux.HandleFunc("GET /newsletters", h.newsletters)
	mux.HandleFunc("GET /newsletters/{slug}", h.newsletter)
	mux.HandleFunc("GET /newsletters/{slug}/{date}", h.edition)
	mux.HandleFunc("POST /subscribe", h.subscribe)
	mux.HandleFunc("GET /confirm/{token}", h.confirmPage)
	mux.HandleFunc("POST /confirm/{token}", h.confirm)
	mux.HandleFunc("GET /unsubscribe/{token}", h.unsubscribePage)
	mux.HandleFunc("POST /unsubscribe/{token}", h.unsubscribe)
	mux.HandleFunc("GET /preferences/{token}", h.preferencesPage)
	mux.HandleFunc("POST /preferences/{token}", h.savePreferences)
	mux.HandleFunc("GET /robots.txt", h.robots)
	mux.HandleFunc("GET /sitemap.xml", h.sitemapIndex)
	mux.HandleFunc("GET /sitemaps/{file}", h.sitemapFile)
	h.routeFeeds(mux)
	mux.HandleFunc("/", h.notFound)
	h.mux = mux
	if h.Generation != nil && h.NextScheduled != nil {
		h.cache = newPageCache(h.Generation, h.NextScheduled, h.Clock.Now, h.CacheTTL)
	}
	return nil
}

// ServeHTTP routes a request to its page, from the page cache when it
// may be.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.cache != nil && cacheable(r) {
		h.cache.serve(w, r, h.mux)
		return
	}
	h.mux.ServeHTTP(w, r)
}

// static are the site's stylesheet, scripts and icon.
var static = web.NewAssets(assets, "static", "/static/", "public, max-age=31536000, immutable")

// Static serves the site's stylesheet and other assets; mount it at
// /static/ beside the pages (the page routes would shadow it).
func Static() http.Handler { return static.Handler() }

// assetURL is the address of a static file with its content hash.
func assetURL(name string) string { return static.URL(name) }
