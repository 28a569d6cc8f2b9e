package bench

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"coordtui/cluster/zk"
)

// roundTimeout bounds one fan-out round: every watcher notified and
// re-armed.
const roundTimeout = 30 * time.Second

// stallAfter marks a round as stalled. Apache ZooKeeper 3.8 followers were
// seen holding a read's reply until the session's next ping (timeout/3
// later); such rounds are counted in a note.
const stallAfter = time.Second

// round is what one write to the hot znode caused.
type round struct {
	send, ack time.Time
	notified  []time.Time // per watcher: when its event arrived
	reread    []time.Time // per watcher: when its re-read (which re-arms the watch) returned
}

// watch measures fan-out: every client watches one hot znode with
// getData; a separate session writes it; each watcher, on its event,
// reads the znode again, which also re-arms its watch (the herd). A round
// ends when every watcher has re-read. Rounds repeat for the warm-up and
// the measured duration; a round counts if its write was sent inside the
// measured window.
func (b *bench) watch(ctx context.Context) (Result, error) {
	hot := join(join(b.cfg.Root, "watch"), "hot")
	if err := b.mkdir(ctx, hot); err != nil {
		return Result{}, err
	}
	defer b.deleteTree(context.WithoutCancel(ctx), join(b.cfg.Root, "watch"))
	if err := b.syncAll(ctx, hot); err != nil {
		return Result{}, err
	}
	n := len(b.clients)
	chans := make([]<-chan zk.WatchEvent, n)
	if err := b.arm(ctx, hot, chans); err != nil {
		return Result{}, err
	}
	start := time.Now()
	w := window{from: start.Add(b.cfg.Warmup)}
	w.to = w.from.Add(b.cfg.Duration)
	names := []string{"write ack", "notify from send", "notify from ack", "last notify from send", "herd: all re-read"}
	h := map[string]*Histogram{}
	for _, name := range names {
		h[name] = NewHistogram()
	}
	beforeAck, rounds, stalls := 0, 0, 0
	var longest time.Duration
	// A stalled round can outlast the window: then one more is run, so the
	// measured part is never empty.
	for (time.Now().Before(w.to) || rounds == 0) && ctx.Err() == nil {
		r, err := b.fanOut(ctx, hot, chans)
		if err != nil {
			return Result{}, err
		}
		if d := maxTime(r.ack, r.reread...).Sub(r.send); d > stallAfter {
			stalls++
			longest = max(longest, d)
		}
		if r.send.Before(w.from) {
			continue
		}
		rounds++
		h["write ack"].Record(r.ack.Sub(r.send))
		last, herd := r.send, r.send
		for i := range r.notified {
			h["notify from send"].Record(r.notified[i].Sub(r.send))
			if r.notified[i].Before(r.ack) {
				beforeAck++
			}
			h["notify from ack"].Record(r.notified[i].Sub(r.ack))
			last, herd = maxTime(last, r.notified[i]), maxTime(herd, r.reread[i])
		}
		h["last notify from send"].Record(last.Sub(r.send))
		h["herd: all re-read"].Record(herd.Sub(r.send))
	}
	res := Result{Workload: "watch", Notes: []string{
		fmt.Sprintf("%d watchers, %d measured rounds; per-round series count rounds, notify series count deliveries", n, rounds),
		fmt.Sprintf("%d deliveries arrived before the writer's ack (counted as 0 in notify from ack)", beforeAck),
	}}
	if stalls > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d rounds, warm-up included, took over %v (longest %v)",
			stalls, stallAfter, longest.Round(time.Millisecond)))
	}
	for _, name := range names {
		res.Series = append(res.Series, series(name, h[name], b.cfg.Duration))
	}
	return res, ctx.Err()
}

// arm leaves a getData watch on hot for every client.
func (b *bench) arm(ctx context.Context, hot string, chans []<-chan zk.WatchEvent) error {
	errs := make([]error, len(b.clients))
	var wg sync.WaitGroup
	for i, c := range b.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, chans[i], errs[i] = c.GetW(ctx, hot)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// fanOut writes hot once and waits for every watcher to be notified and to
// have re-read (and so re-armed) it.
func (b *bench) fanOut(ctx context.Context, hot string, chans []<-chan zk.WatchEvent) (round, error) {
	ctx, cancel := context.WithTimeout(ctx, roundTimeout)
	defer cancel()
	n := len(b.clients)
	r := round{notified: make([]time.Time, n), reread: make([]time.Time, n)}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, c := range b.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case ev := <-chans[i]:
				r.notified[i] = time.Now()
				if ev.Type != zk.EventNodeDataChanged {
					errs[i] = fmt.Errorf("watcher %d got %v", i, ev)
					return
				}
			case <-ctx.Done():
				errs[i] = fmt.Errorf("watcher %d: no event: %w", i, ctx.Err())
				return
			}
			_, _, chans[i], errs[i] = c.GetW(ctx, hot)
			r.reread[i] = time.Now()
		}()
	}
	r.send = time.Now()
	_, err := b.admin.Set(ctx, hot, b.data, -1)
	r.ack = time.Now()
	if err != nil {
		cancel()
	}
	wg.Wait()
	return r, errors.Join(append([]error{err}, errs...)...)
}

func maxTime(a time.Time, more ...time.Time) time.Time {
	for _, b := range more {
		if b.After(a) {
			a = b
		}
	}
	return a
}
