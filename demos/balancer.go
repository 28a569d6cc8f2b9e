package demos

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"coordtui/cluster/zk"
	"coordtui/lessons/script"
)

// balancer is a load balancer's view of a service registry: it watches
// the children of a path and keeps its routing table equal to them. It
// never polls: it reads once, leaves a child watch, and reads again when
// the watch fires.
type balancer struct {
	name string
	path string
	c    *zk.Client

	mu     sync.Mutex
	routes []string
	err    error

	stop chan struct{}
	done chan struct{}
}

func balancerCommand() script.Command {
	return script.Command{Name: "balancer", Usage: "balancer NAME on=MEMBER [path=/workers]",
		Help: "start a load balancer that keeps a routing table of the children of path, from watches",
		Run:  runBalancer}
}

func balancerPredicate() script.Predicate {
	return script.Predicate{Name: "balancer", Usage: "balancer NAME routes=w1,w2|none",
		Help: "the balancer's routing table is exactly the list", Check: checkBalancer}
}

func balancerKey(name string) string { return "demos.balancer." + name }

func runBalancer(ctx context.Context, env *script.Env, st *script.Step, out *script.Out) error {
	a := st.Arguments()
	name := a.Arg(0)
	if _, dup := env.Value(balancerKey(name)); dup || name == "" {
		return fmt.Errorf("balancer NAME: %q is taken or empty", name)
	}
	path := a.String("path", "/workers")
	on := a.String("on", "n1")
	c, err := dial(ctx, env, on, name)
	if err != nil {
		return err
	}
	// The registry's parent is the balancer's to make if it is missing:
	// a watch on a parent that does not exist would only see its creation.
	if _, err := c.Create(ctx, path, nil, zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil && !errors.Is(err, zk.ErrNodeExists) {
		c.Close()
		return err
	}
	b := &balancer{name: name, path: path, c: c, stop: make(chan struct{}), done: make(chan struct{})}
	first := make(chan struct{})
	go b.run(first)
	<-first
	env.SetValue(balancerKey(name), b)
	env.OnReset(b.close)
	out.About(script.Concerns{Znodes: []string{path}})
	out.Printf("%s watches %s from %s; it routes to: %s", name, path, on, b.table())
	return nil
}

// run keeps the table until stop; it closes first after the first read.
func (b *balancer) run(first chan struct{}) {
	defer close(b.done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-b.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	for {
		kids, _, ch, err := b.c.ChildrenW(ctx, b.path)
		b.mu.Lock()
		if err == nil {
			slices.Sort(kids)
			b.routes = kids
		}
		b.err = err
		b.mu.Unlock()
		if first != nil {
			close(first)
			first = nil
		}
		if err != nil {
			// A lost connection ends the read; the client reconnects and
			// the next read re-arms the watch. Give it a moment.
			select {
			case <-ctx.Done():
				return
			case <-time.After(50 * time.Millisecond):
				continue
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-ch:
		}
	}
}

func (b *balancer) table() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.routes) == 0 {
		return "none"
	}
	return strings.Join(b.routes, ",")
}

func (b *balancer) close() {
	close(b.stop)
	<-b.done
	b.c.Close()
}

func checkBalancer(ctx context.Context, env *script.Env, a script.Args) (script.Observation, error) {
	name := a.Arg(0)
	v, ok := env.Value(balancerKey(name))
	if !ok {
		return script.Observation{}, fmt.Errorf("no balancer %q", name)
	}
	b := v.(*balancer)
	want := a.String("routes", "none")
	got := b.table()
	return script.Observation{OK: got == want, Claim: fmt.Sprintf("%s routes to: %s", name, want), Seen: got}, nil
}
