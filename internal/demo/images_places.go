package demo

import (
	"image/color"
	"math"
)

// paintCapitol draws a domed legislative building on a lawn.
func paintCapitol(c *canvas) {
	s := c.pickSky(true)
	ground := c.h * 0.82
	c.paintSky(s, ground, true)
	c.skylineBand(mix(s.bottom, rgb(0x56705a), 0.4), ground, 20, 70, 30, 70)
	stone, shade := rgb(0xefe9dd), rgb(0xc8bfae)
	if s.night {
		stone, shade = rgb(0xf3e2c0), rgb(0xb8a27e)
	}
	cx := c.w * c.between(0.45, 0.55)
	bw, btop := 170.0, ground-190
	dw, dtop := 118.0, btop-110
	// Drum, dome and lantern sit behind the portico.
	c.rect(stone, cx-dw, dtop, cx+dw, btop)
	for x := cx - dw + 14; x < cx+dw-8; x += 22 {
		c.rect(shade, x, dtop+14, x+8, btop-6)
	}
	c.rect(shade, cx-dw-10, dtop-12, cx+dw+10, dtop)
	dh := c.between(95, 120)
	c.poly(stone, ellipsePts(cx, dtop-12, dw-4, dh, math.Pi, 2*math.Pi)...)
	for _, k := range []float64{0.35, 0.7} {
		c.polyline(shade, 3, ellipsePts(cx, dtop-12, (dw-4)*k, dh, math.Pi, 2*math.Pi)...)
	}
	ltop := dtop - 12 - dh
	c.rect(stone, cx-15, ltop-46, cx+15, ltop+6)
	c.poly(stone, ellipsePts(cx, ltop-46, 17, 16, math.Pi, 2*math.Pi)...)
	c.line(shade, cx, ltop-60, cx, ltop-100, 3)
	flag := []color.RGBA{rgb(0x2e4a7d), rgb(0xb33a3a), rgb(0x2f7d5b)}[c.intn(3)]
	c.rect(flag, cx+1, ltop-100, cx+34, ltop-80)
	// Wings.
	ww, wtop := c.between(330, 420), ground-c.between(110, 140)
	c.rect(stone, cx-ww, wtop, cx+ww, ground)
	c.rect(shade, cx-ww-6, wtop-8, cx+ww+6, wtop+4)
	win := shade
	if s.night {
		win = rgb(0xffd98a)
	}
	for _, y := range []float64{wtop + 24, wtop + 64} {
		for x := cx - ww + 22; x < cx+ww-30; x += 34 {
			if math.Abs(x+8-cx) > bw+10 {
				c.rect(win, x, y, x+14, y+26)
			}
		}
	}
	// Portico.
	c.rect(stone, cx-bw, btop, cx+bw, ground)
	c.rect(mix(shade, black, 0.15), cx-bw+12, btop+14, cx+bw-12, ground-24)
	for i := range 8 {
		x := cx - bw + 26 + float64(i)*(2*bw-52)/7
		c.rect(stone, x-8, btop+14, x+8, ground-24)
	}
	c.rect(shade, cx-bw-8, btop-4, cx+bw+8, btop+14)
	c.poly(stone, cx-bw-12, btop-4, cx+bw+12, btop-4, cx, btop-64)
	c.poly(shade, cx-bw+20, btop-10, cx+bw-20, btop-10, cx, btop-52)
	for i := range 4 {
		f := float64(i)
		c.rect(mix(stone, shade, 0.2*f), cx-bw+10-f*16, ground-24+f*8, cx+bw-10+f*16, ground-16+f*8)
	}
	lawn := rgb(0x5f9a4e)
	if s.night {
		lawn = rgb(0x2c4a2e)
	}
	c.vgradRect(lawn, mix(lawn, black, 0.25), 0, ground+8, c.w, c.h)
	c.poly(mix(rgb(0xd8cfbd), lawn, 0.15), cx-70, ground+8, cx+70, ground+8, cx+260, c.h, cx-260, c.h)
	tree := mix(rgb(0x2f5d3a), s.bottom, 0.1)
	for _, side := range []float64{-1, 1} {
		for i := range 3 {
			x := cx + side*(ww+40+float64(i)*c.between(50, 80))
			r := c.between(40, 64)
			c.rect(rgb(0x4a3b30), x-4, ground-r, x+4, ground+10)
			c.circle(tree, x, ground-r-20, r)
		}
	}
}

