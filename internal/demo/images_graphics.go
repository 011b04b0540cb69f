package demo

import (
	"image/color"
	"math"
)

// paintChart draws a bar or line chart with placeholder labels.
func paintChart(c *canvas) {
	bg, ink, grid, muted := rgb(0xfbfaf6), rgb(0x22262e), rgb(0xe3e1da), rgb(0xb4b7bd)
	if c.hint([]string{"dark"}, []string{"light"}, 0.35) {
		bg, ink, grid, muted = rgb(0x1b2333), rgb(0xeef0f4), rgb(0x2f3a4e), rgb(0x6b778c)
	}
	accent := []color.RGBA{rgb(0xe4572e), rgb(0x2e86de), rgb(0x17a589), rgb(0xf4a261), rgb(0x8e44ad)}[c.intn(5)]
	c.vgrad(bg, mix(bg, muted, 0.08), 0, c.h)
	c.roundRect(ink, 80, 48, 80+c.between(380, 620), 76, 8)
	c.roundRect(muted, 80, 92, 80+c.between(240, 420), 108, 6)
	left, right, top, bottom := 130.0, c.w-80, 160.0, c.h-90
	for i := range 5 {
		y := top + (bottom-top)*float64(i)/4
		c.rect(grid, left, y-1, right, y+1)
		c.roundRect(muted, 72, y-6, 112, y+6, 4)
	}
	v := c.between(0.3, 0.6)
	step := func() float64 {
		v += c.between(-0.17, 0.17)
		if v > 0.92 || v < 0.1 {
			v = math.Max(0.1, math.Min(0.92, v)) - math.Copysign(0.08, v-0.5)
		}
		return v
	}
	if c.hint([]string{"bar", "jobs"}, []string{"line", "rate", "trend"}, 0.5) {
		n := 6 + c.intn(7)
		slot := (right - left) / float64(n)
		for i := range n {
			h := step() * (bottom - top)
			col := mix(accent, bg, 0.55)
			if i == n-1 {
				col = accent
			}
			x0 := left + float64(i)*slot + slot*0.18
			c.roundRect(col, x0, bottom-h, x0+slot*0.64, bottom, 6)
			c.rect(col, x0, bottom-8, x0+slot*0.64, bottom)
			c.roundRect(muted, x0+slot*0.12, bottom+18, x0+slot*0.52, bottom+30, 4)
		}
	} else {
		n := 12 + c.intn(13)
		second := mix(muted, bg, 0.1)
		for _, series := range []color.RGBA{second, accent} {
			pts := make([]float64, 0, 2*n)
			for i := range n {
				pts = append(pts, left+(right-left)*float64(i)/float64(n-1), bottom-step()*(bottom-top))
			}
			if series == accent {
				c.poly(fade(accent, 0.14), append(append([]float64{}, pts...), right, bottom, left, bottom)...)
			}
			c.polyline(series, 6, pts...)
			c.circle(bg, pts[len(pts)-2], pts[len(pts)-1], 12)
			c.circle(series, pts[len(pts)-2], pts[len(pts)-1], 8)
		}
		for i := range 6 {
			x := left + (right-left)*float64(i)/5
			c.roundRect(muted, x-22, bottom+18, x+22, bottom+30, 4)
		}
	}
	c.rect(ink, left, bottom-1.5, right, bottom+1.5)
}

