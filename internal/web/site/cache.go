package site

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Page cache limits.
const (
	// DefaultCacheTTL bounds how long a rendered page is served from
	// memory: pages show relative times ("5 minutes ago"), and other
	// nodes' writes (several nodes on one PostgreSQL database) don't
	// reach this node's generation counter.
	DefaultCacheTTL = 30 * time.Second
	maxCacheBytes   = 64 << 20 // past this the cache starts over
)

// pageCache keeps the rendered public pages that anonymous readers GET,
// keyed by path and query. An entry is good while the content generation
// it was rendered at is still current (every write to stories, the
// newsroom or the site moves it on), for at most the TTL, and never past
// the time the next scheduled story goes live. Only complete 200 and 404
// answers without cookies or private caching are kept.
type pageCache struct {
	gen  func() uint64
	next func(ctx context.Context, now time.Time) (time.Time, error)
	now  func() time.Time
	ttl  time.Duration

	mu       sync.Mutex
	entries  map[string]*cachedPage
	bytes    int
	inflight map[string]*fill
	// nextLive is when the next scheduled story goes live, as last asked
	// at generation nextGen; zero: none.
	nextLive            time.Time
	nextGen             uint64
	nextAsked, nextGood time.Time
}

// cachedPage is one stored answer.
type cachedPage struct {
	status  int
	header  http.Header
	body    []byte
	gen     uint64
	expires time.Time
}

// fill is a page being rendered for the cache; readers of the same key
// wait for it rather than render it again.
type fill struct {
	done chan struct{}
	page *cachedPage // nil: not cacheable; render for yourself
}

func newPageCache(gen func() uint64, next func(context.Context, time.Time) (time.Time, error), now func() time.Time, ttl time.Duration) *pageCache {
	if ttl <= 0 {
		ttl = DefaultCacheTTL
	}
	return &pageCache{gen: gen, next: next, now: now, ttl: ttl,
		entries: map[string]*cachedPage{}, inflight: map[string]*fill{}}
}

// uncachedPrefixes are pages with a reader's token in the address, and
// search, whose queries are endless.
var uncachedPrefixes = []string{"/confirm/", "/unsubscribe/", "/preferences/", "/search", "/subscribe"}

// cacheable reports whether r may be answered from the cache: an
// anonymous, unconditional GET of a public page.
func cacheable(r *http.Request) bool {
	if r.Method != http.MethodGet || r.Header.Get("Cookie") != "" || r.Header.Get("Authorization") != "" ||
		r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "" || r.Header.Get("Range") != "" {
		return false
	}
	for _, p := range uncachedPrefixes {
		if strings.HasPrefix(r.URL.Path, p) {
			return false
		}
	}
	return true
}

// serve answers r from the cache, or renders it with next and keeps the
// answer when it may be kept.
func (c *pageCache) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	key := cacheKey(r)
	gen, now := c.gen(), c.now()
	c.mu.Lock()
	if e := c.entries[key]; e != nil && e.gen == gen && now.Before(e.expires) {
		c.mu.Unlock()
		e.write(w)
		return
	}
	if f := c.inflight[key]; f != nil {
		c.mu.Unlock()
		select {
		case <-f.done:
		case <-r.Context().Done():
			return
		}
		if f.page != nil {
			f.page.write(w)
			return
		}
		next.ServeHTTP(w, r)
		return
	}
	f := &fill{done: make(chan struct{})}
	c.inflight[key] = f
	c.mu.Unlock()

	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	defer func() {
		c.mu.Lock()
		delete(c.inflight, key)
		if f.page != nil {
			c.store(key, f.page)
		}
		c.mu.Unlock()
		close(f.done)
	}()
	next.ServeHTTP(rec, r)
	expires := c.expiry(r.Context(), gen, now)
	if rec.keep() && !expires.IsZero() {
		f.page = &cachedPage{status: rec.status, header: rec.header, body: rec.body.Bytes(), gen: gen, expires: expires}
	}
	rec.writeTo(w)
}

