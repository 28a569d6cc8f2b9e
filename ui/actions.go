package ui

import (
	"context"
	"fmt"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"
)

// run does fn off the UI goroutine and reports its outcome as what.
func (a *App) run(what string, fn func(ctx context.Context) error) tea.Cmd {
	a.setStatus(statusInfo, what+"…")
	ctx := a.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		return actionMsg{what: what, err: fn(ctx)}
	}
}

func (a *App) onAction(m actionMsg) {
	if m.err != nil {
		a.setStatus(statusErr, fmt.Sprintf("%s: %v", m.what, m.err))
		return
	}
	a.setStatus(statusOK, m.what+": done")
}

// control runs an action that changes the ensemble, the network or the
// workers.
func (a *App) control(act Action) tea.Cmd {
	ctl, pool := a.ctrl, a.pool
	sel, _ := a.members.Selected()
	leader, _ := a.snap.LeaderMember()
	switch act {
	case ActCrash:
		return a.run("crash "+sel.Name, func(context.Context) error { return ctl.Crash(sel.ID) })
	case ActKillLeader:
		return a.run("kill the leader "+leader.Name, func(context.Context) error { return ctl.Crash(leader.ID) })
	case ActRestart:
		return a.run("restart "+sel.Name, func(context.Context) error { return ctl.Restart(sel.ID) })
	case ActTransfer:
		return a.run(fmt.Sprintf("hand leadership from %s to %s", leader.Name, sel.Name), func(ctx context.Context) error {
			return ctl.TransferLeadership(ctx, sel.ID)
		})
	case ActAdd, ActAddObserver:
		kind := "voter"
		if act == ActAddObserver {
			kind = "observer"
		}
		return a.run("add a "+kind, func(ctx context.Context) error {
			_, err := ctl.Add(ctx, act == ActAddObserver)
			return err
		})
	case ActRemove:
		return a.run("remove "+sel.Name, func(ctx context.Context) error { return ctl.Remove(ctx, sel.ID) })
	case ActIsolateLeader:
		return a.run("isolate the leader "+leader.Name, func(context.Context) error { return ctl.Net().Isolate(leader.Name) })
	case ActSplit:
		minority, majority := a.splitSides()
		return a.run(fmt.Sprintf("partition %v | %v", minority, majority), func(context.Context) error {
			return ctl.Net().Split(minority, majority)
		})
	case ActOneWay:
		to := a.someFollower(leader.ID)
		return a.run(fmt.Sprintf("cut %s->%s one way (%s stops hearing the leader)", leader.Name, to, to), func(context.Context) error {
			return ctl.Net().SetCut(leader.Name, to, true)
		})
	case ActHeal:
		return a.run("heal every link", func(context.Context) error { return ctl.Net().Heal() })
	case ActSlower, ActFaster:
		f := a.nextSpeed(act == ActSlower)
		return a.run(fmt.Sprintf("speed ×%g (raft timeouts and link delays stretched)", f), func(context.Context) error {
			return ctl.Net().SetSpeed(f)
		})
	case ActStep:
		on := !a.snap.Step
		what := "step mode off: held messages go on"
		if on {
			what = "step mode on: every raft message waits; n releases the next"
		}
		return a.run(what, func(context.Context) error { return ctl.Net().SetStep(on) })
	case ActStepNext:
		a.setStatus(statusInfo, "releasing the next message…")
		return func() tea.Msg {
			r, err := ctl.Net().ReleaseNext()
			return actionMsg{what: "released " + r.String(), err: err}
		}
	case ActStepAll:
		return func() tea.Msg {
			n := ctl.Net().ReleaseAll()
			return actionMsg{what: fmt.Sprintf("released %d held messages", n)}
		}
	case ActCutLink:
		from, to, _ := a.network.SelectedLink()
		cut := !ctl.Net().Base(from, to).Cut
		verb := "mend"
		if cut {
			verb = "cut"
		}
		return a.run(fmt.Sprintf("%s %s->%s (one way)", verb, from, to), func(context.Context) error {
			return ctl.Net().SetCut(from, to, cut)
		})
	case ActDelayLink:
		from, to, _ := a.network.SelectedLink()
		d := nextDelay(ctl.Net().Base(from, to).Delay)
		return a.run(fmt.Sprintf("delay %s->%s by %v", from, to, d), func(context.Context) error {
			return ctl.Net().SetDelay(from, to, d)
		})
	case ActStartWorker, ActStartWorkers:
		n := 1
		if act == ActStartWorkers {
			n = 5
		}
		pool, watch, err := a.workerPool()
		if err != nil {
			a.setStatus(statusErr, "start workers: "+err.Error())
			return nil
		}
		return tea.Batch(watch, a.run(fmt.Sprintf("start %d worker(s)", n), func(ctx context.Context) error {
			_, err := pool.Start(ctx, n)
			return err
		}))
	case ActStopWorker, ActCrashWorker, ActFreezeWorker, ActExpireWorker:
		return a.workerAction(act)
	case ActForgetWorkers:
		n := pool.Forget()
		a.setStatus(statusOK, fmt.Sprintf("forgot %d finished workers", n))
		a.snap.Workers = pool.List()
		a.sessions.SetSnapshot(a.withSessionMembers(a.snap))
	}
	return nil
}

