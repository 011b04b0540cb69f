package media_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/media"
)

// deepPNG returns a w×h 16-bit PNG, its pixels shaded by seed so that
// each seed makes a different file.
func deepPNG(t testing.TB, w, h int, seed uint16) []byte {
	t.Helper()
	img := image.NewNRGBA64(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 8 {
		px := uint16(i/8) * 31
		copy(img.Pix[i:], []byte{byte(px >> 8), byte(px), byte(seed), byte(px), byte(seed >> 8), 0, 0xff, 0xff})
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Large photos uploaded at once wait for the memory budget in turn: the
// bytes reserved never exceed it, every photo is stored, and the budget is
// all given back.
func TestConcurrentPhotosStayWithinTheBudget(t *testing.T) {
	const uploads, w, h = 4, 500, 300
	photos := make([][]byte, uploads)
	for i := range photos {
		photos[i] = deepPNG(t, w, h, uint16(i))
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(photos[0]))
	if err != nil || format != "png" || (cfg.ColorModel != color.RGBA64Model && cfg.ColorModel != color.NRGBA64Model) {
		t.Fatalf("test photo: %s %v (%v)", format, cfg.ColorModel, err)
	}
	decoded, need := media.PhotoCost(cfg, format)
	if decoded != w*h*8 || need <= decoded {
		t.Fatalf("cost of a %d×%d 16-bit PNG: %d decoded, %d in all", w, h, decoded, need)
	}
	// Room for one and a half: two photos at once would overrun it.
	budget := media.NewBudget(need+need/2, time.Minute)
	store := &media.Store{Dir: t.TempDir(), Budget: budget}

	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, uploads)
	for i := range uploads {
		wg.Go(func() {
			<-start
			_, errs[i] = store.SavePhoto(context.Background(), photos[i])
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("upload %d: %v", i, err)
		}
	}
	if peak := budget.Peak(); peak > budget.Capacity() || peak < need {
		t.Errorf("peak reserved %d bytes; the budget is %d, one photo needs %d", peak, budget.Capacity(), need)
	}
	if n := budget.InUse(); n != 0 {
		t.Errorf("%d bytes still reserved after every upload finished", n)
	}
}

// A photo whose pixels would take more than the limit is refused with a
// message saying so, before anything is reserved, decoded or stored.
func TestPhotoOverTheMemoryLimitIsRefused(t *testing.T) {
	budget := media.NewBudget(1<<30, time.Minute)
	store := &media.Store{Dir: t.TempDir(), Budget: budget}
	_, err := store.SavePhoto(context.Background(), pngHeader(6000, 5000, 16, 6))
	want := "The photo is 6000 × 5000 pixels with 16 bits a colour; opening it would take 229 MB of memory, " +
		"and the limit is 192 MB a photo. Save it at a smaller size or with 8 bits a colour (as a JPEG, say) and upload it again."
	if herald.ErrorCode(err) != herald.EINVALID || herald.ErrorMessage(err) != want {
		t.Errorf("err = %v, want invalid: %q", err, want)
	}
	if budget.Peak() != 0 {
		t.Errorf("a refused photo reserved %d bytes", budget.Peak())
	}
	if files, _ := os.ReadDir(store.Dir); len(files) != 0 {
		t.Errorf("a refused photo left %d files in the store", len(files))
	}
	// The same size at 8 bits a colour is within the limit.
	if decoded, _ := media.PhotoCost(image.Config{ColorModel: color.NRGBAModel, Width: 6000, Height: 5000}, "png"); decoded > media.MaxDecodedBytes {
		t.Errorf("an 8-bit 30-megapixel photo takes %d bytes, over the limit", decoded)
	}
}

// While other photos hold the budget past the wait, an upload is refused
// as busy, with a message to try again, and stores nothing; once the budget
// is free, the same upload goes through.
func TestPhotoWaitingTooLongForTheBudgetIsRefusedAsBusy(t *testing.T) {
	budget := media.NewBudget(1<<20, 20*time.Millisecond)
	store := &media.Store{Dir: t.TempDir(), Budget: budget}
	release, err := media.Reserve(budget, context.Background(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	data := photo(t, 200, 100, encPNG)
	_, err = store.SavePhoto(context.Background(), data)
	if herald.ErrorCode(err) != herald.EUNAVAILABLE || herald.ErrorMessage(err) !=
		"Herald is busy processing other photos right now. Please try the upload again in a minute." {
		t.Errorf("err = %v, want unavailable", err)
	}
	if files, _ := os.ReadDir(store.Dir); len(files) != 0 {
		t.Errorf("a refused photo left %d files in the store", len(files))
	}
	release()
	release() // twice is harmless
	if _, err := store.SavePhoto(context.Background(), data); err != nil {
		t.Errorf("with the budget free: %v", err)
	}
	if n := budget.InUse(); n != 0 {
		t.Errorf("%d bytes still reserved", n)
	}
}

// A reservation that gives up (its context ends) leaves the line, and the
// one behind it, which fits, is served at once.
func TestBudgetWaiterThatGivesUpLeavesTheLine(t *testing.T) {
	budget := media.NewBudget(100, time.Minute)
	hold, err := media.Reserve(budget, context.Background(), 50)
	if err != nil {
		t.Fatal(err)
	}
	defer hold()
	waitFor := func(n int) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); budget.Waiting() != n; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d waiting, want %d", budget.Waiting(), n)
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error, 1)
	go func() {
		_, err := media.Reserve(budget, ctx, 80) // does not fit beside the 50 held
		gaveUp <- err
	}()
	waitFor(1)
	served := make(chan func(), 1)
	go func() {
		release, err := media.Reserve(budget, context.Background(), 30) // fits, but waits its turn
		if err != nil {
			t.Error(err)
			release = func() {}
		}
		served <- release
	}()
	waitFor(2)
	cancel()
	if err := <-gaveUp; !errors.Is(err, context.Canceled) {
		t.Errorf("canceled reservation: %v", err)
	}
	(<-served)()
	hold()
	if n, peak := budget.InUse(), budget.Peak(); n != 0 || peak != 80 {
		t.Errorf("in use %d, peak %d; want 0 and 80", n, peak)
	}
}
