package demo

import (
	"image/color"
	"math"
)

// facadeColors are muted building colors shared by the city scenes.
var facadeColors = []color.RGBA{
	rgb(0x3d4a5c), rgb(0x6a5450), rgb(0x42585e), rgb(0x4b4662), rgb(0x6b604c), rgb(0x5a6e7e),
}

// paintSkyline draws a city skyline: hazy far towers, detailed near towers.
func paintSkyline(c *canvas) {
	s := c.pickSky(true)
	horizon := c.h * c.between(0.74, 0.8)
	c.paintSky(s, horizon, true)
	c.skylineBand(mix(s.bottom, rgb(0x55607a), 0.35), horizon, c.h*0.15, c.h*0.45, 40, 110)
	for x := -c.between(0, 60); x < c.w; {
		w := c.between(70, 170)
		col := mix(facadeColors[c.intn(len(facadeColors))], s.bottom, 0.12)
		if s.night {
			col = mix(col, black, 0.35)
		}
		c.building(col, s, x, horizon-c.between(0.2, 0.62)*c.h, w, horizon)
		x += w + c.between(4, 40)
	}
	ground := rgb(0x2e3a34)
	if s.night {
		ground = rgb(0x161b26)
	}
	c.vgradRect(ground, mix(ground, black, 0.3), 0, horizon, c.w, c.h)
	tree := mix(rgb(0x2f5d3a), ground, 0.3)
	for x := c.between(-20, 20); x < c.w+40; x += c.between(36, 70) {
		r := c.between(18, 30)
		c.circle(tree, x, horizon+8-r*0.3, r)
	}
	lamp := mix(rgb(0xffd98a), ground, 0.2)
	for x := c.between(10, 60); x < c.w; x += 90 {
		c.circle(lamp, x, horizon+36, 3)
	}
}

// building draws one tower with a roof variant and a grid of windows.
func (c *canvas) building(col color.RGBA, s sky, x, top, w, base float64) {
	c.rect(col, x, top, x+w, base+1)
	switch c.intn(4) {
	case 1:
		c.rect(col, x+w*0.15, top-c.between(14, 40), x+w*0.85, top+1)
	case 2:
		c.poly(col, x, top+1, x+w, top+1, x+w/2, top-c.between(30, 80))
	case 3:
		c.line(col, x+w*0.5, top, x+w*0.5, top-c.between(30, 70), 4)
	}
	lit := mix(col, s.bottom, 0.4)
	cols := int((w - 12) / 22)
	pad := (w - float64(cols)*22 + 12) / 2
	for y := top + 16; y+14 < base-10; y += 26 {
		for i := 0; i < cols; i++ {
			win := lit
			if s.night {
				win = mix(col, black, 0.2)
				if c.chance(0.5) {
					win = rgb(0xffd98a)
				}
			}
			wx := x + pad + float64(i)*22
			c.rect(win, wx, y, wx+10, y+14)
		}
	}
}

