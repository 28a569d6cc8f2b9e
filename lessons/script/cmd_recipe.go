package script

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"coordtui/cluster/zk"
	"coordtui/recipes"
	"coordtui/recipes/runner"
)

// Commands that drive recipes/runner, so a lesson steps a recipe one
// request at a time: start it on named clients, let one client's held
// request out, show where everyone is. Stepping makes the interleaving the
// script's, so the transcript is the same on every run; each step returns
// only once its effect is observed (see settled), never after a sleep.

func recipeCommands() []Command {
	return []Command{{Name: "recipe",
		Usage: "recipe start NAME clients=c1,c2 [path=/x] [rounds=N] [on=MEMBER] [timeout=4s] | recipe step C [times=N] | recipe show | recipe together | recipe stop",
		Help:  "run a recipe (recipes/runner) on named clients, held at every request; step them one request at a time",
		Run:   runRecipe}}
}

const recipeKey = "script.recipe"

// recipeRun is the runner a script started and what the script's tracer
// saw of it.
type recipeRun struct {
	r       *runner.Runner
	name    runner.Recipe
	path    string
	clients []string
	log     *stepLog
	owned   []*zk.Client // sessions this command opened, closed with the runner
	once    sync.Once
}

// close ends the sessions this command opened, then stops the runner.
// Sessions first: the runner's Close lets held requests go while it
// cancels them, and which of the two wins is up to the scheduler, so a
// release might or might not be sent; with its session closed, nothing is,
// and stopping costs the same transactions (one closeSession each) on
// every run, so later zxids read the same. Workers and script clients are
// not the command's to close: a script that stops a recipe on them should
// not print zxids after.
func (rr *recipeRun) close() {
	rr.once.Do(func() {
		for _, c := range rr.owned {
			c.Close()
		}
		rr.r.Close()
	})
}

func runRecipe(ctx context.Context, env *Env, st *Step, out *Out) error {
	a := st.Arguments()
	verb := a.Arg(0)
	if verb == "start" {
		return startRecipe(ctx, env, a, out)
	}
	v, ok := env.Value(recipeKey)
	if !ok || v == nil {
		return errors.New("no recipe running (recipe start NAME clients=c1,c2 first)")
	}
	rr := v.(*recipeRun)
	out.About(Concerns{Znodes: []string{rr.path}, Clients: rr.clients})
	switch verb {
	case "step":
		return stepRecipe(ctx, env, rr, a, out)
	case "show":
		if rr.r.Snapshot().Together {
			// Free-running clients are never still, so no picture of them
			// would read the same twice: say so instead.
			out.Printf("%s: %s run freely; where each is depends on scheduling (wait for an outcome instead)", rr.name, strings.Join(rr.clients, " "))
			return nil
		}
		if err := rr.settle(ctx, env); err != nil {
			return err
		}
		rr.show(env, out)
	case "together":
		rr.r.Together(true)
		out.Printf("%s: every client runs freely now, no longer held at each request", rr.name)
	case "stop":
		env.setRecipe(nil)
		rr.close()
		env.SetValue(recipeKey, nil)
		out.Printf("%s stopped: every client's loop has ended", rr.name)
	default:
		return fmt.Errorf("recipe %s: want start, step, show, together or stop", verb)
	}
	return nil
}

func startRecipe(ctx context.Context, env *Env, a Args, out *Out) error {
	if _, err := env.need(); err != nil {
		return err
	}
	if v, ok := env.Value(recipeKey); ok && v != nil {
		return fmt.Errorf("%s is running already (recipe stop first)", v.(*recipeRun).name)
	}
	name := runner.Recipe(a.Arg(1))
	names := a.List("clients")
	if name == "" || len(names) == 0 {
		return errors.New("recipe start NAME clients=c1,c2 [path=/x]")
	}
	for i, n := range names {
		if slices.Contains(names[:i], n) {
			return fmt.Errorf("client %s is named twice", n)
		}
	}
	rounds, err := a.Int("rounds", 0)
	if err != nil {
		return err
	}
	timeout, err := a.Duration("timeout", 4*time.Second)
	if err != nil {
		return err
	}
	log := &stepLog{}
	r, err := runner.New(runner.Config{Recipe: name, Path: a.String("path", ""), Rounds: rounds, Tracer: log})
	if err != nil {
		return fmt.Errorf("%w (recipes: %s)", err, recipeNames())
	}
	snap := r.Snapshot()
	rr := &recipeRun{r: r, name: name, log: log, clients: names, path: a.String("path", "/"+string(name))}
	env.SetValue(recipeKey, rr)
	env.setRecipe(r)
	env.OnReset(func() { env.setRecipe(nil); rr.close() })
	out.About(Concerns{Znodes: []string{rr.path}, Clients: names})
	for _, n := range names {
		if err := rr.add(ctx, env, n, a.String("on", "n1"), timeout); err != nil {
			env.setRecipe(nil)
			rr.close() // a half-started recipe would only block the next start
			env.SetValue(recipeKey, nil)
			return err
		}
	}
	out.Printf("%s on %s: %s", name, rr.path, snap.Summary)
	if snap.Unsafe {
		out.Printf("UNSAFE: a teaching version that breaks")
	}
	for i, l := range snap.Program {
		out.Printf("%2d  %s", i+1, l)
	}
	if err := rr.settle(ctx, env); err != nil {
		return err
	}
	out.Printf("%s: each held at its first request", strings.Join(names, " "))
	return nil
}

