package admin

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
)

// Charts are drawn on the server as SVG: no script, no library, and the
// numbers are in the page for screen readers (<title>, <desc>) and tests
// (data-value). The viewBox scales them to any width; colours come from
// classes in dashboard.css, since the CSP allows no inline styles.

// Chart geometry in viewBox units. A chart is drawn about as wide as it
// shows on a desktop, so that its labels come out near their 11 px.
const (
	chartW, wideChartW = 560.0, 1000.0
	chartH             = 220.0
	padL, padR         = 44.0, 12.0
	padT, padB         = 14.0, 28.0
)

// series is one line of a line chart.
type series struct {
	Name   string
	Values []int
}

// chart is a chart's words: its ID (for aria-labelledby), title,
// description and one label per point along the x axis.
type chart struct {
	ID, Title, Desc string
	Labels          []string
	Wide            bool // spans the page rather than half of it
}

// width is the chart's width in viewBox units.
func (c chart) width() float64 {
	if c.Wide {
		return wideChartW
	}
	return chartW
}

func esc(s string) string { return template.HTMLEscapeString(s) }

func num(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// open starts the svg element with its accessible name and the y axis
// scaled to top.
func (c chart) open(b *strings.Builder, class string, top int) {
	fmt.Fprintf(b, `<svg class="chart %s" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-title %s-desc" data-max="%d">`,
		class, int(c.width()), int(chartH), esc(c.ID), esc(c.ID), top)
	fmt.Fprintf(b, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, esc(c.ID), esc(c.Title), esc(c.ID), esc(c.Desc))
	for _, v := range []int{0, top / 2, top} {
		y := yOf(v, top)
		fmt.Fprintf(b, `<line class="grid" x1="%s" x2="%s" y1="%s" y2="%s"/>`, num(padL), num(c.width()-padR), num(y), num(y))
		fmt.Fprintf(b, `<text class="axis" x="%s" y="%s" text-anchor="end">%d</text>`, num(padL-6), num(y+4), v)
	}
}

// xLabels writes the labels under the plot: each of a few, or the first,
// middle and last of many.
func (c chart) xLabels(b *strings.Builder, xOf func(i int) float64) {
	n := len(c.Labels)
	if n == 0 {
		return
	}
	if n <= 8 { // few points: label each
		for i, l := range c.Labels {
			fmt.Fprintf(b, `<text class="axis" x="%s" y="%s" text-anchor="middle">%s</text>`, num(xOf(i)), num(chartH-8), esc(l))
		}
		return
	}
	for k, i := range []int{0, n / 2, n - 1} {
		anchor := [...]string{"start", "middle", "end"}[k]
		fmt.Fprintf(b, `<text class="axis" x="%s" y="%s" text-anchor="%s">%s</text>`, num(xOf(i)), num(chartH-8), anchor, esc(c.Labels[i]))
	}
}

// niceTop rounds a maximum up to a round, even number for the axis (its
// middle line sits at half of it), at least 2.
func niceTop(max int) int {
	step := 1
	for step*10 < max {
		step *= 10
	}
	for _, m := range []int{2, 4, 6, 8, 10} {
		if step*m >= max {
			return step * m
		}
	}
	return step * 10
}

func yOf(v, top int) float64 {
	return padT + (chartH-padT-padB)*(1-float64(v)/float64(top))
}

// lineChart draws one line per series over c.Labels.
func lineChart(c chart, lines []series) template.HTML {
	var b strings.Builder
	peak := 0
	for _, s := range lines {
		for _, v := range s.Values {
			peak = max(peak, v)
		}
	}
	top := niceTop(peak)
	n := len(c.Labels)
	xOf := func(i int) float64 {
		if n < 2 {
			return padL
		}
		return padL + (c.width()-padL-padR)*float64(i)/float64(n-1)
	}
	c.open(&b, "line", top)
	for k, s := range lines {
		var pts []string
		for i, v := range s.Values {
			pts = append(pts, num(xOf(i))+","+num(yOf(v, top)))
		}
		last := 0
		if len(s.Values) > 0 {
			last = s.Values[len(s.Values)-1]
		}
		fmt.Fprintf(&b, `<polyline class="series s%d" fill="none" points="%s" data-series="%s" data-value="%d"><title>%s: %d</title></polyline>`,
			k%8, strings.Join(pts, " "), esc(s.Name), last, esc(s.Name), last)
	}
	c.xLabels(&b, xOf)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// barChart draws a group of bars per label, one bar per series, each
// with its value above it.
func barChart(c chart, groups []series) template.HTML {
	var b strings.Builder
	peak := 0
	for _, s := range groups {
		for _, v := range s.Values {
			peak = max(peak, v)
		}
	}
	top := niceTop(peak)
	n := max(len(c.Labels), 1)
	slot := (c.width() - padL - padR) / float64(n)
	bar := slot * 0.7 / float64(max(len(groups), 1))
	xOf := func(i int) float64 { return padL + slot*(float64(i)+0.5) }
	c.open(&b, "bar", top)
	for k, s := range groups {
		for i, v := range s.Values {
			if i >= len(c.Labels) {
				break
			}
			x, y := xOf(i)-slot*0.35+bar*float64(k), yOf(v, top)
			fmt.Fprintf(&b, `<rect class="bar s%d" x="%s" y="%s" width="%s" height="%s" data-series="%s" data-label="%s" data-value="%d"><title>%s, %s: %d</title></rect>`,
				k%8, num(x), num(y), num(bar), num(chartH-padB-y), esc(s.Name), esc(c.Labels[i]), v, esc(c.Labels[i]), esc(s.Name), v)
			fmt.Fprintf(&b, `<text class="value" x="%s" y="%s" text-anchor="middle">%d</text>`, num(x+bar/2), num(y-4), v)
		}
	}
	c.xLabels(&b, xOf)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