// paintAbstract draws overlapping translucent circles, bands and rings.
func paintAbstract(c *canvas) {
	palettes := [][4]color.RGBA{
		{rgb(0x1d2b53), rgb(0xff6f59), rgb(0xf7c548), rgb(0xf4efe6)},
		{rgb(0x0f4c5c), rgb(0xe36414), rgb(0xfb8b24), rgb(0xf6e8d4)},
		{rgb(0x2d1e4f), rgb(0xe26d9b), rgb(0x5aa9e6), rgb(0xf3e9f7)},
		{rgb(0x233d2b), rgb(0x9bc53d), rgb(0xe8c547), rgb(0xf1f4e8)},
	}
	p := palettes[c.intn(len(palettes))]
	c.vgrad(p[0], mix(p[0], p[1], 0.35), 0, c.h)
	for i := range 4 {
		c.circle(fade(p[1+i%3], c.between(0.35, 0.65)), c.between(0, c.w), c.between(0, c.h), c.between(110, 320))
	}
	for range 2 {
		a := c.between(-0.6, 0.6)
		cx, cy, w := c.between(0.2, 0.8)*c.w, c.between(0.2, 0.8)*c.h, c.between(50, 130)
		dx, dy := math.Cos(a)*c.w, math.Sin(a)*c.w
		nx, ny := -math.Sin(a)*w/2, math.Cos(a)*w/2
		c.poly(fade(p[3], 0.25), cx-dx+nx, cy-dy+ny, cx+dx+nx, cy+dy+ny, cx+dx-nx, cy+dy-ny, cx-dx-nx, cy-dy-ny)
	}
	rx, ry := c.between(0.15, 0.85)*c.w, c.between(0.2, 0.8)*c.h
	for r := 40.0; r < 200; r += 32 {
		c.ring(fade(p[3], 0.5), rx, ry, r, r, 5)
	}
	gx, gy := c.between(40, c.w-260), c.between(40, c.h-200)
	for i := range 6 {
		for j := range 5 {
			c.circle(fade(p[3], 0.7), gx+float64(i)*40, gy+float64(j)*40, 5)
		}
	}
}

// paintPortrait draws a head-and-shoulders silhouette on a soft background.
func paintPortrait(c *canvas) {
	bgs := [][2]color.RGBA{
		{rgb(0xdfe7f2), rgb(0xb9c9df)}, {rgb(0xf3e3d3), rgb(0xe0c2a6)}, {rgb(0xdcefe6), rgb(0xb2d6c6)},
		{rgb(0xece2f3), rgb(0xcdb9de)}, {rgb(0xf4ecd0), rgb(0xdfcf9c)}, {rgb(0xe4e4e4), rgb(0xc4c8cc)},
	}
	bg := bgs[c.intn(len(bgs))]
	c.vgrad(bg[0], bg[1], 0, c.h)
	cx := c.w/2 + c.between(-8, 8)
	c.circle(fade(white, 0.35), cx, 178, 150)
	sil := mix(bg[1], rgb(0x27303c), c.between(0.62, 0.8))
	skin, hair := mix(sil, bg[0], 0.14), mix(sil, black, 0.3)
	hy, rx := c.between(164, 176), c.between(66, 76)
	ry := rx * c.between(1.16, 1.28)
	style := c.intn(4)
	if style == 1 {
		c.roundRect(hair, cx-rx-16, hy-ry+6, cx+rx+16, hy+ry+80, rx)
	}
	c.ellipse(sil, cx, c.h+c.between(30, 60), c.between(150, 178), c.between(150, 170))
	c.rect(skin, cx-rx*0.42, hy+ry*0.5, cx+rx*0.42, hy+ry+44)
	c.poly(skin, cx-rx*0.42, hy+ry+30, cx+rx*0.42, hy+ry+30, cx, hy+ry+70)
	c.ellipse(skin, cx-rx+2, hy+6, 11, 19)
	c.ellipse(skin, cx+rx-2, hy+6, 11, 19)
	c.ellipse(skin, cx, hy, rx, ry)
	if style != 3 {
		cap := ellipsePts(cx, hy-ry*0.05, rx*1.05, ry*1.02, math.Pi, 2*math.Pi)
		cap = append(cap, ellipsePts(cx, hy-ry*0.05, rx*0.9, ry*c.between(0.4, 0.6), 2*math.Pi, math.Pi)...)
		c.poly(hair, cap...)
	}
	if style == 2 {
		c.circle(hair, cx, hy-ry-14, rx*0.42)
	}
}
