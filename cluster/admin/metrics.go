package admin

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"coordtui/cluster"
)

// serveMetrics writes the Prometheus text format (version 0.0.4). Metric
// names are those of ZooKeeper's Prometheus provider — mntr's keys
// without "zk_" — so dashboards built for ZooKeeper read coordtui; the
// read and update latencies are summaries in milliseconds with count and
// sum only (coordtui keeps no quantiles). coordtui's own metrics start with
// "coordtui_". While the member is down only coordtui_up (0) is written.
func (h *Handler) serveMetrics(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	p := &promWriter{w: w}
	s := h.server()
	if s == nil {
		p.gauge("coordtui_up", "Whether the member is running.", 1, 0)
		p.extra(h)
		return
	}
	p.gauge("coordtui_up", "Whether the member is running.", 1, 1)
	var info []string
	for _, v := range s.Monitor() {
		switch x := v.Value.(type) {
		case string:
			info = append(info, v.Key+"="+strconv.Quote(x))
		case int64:
			p.monitorValue(v.Key, float64(x))
		case float64:
			p.monitorValue(v.Key, x)
		}
	}
	fmt.Fprintf(p.w, "# HELP coordtui_server_info The member's version and state, as labels.\n# TYPE coordtui_server_info gauge\n")
	fmt.Fprintf(p.w, "coordtui_server_info{%s} 1\n", strings.Join(info, ","))
	st := s.Stats()
	p.summary("readlatency", "Latency of requests without a transaction, in milliseconds.", st.ReadLatency)
	p.summary("updatelatency", "Latency of requests that went through the log, in milliseconds.", st.UpdateLatency)
	counters := s.Node().Counters()
	byOp := counters.RequestsByOp()
	ops := make([]string, 0, len(byOp))
	values := map[string]uint64{}
	for op, n := range byOp {
		ops = append(ops, op.String())
		values[op.String()] = n
	}
	sort.Strings(ops)
	fmt.Fprintf(p.w, "# HELP coordtui_requests_total Requests this member took, by ZooKeeper opcode name.\n# TYPE coordtui_requests_total counter\n")
	for _, op := range ops {
		fmt.Fprintf(p.w, "coordtui_requests_total{op=%q} %d\n", op, values[op])
	}
	p.gauge("coordtui_watch_notifications_total", "Watch events this member sent.", 0, float64(counters.Notifications()))
	p.extra(h)
}

// promWriter writes metric families, each name once.
type promWriter struct {
	w io.Writer
}

// gauge writes one family; kind 0 is a counter, 1 a gauge.
func (p *promWriter) gauge(name, help string, kind int, v float64) {
	typ := "gauge"
	if kind == 0 {
		typ = "counter"
	}
	fmt.Fprintf(p.w, "# HELP %s %s\n# TYPE %s %s\n%s %s\n", name, help, name, typ, name, promFloat(v))
}

// monitorValue writes one numeric mntr value. The summaries' pieces are
// left to summary; every other value is a gauge, as in ZooKeeper.
func (p *promWriter) monitorValue(key string, v float64) {
	for _, s := range []string{"readlatency", "updatelatency"} {
		if strings.HasSuffix(key, "_"+s) {
			return
		}
	}
	fmt.Fprintf(p.w, "# TYPE %s gauge\n%s %s\n", key, key, promFloat(v))
}

func (p *promWriter) summary(name, help string, l cluster.LatencyStats) {
	fmt.Fprintf(p.w, "# HELP %s %s\n# TYPE %s summary\n%s_sum %s\n%s_count %d\n", name, help, name,
		name, promFloat(float64(l.Sum.Microseconds())/1000), name, l.Count)
}

// extra writes what the admin server itself knows: the event stream.
func (p *promWriter) extra(h *Handler) {
	if h.cfg.Events != nil {
		p.gauge("coordtui_events_published_total", "Events published on the bus this API streams.", 0, float64(h.cfg.Events.Published()))
	}
	p.gauge("coordtui_event_streams", "Event streams open on this API.", 1, float64(h.sse.open.Load()))
	p.gauge("coordtui_event_stream_dropped_total", "Events this API's streams lost to slow clients.", 0, float64(h.sse.dropped.Load()))
}

func promFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
