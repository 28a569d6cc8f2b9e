package pane

import "strings"

var sparkLevels = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws vals as one bar per value, scaled so the largest is a
// full block; at most w bars, the newest on the right.
func Sparkline(vals []float64, w int) string {
	if len(vals) > w {
		vals = vals[len(vals)-w:]
	}
	top := 0.0
	for _, v := range vals {
		top = max(top, v)
	}
	var b strings.Builder
	for _, v := range vals {
		if top == 0 || v <= 0 {
			b.WriteRune(' ')
			continue
		}
		i := int(v / top * float64(len(sparkLevels)-1))
		b.WriteRune(sparkLevels[min(max(i, 0), len(sparkLevels)-1)])
	}
	return b.String()
}