// paintStreet draws a street in one-point perspective with trees.
func paintStreet(c *canvas) {
	s := c.pickSky(false)
	vx, vy := c.w*c.between(0.42, 0.58), c.h*c.between(0.4, 0.48)
	c.paintSky(s, c.h, true)
	proj := func(x, y, z float64) (float64, float64) {
		k := 1 / (1 + z)
		return vx + x*k, vy + (c.h-vy-y)*k
	}
	floor := func(col color.Color, x0, x1, z0, z1 float64) { // a patch of road
		ax, ay := proj(x0, 0, z0)
		bx, by := proj(x1, 0, z0)
		cx, cy := proj(x1, 0, z1)
		dx, dy := proj(x0, 0, z1)
		c.poly(col, ax, ay, bx, by, cx, cy, dx, dy)
	}
	const zn, zf = -0.6, 40.0
	road := c.w * c.between(0.28, 0.36)
	walk := road + c.w*c.between(0.1, 0.16)
	ax, ay := proj(-walk, 0, zn)
	bx, by := proj(walk, 0, zn)
	c.poly(mix(rgb(0xb8b2a6), s.bottom, 0.15), ax, ay, bx, by, vx, vy)
	ax, ay = proj(-road, 0, zn)
	bx, by = proj(road, 0, zn)
	c.poly(rgb(0x4a4d55), ax, ay, bx, by, vx, vy)
	if c.hint([]string{"bike", "lane"}, []string{"rail", "car"}, 0.5) {
		ax, ay = proj(road-110, 0, zn)
		bx, by = proj(road-30, 0, zn)
		c.poly(rgb(0x4f9a6a), ax, ay, bx, by, vx, vy)
	}
	for z := 0.0; z < zf; z += 1.4 {
		floor(rgb(0xf2d16b), -7, 7, z, z+0.7)
	}
	for _, side := range []float64{-1, 1} {
		for z := zn; z < zf; {
			d := c.between(0.5, 1.6)
			hgt := c.between(0.5, 1.6) * c.h
			col := mix(facadeColors[c.intn(len(facadeColors))], s.bottom, 0.2)
			if side > 0 {
				col = mix(col, black, 0.18)
			}
			ax, ay := proj(side*walk, 0, z)
			bx, by := proj(side*walk, 0, z+d)
			cx, cy := proj(side*walk, hgt, z+d)
			dx, dy := proj(side*walk, hgt, z)
			c.poly(col, ax, ay, bx, by, cx, cy, dx, dy)
			win := mix(col, s.bottom, 0.45)
			cols := max(1, int(d/0.3))
			for y := 50.0; y+60 < hgt-20; y += 95 {
				for k := range cols {
					za := z + (float64(k)+0.25)*d/float64(cols)
					zb := z + (float64(k)+0.75)*d/float64(cols)
					ax, ay := proj(side*walk, y, za)
					bx, by := proj(side*walk, y, zb)
					cx, cy := proj(side*walk, y+60, zb)
					dx, dy := proj(side*walk, y+60, za)
					c.poly(win, ax, ay, bx, by, cx, cy, dx, dy)
				}
			}
			z += d
		}
	}
	leaf := []color.RGBA{rgb(0x3f7d4e), rgb(0x4f8f4a), rgb(0x5d8a3c)}[c.intn(3)]
	for z := 24.0; z > -0.4; z -= 1.6 {
		for _, side := range []float64{-1, 1} {
			tx := side * (road + (walk-road)*0.55)
			bx, by := proj(tx, 0, z)
			_, ty := proj(tx, 170, z)
			k := 1 / (1 + z)
			c.line(rgb(0x4a3b30), bx, by, bx, ty, 10*k)
			c.circle(mix(leaf, s.bottom, 0.05*z), bx, ty, 80*k)
			c.circle(mix(mix(leaf, white, 0.15), s.bottom, 0.05*z), bx-25*k, ty-25*k, 40*k)
		}
	}
}

// skinTones and clothColors dress the crowd and portrait figures.
var (
	skinTones   = []color.RGBA{rgb(0x8d5524), rgb(0xc68642), rgb(0xe0ac69), rgb(0xf1c27d), rgb(0x6b4226), rgb(0xd9a47a)}
	clothColors = []color.RGBA{rgb(0x2e4a7d), rgb(0xc0392b), rgb(0x27ae60), rgb(0xf39c12), rgb(0x8e44ad), rgb(0x34495e), rgb(0xe8e2d0), rgb(0x16a085)}
)

// paintCrowd draws rows of people before a skyline; at rallies and marches
// some hold signs.
func paintCrowd(c *canvas) {
	s := c.pickSky(false)
	horizon := c.h * 0.5
	c.paintSky(s, c.h, true)
	c.skylineBand(mix(s.bottom, rgb(0x5d6478), 0.45), horizon, 40, 220, 50, 130)
	c.rect(mix(rgb(0x9a958c), s.bottom, 0.3), 0, horizon, c.w, c.h)
	signs := 0.0 // protest signs only when the name suggests them
	if c.has("rally", "protest", "sign", "march", "cheer", "strike") {
		signs = 0.1
	}
	const rows = 5
	for r := range rows {
		t := float64(r) / (rows - 1)
		scale := 0.5 + t*0.9
		base := horizon + 70 + t*(c.h-horizon+10)
		haze := (1 - t) * 0.45
		for x := -c.between(0, 60*scale); x < c.w+60; x += c.between(64, 86) * scale {
			cloth := mix(clothColors[c.intn(len(clothColors))], s.bottom, haze)
			skin := mix(skinTones[c.intn(len(skinTones))], s.bottom, haze)
			hair := mix(rgb(0x2a211c), s.bottom, haze)
			sign := r > 0 && r < rows-1 && c.chance(signs)
			c.person(x+c.between(-8, 8)*scale, base+c.between(-10, 10)*scale, scale, cloth, skin, hair, sign)
		}
	}
}

