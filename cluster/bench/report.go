package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// Series is one measured quantity: a rate and a latency distribution.
// Latencies are in milliseconds.
type Series struct {
	Name   string  `json:"name"`
	Count  uint64  `json:"count"`
	PerSec float64 `json:"per_sec"`
	Mean   float64 `json:"mean_ms"`
	P50    float64 `json:"p50_ms"`
	P90    float64 `json:"p90_ms"`
	P99    float64 `json:"p99_ms"`
	P999   float64 `json:"p999_ms"`
	Max    float64 `json:"max_ms"`
}

func ms(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

// series summarises h; PerSec is its count over the measured time.
func series(name string, h *Histogram, over time.Duration) Series {
	s := Series{Name: name, Count: h.Count(), Mean: ms(h.Mean()), P50: ms(h.Quantile(0.5)),
		P90: ms(h.Quantile(0.9)), P99: ms(h.Quantile(0.99)), P999: ms(h.Quantile(0.999)), Max: ms(h.Max())}
	if over > 0 {
		s.PerSec = math.Round(float64(h.Count())/over.Seconds()*10) / 10
	}
	return s
}

func sortSamples(s []MemSample) {
	sort.Slice(s, func(i, j int) bool {
		if s[i].Source != s[j].Source {
			return s[i].Source < s[j].Source
		}
		return s[i].Key < s[j].Key
	})
}

// WriteJSON writes the reports as one JSON document.
func WriteJSON(w io.Writer, reports ...*Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"reports": reports})
}

// WriteText prints each report as a table and, for two reports (--compare),
// the second's figures as ratios of the first's: above 1 means more
// throughput or more latency.
func WriteText(w io.Writer, reports ...*Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	for i, r := range reports {
		label := string(rune('A' + i))
		fmt.Fprintf(tw, "== %s: %s\n   %s\n   %d clients, %gs measured after %gs warm-up, %d-byte data; host: %d cpus, load %s\n",
			label, r.Servers, r.Version, r.Clients, r.Duration, r.Warmup, r.Size, r.Host.CPUs, r.Host.LoadAvg)
		fmt.Fprintln(tw, "workload\tseries\tcount\tper s\tp50 ms\tp99 ms\tp99.9 ms\tmax ms\terrors\t")
		for _, res := range r.Results {
			errs := int64(0)
			for _, n := range res.Errors {
				errs += n
			}
			for _, s := range res.Series {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%.1f\t%.3f\t%.3f\t%.3f\t%.3f\t%d\t\n",
					res.Workload, s.Name, s.Count, s.PerSec, s.P50, s.P99, s.P999, s.Max, errs)
			}
		}
		tw.Flush()
		for _, res := range r.Results {
			writeDetails(w, res)
		}
		fmt.Fprintln(w)
	}
	if len(reports) == 2 {
		writeRatios(w, reports[0], reports[1])
	}
	return tw.Flush()
}

// writeDetails prints a workload's memory table, errors and notes.
func writeDetails(w io.Writer, res Result) {
	if len(res.Memory) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "memory: source\tkey\tbefore\tafter\tdelta\tper znode\t")
		for _, m := range res.Memory {
			fmt.Fprintf(tw, "%s\t%s\t%.0f\t%.0f\t%.0f\t%.1f\t\n", m.Source, m.Key, m.Before, m.After, m.Delta, m.PerZnode)
		}
		tw.Flush()
	}
	keys := make([]string, 0, len(res.Errors))
	for e := range res.Errors {
		keys = append(keys, e)
	}
	sort.Strings(keys)
	for _, e := range keys {
		fmt.Fprintf(w, "%s: error %q x%d\n", res.Workload, e, res.Errors[e])
	}
	for _, n := range res.Notes {
		fmt.Fprintf(w, "%s: %s\n", res.Workload, n)
	}
}

// writeRatios prints B/A for every series both reports have.
func writeRatios(w io.Writer, a, b *Report) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "== B / A\nworkload\tseries\tper s\tp50\tp99\tp99.9\t")
	for _, rb := range b.Results {
		for _, sb := range rb.Series {
			sa, ok := find(a, rb.Workload, sb.Name)
			if !ok {
				continue
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", rb.Workload, sb.Name,
				ratio(sb.PerSec, sa.PerSec), ratio(sb.P50, sa.P50), ratio(sb.P99, sa.P99), ratio(sb.P999, sa.P999))
		}
	}
	tw.Flush()
}

func find(r *Report, workload, name string) (Series, bool) {
	for _, res := range r.Results {
		if res.Workload != workload {
			continue
		}
		for _, s := range res.Series {
			if s.Name == name {
				return s, true
			}
		}
	}
	return Series{}, false
}

func ratio(b, a float64) string {
	if a == 0 {
		return "-"
	}
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", b/a), "0"), ".") + "x"
}
