package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"coordtui/cluster/zk"
)

// mixReads is the share of reads in the mix workload: 70/30, the ZooKeeper
// paper's Figure 8 (30% writes).
const mixReads = 0.7

// opTimeout bounds one request, so a dead server shows as errors and the
// run still ends on time.
const opTimeout = 5 * time.Second

// window is the measured part of a run: operations that start before from
// (warm-up) or end after to are discarded.
type window struct{ from, to time.Time }

func (w window) holds(start, end time.Time) bool { return !start.Before(w.from) && !end.After(w.to) }

// worker's tallies, merged when the run ends.
type tally struct {
	hists map[string]*Histogram
	errs  map[string]int64
}

func newTally() *tally { return &tally{hists: map[string]*Histogram{}, errs: map[string]int64{}} }

func (t *tally) record(op string, d time.Duration) {
	h := t.hists[op]
	if h == nil {
		h = NewHistogram()
		t.hists[op] = h
	}
	h.Record(d)
}

func (t *tally) merge(o *tally) {
	for op, h := range o.hists {
		if t.hists[op] == nil {
			t.hists[op] = NewHistogram()
		}
		t.hists[op].Merge(h)
	}
	for e, n := range o.errs {
		t.errs[e] += n
	}
}

// loop runs one closed-loop workload: every client issues one request at a
// time, as fast as the ensemble answers, for the warm-up and the measured
// duration.
func (b *bench) loop(ctx context.Context, name string) (Result, error) {
	dir := join(b.cfg.Root, name)
	if err := b.mkdir(ctx, dir); err != nil {
		return Result{}, err
	}
	defer b.deleteTree(context.WithoutCancel(ctx), dir)
	own := make([]string, len(b.clients))
	for i := range b.clients {
		own[i] = join(dir, fmt.Sprintf("c%04d", i))
		if _, err := b.admin.Create(ctx, own[i], b.data, zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil {
			return Result{}, err
		}
	}
	if err := b.syncAll(ctx, dir); err != nil {
		return Result{}, err
	}
	start := time.Now()
	w := window{from: start.Add(b.cfg.Warmup)}
	w.to = w.from.Add(b.cfg.Duration)
	tallies := make([]*tally, len(b.clients))
	var wg sync.WaitGroup
	for i, c := range b.clients {
		tallies[i] = newTally()
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.drive(ctx, c, name, own[i], w, tallies[i], rand.New(rand.NewPCG(uint64(i), 7)))
		}()
	}
	wg.Wait()
	total := newTally()
	for _, t := range tallies {
		total.merge(t)
	}
	r := Result{Workload: name, Errors: total.errs}
	for _, op := range []string{"create", "setData", "getData"} {
		if h := total.hists[op]; h != nil {
			r.Series = append(r.Series, series(op, h, b.cfg.Duration))
		}
	}
	if name == "mix" {
		all := NewHistogram()
		for _, h := range total.hists {
			all.Merge(h)
		}
		r.Series = append(r.Series, series(fmt.Sprintf("mix %.0f/%.0f", mixReads*100, (1-mixReads)*100), all, b.cfg.Duration))
	}
	if err := ctx.Err(); err != nil {
		return r, err
	}
	return r, nil
}

// drive is one client's loop.
func (b *bench) drive(ctx context.Context, c *zk.Client, name, own string, w window, t *tally, rng *rand.Rand) {
	fixed := map[string]string{"create": "create", "set": "setData", "get": "getData"}[name]
	for ctx.Err() == nil {
		op := fixed
		if name == "mix" {
			op = "setData"
			if rng.Float64() < mixReads {
				op = "getData"
			}
		}
		rctx, cancel := context.WithTimeout(ctx, opTimeout)
		t0 := time.Now()
		var err error
		switch op {
		case "create":
			_, err = c.Create(rctx, own+"/n-", b.data, zk.WorldACL(zk.PermAll), zk.ModePersistentSequential)
		case "setData":
			_, err = c.Set(rctx, own, b.data, -1)
		default:
			_, _, err = c.Get(rctx, own)
		}
		t1 := time.Now()
		cancel()
		if t0.After(w.to) {
			return
		}
		if !w.holds(t0, t1) {
			continue
		}
		if err != nil {
			t.errs[err.Error()]++
			continue
		}
		t.record(op, t1.Sub(t0))
	}
}