// person draws one member of a crowd from the chest up.
func (c *canvas) person(x, base, s float64, cloth, skin, hair color.RGBA, sign bool) {
	if sign {
		c.line(rgb(0x7a5a3a), x+34*s, base-90*s, x+34*s, base-250*s, 6*s)
		board := mix(rgb(0xf6f1e4), cloth, 0.1)
		c.rect(board, x-20*s, base-320*s, x+90*s, base-240*s)
		c.rect(mix(cloth, black, 0.2), x-6*s, base-304*s, x+76*s, base-290*s)
		c.rect(mix(cloth, black, 0.2), x-6*s, base-278*s, x+50*s, base-266*s)
	}
	c.roundRect(cloth, x-40*s, base-112*s, x+40*s, base+60*s, 30*s)
	c.rect(skin, x-9*s, base-130*s, x+9*s, base-104*s)
	c.ellipse(skin, x, base-146*s, 23*s, 28*s)
	c.poly(hair, ellipsePts(x, base-150*s, 24*s, 26*s, math.Pi, 2*math.Pi)...)
}

// paintLandscape draws layered mountains and hills with a few pines.
func paintLandscape(c *canvas) {
	s := c.pickSky(false)
	c.paintSky(s, c.h, true)
	far := mix(s.bottom, rgb(0x6a7a9a), 0.35)
	near := []color.RGBA{rgb(0x2f4a3a), rgb(0x3a3f5a), rgb(0x41552e)}[c.intn(3)]
	const layers = 4
	for i := range layers {
		t := float64(i) / (layers - 1)
		pts := c.ridge(c.h*(0.5+0.4*t), c.h*(0.32-0.16*t), i < 2)
		pts = append(pts, c.w+2, c.h, -2, c.h)
		c.poly(mix(far, near, t), pts...)
	}
	pine := mix(near, black, 0.3)
	for i, n := 0, 4+c.intn(8); i < n; i++ {
		x, base, h := c.between(0, c.w), c.h*c.between(0.9, 1.02), c.between(70, 150)
		c.rect(rgb(0x3a2c22), x-3, base-h*0.2, x+3, base)
		for k := range 3 {
			y := base - h*0.15 - float64(k)*h*0.27
			w := h * (0.3 - 0.07*float64(k))
			c.poly(pine, x-w, y, x+w, y, x, y-h*0.4)
		}
	}
}

// ridge returns x,y points of a mountain ridge across the canvas, jagged or
// rolling.
func (c *canvas) ridge(base, amp float64, jagged bool) []float64 {
	const n = 64
	ys := make([]float64, n+1)
	if jagged {
		ys[0], ys[n] = c.between(0, 1), c.between(0, 1)
		for step := n; step > 1; step /= 2 {
			rough := float64(step) / n
			for i := step / 2; i < n; i += step {
				ys[i] = (ys[i-step/2]+ys[i+step/2])/2 + c.between(-0.5, 0.5)*math.Pow(rough, 0.85)*1.5
			}
		}
	} else {
		f1, f2, p1, p2 := c.between(1, 2.5), c.between(3, 6), c.between(0, 6), c.between(0, 6)
		for i := range ys {
			x := float64(i) / n * 2 * math.Pi
			ys[i] = 0.5 + 0.35*math.Sin(f1*x+p1) + 0.15*math.Sin(f2*x+p2)
		}
	}
	pts := make([]float64, 0, 2*(n+1))
	for i, y := range ys {
		pts = append(pts, c.w*float64(i)/n, base-amp*math.Max(0, math.Min(1.2, y)))
	}
	return pts
}

