package script

import (
	"context"
	"errors"
	"fmt"
	"time"

	"coordtui/cluster/zk"
	"coordtui/recipes"
	"coordtui/tree"
)

// Commands built on recipes: a lock holder with a fencing token and the
// storage it writes to. They are the first of the recipe steps; more
// (elections, barriers, queues, stepping a recipe through recipes.StepGate)
// are Commands like these.

func lockCommands() []Command { return []Command{lockerCommand(), resourceCommand()} }

func lockPredicates() []Predicate { return []Predicate{holdsPredicate()} }

// A locker is a session with a recipes.Mutex on /lock and a two-second
// session; resources are recipes.ProtectedResource, fenced or not.

type locker struct {
	name  string
	c     *zk.Client
	m     *recipes.Mutex
	token recipes.Token // the last token it was given, kept as a process would
	done  chan error
}

func lockerKey(name string) string   { return "script.locker." + name }
func resourceKey(name string) string { return "script.resource." + name }

func lockerCommand() Command {
	return Command{Name: "locker", Usage: "locker NAME on=MEMBER | locker NAME freeze|thaw | locker NAME write RESOURCE VALUE",
		Help: "a session that takes the lock /lock (recipes.Mutex) and writes to a resource with its fencing token",
		Run:  runLocker}
}

func resourceCommand() Command {
	return Command{Name: "resource", Usage: "resource NAME fenced|unfenced",
		Help: "a storage service the lock protects; a fenced one refuses tokens older than the newest it saw",
		Run:  runResource}
}

func holdsPredicate() Predicate {
	return Predicate{Name: "holds", Usage: "holds NAME", Check: checkHolds,
		Help: "the locker holds the lock"}
}

func runResource(ctx context.Context, env *Env, st *Step, out *Out) error {
	a := st.Arguments()
	name := a.Arg(0)
	switch a.Arg(1) {
	case "fenced":
		env.SetValue(resourceKey(name), recipes.NewProtectedResource(name))
		out.Printf("%s refuses any token older than the newest it has seen", name)
	case "unfenced":
		env.SetValue(resourceKey(name), recipes.NewUnsafeUnfencedResource(name))
		out.Printf("%s takes every write, whatever the token", name)
	default:
		return errors.New("resource NAME fenced|unfenced")
	}
	return nil
}

func runLocker(ctx context.Context, env *Env, st *Step, out *Out) error {
	a := st.Arguments()
	name := a.Arg(0)
	v, exists := env.Value(lockerKey(name))
	switch verb := a.Arg(1); {
	case verb == "" && !exists:
		return startLocker(ctx, env, name, a.String("on", "n1"), out)
	case !exists:
		return fmt.Errorf("no locker %q", name)
	case verb == "freeze":
		v.(*locker).c.Freeze()
		out.Printf("%s frozen, as in a long GC pause: it sends nothing, not even pings", name)
	case verb == "thaw":
		v.(*locker).c.Thaw()
		out.Printf("%s thawed; it carries on from where it stopped", name)
	case verb == "write":
		return lockerWrite(env, v.(*locker), a.Arg(2), a.Arg(3), out)
	default:
		return fmt.Errorf("locker %s %s: want freeze, thaw or write", name, verb)
	}
	return nil
}

func startLocker(ctx context.Context, env *Env, name, on string, out *Out) error {
	c, err := env.Dial(ctx, on, name, 2*time.Second)
	if err != nil {
		return err
	}
	l := &locker{name: name, c: c, m: recipes.NewMutex(c, "/lock", recipes.WithName(name)), done: make(chan error, 1)}
	lctx, cancel := context.WithCancel(context.Background())
	env.OnReset(func() { cancel(); <-l.done; c.Close() })
	env.SetValue(lockerKey(name), l)
	go func() {
		_, err := l.m.Acquire(lctx)
		l.done <- err
	}()
	// Either it gets the lock, or it queues behind someone: wait for one.
	err = env.Poll(ctx, 10*time.Second, func() (bool, error) {
		v := l.m.View()
		return v.Holds || v.Waits != "", nil
	})
	if err != nil {
		return fmt.Errorf("%s neither holds nor waits: %w", name, err)
	}
	if v := l.m.View(); v.Holds {
		out.Printf("%s holds /lock with token %s", name, env.Zxid(tree.Zxid(v.Token)))
	} else {
		out.Printf("%s waits for /lock", name)
	}
	return nil
}

// lockerWrite writes as a process would: with the last token it was
// given, without asking anyone whether it still holds the lock (a pause
// can fall between such a check and the write anyway).
func lockerWrite(env *Env, l *locker, resource, value string, out *Out) error {
	v, ok := env.Value(resourceKey(resource))
	if !ok {
		return fmt.Errorf("no resource %q", resource)
	}
	r := v.(*recipes.ProtectedResource)
	if t := l.m.Token(); t != 0 {
		l.token = t
	}
	if l.token == 0 {
		return fmt.Errorf("%s never held the lock", l.name)
	}
	tok := env.Zxid(tree.Zxid(l.token))
	if err := r.Write(l.name, l.token, value); err != nil {
		if errors.Is(err, recipes.ErrStaleToken) {
			out.Printf("%s refused %s's write %q: token %s is older than one it has seen", resource, l.name, value, tok)
			return nil
		}
		return err
	}
	out.Printf("%s accepted %s's write %q with token %s", resource, l.name, value, tok)
	if s := r.Snapshot(); len(s.Violations) > 0 {
		out.Printf("%s: two holders wrote over each other", resource)
	}
	return nil
}

func checkHolds(ctx context.Context, env *Env, a Args) (Observation, error) {
	name := a.Arg(0)
	v, ok := env.Value(lockerKey(name))
	if !ok {
		return Observation{}, fmt.Errorf("no locker %q", name)
	}
	l := v.(*locker)
	view := l.m.View()
	if view.Holds {
		l.token = view.Token
	}
	return Observation{OK: view.Holds, Claim: name + " holds /lock", Seen: view.String()}, nil
}
