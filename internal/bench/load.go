package bench

import (
	"context"
	"fmt"
	"io"
	"math/bits"
	"net/http"
	"sync"
	"time"
)

// Workers is how many connections the page and signup loads keep busy.
const Workers = 64

// load is the outcome of one closed-loop load: Workers clients each
// making requests back to back for a fixed time.
type load struct {
	Requests int // answered as expected
	Errors   int // anything else: a transport error or an unexpected status
	FirstErr error
	Seconds  float64 // from the first request to the last answer
	Latency  histogram
}

// PerSecond is the rate of expected answers.
func (l *load) PerSecond() float64 { return float64(l.Requests) / l.Seconds }

// newClient is a keep-alive client for one load on loopback: a fresh
// transport, so no connection carries over from the previous load.
func newClient() *http.Client {
	return &http.Client{
		Transport: &http.Transport{MaxIdleConns: 2 * Workers, MaxIdleConnsPerHost: Workers, MaxConnsPerHost: Workers,
			IdleConnTimeout: time.Minute, DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// runLoad runs Workers workers for d. Each calls do(worker, seq) to make
// its next request and answer whether it went as expected.
func runLoad(ctx context.Context, d time.Duration, do func(c *http.Client, worker, seq int) error) load {
	client := newClient()
	defer client.CloseIdleConnections()
	results := make([]load, Workers)
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	for w := range results {
		wg.Go(func() {
			res := &results[w]
			for seq := 0; ctx.Err() == nil && time.Now().Before(deadline); seq++ {
				t := time.Now()
				err := do(client, w, seq)
				res.Latency.record(time.Since(t))
				if err != nil {
					res.Errors++
					if res.FirstErr == nil {
						res.FirstErr = err
					}
					continue
				}
				res.Requests++
			}
		})
	}
	wg.Wait()
	total := load{Seconds: time.Since(start).Seconds()}
	for i := range results {
		total.Requests += results[i].Requests
		total.Errors += results[i].Errors
		if total.FirstErr == nil {
			total.FirstErr = results[i].FirstErr
		}
		total.Latency.merge(&results[i].Latency)
	}
	return total
}

// check says a load is broken when it got no answer right or more than
// one in a hundred wrong.
func (l *load) check(what string) error {
	if l.Requests == 0 || l.Errors*100 > l.Requests+l.Errors {
		return fmt.Errorf("%s: %d of %d requests failed: %v", what, l.Errors, l.Requests+l.Errors, l.FirstErr)
	}
	return nil
}

// get fetches url; anything but 200 is an error.
func get(c *http.Client, url string) error {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return err
	}
	return do(c, req)
}

// do makes a request and reads the whole answer; anything but 200 is an
// error.
func do(c *http.Client, req *http.Request) error {
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %s", req.Method, req.URL.Path, resp.Status)
	}
	return nil
}

// subBits gives each power of two 2^subBits buckets: latencies are kept
// within about 3% in a fixed 9 KB, however long the load runs.
const subBits = 5

// histogram counts latencies in microseconds, log-linearly.
type histogram struct {
	counts [36 << subBits]uint64
	n      uint64
}

// bucket is the index of a latency of us microseconds.
func bucket(us uint64) int {
	if us < 1<<subBits {
		return int(us)
	}
	shift := bits.Len64(us) - subBits - 1
	i := (shift+1)<<subBits + int(us>>uint(shift)) - 1<<subBits
	return min(i, len(histogram{}.counts)-1)
}

// bucketValue is the middle of bucket i, in microseconds.
func bucketValue(i int) float64 {
	if i < 1<<subBits {
		return float64(i)
	}
	shift := i>>subBits - 1
	low := uint64(i&(1<<subBits-1)+1<<subBits) << uint(shift)
	return float64(low) + float64(uint64(1)<<uint(shift))/2
}

func (h *histogram) record(d time.Duration) {
	h.counts[bucket(uint64(max(d.Microseconds(), 0)))]++
	h.n++
}

func (h *histogram) merge(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
}

// quantileMS is the q-quantile (0 < q ≤ 1) in milliseconds.
func (h *histogram) quantileMS(q float64) float64 {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q*float64(h.n) + 0.5)
	rank = max(rank, 1)
	var seen uint64
	for i, c := range h.counts {
		if seen += c; seen >= rank {
			return bucketValue(i) / 1000
		}
	}
	return 0
}