// paintWater draws a river or coast with a far shore, reflections and either
// a suspension bridge or sailboats.
func paintWater(c *canvas) {
	s := c.pickSky(true)
	horizon := c.h * c.between(0.5, 0.6)
	sx, _ := c.paintSky(s, horizon, true)
	shore := mix(s.bottom, rgb(0x3e4c5c), 0.55)
	if c.hint([]string{"city", "port", "condo", "downtown", "marina"}, []string{"hills", "river", "ocean", "pacific", "lake"}, 0.5) {
		c.skylineBand(shore, horizon+2, 10, 120, 18, 60)
	} else {
		pts := append(c.ridge(horizon+2, c.h*0.12, false), c.w, horizon+4, 0, horizon+4)
		c.poly(shore, pts...)
	}
	deep := []color.RGBA{rgb(0x1f4e6e), rgb(0x2a5d73), rgb(0x23405f)}[c.intn(3)]
	c.vgradRect(mix(s.bottom, deep, 0.45), deep, 0, horizon, c.w, c.h)
	for y := horizon + 4; y < c.h; y += 9 {
		w := c.between(14, 60) * (1 + (y-horizon)/(c.h-horizon))
		c.rect(fade(s.sun, 0.45), sx-w/2, y, sx+w/2, y+3)
	}
	for range 60 {
		y := horizon + (c.h-horizon)*math.Pow(c.rng.Float64(), 0.8)
		w := 12 + 90*(y-horizon)/(c.h-horizon)
		x := c.between(0, c.w)
		c.rect(fade(white, 0.18), x, y, x+w, y+2)
	}
	if c.hint([]string{"bridge", "port", "crossing"}, []string{"boat", "marina", "sail"}, 0.45) {
		c.bridge(mix(shore, black, 0.25), horizon)
	} else {
		for i, n := 0, 1+c.intn(3); i < n; i++ {
			c.sailboat(c.between(0.1, 0.9)*c.w, horizon+c.between(30, c.h-horizon-40), c.between(0.6, 1.3))
		}
	}
	if c.chance(0.5) {
		g := rgb(0x3b5a35)
		c.poly(g, 0, c.h, 0, c.h-c.between(60, 120), c.w*c.between(0.15, 0.3), c.h)
	}
}

// bridge draws a suspension bridge just above the horizon.
func (c *canvas) bridge(col color.RGBA, horizon float64) {
	deck := horizon - c.between(10, 40)
	t1, t2 := c.w*c.between(0.2, 0.32), c.w*c.between(0.68, 0.8)
	top := deck - c.between(130, 190)
	c.rect(col, -2, deck, c.w+2, deck+9)
	for _, tx := range []float64{t1, t2} {
		c.rect(col, tx-9, top, tx+9, horizon+14)
	}
	cable := func(x0, y0, x1, y1, sag float64) {
		var pts []float64
		for i := 0; i <= 40; i++ {
			t := float64(i) / 40
			pts = append(pts, x0+(x1-x0)*t, y0+(y1-y0)*t+sag*4*t*(1-t))
		}
		c.polyline(col, 3, pts...)
		for i := 2; i < 40; i += 2 {
			c.line(col, pts[2*i], pts[2*i+1], pts[2*i], deck, 1.5)
		}
	}
	cable(t1, top, t2, top, deck-top-14)
	cable(-40, deck-10, t1, top, (deck-top)*0.25)
	cable(t2, top, c.w+40, deck-10, (deck-top)*0.25)
}

// sailboat draws a small boat with two sails.
func (c *canvas) sailboat(x, y, s float64) {
	hull := []color.RGBA{rgb(0xb33a3a), rgb(0x2c3e50), rgb(0xf0ece2)}[c.intn(3)]
	c.poly(hull, x-60*s, y-12*s, x+60*s, y-12*s, x+44*s, y+6*s, x-44*s, y+6*s)
	c.line(rgb(0x4a3b30), x, y-12*s, x, y-150*s, 3*s)
	c.poly(rgb(0xfbf8f0), x+4*s, y-146*s, x+4*s, y-20*s, x+62*s, y-20*s)
	c.poly(mix(rgb(0xfbf8f0), hull, 0.3), x-4*s, y-130*s, x-4*s, y-20*s, x-48*s, y-20*s)
	c.rect(fade(black, 0.15), x-50*s, y+8*s, x+50*s, y+12*s)
}
