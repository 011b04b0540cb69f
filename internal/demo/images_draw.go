package demo

import (
	"hash/fnv"
	"image"
	"image/color"
	"image/draw"
	"math"
	"math/rand/v2"
	"strings"

	"golang.org/x/image/vector"
)

// canvas is the drawing surface for one photo, with a random source seeded
// from the photo's name so the same name always paints the same picture.
type canvas struct {
	name string
	img  *image.RGBA
	w, h float64
	rng  *rand.Rand
	ras  vector.Rasterizer
	mask []uint8 // coverage scratch for poly
}

func newCanvas(name string, w, h int) *canvas {
	f := fnv.New64a()
	f.Write([]byte(name))
	seed := f.Sum64()
	return &canvas{
		name: name,
		img:  image.NewRGBA(image.Rect(0, 0, w, h)),
		w:    float64(w),
		h:    float64(h),
		rng:  rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
	}
}

// between returns a random number in [a, b).
func (c *canvas) between(a, b float64) float64 { return a + c.rng.Float64()*(b-a) }

// chance reports true with probability p.
func (c *canvas) chance(p float64) bool { return c.rng.Float64() < p }

// has reports whether the photo's name mentions any of the words, which lets
// a name steer the picture ("skyline-denver-night.png").
func (c *canvas) has(words ...string) bool {
	for _, w := range words {
		if strings.Contains(c.name, w) {
			return true
		}
	}
	return false
}

// hint returns yes or no when the name mentions one of the word lists, and
// otherwise a coin flip with probability p.
func (c *canvas) hint(yes, no []string, p float64) bool {
	switch {
	case c.has(yes...):
		return true
	case c.has(no...):
		return false
	}
	return c.chance(p)
}

// intn returns a random int in [0, n).
func (c *canvas) intn(n int) int { return c.rng.IntN(n) }

// rect fills the axis-aligned rectangle (x0,y0)-(x1,y1), blending over.
func (c *canvas) rect(col color.Color, x0, y0, x1, y1 float64) {
	r := image.Rect(int(math.Round(x0)), int(math.Round(y0)), int(math.Round(x1)), int(math.Round(y1)))
	draw.Draw(c.img, r, image.NewUniform(col), image.Point{}, draw.Over)
}

// vgrad paints full-width rows from y0 to y1 blending top into bottom.
func (c *canvas) vgrad(top, bottom color.RGBA, y0, y1 float64) {
	c.vgradRect(top, bottom, 0, y0, c.w, y1)
}

// vgradRect paints a vertical gradient inside a rectangle.
func (c *canvas) vgradRect(top, bottom color.RGBA, x0, y0, x1, y1 float64) {
	iy0, iy1 := int(math.Round(y0)), int(math.Round(y1))
	ix0, ix1 := int(math.Round(x0)), int(math.Round(x1))
	for y := iy0; y < iy1; y++ {
		t := 0.0
		if iy1-iy0 > 1 {
			t = float64(y-iy0) / float64(iy1-iy0-1)
		}
		col := mix(top, bottom, t)
		draw.Draw(c.img, image.Rect(ix0, y, ix1, y+1), image.NewUniform(col), image.Point{}, draw.Src)
	}
}

// poly fills the closed polygon given as x,y pairs with anti-aliased edges.
func (c *canvas) poly(col color.Color, pts ...float64) {
	if len(pts) < 6 {
		return
	}
	minX, minY, maxX, maxY := pts[0], pts[1], pts[0], pts[1]
	for i := 2; i+1 < len(pts); i += 2 {
		minX, maxX = math.Min(minX, pts[i]), math.Max(maxX, pts[i])
		minY, maxY = math.Min(minY, pts[i+1]), math.Max(maxY, pts[i+1])
	}
	r := image.Rect(int(math.Floor(minX)), int(math.Floor(minY)),
		int(math.Ceil(maxX))+1, int(math.Ceil(maxY))+1).Intersect(c.img.Bounds())
	if r.Empty() {
		return
	}
	c.ras.Reset(r.Dx(), r.Dy())
	ox, oy := float64(r.Min.X), float64(r.Min.Y)
	c.ras.MoveTo(float32(pts[0]-ox), float32(pts[1]-oy))
	for i := 2; i+1 < len(pts); i += 2 {
		c.ras.LineTo(float32(pts[i]-ox), float32(pts[i+1]-oy))
	}
	c.ras.ClosePath()
	// Rasterize coverage into an 8-bit mask (the rasterizer's fast path),
	// then blend, writing fully covered opaque pixels directly.
	w, h := r.Dx(), r.Dy()
	if cap(c.mask) < w*h {
		c.mask = make([]uint8, w*h)
	}
	mask := &image.Alpha{Pix: c.mask[:w*h], Stride: w, Rect: image.Rect(0, 0, w, h)}
	c.ras.DrawOp = draw.Src
	c.ras.Draw(mask, mask.Bounds(), image.Opaque, image.Point{})
	sr, sg, sb, sa := col.RGBA()
	r8, g8, b8 := uint8(sr>>8), uint8(sg>>8), uint8(sb>>8)
	for y := range h {
		row := mask.Pix[y*w : y*w+w]
		pix := c.img.Pix[c.img.PixOffset(r.Min.X, r.Min.Y+y):]
		for x, m := range row {
			if m == 0 {
				continue
			}
			i := 4 * x
			if m == 0xff && sa == 0xffff {
				pix[i], pix[i+1], pix[i+2], pix[i+3] = r8, g8, b8, 0xff
				continue
			}
			ma := uint32(m) * 0x101
			a := 0xffff - sa*ma/0xffff
			pix[i] = uint8((uint32(pix[i])*0x101*a + sr*ma) / 0xffff >> 8)
			pix[i+1] = uint8((uint32(pix[i+1])*0x101*a + sg*ma) / 0xffff >> 8)
			pix[i+2] = uint8((uint32(pix[i+2])*0x101*a + sb*ma) / 0xffff >> 8)
			pix[i+3] = uint8((uint32(pix[i+3])*0x101*a + sa*ma) / 0xffff >> 8)
		}
	}
}

