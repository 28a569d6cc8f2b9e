package demos

import (
	"cmp"
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

// master is one candidate of the master–worker pattern: it becomes master
// by creating the ephemeral /master, or waits as a backup with a watch on
// it. As master it assigns every task under /tasks to a live worker under
// /workers, writing /assign/WORKER/TASK, and moves the tasks of workers
// that died. All of its state is in ZooKeeper, so a backup that takes over
// picks up exactly where the old master stopped.
type master struct {
	name string
	c    *zk.Client

	mu   sync.Mutex
	role string // "candidate", "master", "backup"

	stop chan struct{}
	done chan struct{}
}

func masterCommand() script.Command {
	return script.Command{Name: "master", Usage: "master NAME on=MEMBER | master NAME crash",
		Help: "start a master candidate (master if /master is free, else a backup), or crash one",
		Run:  runMaster}
}

func masterKey(name string) string { return "demos.master." + name }

func runMaster(ctx context.Context, env *script.Env, st *script.Step, out *script.Out) error {
	a := st.Arguments()
	name := a.Arg(0)
	out.About(script.Concerns{Znodes: []string{"/master"}})
	if a.Arg(1) == "crash" {
		v, ok := env.Value(masterKey(name))
		if !ok {
			return fmt.Errorf("no master %q", name)
		}
		v.(*master).c.Crash()
		out.Printf("%s crashed: its session, and /master if it held it, live until the session times out", name)
		return nil
	}
	if _, dup := env.Value(masterKey(name)); dup || name == "" {
		return fmt.Errorf("master NAME: %q is taken or empty", name)
	}
	c, err := dial(ctx, env, a.String("on", "n1"), name)
	if err != nil {
		return err
	}
	m := &master{name: name, c: c, role: "candidate", stop: make(chan struct{}), done: make(chan struct{})}
	env.SetValue(masterKey(name), m)
	env.OnReset(m.close)
	go m.run()
	// The first attempt decides the role; a candidate that is neither yet
	// is still asking.
	err = env.Poll(ctx, 10*time.Second, func() (bool, error) { return m.Role() != "candidate", nil })
	if err != nil {
		return fmt.Errorf("%s did not settle: %w", name, err)
	}
	if m.Role() == "master" {
		out.Printf("%s created /master: it is the master", name)
	} else {
		out.Printf("%s found /master taken: it is a backup, watching /master", name)
	}
	return nil
}

// Role is what the candidate is now.
func (m *master) Role() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.role
}

func (m *master) setRole(r string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.role = r
}

func (m *master) close() {
	close(m.stop)
	<-m.done
	m.c.Close()
}

// run competes for /master until stopped or the client dies.
func (m *master) run() {
	defer close(m.done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-m.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	for ctx.Err() == nil {
		_, err := m.c.Create(ctx, "/master", []byte(m.name), zk.WorldACL(zk.PermAll), zk.ModeEphemeral)
		switch {
		case err == nil:
			m.setRole("master")
			m.lead(ctx)
			return
		case errors.Is(err, zk.ErrNodeExists):
			m.setRole("backup")
			st, ch, err := m.c.ExistsW(ctx, "/master")
			if err != nil || st == nil {
				continue // gone already, or the connection blinked: try again
			}
			select {
			case <-ctx.Done():
			case <-ch:
			}
		case errors.Is(err, zk.ErrClosing), errors.Is(err, zk.ErrSessionExpired):
			return // crashed or expired: this process is out of the game
		default:
			if !pause(ctx) {
				return
			}
		}
	}
}

// lead assigns tasks whenever /workers or /tasks change, until the
// client dies or the master is stopped.
func (m *master) lead(ctx context.Context) {
	for _, p := range []string{"/tasks", "/assign", "/workers"} {
		if _, err := m.c.Create(ctx, p, nil, zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil && !errors.Is(err, zk.ErrNodeExists) && !pause(ctx) {
			return
		}
	}
	for ctx.Err() == nil {
		workers, _, wch, err := m.c.ChildrenW(ctx, "/workers")
		if err != nil {
			if errors.Is(err, zk.ErrClosing) || !pause(ctx) {
				return
			}
			continue
		}
		tasks, _, tch, err := m.c.ChildrenW(ctx, "/tasks")
		if err == nil {
			err = m.assign(ctx, workers, tasks)
		}
		if err != nil {
			if errors.Is(err, zk.ErrClosing) || !pause(ctx) {
				return
			}
			continue
		}
		select {
		case <-ctx.Done():
		case <-wch:
		case <-tch:
		}
	}
}

// assign gives every task without a live worker to the least-loaded live
// worker (ties to the lower name), taking tasks in name order. The result
// does not depend on how the changes were batched into watch events, which
// is what lets the demo print it.
func (m *master) assign(ctx context.Context, workers, tasks []string) error {
	live := map[string]bool{}
	for _, w := range workers {
		live[w] = true
	}
	owner := map[string]string{} // task -> worker it is assigned to
	load := map[string]int{}
	dirs, err := m.c.Children(ctx, "/assign")
	if err != nil {
		return err
	}
	for _, w := range dirs {
		ts, err := m.c.Children(ctx, "/assign/"+w)
		if err != nil && !errors.Is(err, zk.ErrNoNode) {
			return err
		}
		for _, t := range ts {
			owner[t] = w
			if live[w] {
				load[w]++
			}
		}
	}
	order := byName(workers)
	for _, t := range byName(tasks) {
		from, has := owner[t]
		if has && live[from] {
			continue
		}
		to := ""
		for _, w := range order {
			if to == "" || load[w] < load[to] {
				to = w
			}
		}
		if to == "" {
			return nil // no live worker: wait for one
		}
		if _, err := m.c.Create(ctx, "/assign/"+to, nil, zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil && !errors.Is(err, zk.ErrNodeExists) {
			return err
		}
		ops := []zk.Op{zk.CreateOp("/assign/"+to+"/"+t, nil, zk.WorldACL(zk.PermAll), zk.ModePersistent)}
		if has {
			// Moving is one multi: the task is never in two places, and
			// never in none, whoever looks in between.
			ops = append([]zk.Op{zk.DeleteOp("/assign/"+from+"/"+t, -1)}, ops...)
		}
		if _, err := m.c.Multi(ctx, ops...); err != nil {
			return err
		}
		load[to]++
	}
	return nil
}

// pause waits a moment before a retry; false if ctx ended meanwhile.
func pause(ctx context.Context) bool {
	t := time.NewTimer(50 * time.Millisecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// byName sorts names as people do: w2 before w10.
func byName(names []string) []string {
	out := slices.Clone(names)
	slices.SortFunc(out, func(a, b string) int { return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b)) })
	return out
}