// add starts client n: a script client of that name, a worker, or a new
// session the command opens (and closes with the runner).
func (rr *recipeRun) add(ctx context.Context, env *Env, n, on string, timeout time.Duration) error {
	if c, err := env.Client(n); err == nil {
		return rr.r.Add(n, c.ZK())
	}
	if pool := env.Pool(); pool != nil {
		for _, w := range pool.List() {
			if w.Name == n {
				return rr.r.AddWorker(pool, w.ID)
			}
		}
	}
	c, err := env.Dial(ctx, on, n, timeout)
	if err != nil {
		return err
	}
	rr.owned = append(rr.owned, c)
	return rr.r.Add(n, c)
}

func recipeNames() string {
	var out []string
	for _, i := range runner.Catalog() {
		out = append(out, string(i.Recipe))
	}
	return strings.Join(out, ", ")
}

// stepRecipe lets client c's held request out, times times, each once the
// previous one's effect is observed, and prints what every client did
// meanwhile: c's request and notes first, then those it woke.
func stepRecipe(ctx context.Context, env *Env, rr *recipeRun, a Args, out *Out) error {
	c := a.Arg(1)
	times, err := a.Int("times", 1)
	if err != nil || times < 1 {
		return errors.New("recipe step CLIENT [times=N]")
	}
	if !rr.has(c) {
		return fmt.Errorf("%s runs no client %q (it runs %s)", rr.name, c, strings.Join(rr.clients, " "))
	}
	for range times {
		if err := rr.settle(ctx, env); err != nil {
			return err
		}
		if _, ok := rr.r.Gate().PendingFor(c); !ok {
			return fmt.Errorf("%s has no request held: %s", c, viewNamed(rr.r.Snapshot(), c).NotHeld())
		}
		from := rr.log.len()
		if _, ok := rr.r.Step(c); !ok {
			return fmt.Errorf("%s had no request held", c)
		}
		err := rr.wait(ctx, env, c+"'s step", func() bool { return rr.log.finishedSince(from, c) && rr.settled(env) })
		for _, l := range rr.log.since(from, c) {
			out.Printf("%s", renderTokens(env, l))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (rr *recipeRun) has(c string) bool { return slices.Contains(rr.clients, c) }

// wait blocks until cond holds, woken by the runner's changes, or fails
// after a deadline the script's patience scales.
func (rr *recipeRun) wait(ctx context.Context, env *Env, what string, cond func() bool) error {
	deadline := time.NewTimer(env.Within(10 * time.Second))
	defer deadline.Stop()
	for {
		// The gate's own channel too: the runner relays gate changes from a
		// goroutine that can miss one that follows another closely (a
		// request let out, then the next one held).
		gch, ch := rr.r.Gate().Changed(), rr.r.Changed()
		if cond() {
			return nil
		}
		select {
		case <-gch:
		case <-ch:
		case <-deadline.C:
			return fmt.Errorf("timed out waiting for %s; now: %s", what, strings.ReplaceAll(rr.r.Snapshot().String(), "\n", "; "))
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// settle waits until nothing is on its way (see settled).
func (rr *recipeRun) settle(ctx context.Context, env *Env) error {
	return rr.wait(ctx, env, "every client to settle", func() bool { return rr.settled(env) })
}

var _ recipes.Tracer = (*stepLog)(nil)