// store adds e, starting over when the cache has grown too large. The
// caller holds c.mu.
func (c *pageCache) store(key string, e *cachedPage) {
	if old := c.entries[key]; old != nil {
		c.bytes -= len(old.body)
	}
	if c.bytes+len(e.body) > maxCacheBytes {
		clear(c.entries)
		c.bytes = 0
	}
	c.entries[key] = e
	c.bytes += len(e.body)
}

// expiry is when a page rendered at gen and now must go: after the TTL,
// or when the next scheduled story goes live if that is sooner. Zero: it
// can't be kept (the schedule could not be read).
func (c *pageCache) expiry(ctx context.Context, gen uint64, now time.Time) time.Time {
	expires := now.Add(c.ttl)
	c.mu.Lock()
	fresh := c.nextGen == gen && now.Before(c.nextGood) && !c.nextAsked.IsZero()
	nextLive := c.nextLive
	c.mu.Unlock()
	if !fresh {
		var err error
		if nextLive, err = c.next(ctx, now); err != nil {
			return time.Time{}
		}
		c.mu.Lock()
		// Another node may schedule a story without this node's counter
		// moving: ask again within the TTL.
		c.nextLive, c.nextGen, c.nextAsked, c.nextGood = nextLive, gen, now, now.Add(c.ttl)
		if !nextLive.IsZero() && nextLive.Before(c.nextGood) {
			c.nextGood = nextLive
		}
		c.mu.Unlock()
	}
	if !nextLive.IsZero() && nextLive.Before(expires) {
		expires = nextLive
	}
	if !now.Before(expires) {
		return time.Time{}
	}
	return expires
}

// write replays a stored answer.
func (e *cachedPage) write(w http.ResponseWriter) {
	h := w.Header()
	copyHeader(h, e.header)
	// With the length known, net/http sends the page in one write rather
	// than in chunks.
	h["Content-Length"] = []string{strconv.Itoa(len(e.body))}
	w.WriteHeader(e.status)
	w.Write(e.body)
}

// recorder holds a page's answer so that it can be both kept and sent.
type recorder struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = status, true
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(p)
}

// keep reports whether the answer may be served to other readers: a 200
// or 404 page that sets no cookie and is not marked private.
func (r *recorder) keep() bool {
	if r.status != http.StatusOK && r.status != http.StatusNotFound {
		return false
	}
	if r.header.Get("Set-Cookie") != "" {
		return false
	}
	cc := strings.ToLower(r.header.Get("Cache-Control"))
	return !strings.Contains(cc, "private") && !strings.Contains(cc, "no-store") && !strings.Contains(cc, "no-cache")
}

// writeTo sends the held answer.
func (r *recorder) writeTo(w http.ResponseWriter) {
	h := w.Header()
	copyHeader(h, r.header)
	h["Content-Length"] = []string{strconv.Itoa(r.body.Len())}
	w.WriteHeader(r.status)
	w.Write(r.body.Bytes())
}

// copyHeader sets src's fields in dst. The values are shared but clipped,
// so a later Add on dst copies rather than writing into a stored entry.
func copyHeader(dst, src http.Header) {
	for k, v := range src {
		dst[k] = slices.Clip(v)
	}
}

// pageParams are the query parameters a cached page reads; any other
// parameter changes nothing on the page, so it must not make a new entry
// (or "?a=1", "?a=2", … would each render the page afresh).
var pageParams = []string{"page", "q", "saved"}

// cacheKey is r's path and the parameters in pageParams, in a fixed order,
// each with the one value the page reads.
func cacheKey(r *http.Request) string {
	q := r.URL.Query()
	kept := url.Values{}
	for _, name := range pageParams {
		if q.Has(name) {
			kept.Set(name, q.Get(name))
		}
	}
	return r.URL.Path + "?" + kept.Encode()
}
