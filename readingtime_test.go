package herald

import "testing"

func TestReadingTimeFor(t *testing.T) {
	tests := []struct {
		words   int
		half    int
		minutes float64
		want    string
	}{
		{1189, 9, 4.5, "4½ mins"},
		{1448, 11, 5.5, "5½ mins"},
		{911, 7, 3.5, "3½ mins"},
		{864, 6, 3, "3 mins"},
		{812, 6, 3, "3 mins"},
		{0, 0, 0, "< 1 min"},
		{-5, 0, 0, "< 1 min"},
		{124, 0, 0, "< 1 min"},
		{125, 1, 0.5, "½ min"},
		{250, 2, 1, "1 min"},
		{374, 2, 1, "1 min"},
		{375, 3, 1.5, "1½ mins"},
		{1012, 8, 4, "4 mins"},
	}
	for _, tt := range tests {
		rt := ReadingTimeFor(tt.words)
		if rt.HalfMinutes != tt.half {
			t.Errorf("ReadingTimeFor(%d).HalfMinutes = %d, want %d", tt.words, rt.HalfMinutes, tt.half)
		}
		if got := rt.Minutes(); got != tt.minutes {
			t.Errorf("ReadingTimeFor(%d).Minutes() = %v, want %v", tt.words, got, tt.minutes)
		}
		if got := rt.String(); got != tt.want {
			t.Errorf("ReadingTimeFor(%d).String() = %q, want %q", tt.words, got, tt.want)
		}
	}
}

func TestBodyReadingTime(t *testing.T) {
	body := ParseBody(storyBody)
	if got, want := body.ReadingTime(), ReadingTimeFor(body.Words); got != want {
		t.Errorf("ReadingTime() = %v, want %v", got, want)
	}
}

func TestFormatCount(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{0, "0"},
		{7, "7"},
		{999, "999"},
		{1000, "1,000"},
		{1012, "1,012"},
		{12345, "12,345"},
		{123456, "123,456"},
		{1234567, "1,234,567"},
		{-1012, "-1,012"},
		{-999, "-999"},
	}
	for _, tt := range tests {
		if got := FormatCount(tt.n); got != tt.want {
			t.Errorf("FormatCount(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
