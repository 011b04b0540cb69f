package admin

import "testing"

func TestNiceTop(t *testing.T) {
	for max, want := range map[int]int{0: 2, 1: 2, 2: 2, 3: 4, 5: 6, 9: 10, 10: 10, 11: 20, 45: 60, 100: 100, 101: 200, 7_300: 8_000} {
		if got := niceTop(max); got != want {
			t.Errorf("niceTop(%d) = %d, want %d", max, got, want)
		}
	}
}