// paintStadium draws stands full of fans above a striped field.
func paintStadium(c *canvas) {
	night := c.hint([]string{"night"}, []string{"day"}, 0.55)
	s := skies[0]
	if night {
		s = skies[len(skies)-1]
	}
	standTop, fieldTop := c.h*c.between(0.16, 0.22), c.h*0.54
	c.paintSky(s, standTop, false)
	stand := []color.RGBA{rgb(0x3b4252), rgb(0x4a3f55), rgb(0x2f4858)}[c.intn(3)]
	c.vgradRect(mix(stand, black, 0.3), stand, 0, standTop, c.w, fieldTop)
	c.rect(mix(stand, black, 0.5), 0, standTop-14, c.w, standTop)
	team := []color.RGBA{
		[]color.RGBA{rgb(0xe4572e), rgb(0x2e86de), rgb(0xf4d35e), rgb(0x6a4c93)}[c.intn(4)],
		rgb(0xf2efe6), rgb(0x9aa5b1),
	}
	for y, row := standTop+10, 0; y < fieldTop-22; y, row = y+13, row+1 {
		sz := 4 + 5*(y-standTop)/(fieldTop-standTop)
		for x := c.between(0, 8); x < c.w; x += sz + 5 {
			if c.chance(0.1) {
				continue
			}
			col := team[0]
			if r := c.rng.Float64(); r > 0.65 {
				col = team[1+int(r*10)%2]
			}
			c.rect(col, x, y, x+sz, y+sz)
		}
		if row == 6 {
			c.rect(mix(stand, white, 0.2), 0, y+sz+2, c.w, y+sz+8)
			y += 8
		}
	}
	c.rect(rgb(0x20232a), c.w/2-120, standTop-70, c.w/2+120, standTop-14)
	c.rect(rgb(0x3fa7d6), c.w/2-108, standTop-60, c.w/2+108, standTop-24)
	// Field in perspective.
	c.rect(rgb(0x8a4b3a), 0, fieldTop-18, c.w, c.h)
	edge := func(y float64) (float64, float64) {
		t := (y - fieldTop) / (c.h - fieldTop)
		return c.w * (0.16 - 0.3*t), c.w * (0.84 + 0.3*t)
	}
	grass := rgb(0x3f8f46)
	depth := func(d float64) float64 { return fieldTop + (c.h-fieldTop)*((1/(1+(1-d)*3))-0.25)/0.75 }
	const bands = 10
	for k := range bands {
		y0, y1 := depth(float64(k)/bands), depth(float64(k+1)/bands)
		l0, r0 := edge(y0)
		l1, r1 := edge(y1)
		col := grass
		if k%2 == 1 {
			col = mix(grass, white, 0.1)
		}
		c.poly(col, l0, y0, r0, y0, r1, y1+1, l1, y1+1)
	}
	line := fade(white, 0.85)
	l0, r0 := edge(fieldTop)
	l1, r1 := edge(c.h)
	c.line(line, l0, fieldTop, l1, c.h, 4)
	c.line(line, r0, fieldTop, r1, c.h, 4)
	c.rect(line, l0, fieldTop-2, r0, fieldTop+2)
	ym := depth(0.5)
	lm, rm := edge(ym)
	c.rect(line, lm, ym-2, rm, ym+2)
	c.ring(line, c.w/2, ym, 130, 44, 4)
	for _, x := range []float64{c.w * 0.06, c.w * 0.94} {
		top := standTop - c.between(45, 70)
		c.line(rgb(0x5a6070), x, top, x, fieldTop, 8)
		c.rect(rgb(0x30343c), x-40, top-30, x+40, top)
		if night {
			for i := 4; i >= 1; i-- {
				c.circle(fade(rgb(0xfff6d8), 0.08), x, top-15, 40*float64(i))
			}
		}
		for i := range 4 {
			c.rect(rgb(0xfff6d8), x-34+float64(i)*18, top-24, x-22+float64(i)*18, top-6)
		}
	}
}

// paintLab draws a laboratory bench with glassware.
func paintLab(c *canvas) {
	walls := [][2]color.RGBA{{rgb(0xe3edf1), rgb(0xc5d6de)}, {rgb(0xe4f1ea), rgb(0xbfd9cb)}, {rgb(0xf1ebe3), rgb(0xd9cbb8)}}
	wall := walls[c.intn(len(walls))]
	c.vgrad(wall[0], wall[1], 0, c.h)
	if c.chance(0.6) {
		wx := c.between(0.55, 0.75) * c.w
		c.rect(white, wx, 60, wx+240, 300)
		c.vgradRect(skies[0].top, skies[0].bottom, wx+12, 72, wx+228, 288)
		c.rect(white, wx+114, 72, wx+126, 288)
	}
	shelfY := c.h * 0.3
	sx := c.between(40, 200)
	c.rect(rgb(0x8a6d50), sx, shelfY, sx+420, shelfY+12)
	for x := sx + 20; x < sx+390; x += c.between(50, 80) {
		col := liquids[c.intn(len(liquids))]
		h := c.between(50, 90)
		c.rect(mix(col, wall[1], 0.3), x, shelfY-h, x+34, shelfY)
		c.rect(mix(col, black, 0.3), x+9, shelfY-h-14, x+25, shelfY-h)
	}
	bench := c.h * 0.68
	c.vgradRect(rgb(0xd6dde2), rgb(0xa9b4bc), 0, bench+18, c.w, c.h)
	for x := 0.0; x < c.w; x += 200 {
		c.rect(rgb(0x8d99a3), x, bench+18, x+3, c.h)
		c.rect(rgb(0x5b6670), x+170, bench+60, x+180, bench+110)
	}
	c.rect(rgb(0x37414b), 0, bench, c.w, bench+18)
	last := -1
	for x := c.between(60, 120); x < c.w-120; {
		w, item := 0.0, c.intn(5)
		if item == last {
			item = (item + 1 + c.intn(4)) % 5
		}
		last = item
		switch item {
		case 0:
			w = c.flask(x+70, bench)
		case 1:
			w = c.beaker(x+55, bench)
		case 2:
			w = c.tubeRack(x, bench)
		case 3:
			w = c.roundFlask(x+60, bench)
		default:
			w = c.microscope(x, bench)
		}
		x += w + c.between(30, 70)
	}
}