// ellipsePts returns the outline of an ellipse as x,y pairs from angle a0 to a1.
func ellipsePts(cx, cy, rx, ry, a0, a1 float64) []float64 {
	n := int(math.Max(rx, ry)*math.Abs(a1-a0)/6) + 12
	n = min(n, 160)
	pts := make([]float64, 0, 2*(n+1))
	for i := 0; i <= n; i++ {
		a := a0 + (a1-a0)*float64(i)/float64(n)
		pts = append(pts, cx+rx*math.Cos(a), cy+ry*math.Sin(a))
	}
	return pts
}

// ellipse fills an ellipse.
func (c *canvas) ellipse(col color.Color, cx, cy, rx, ry float64) {
	c.poly(col, ellipsePts(cx, cy, rx, ry, 0, 2*math.Pi)...)
}

// circle fills a circle.
func (c *canvas) circle(col color.Color, cx, cy, r float64) { c.ellipse(col, cx, cy, r, r) }

// ring fills the band between two concentric ellipses, w pixels wide.
func (c *canvas) ring(col color.Color, cx, cy, rx, ry, w float64) {
	outer := ellipsePts(cx, cy, rx, ry, 0, 2*math.Pi)
	inner := ellipsePts(cx, cy, rx-w, ry-w, 2*math.Pi, 0)
	c.poly(col, append(outer, inner...)...)
}

// line strokes a straight segment of the given width with square ends.
func (c *canvas) line(col color.Color, x0, y0, x1, y1, width float64) {
	dx, dy := x1-x0, y1-y0
	l := math.Hypot(dx, dy)
	if l == 0 {
		return
	}
	nx, ny := -dy/l*width/2, dx/l*width/2
	c.poly(col, x0+nx, y0+ny, x1+nx, y1+ny, x1-nx, y1-ny, x0-nx, y0-ny)
}

// polyline strokes connected segments with round joins.
func (c *canvas) polyline(col color.Color, width float64, pts ...float64) {
	for i := 0; i+3 < len(pts); i += 2 {
		c.line(col, pts[i], pts[i+1], pts[i+2], pts[i+3], width)
	}
	for i := 2; i+3 < len(pts); i += 2 {
		c.circle(col, pts[i], pts[i+1], width/2)
	}
}

// roundRect fills a rectangle with rounded corners of radius rad.
func (c *canvas) roundRect(col color.Color, x0, y0, x1, y1, rad float64) {
	rad = math.Min(rad, math.Min(x1-x0, y1-y0)/2)
	var pts []float64
	pts = append(pts, ellipsePts(x1-rad, y0+rad, rad, rad, -math.Pi/2, 0)...)
	pts = append(pts, ellipsePts(x1-rad, y1-rad, rad, rad, 0, math.Pi/2)...)
	pts = append(pts, ellipsePts(x0+rad, y1-rad, rad, rad, math.Pi/2, math.Pi)...)
	pts = append(pts, ellipsePts(x0+rad, y0+rad, rad, rad, math.Pi, 1.5*math.Pi)...)
	c.poly(col, pts...)
}

// rgb builds an opaque color from 0xRRGGBB.
func rgb(hex uint32) color.RGBA {
	return color.RGBA{uint8(hex >> 16), uint8(hex >> 8), uint8(hex), 255}
}

