package script

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"coordtui/cluster/zk"
	"coordtui/recipes"
	"coordtui/tree"
)

// The thundering herd, measured: N clients queue on a lock, the holder
// releases it a few times, and each release is counted from the members'
// exact counters — notifications sent and requests taken (pings aside) —
// once every waiter has settled again. The herd lock wakes every waiter;
// the predecessor lock (recipes.Mutex) wakes one.

func herdCommand() Command {
	return Command{Name: "herd", Usage: "herd herd|mutex clients=N releases=K | herd chart",
		Help: "queue N clients on a lock, release it K times, and count each release's notifications and requests",
		Run:  runHerd}
}

// herdLock is what both recipes offer.
type herdLock interface {
	Acquire(ctx context.Context) (recipes.Token, error)
	Release(ctx context.Context) error
	View() recipes.LockView
}

// herdResult is one lock's counts, per release.
type herdResult struct {
	clients int
	counts  []herdCount
}

type herdCount struct{ notifications, requests uint64 }

func herdKey(kind string) string { return "script.herd." + kind }

// lockNames is how transcripts call the two locks.
var lockNames = map[string]string{"herd": "herd lock", "mutex": "predecessor lock"}

func runHerd(ctx context.Context, env *Env, st *Step, out *Out) error {
	a := st.Arguments()
	kind := a.Arg(0)
	if kind == "chart" {
		return herdChart(env, out)
	}
	if lockNames[kind] == "" {
		return errors.New("herd herd|mutex clients=N releases=K")
	}
	n, err := a.Int("clients", 100)
	if err != nil {
		return err
	}
	k, err := a.Int("releases", 3)
	if err != nil || n < 2 || k < 1 || k >= n {
		return errors.New("herd: need clients >= 2 and 1 <= releases < clients")
	}
	ens := env.Ensemble()
	if ens == nil {
		return errors.New("no ensemble yet")
	}
	clients, err := dialMany(ctx, env, n, kind)
	defer closeAll(clients)
	if err != nil {
		return err
	}
	dir := "/" + kind
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	cs := make([]*contender, n)
	for i, c := range clients {
		var l herdLock
		if kind == "herd" {
			l = recipes.NewUnsafeHerdLock(c, dir, recipes.WithName(fmt.Sprintf("h%d", i+1)))
		} else {
			l = recipes.NewMutex(c, dir, recipes.WithName(fmt.Sprintf("h%d", i+1)))
		}
		cs[i] = &contender{l: l, release: make(chan struct{}), done: make(chan error, 1)}
		go cs[i].run(runCtx)
	}
	out.About(Concerns{Znodes: []string{dir}})
	if err := herdSettle(ctx, env, cs, dir, kind, 60*time.Second); err != nil {
		return fmt.Errorf("the queue did not form: %w", err)
	}
	res := &herdResult{clients: n}
	out.Printf("%d clients queue on the %s: one holds it, %d wait", n, lockNames[kind], n-1)
	for r := 1; r <= k; r++ {
		before := herdCounters(env)
		holder := heldBy(cs)
		if holder == nil {
			return errors.New("nobody holds the lock")
		}
		close(holder.release)
		if err := <-holder.done; err != nil {
			return fmt.Errorf("release %d: %w", r, err)
		}
		holder.gone = true
		if err := herdSettle(ctx, env, cs, dir, kind, 60*time.Second); err != nil {
			return fmt.Errorf("release %d did not settle: %w", r, err)
		}
		after := herdCounters(env)
		c := herdCount{after.notifications - before.notifications, after.requests - before.requests}
		res.counts = append(res.counts, c)
		out.Printf("release %d: %d notification%s, %d requests; %d still wait",
			r, c.notifications, plural(int(c.notifications)), c.requests, n-1-r)
	}
	// The claim: who was woken. The herd lock wakes every waiter that was
	// queued (n-r at release r); the predecessor lock wakes exactly one.
	woke := true
	for i, c := range res.counts {
		want := uint64(1)
		if kind == "herd" {
			want = uint64(n - 1 - i)
		}
		woke = woke && c.notifications == want
	}
	if kind == "herd" {
		out.Claim(woke, "every release woke every waiter", fmt.Sprint(res.counts))
	} else {
		out.Claim(woke, "every release woke exactly one waiter", fmt.Sprint(res.counts))
	}
	env.SetValue(herdKey(kind), res)
	return nil
}

// contender runs one client's Acquire, holds until told to release, and
// reports the release.
type contender struct {
	l       herdLock
	release chan struct{}
	done    chan error
	gone    bool // released; no longer in the queue
}