func (a *App) workerAction(act Action) tea.Cmd {
	w, _ := a.sessions.SelectedWorker()
	pool := a.pool
	switch act {
	case ActStopWorker:
		return a.run("stop "+w.Name+" (closeSession: its ephemeral goes now)", func(context.Context) error { return pool.Stop(w.ID) })
	case ActCrashWorker:
		return a.run("crash "+w.Name+" (no closeSession: its ephemeral waits for the session to expire)", func(context.Context) error { return pool.Crash(w.ID) })
	case ActFreezeWorker:
		if w.Frozen {
			return a.run("thaw "+w.Name, func(context.Context) error { return pool.Thaw(w.ID) })
		}
		return a.run("freeze "+w.Name+" (no pings, like a GC pause)", func(context.Context) error { return pool.Freeze(w.ID) })
	case ActExpireWorker:
		return a.run(fmt.Sprintf("expire %s (frozen until its %v session times out)", w.Name, w.Timeout), func(ctx context.Context) error {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.Timeout*4+10*time.Second)
			defer cancel()
			return pool.Expire(ctx, w.ID)
		})
	}
	return nil
}

// splitSides puts the leader (or the first member) with a minority, so
// the partition shows a leader losing its quorum.
func (a *App) splitSides() (minority, majority []string) {
	names := make([]string, 0, len(a.snap.Members))
	for _, m := range a.snap.Members {
		names = append(names, m.Name)
	}
	if l, ok := a.snap.LeaderMember(); ok {
		i := slices.Index(names, l.Name)
		names = append([]string{l.Name}, slices.Delete(names, i, i+1)...)
	}
	k := (len(names) - 1) / 2
	if len(names)%2 == 0 {
		k = len(names) / 2
	}
	return names[:max(k, 1)], names[max(k, 1):]
}

func (a *App) someFollower(leader uint64) string {
	for _, m := range a.snap.Members {
		if m.Up && m.ID != leader {
			return m.Name
		}
	}
	return ""
}

func (a *App) nextSpeed(slower bool) float64 {
	cur := a.snap.Speed
	if slower {
		for _, s := range speeds {
			if s > cur {
				return s
			}
		}
		return speeds[len(speeds)-1]
	}
	for i := len(speeds) - 1; i >= 0; i-- {
		if speeds[i] < cur {
			return speeds[i]
		}
	}
	return 1
}

func nextDelay(d time.Duration) time.Duration {
	for _, s := range []time.Duration{50 * time.Millisecond, 200 * time.Millisecond, time.Second} {
		if s > d {
			return s
		}
	}
	return 0
}