// mix blends a toward b by t in [0, 1].
func mix(a, b color.RGBA, t float64) color.RGBA {
	t = math.Max(0, math.Min(1, t))
	f := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + (float64(y)-float64(x))*t)) }
	return color.RGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), 255}
}

// fade returns c with opacity a in [0, 1].
func fade(c color.RGBA, a float64) color.NRGBA {
	return color.NRGBA{c.R, c.G, c.B, uint8(math.Round(255 * math.Max(0, math.Min(1, a))))}
}

var (
	white = rgb(0xffffff)
	black = rgb(0x000000)
)

// sky is a palette for outdoor scenes.
type sky struct {
	top, bottom, sun color.RGBA
	night            bool
}

var skies = []sky{
	{top: rgb(0x5b8fd0), bottom: rgb(0xcfe3f1), sun: rgb(0xfff6d8)},              // clear morning
	{top: rgb(0x4a78b8), bottom: rgb(0xe9d8c4), sun: rgb(0xfff1c9)},              // late afternoon
	{top: rgb(0xf0a878), bottom: rgb(0xfde3ad), sun: rgb(0xfff4dc)},              // golden hour
	{top: rgb(0x3c4478), bottom: rgb(0xef9a78), sun: rgb(0xffd7a0)},              // dusk
	{top: rgb(0x9aa8b8), bottom: rgb(0xdde2e6), sun: rgb(0xf4f4f0)},              // overcast
	{top: rgb(0x141c3c), bottom: rgb(0x4a5488), sun: rgb(0xf1eedc), night: true}, // night
}

// pickSky chooses a sky, following words in the name such as "night",
// "dusk", "sunset", "snow" or "morning"; night skies only when allowed.
func (c *canvas) pickSky(allowNight bool) sky {
	switch {
	case c.has("night") && allowNight:
		return skies[5]
	case c.has("dusk", "evening", "night"):
		return skies[3]
	case c.has("sunset", "golden"):
		return skies[2]
	case c.has("snow", "winter", "overcast", "rain", "storm", "frost", "cold"):
		return skies[4]
	case c.has("morning", "dawn", "sunny"):
		return skies[0]
	case c.has("afternoon"):
		return skies[1]
	}
	n := len(skies)
	if !allowNight {
		n--
	}
	return skies[c.intn(n)]
}

// paintSky fills the sky, a sun or moon with a halo, and a few clouds. It
// returns the sun's centre.
func (c *canvas) paintSky(s sky, horizon float64, clouds bool) (sunX, sunY float64) {
	c.vgrad(s.top, s.bottom, 0, horizon)
	sx, sy, sr := c.between(0.12, 0.88)*c.w, c.between(0.12, 0.34)*c.h, c.between(26, 48)
	for i := 4; i >= 1; i-- {
		c.circle(fade(s.sun, 0.07), sx, sy, sr*(1+0.55*float64(i)))
	}
	c.circle(s.sun, sx, sy, sr)
	if s.night {
		for i := 0; i < 40; i++ {
			c.circle(fade(white, c.between(0.4, 0.9)), c.between(0, c.w), c.between(0, horizon*0.7), c.between(0.8, 1.8))
		}
		return sx, sy
	}
	if !clouds {
		return sx, sy
	}
	for i, n := 0, 1+c.intn(3); i < n; i++ {
		c.cloud(c.between(0.05, 0.95)*c.w, c.between(0.08, 0.3)*c.h, c.between(0.7, 1.4))
	}
	return sx, sy
}

// cloud draws a puffy flat cloud centred at (x, y).
func (c *canvas) cloud(x, y, s float64) {
	col := fade(white, 0.8)
	c.roundRect(col, x-90*s, y, x+90*s, y+34*s, 17*s)
	c.circle(col, x-40*s, y+6*s, 36*s)
	c.circle(col, x+20*s, y-4*s, 46*s)
	c.circle(col, x+62*s, y+12*s, 26*s)
}

// skylineBand draws a row of simple building silhouettes standing on base.
func (c *canvas) skylineBand(col color.RGBA, base, minH, maxH, minW, maxW float64) {
	for x := -c.between(0, maxW); x < c.w; {
		w := c.between(minW, maxW)
		top := base - c.between(minH, maxH)
		c.rect(col, x, top, x+w, base+1)
		if c.chance(0.25) {
			c.line(col, x+w/2, top, x+w/2, top-c.between(10, 40), 3)
		}
		if c.chance(0.2) {
			c.rect(col, x+w*0.2, top-c.between(8, 24), x+w*0.8, top)
		}
		x += w + c.between(-minW/3, 6)
	}
}
