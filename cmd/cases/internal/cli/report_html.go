package cli

import (
	"fmt"
	"html"
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/casesproject/cases/casefile/report"
)

// The HTML report is one self-contained page: its style is inline and its
// charts are inline SVG drawn here, so it shows the same offline, attached
// to an email or printed, and fetches nothing (no scripts at all). Charts
// never draw a withheld figure; they mark it.

var reportPage = template.Must(template.New("report").Funcs(template.FuncMap{
	"chart": chartSVG,
	"value": formatValue,
	"note":  suppressionNote,
	"scope": scopeLine,
	"supp":  hasSuppression,
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Program report {{.From}} to {{.To}}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #d0d7de; padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { font-size: 1.05rem; margin: 1.8rem 0 .3rem; }
p.desc { color: #57606a; font-size: .9rem; margin: 0 0 .6rem; }
table { border-collapse: collapse; font-size: .9rem; margin: .4rem 0 .8rem; }
th, td { padding: .2rem .7rem; border-bottom: 1px solid #d0d7de; }
th { text-align: left; background: #f6f8fa; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 600; }
td.withheld { color: #9a6700; }
.fig { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
svg.chart { max-width: 100%; height: auto; }
svg.chart text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 12px; fill: #1f2328; }
footer, .note { color: #57606a; font-size: .85rem; }
@media print { h2 { break-before: page; } .fig { break-inside: avoid; } }
</style>
</head>
<body>
<h1>Program report</h1>
<p>{{scope .}} Figures are computed from the case documents; each has an id (shown on hover) that <code>cases report --explain ID</code> traces to the cases behind it.</p>
{{range .Sections}}
<section id="{{.ID}}">
<h2>{{.Title}}</h2>
{{range .Tables}}{{$t := .}}
<h3 id="{{.ID}}">{{.Title}}</h3>
<p class="desc">{{.Description}}</p>
<div class="fig">
<table>
<thead><tr><th>{{.RowHeader}}</th>{{range .Columns}}<th>{{.Label}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr{{if .Total}} class="total"{{end}}><td>{{.Label}}</td>{{range $j, $c := .Cells}}<td class="n{{if $c.Suppressed}} withheld{{end}}" title="{{$c.Figure}}">{{value $c (index $t.Columns $j).Unit}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
{{chart .}}
</div>
{{end}}
{{if supp .}}<p class="note">{{note $}}</p>{{end}}
</section>
{{end}}
<footer><p>Made by cases report on {{.Today}}.</p></footer>
</body>
</html>
`))

func writeReportHTML(w io.Writer, rep *report.Report) error {
	return reportPage.Execute(w, rep)
}

var palette = []string{"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"}

// seriesColors give series whose meaning has a colour that colour: better
// is green, worse red, risk from green to red.
var seriesColors = map[string]string{
	"improved": "#59a14f", "same": "#bab0ac", "worse": "#e15759",
	"low": "#59a14f", "moderate": "#edc948", "high": "#f28e2b", "critical": "#e15759",
	"sent": "#bab0ac", "accepted": "#4e79a7", "completed": "#59a14f", "declined": "#e15759", "no-show": "#f28e2b",
	"intensive": "#e15759", "targeted": "#f28e2b", "supportive": "#edc948", "self-directed": "#59a14f",
}

// seriesColor is the colour of the k-th series of a chart, column id.
func seriesColor(id string, k int) string {
	if c, ok := seriesColors[id]; ok {
		return c
	}
	return palette[k%len(palette)]
}

// chartSVG draws a table's chart, or nothing when it has none or nothing
// to draw.
func chartSVG(t *report.Table) template.HTML {
	if t.Chart == nil {
		return ""
	}
	var s string
	switch t.Chart.Kind {
	case "bar":
		s = barChart(t)
	case "stacked":
		s = stackedChart(t)
	case "trend":
		s = trendChart(t)
	}
	return template.HTML(s)
}

func column(t *report.Table, id string) int {
	return slices.IndexFunc(t.Columns, func(c report.Column) bool { return c.ID == id })
}

func esc(s string) string { return html.EscapeString(s) }

func f1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// chartRows are the rows a chart draws: not the totals.
func chartRows(t *report.Table) []*report.Row {
	var out []*report.Row
	for _, r := range t.Rows {
		if !r.Total {
			out = append(out, r)
		}
	}
	return out
}

func svgOpen(b *strings.Builder, t *report.Table, w, h int) {
	fmt.Fprintf(b, `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-title"><title id="%s-title">%s</title>`,
		w, h, w, h, esc(t.ID), esc(t.ID), esc(t.Title))
	fmt.Fprintf(b, `<rect width="%d" height="%d" fill="#ffffff"/>`, w, h)
}

// barChart draws one column as horizontal bars, one per row, with a
// reference line when the chart has one.
func barChart(t *report.Table) string {
	j := column(t, t.Chart.Columns[0])
	rows := chartRows(t)
	if j < 0 || len(rows) == 0 {
		return ""
	}
	unit := t.Columns[j].Unit
	top := 0.0
	for _, r := range rows {
		if v := r.Cells[j].Value; v != nil && !r.Cells[j].Suppressed {
			top = math.Max(top, *v)
		}
	}
	if ref := t.Chart.Reference; ref != nil {
		top = math.Max(top, *ref)
	}
	if unit == report.UnitShare {
		top = math.Max(top, 1)
	}
	if top == 0 {
		top = 1
	}
	const labelW, barW, valueW, rowH, pad = 150, 300, 70, 22, 24
	w, h := labelW+barW+valueW, pad+len(rows)*rowH+pad
	var b strings.Builder
	svgOpen(&b, t, w, h)
	for i, r := range rows {
		y := pad + i*rowH
		c := r.Cells[j]
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, labelW-8, y+15, esc(truncate(r.Label, 22)))
		switch {
		case c.Suppressed:
			fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#9a6700">* withheld</text>`, labelW+4, y+15)
		case c.Value == nil:
			fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#57606a">-</text>`, labelW+4, y+15)
		default:
			bw := *c.Value / top * barW
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%s" height="%d" fill="%s"><title>%s: %s</title></rect>`, labelW, y+3, f1(bw), rowH-6, palette[0], esc(c.Figure), esc(formatValue(c, unit)))
			fmt.Fprintf(&b, `<text x="%s" y="%d">%s</text>`, f1(float64(labelW)+bw+4), y+15, esc(formatValue(c, unit)))
		}
	}
	if ref := t.Chart.Reference; ref != nil {
		x := float64(labelW) + *ref/top*barW
		fmt.Fprintf(&b, `<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="#cf222e" stroke-width="1.5" stroke-dasharray="4 3"/>`, f1(x), pad-6, f1(x), h-pad+6)
		fmt.Fprintf(&b, `<text x="%s" y="%d" text-anchor="middle" fill="#cf222e">%s</text>`, f1(x), pad-10, esc(t.Chart.ReferenceLabel))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// stackedChart draws each row as a bar split into the shares of its
// columns, with a legend. A row with a withheld figure is marked, not
// drawn.
func stackedChart(t *report.Table) string {
	rows := chartRows(t)
	if len(rows) == 0 {
		return ""
	}
	cols := make([]int, 0, len(t.Chart.Columns))
	for _, id := range t.Chart.Columns {
		if j := column(t, id); j >= 0 {
			cols = append(cols, j)
		}
	}
	const labelW, barW, rowH, pad, legendH = 150, 360, 22, 10, 24
	w, h := labelW+barW+20, legendH+pad+len(rows)*rowH+pad
	var b strings.Builder
	svgOpen(&b, t, w, h)
	x := labelW
	for k, j := range cols {
		fmt.Fprintf(&b, `<rect x="%d" y="6" width="10" height="10" fill="%s"/><text x="%d" y="15">%s</text>`, x, seriesColor(t.Columns[j].ID, k), x+14, esc(t.Columns[j].Label))
		x += 24 + 7*len(t.Columns[j].Label)
	}
	for i, r := range rows {
		y := legendH + pad + i*rowH
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, labelW-8, y+15, esc(truncate(r.Label, 22)))
		total, withheld := 0.0, false
		for _, j := range cols {
			c := r.Cells[j]
			if c.Suppressed {
				withheld = true
			} else if c.Value != nil {
				total += *c.Value
			}
		}
		switch {
		case withheld:
			fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#9a6700">* withheld</text>`, labelW+4, y+15)
			continue
		case total == 0:
			fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#57606a">none</text>`, labelW+4, y+15)
			continue
		}
		x := float64(labelW)
		for k, j := range cols {
			c := r.Cells[j]
			if c.Value == nil || *c.Value == 0 {
				continue
			}
			bw := *c.Value / total * barW
			fmt.Fprintf(&b, `<rect x="%s" y="%d" width="%s" height="%d" fill="%s"><title>%s: %s</title></rect>`, f1(x), y+3, f1(bw), rowH-6, seriesColor(t.Columns[j].ID, k), esc(c.Figure), esc(formatValue(c, t.Columns[j].Unit)))
			x += bw
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// trendChart draws each column as a line over the rows (months).
func trendChart(t *report.Table) string {
	rows := chartRows(t)
	if len(rows) == 0 {
		return ""
	}
	const left, right, top, bottom, w, h = 40, 40, 30, 40, 560, 240
	plotW, plotH := float64(w-left-right), float64(h-top-bottom)
	maxV := 1.0
	for _, r := range rows {
		for _, id := range t.Chart.Columns {
			if j := column(t, id); j >= 0 && r.Cells[j].Value != nil {
				maxV = math.Max(maxV, *r.Cells[j].Value)
			}
		}
	}
	step := niceStep(maxV)
	maxV = math.Ceil(maxV/step) * step
	var b strings.Builder
	svgOpen(&b, t, w, h)
	for v := 0.0; v <= maxV+step/2; v += step {
		y := float64(top) + plotH - v/maxV*plotH
		fmt.Fprintf(&b, `<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="#d0d7de"/><text x="%d" y="%s" text-anchor="end">%s</text>`, left, f1(y), w-right, f1(y), left-6, f1(y+4), strconv.FormatFloat(v, 'f', -1, 64))
	}
	xAt := func(i int) float64 {
		if len(rows) == 1 {
			return float64(left) + plotW/2
		}
		return float64(left) + float64(i)/float64(len(rows)-1)*plotW
	}
	every := max(1, (len(rows)+5)/6)
	for i, r := range rows {
		if i%every == 0 || i == len(rows)-1 {
			fmt.Fprintf(&b, `<text x="%s" y="%d" text-anchor="middle">%s</text>`, f1(xAt(i)), h-bottom+18, esc(r.Label))
		}
	}
	lx := left
	for k, id := range t.Chart.Columns {
		j := column(t, id)
		if j < 0 {
			continue
		}
		color := seriesColor(id, k)
		var pts []string
		for i, r := range rows {
			if c := r.Cells[j]; c.Value != nil && !c.Suppressed {
				y := float64(top) + plotH - *c.Value/maxV*plotH
				pts = append(pts, f1(xAt(i))+","+f1(y))
				fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3" fill="%s"><title>%s: %s</title></circle>`, f1(xAt(i)), f1(y), color, esc(c.Figure), esc(formatValue(c, t.Columns[j].Unit)))
			}
		}
		if len(pts) > 1 {
			fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.Join(pts, " "), color)
		}
		fmt.Fprintf(&b, `<rect x="%d" y="8" width="10" height="10" fill="%s"/><text x="%d" y="17">%s</text>`, lx, color, lx+14, esc(t.Columns[j].Label))
		lx += 24 + 7*len(t.Columns[j].Label)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// niceStep picks a round gridline step for values up to maxV.
func niceStep(maxV float64) float64 {
	raw := maxV / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*mag {
			return math.Max(1, m*mag)
		}
	}
	return math.Max(1, 10*mag)
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
