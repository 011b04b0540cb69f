package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"time"
)

// page is one page under load and the bytes it answered with.
type page struct {
	name, path  string
	contentType string
	body        []byte
}

// pageRun is one page's load on Herald and on the baseline.
type pageRun struct{ herald, baseline load }

// pages loads the home page, a story page and a city page of `herald
// serve --demo` (a child) and then the same bytes served from memory by
// a minimal net/http handler (here), each for the same time.
func (r *runner) pages(ctx context.Context) ([]Figure, error) {
	byPage := map[string][]pageRun{}
	var rss []float64
	var names []string
	for i := range r.opts.Runs {
		name := fmt.Sprintf("pages-%d", i+1)
		st, err := r.freshStore(ctx, name)
		if err != nil {
			return nil, err
		}
		srv, err := r.serve(ctx, name, args([]string{"-demo"}, st.flags()))
		if err != nil {
			return nil, err
		}
		pages, err := r.loadPages(ctx, srv.base, byPage)
		res, serr := srv.stop()
		st.remove(context.WithoutCancel(ctx))
		if err != nil || serr != nil {
			return nil, fmt.Errorf("%s: %w", name, errOr(err, serr))
		}
		rss = append(rss, res.PeakRSSMB)
		names = names[:0]
		for _, p := range pages {
			names = append(names, p.name)
			last := byPage[p.name][len(byPage[p.name])-1]
			r.logf("%s page, run %d/%d: %s req/s, p99 %.2f ms (baseline %s req/s, p99 %.2f ms)", p.name, i+1, r.opts.Runs,
				thousands(last.herald.PerSecond()), last.herald.Latency.quantileMS(0.99),
				thousands(last.baseline.PerSecond()), last.baseline.Latency.quantileMS(0.99))
		}
	}
	var figs []Figure
	for _, name := range names {
		runs := byPage[name]
		reqs := figure("pages", name+" page", "req/s", collectLoad(runs, func(l *load) float64 { return l.PerSecond() }, false)).
			against("in-memory net/http", collectLoad(runs, func(l *load) float64 { return l.PerSecond() }, true))
		p50 := figure("pages", name+" page p50", "ms", collectLoad(runs, func(l *load) float64 { return l.Latency.quantileMS(0.5) }, false)).
			against("in-memory", collectLoad(runs, func(l *load) float64 { return l.Latency.quantileMS(0.5) }, true))
		p99 := figure("pages", name+" page p99", "ms", collectLoad(runs, func(l *load) float64 { return l.Latency.quantileMS(0.99) }, false)).
			against("in-memory", collectLoad(runs, func(l *load) float64 { return l.Latency.quantileMS(0.99) }, true))
		if name == "story" {
			reqs, p99 = reqs.ratioAtLeast(0.5), p99.atMost(25, "")
		}
		figs = append(figs, reqs, p50, p99)
	}
	return append(figs, figure("pages", "peak RSS of the web server", "MB", rss)), nil
}

// collectLoad applies f to Herald's load of every run, or the baseline's.
func collectLoad(runs []pageRun, f func(*load) float64, baseline bool) []float64 {
	out := make([]float64, len(runs))
	for i := range runs {
		l := &runs[i].herald
		if baseline {
			l = &runs[i].baseline
		}
		out[i] = f(l)
	}
	return out
}

// storyLink finds a national story's path in the home page.
var storyLink = regexp.MustCompile(`href="(/\d{4}/\d{2}/\d{2}/[a-z0-9-]+)"`)

// loadPages finds the pages, fetches each once, serves those bytes from
// memory, and loads each page on Herald and then on the baseline.
func (r *runner) loadPages(ctx context.Context, base string, byPage map[string][]pageRun) ([]page, error) {
	pages := []page{{name: "home", path: "/"}, {name: "story"}, {name: "city", path: "/local/denver"}}
	client := newClient()
	defer client.CloseIdleConnections()
	for i := range pages {
		p := &pages[i]
		if p.path == "" {
			m := storyLink.FindSubmatch(pages[0].body)
			if m == nil {
				return nil, fmt.Errorf("no story link on the home page")
			}
			p.path = string(m[1])
		}
		resp, err := client.Get(base + p.path)
		if err != nil {
			return nil, err
		}
		p.body, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s: %s %v", p.path, resp.Status, err)
		}
		p.contentType = resp.Header.Get("Content-Type")
	}
	baseline, stop, err := serveFromMemory(pages)
	if err != nil {
		return nil, err
	}
	defer stop()
	for _, p := range pages {
		var run pageRun
		for _, target := range []struct {
			base string
			l    *load
		}{{base, &run.herald}, {baseline, &run.baseline}} {
			url := target.base + p.path
			*target.l = runLoad(ctx, r.opts.PageTime, func(c *http.Client, _, _ int) error { return get(c, url) })
			if err := target.l.check("GET " + url); err != nil {
				return nil, err
			}
		}
		byPage[p.name] = append(byPage[p.name], run)
	}
	return pages, nil
}

// serveFromMemory is the baseline: the pages' bytes written by a minimal
// net/http handler on loopback.
func serveFromMemory(pages []page) (string, func(), error) {
	mux := http.NewServeMux()
	for _, p := range pages {
		length := strconv.Itoa(len(p.body))
		mux.HandleFunc("GET "+p.path+map[bool]string{true: "{$}", false: ""}[p.path == "/"], func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", p.contentType)
			w.Header().Set("Content-Length", length)
			w.Write(p.body)
		})
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

func errOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