var (
	liquids = []color.RGBA{rgb(0x3fb6a8), rgb(0xe8596a), rgb(0x5b7fe0), rgb(0xf2b134), rgb(0x8e6bd8), rgb(0x62c462)}
	glass   = fade(white, 0.5)
	rim     = fade(rgb(0x4a5b68), 0.55)
)

// flask draws an Erlenmeyer flask centred at x; it returns its width.
func (c *canvas) flask(x, base float64) float64 {
	outline := []float64{x - 14, base - 176, x + 14, base - 176, x + 14, base - 110, x + 68, base - 6, x + 62, base, x - 62, base, x - 68, base - 6, x - 14, base - 110}
	c.poly(rim, outline...)
	c.poly(glass, x-11, base-173, x+11, base-173, x+11, base-108, x+64, base-7, x+59, base-3, x-59, base-3, x-64, base-7, x-11, base-108)
	l := c.between(0.3, 0.65)
	yl := base - 3 - l*105
	hw := 11 + 53*(1-l)
	c.poly(liquids[c.intn(len(liquids))], x-hw, yl, x+hw, yl, x+64, base-7, x+59, base-3, x-59, base-3, x-64, base-7)
	c.rect(rim, x-18, base-182, x+18, base-174)
	return 140
}

// beaker draws a beaker centred at x; it returns its width.
func (c *canvas) beaker(x, base float64) float64 {
	h := c.between(110, 150)
	c.rect(rim, x-52, base-h, x+52, base)
	c.rect(glass, x-48, base-h, x+48, base-3)
	c.rect(liquids[c.intn(len(liquids))], x-48, base-h*c.between(0.3, 0.7), x+48, base-3)
	for y := base - 20; y > base-h+20; y -= 18 {
		c.rect(rim, x+26, y, x+46, y+2)
	}
	return 110
}

// tubeRack draws a rack of test tubes starting at x; it returns its width.
func (c *canvas) tubeRack(x, base float64) float64 {
	n := 4 + c.intn(3)
	w := float64(n)*34 + 20
	for i := range n {
		tx := x + 18 + float64(i)*34
		c.roundRect(rim, tx, base-130, tx+22, base-14, 11)
		c.roundRect(glass, tx+3, base-128, tx+19, base-16, 8)
		c.roundRect(liquids[c.intn(len(liquids))], tx+3, base-c.between(50, 100), tx+19, base-16, 8)
	}
	c.rect(rgb(0x6d7a86), x, base-70, x+w, base-60)
	c.rect(rgb(0x6d7a86), x, base-12, x+w, base)
	c.rect(rgb(0x6d7a86), x, base-70, x+8, base)
	c.rect(rgb(0x6d7a86), x+w-8, base-70, x+w, base)
	return w
}

// roundFlask draws a round-bottom flask on a cork ring; it returns its width.
func (c *canvas) roundFlask(x, base float64) float64 {
	cy := base - 62
	c.ellipse(rgb(0x9b7653), x, base-6, 40, 8)
	c.rect(rim, x-13, cy-120, x+13, cy-40)
	c.circle(rim, x, cy, 60)
	c.rect(glass, x-10, cy-118, x+10, cy-40)
	c.circle(glass, x, cy, 56)
	a := c.between(0.1, 0.9)
	c.poly(liquids[c.intn(len(liquids))], ellipsePts(x, cy, 56, 56, a, math.Pi-a)...)
	return 120
}

// microscope draws a microscope starting at x; it returns its width.
func (c *canvas) microscope(x, base float64) float64 {
	body, dark := rgb(0xf4f4f2), rgb(0x2f3a44)
	c.roundRect(dark, x, base-20, x+130, base, 8)
	c.rect(body, x+80, base-150, x+104, base-20)
	c.polyline(body, 22, x+92, base-150, x+70, base-190, x+40, base-200)
	c.line(dark, x+34, base-222, x+64, base-120, 26)
	c.line(body, x+30, base-236, x+40, base-208, 18)
	c.rect(dark, x+20, base-96, x+110, base-86)
	c.circle(dark, x+104, base-120, 12)
	return 130
}