func (c *contender) run(ctx context.Context) {
	if _, err := c.l.Acquire(ctx); err != nil {
		c.done <- err
		return
	}
	select {
	case <-c.release:
		c.done <- c.l.Release(ctx)
	case <-ctx.Done():
		c.done <- ctx.Err()
	}
}

func heldBy(cs []*contender) *contender {
	for _, c := range cs {
		if !c.gone && c.l.View().Holds {
			return c
		}
	}
	return nil
}

// herdSettle waits until the queue is quiet again: one contender holds, every
// member has applied what the leader had when that was seen (so every
// watch the release fired has fired everywhere), and the members hold
// exactly one watch per waiter under the lock — each woken waiter has
// re-armed. Only then are the counters final for this release.
func herdSettle(ctx context.Context, env *Env, cs []*contender, dir, kind string, within time.Duration) error {
	var mark tree.Zxid
	return env.Poll(ctx, within, func() (bool, error) {
		waiting, holders := 0, 0
		for _, c := range cs {
			if c.gone {
				continue
			}
			select {
			case err := <-c.done:
				return false, fmt.Errorf("a contender gave up: %v", err)
			default:
			}
			if c.l.View().Holds {
				holders++
			} else {
				waiting++
			}
		}
		if holders != 1 {
			mark = 0
			return false, nil
		}
		l, err := env.Leader()
		if err != nil {
			return false, nil
		}
		if mark == 0 {
			mark = l.Status().LastZxid
		}
		ens := env.Ensemble()
		watches := 0
		for _, n := range ens.Nodes() {
			if n.Status().LastZxid < mark {
				return false, nil
			}
			srv := ens.Server(n.ID())
			if srv == nil {
				continue
			}
			for _, w := range srv.Watches() {
				if strings.HasPrefix(w.Path, dir+"/") {
					watches++
				}
			}
		}
		return watches == waiting, nil
	})
}

func herdCounters(env *Env) herdCount {
	var c herdCount
	for _, n := range env.Ensemble().Nodes() {
		ctr := n.Counters()
		c.notifications += ctr.Notifications()
		c.requests += ctr.TotalRequests() - ctr.Requests(tree.OpPing)
	}
	return c
}

// dialMany opens n sessions spread over the members, a few at a time.
func dialMany(ctx context.Context, env *Env, n int, kind string) ([]*zk.Client, error) {
	ids := env.Ensemble().IDs()
	clients := make([]*zk.Client, n)
	errs := make([]error, n)
	sem := make(chan struct{}, 32)
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			clients[i], errs[i] = env.Dial(ctx, fmt.Sprintf("n%d", ids[i%len(ids)]), fmt.Sprintf("%s%d", kind, i+1), 10*time.Second)
		})
	}
	wg.Wait()
	var ok []*zk.Client
	for _, c := range clients {
		if c != nil {
			ok = append(ok, c)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return ok, err
	}
	return clients, nil
}

func closeAll(clients []*zk.Client) {
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Go(func() { c.Close() })
	}
	wg.Wait()
}

// herdChart prints both locks side by side, per release, as numbers and
// bars scaled to the largest count.
func herdChart(env *Env, out *Out) error {
	var rs [2]*herdResult
	for i, kind := range []string{"herd", "mutex"} {
		v, ok := env.Value(herdKey(kind))
		if !ok {
			return fmt.Errorf("run 'herd %s' first", kind)
		}
		rs[i] = v.(*herdResult)
	}
	avg := func(r *herdResult, f func(herdCount) uint64) float64 {
		var sum uint64
		for _, c := range r.counts {
			sum += f(c)
		}
		return float64(sum) / float64(len(r.counts))
	}
	notif := func(c herdCount) uint64 { return c.notifications }
	reqs := func(c herdCount) uint64 { return c.requests }
	out.Printf("per release, averaged:  %16s  %16s", "herd lock", "predecessor lock")
	out.Printf("notifications           %16.1f  %16.1f", avg(rs[0], notif), avg(rs[1], notif))
	out.Printf("requests                %16.1f  %16.1f", avg(rs[0], reqs), avg(rs[1], reqs))
	top := max(avg(rs[0], reqs), avg(rs[0], notif), 1)
	bar := func(v float64) string {
		w := int(v / top * 40)
		if v > 0 && w == 0 {
			return "▏"
		}
		return strings.Repeat("█", w)
	}
	out.Printf("notifications  herd  %s %.0f", bar(avg(rs[0], notif)), avg(rs[0], notif))
	out.Printf("               pred  %s %.0f", bar(avg(rs[1], notif)), avg(rs[1], notif))
	out.Printf("requests       herd  %s %.0f", bar(avg(rs[0], reqs)), avg(rs[0], reqs))
	out.Printf("               pred  %s %.0f", bar(avg(rs[1], reqs)), avg(rs[1], reqs))
	return nil
}
