package script

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"coordtui/recipes/worker"
)

func workerCommands() []Command {
	return []Command{
		{Name: "worker", Usage: "worker start [N] [timeout=4s] | worker stop|crash|freeze|thaw|expire wN", Run: runWorker,
			Help: "start simulated client processes that register ephemerals under /workers, or act on one"},
	}
}

// workerPool returns the pool of the current ensemble, making it on first
// use with the session timeout given.
func (e *Env) workerPool(timeout time.Duration) (*worker.Pool, error) {
	ens, err := e.need()
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.pool == nil {
		e.pool = worker.NewPool(worker.Config{ConnString: ens.ConnString(), SessionTimeout: timeout})
	}
	return e.pool, nil
}

// workerID parses "w3".
func workerID(name string) (int, error) {
	n, err := strconv.Atoi(strings.TrimPrefix(name, "w"))
	if err != nil || !strings.HasPrefix(name, "w") {
		return 0, fmt.Errorf("%q is not a worker name (w1, w2, ...)", name)
	}
	return n, nil
}

func runWorker(ctx context.Context, env *Env, st *Step, out *Out) error {
	a := st.Arguments()
	verb := a.Arg(0)
	if verb == "start" {
		return startWorkers(ctx, env, a, out)
	}
	name := a.Arg(1)
	id, err := workerID(name)
	if err != nil {
		return err
	}
	pool := env.Pool()
	if pool == nil {
		return fmt.Errorf("no workers yet (worker start N)")
	}
	out.About(Concerns{Workers: []string{name}})
	switch verb {
	case "stop":
		err = pool.Stop(id)
		out.Printf("%s stopped cleanly: closeSession, so its ephemeral goes at once", name)
	case "crash":
		err = pool.Crash(id)
		out.Printf("%s crashed: its session, and its ephemeral, live until the session times out", name)
	case "freeze":
		err = pool.Freeze(id)
		out.Printf("%s frozen, as in a long GC pause: no pings reach the ensemble", name)
	case "thaw":
		err = pool.Thaw(id)
		out.Printf("%s thawed", name)
	case "expire":
		within, derr := a.Duration("within", 30*time.Second)
		if derr != nil {
			return derr
		}
		ectx, cancel := context.WithTimeout(ctx, env.Within(within))
		err = pool.Expire(ectx, id)
		cancel()
		if err == nil {
			out.Printf("%s was frozen until the ensemble expired its session; thawed, its client learns it is expired", name)
		}
	default:
		return fmt.Errorf("worker %s: want start, stop, crash, freeze, thaw or expire", verb)
	}
	return err
}

func startWorkers(ctx context.Context, env *Env, a Args, out *Out) error {
	n := 1
	if s := a.Arg(1); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			return fmt.Errorf("worker start N: %q", s)
		}
		n = v
	}
	timeout, err := a.Duration("timeout", env.workerT)
	if err != nil {
		return err
	}
	if env.Pool() == nil {
		env.workerT = timeout
	}
	pool, err := env.workerPool(env.workerT)
	if err != nil {
		return err
	}
	sctx, cancel := context.WithTimeout(ctx, env.Within(30*time.Second))
	defer cancel()
	infos, err := pool.StartWith(sctx, n, timeout)
	var started []string
	for _, w := range infos {
		env.NameSession(w.Session, w.Name)
		started = append(started, w.Name)
	}
	out.About(Concerns{Workers: started})
	if err != nil {
		return err
	}
	what := "its ephemeral"
	if n > 1 {
		what = "their ephemerals"
	}
	out.Printf("started %s; %s under %s, session timeout %v", strings.Join(started, " "), what, pool.Root(), infos[0].Timeout)
	return nil
}

// EnsurePool returns the worker pool of the current ensemble, making it
// (with the default session timeout) if the script has not started a
// worker yet: a console's worker keys start workers there, so that the
// script's checks see what the learner did. It fails before the first
// ensemble. Safe to call from any goroutine.
func (e *Env) EnsurePool() (*worker.Pool, error) { return e.workerPool(0) }
