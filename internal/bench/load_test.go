package bench

import (
	"math"
	"testing"
	"time"
)

// The latency histogram answers quantiles within its bucket width (about
// 3%) in fixed memory.
func TestHistogramQuantiles(t *testing.T) {
	var h histogram
	for us := 1; us <= 100_000; us++ { // 1 µs … 100 ms, evenly
		h.record(time.Duration(us) * time.Microsecond)
	}
	for _, tc := range []struct{ q, wantMS float64 }{{0.5, 50}, {0.99, 99}, {0.999, 99.9}, {1, 100}} {
		if got := h.quantileMS(tc.q); math.Abs(got-tc.wantMS)/tc.wantMS > 0.04 {
			t.Errorf("q%v = %.3f ms, want %.1f ms ± 4%%", tc.q, got, tc.wantMS)
		}
	}
	var other histogram
	other.record(time.Hour) // beyond the last bucket: kept in it
	h.merge(&other)
	if h.n != 100_001 || h.quantileMS(1) < 1e6 {
		t.Errorf("after merge: n = %d, max %.0f ms", h.n, h.quantileMS(1))
	}
}

// Buckets grow with the latency, and each one's middle is near it.
func TestHistogramBuckets(t *testing.T) {
	prev := -1
	for us := uint64(0); us < 1<<22; us += 1 + us/97 {
		i := bucket(us)
		if i < prev {
			t.Fatalf("bucket(%d) = %d after %d", us, i, prev)
		}
		if v := bucketValue(i); math.Abs(v-float64(us)) > float64(us)/(1<<subBits)+1 {
			t.Fatalf("bucket(%d) = %d, whose middle is %v", us, i, v)
		}
		prev = i
	}
}

func TestMedianAndThousands(t *testing.T) {
	for _, tc := range []struct {
		xs   []float64
		want float64
	}{{nil, 0}, {[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := median(tc.xs); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.xs, got, tc.want)
		}
	}
	for v, want := range map[float64]string{0: "0", 999: "999", 1000: "1,000", 1234567.4: "1,234,567", -2500: "-2,500"} {
		if got := thousands(v); got != want {
			t.Errorf("thousands(%v) = %q, want %q", v, got, want)
		}
	}
}
