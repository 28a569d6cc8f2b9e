package lessons

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"coordtui/cluster/zk"
	"coordtui/lessons/script"
)

func bigWriteCommand() script.Command {
	return script.Command{Name: "big-write", Usage: "big-write PATH SIZE (e.g. 512KB, 2MB) [on=MEMBER]",
		Help: "write SIZE bytes to path from a client that will send it, and report what the ensemble did",
		Run:  runBigWrite}
}

func stormCommand() script.Command {
	return script.Command{Name: "storm", Usage: "storm writes=N [parallel=P] [on=MEMBER]",
		Help: "fire N writes from P sessions at once and report what the ensemble made of them",
		Run:  runStorm}
}

// parseSize reads "512KB", "2MB" or a byte count.
func parseSize(s string) (int, error) {
	mult := 1
	switch {
	case strings.HasSuffix(s, "MB"):
		mult, s = 1<<20, strings.TrimSuffix(s, "MB")
	case strings.HasSuffix(s, "KB"):
		mult, s = 1<<10, strings.TrimSuffix(s, "KB")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("size %q: want 512KB, 2MB or bytes", s)
	}
	return n * mult, nil
}

// runBigWrite uses a client whose own size limit is raised, so that the
// request reaches the member and the member's limit (jute.maxbuffer) is
// the one that acts, as with a Java client configured the same way.
func runBigWrite(ctx context.Context, env *script.Env, st *script.Step, out *script.Out) error {
	a := st.Arguments()
	path, sizeText := a.Arg(0), a.Arg(1)
	size, err := parseSize(sizeText)
	if err != nil || path == "" {
		return errors.Join(errors.New("big-write PATH SIZE"), err)
	}
	c, err := env.Dial(ctx, a.String("on", "n1"), "writer", 4*time.Second, zk.WithMaxPacket(8<<20))
	if err != nil {
		return err
	}
	defer c.Close()
	wctx, cancel := context.WithTimeout(ctx, env.Within(10*time.Second))
	defer cancel()
	data := make([]byte, size)
	_, err = c.Create(wctx, path, data, zk.WorldACL(zk.PermAll), zk.ModePersistent)
	if errors.Is(err, zk.ErrNodeExists) {
		_, err = c.Set(wctx, path, data, -1)
	}
	out.About(script.Concerns{Znodes: []string{path}})
	switch {
	case err == nil:
		out.Printf("%s to %s: written", sizeText, path)
	case errors.Is(err, zk.ErrConnectionLoss):
		out.Printf("%s to %s: refused; the member closed the connection (over its 1 MB request limit)", sizeText, path)
	default:
		out.Printf("%s to %s: refused: %v", sizeText, path, err)
	}
	return nil
}

// runStorm fires writes from several sessions at once. What it prints is
// counts, never timings; the raft log's growth is claimed as a bound
// because how many writes share an entry depends on scheduling.
func runStorm(ctx context.Context, env *script.Env, st *script.Step, out *script.Out) error {
	a := st.Arguments()
	writes, err := a.Int("writes", 200)
	if err != nil {
		return err
	}
	parallel, err := a.Int("parallel", 20)
	if err != nil || parallel < 1 || writes < parallel {
		return errors.New("storm writes=N parallel=P (N >= P >= 1)")
	}
	first, err := env.Leader()
	if err != nil {
		return err
	}
	before := first.Status().LastIndex
	clients := make([]*zk.Client, parallel)
	for i := range clients {
		c, err := env.Dial(ctx, a.String("on", "n1"), fmt.Sprintf("storm%d", i+1), 4*time.Second)
		if err != nil {
			return err
		}
		defer c.Close()
		clients[i] = c
		if _, err := c.Create(ctx, fmt.Sprintf("/storm-%d", i+1), nil, zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil && !errors.Is(err, zk.ErrNodeExists) {
			return err
		}
	}
	wctx, cancel := context.WithTimeout(ctx, env.Within(60*time.Second))
	defer cancel()
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	for i, c := range clients {
		wg.Go(func() {
			for j := i; j < writes; j += parallel {
				if _, err := c.Set(wctx, fmt.Sprintf("/storm-%d", i+1), fmt.Appendf(nil, "%d", j), -1); err != nil {
					mu.Lock()
					failed++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	l, err := env.Leader()
	if err != nil {
		return fmt.Errorf("after the storm: %w", err)
	}
	grew := l.Status().LastIndex - before
	out.Printf("%d writes from %d sessions at once", writes, parallel)
	out.Claim(failed == 0, fmt.Sprintf("all %d writes committed, one leader ordering them all", writes), fmt.Sprintf("%d failed", failed))
	// Sessions and nodes cost 2 entries per session at most; the writes at most one each.
	limit := uint64(writes + 2*parallel)
	out.Claim(grew <= limit, fmt.Sprintf("the leader's log grew by at most %d entries: writes that queue up share an entry", limit),
		fmt.Sprintf("grew by %d", grew))
	return nil
}
