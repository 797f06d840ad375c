package admin

import (
	"fmt"
	"strconv"
)

// Charts are drawn on the server as inline SVG: no script, and colours come
// from classes of admin.css, so the strict CSP (no style attribute) holds.
// The same figures are always in a table beside the chart, for screen
// readers and for copying.

const (
	chartW, chartH = 720, 220
	chartLeft      = 44 // room for the y axis labels
	chartBottom    = 24 // room for the x axis labels
)

// rect is one bar segment; Title is read by screen readers and shown on hover.
type rect struct {
	X, Y, W, H float64
	Class      string
	Title      string
}

type label struct {
	X, Y float64
	Text string
	// Anchor is the label's text-anchor class: "middle", "end", or "" for
	// start.
	Anchor string
}

type svgChart struct {
	W, H   int
	Bars   []rect
	XTicks []label
	YTicks []label
	Grid   []float64 // y of each horizontal grid line
	Base   float64   // y of the x axis
}

// dailyStack is the order bars stack in, bottom first, with the class that
// colours each action.
var dailyStack = []struct {
	action string
	get    func(statsDay) int
}{
	{"accept_all", func(d statsDay) int { return d.AcceptAll }},
	{"custom", func(d statsDay) int { return d.Custom }},
	{"reject_all", func(d statsDay) int { return d.RejectAll }},
	{"gpc", func(d statsDay) int { return d.GPC }},
	{"withdraw", func(d statsDay) int { return d.Withdraw }},
}

// niceMax rounds the tallest bar up to 1, 2 or 5 times a power of ten, so
// the y axis reads in round figures.
func niceMax(n int) int {
	if n <= 0 {
		return 1
	}
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if m*p >= n {
				return m * p
			}
		}
	}
}

// dailyChart stacks each day's choices by action.
func dailyChart(rows []statsDay) svgChart {
	c := svgChart{W: chartW, H: chartH, Base: chartH - chartBottom}
	top := 0
	for _, r := range rows {
		top = max(top, r.Choices)
	}
	top = niceMax(top)
	plotH := c.Base - 8
	for i := 0; i <= 4; i++ {
		y := c.Base - plotH*float64(i)/4
		c.Grid = append(c.Grid, y)
		v := top * i / 4
		if top%4 != 0 && i != 0 && i != 4 {
			continue // only round figures on the axis
		}
		c.YTicks = append(c.YTicks, label{X: chartLeft - 6, Y: y + 4, Text: strconv.Itoa(v)})
	}
	if len(rows) == 0 {
		return c
	}
	slot := float64(chartW-chartLeft) / float64(len(rows))
	w := max(slot*0.8, 1)
	for i, r := range rows {
		x := chartLeft + float64(i)*slot + (slot-w)/2
		y := c.Base
		for _, s := range dailyStack {
			n := s.get(r)
			if n == 0 {
				continue
			}
			h := plotH * float64(n) / float64(top)
			y -= h
			c.Bars = append(c.Bars, rect{X: x, Y: y, W: w, H: h, Class: "bar-" + s.action, Title: fmt.Sprintf("%s %s: %d", r.Day, s.action, n)})
		}
	}
	// First, middle and last day under the axis: enough to read the period.
	// The first starts at its bar's left edge and the last ends at its bar's
	// right edge, so neither runs past the chart, however narrow the bars.
	last := len(rows) - 1
	c.XTicks = append(c.XTicks,
		label{X: chartLeft + (slot-w)/2, Y: chartH - 6, Text: rows[0].Day},
		label{X: chartLeft + (float64(last/2)+0.5)*slot, Y: chartH - 6, Text: rows[last/2].Day, Anchor: "middle"},
		label{X: chartLeft + float64(last)*slot + (slot+w)/2, Y: chartH - 6, Text: rows[last].Day, Anchor: "end"})
	return c
}

type svgBars struct {
	W, H int
	Bars []rect
	Text []label
}

// rateBars draws one horizontal bar per category, its length the opt-in
// rate, with the name on the left and the rate on the right.
func rateBars(cats []statsCat) svgBars {
	const rowH, left, barMax = 28, 200, 440
	b := svgBars{W: chartW, H: rowH*len(cats) + 8}
	for i, c := range cats {
		y := float64(4 + i*rowH)
		b.Text = append(b.Text, label{X: left - 8, Y: y + 17, Text: c.Name})
		b.Bars = append(b.Bars, rect{X: left, Y: y + 4, W: barMax, H: rowH - 10, Class: "bar-track", Title: c.Name})
		if c.Asked > 0 {
			w := barMax * float64(c.Granted) / float64(c.Asked)
			b.Bars = append(b.Bars, rect{X: left, Y: y + 4, W: w, H: rowH - 10, Class: "bar-rate", Title: c.Name + ": " + c.Rate})
		}
		rate := c.Rate
		if rate == "" {
			rate = "—"
		}
		b.Text = append(b.Text, label{X: left + barMax + 8, Y: y + 17, Text: rate})
	}
	return b
}
