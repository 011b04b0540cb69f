package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/herald-news/herald/internal/auth"
)

// burstSignIns sends n sign-ins at once for addresses without accounts,
// each from its own client address (through the trusted proxy), and
// returns how many were checked and how many refused with 429.
func burstSignIns(tb testing.TB, n *newsroom, count int) (checked, refused int) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i := range count {
		wg.Go(func() {
			c := n.anonymous()
			form := url.Values{"email": {fmt.Sprintf("nobody%d@example.org", i)}, "password": {"not the password at all"}}
			req, _ := http.NewRequest("POST", n.base+"/admin/sign-in", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.1.%d.%d", i/250, i%250+1))
			res := c.do(req)
			mu.Lock()
			defer mu.Unlock()
			switch res.StatusCode {
			case http.StatusUnauthorized:
				checked++
			case http.StatusTooManyRequests:
				refused++
			default:
				tb.Errorf("sign-in %d answered %d", i, res.StatusCode)
			}
		})
	}
	wg.Wait()
	return checked, refused
}

// Two hundred strangers signing in at once, none limited by address or
// account: every one is answered, and no more hashes run at once than
// the pool has slots (each takes 19 MiB while it runs).
func TestSignInBurstStaysInTheHashingPool(t *testing.T) {
	n := mustNewsroom(t, newsroomOptions{args: []string{"-trusted-proxies", "127.0.0.1"}})
	checked, refused := burstSignIns(t, n, 200)
	if checked+refused != 200 || checked == 0 {
		t.Errorf("%d checked, %d refused of 200", checked, refused)
	}
	if peak := auth.PeakHashes(); peak > auth.HashSlots() {
		t.Errorf("%d hashes ran at once; the pool has %d slots", peak, auth.HashSlots())
	}
}

// BenchmarkSignInBurst reports the peak resident memory of 200 sign-ins
// at once (the bound is 300 MB) beside the memory before them.
// go test -run '^$' -bench SignInBurst ./internal/web/admin/
func BenchmarkSignInBurst(b *testing.B) {
	n := mustNewsroom(b, newsroomOptions{args: []string{"-trusted-proxies", "127.0.0.1"}})
	before := residentMB(b, "VmRSS")
	for b.Loop() {
		n.app.DB.SQL().Exec(`DELETE FROM login_failures`)
		burstSignIns(b, n, 200)
	}
	b.ReportMetric(before, "MB-rss-before")
	b.ReportMetric(residentMB(b, "VmHWM"), "MB-rss-peak")
	b.ReportMetric(float64(auth.PeakHashes()), "hashes-at-once")
}

// residentMB reads a memory figure of this process from /proc.
func residentMB(tb testing.TB, field string) float64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		tb.Skip("no /proc here")
	}
	for line := range strings.SplitSeq(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
