package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"coordtui/cluster/event"
	"coordtui/recipes/worker"
)

// maxBatch bounds how many events one message carries, so a burst is
// drawn in a few frames rather than one per event.
const maxBatch = 2048

// waitForEvents blocks for the next event, then takes whatever else is
// already waiting: events arrive as messages, in batches.
func waitForEvents(ch <-chan event.Event) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return nil
		}
		batch := []event.Event{ev}
		for len(batch) < maxBatch {
			select {
			case ev, ok := <-ch:
				if !ok {
					return eventsMsg(batch)
				}
				batch = append(batch, ev)
			default:
				return eventsMsg(batch)
			}
		}
		return eventsMsg(batch)
	}
}

func tick() tea.Cmd {
	return tea.Tick(tickEvery, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// snapshotCmd copies the ensemble's state off the UI goroutine.
func (a *App) snapshotCmd() tea.Cmd {
	if a.snapBusy {
		return nil
	}
	a.snapBusy = true
	src, ctx := a.src, a.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		return snapshotMsg(src.Snapshot(ctx))
	}
}

// loads asks the source for whatever the tree pane is missing.
func (a *App) loads() tea.Cmd {
	dirs, detail := a.tree.Wants()
	var cmds []tea.Cmd
	src, ctx, member := a.src, a.ctx, a.treeMember()
	for _, d := range dirs {
		cmds = append(cmds, func() tea.Msg {
			ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			kids, err := src.Children(ctx, member, d)
			return childrenMsg{path: d, kids: kids, err: err}
		})
	}
	if detail != "" {
		cmds = append(cmds, func() tea.Msg {
			ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			d, err := src.Detail(ctx, member, detail)
			return detailMsg{path: detail, d: d, err: err}
		})
	}
	return tea.Batch(cmds...)
}

// findCmd searches the tree for the filter.
func (a *App) findCmd(substr string) tea.Cmd {
	src, ctx, member := a.src, a.ctx, a.treeMember()
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		paths, err := src.Find(ctx, member, substr, 1000)
		return findMsg{substr: substr, paths: paths, err: err}
	}
}

func waitForConfirm(ctx context.Context, ch <-chan confirmReq) tea.Cmd {
	return func() tea.Msg {
		select {
		case r := <-ch:
			return confirmMsg(r)
		case <-ctx.Done():
			return nil
		}
	}
}

func waitForNotify(ctx context.Context, ch <-chan string) tea.Cmd {
	return func() tea.Msg {
		select {
		case s := <-ch:
			return notifyMsg(s)
		case <-ctx.Done():
			return nil
		}
	}
}

// waitForWorkers waits for a worker to change and returns them all.
func waitForWorkers(sub *worker.Subscription, pool *worker.Pool) tea.Cmd {
	return func() tea.Msg {
		if _, ok := <-sub.C(); !ok {
			return nil
		}
		for {
			select {
			case _, ok := <-sub.C():
				if !ok {
					return nil
				}
			default:
				return workersMsg(pool.List())
			}
		}
	}
}

// treeMember is the member the tree is read from.
func (a *App) treeMember() uint64 {
	if a.treeFrom != 0 {
		return a.treeFrom
	}
	if l, ok := a.snap.LeaderMember(); ok {
		return l.ID
	}
	return 0
}
