package script

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"coordtui/cluster/zk"
)

func clientCommands() []Command {
	return []Command{
		{Name: "client", Usage: "client NAME [on=MEMBER] [only] [readonly] [timeout=4s] | client NAME close|crash|freeze|thaw", Run: runClient,
			Help: "open a named session starting on a member (only: that member alone), or act on one"},
		{Name: "zk", Usage: "zk NAME COMMAND...", Run: runZK,
			Help: "run a zkCli command line on a named client and print what zkCli prints"},
		{Name: "events", Usage: "events NAME [n=N] [within=5s] [sorted]", Run: runEvents,
			Help: "print the watch events delivered to a client since the last time (waiting for n of them)"},
	}
}

func runClient(ctx context.Context, env *Env, st *Step, out *Out) error {
	a := st.Arguments()
	name := a.Arg(0)
	if name == "" {
		return errors.New("client NAME ...")
	}
	out.About(Concerns{Clients: []string{name}})
	switch verb := a.Arg(1); verb {
	case "close", "crash", "freeze", "thaw":
		return clientVerb(env, name, verb, out)
	}
	if _, err := env.need(); err != nil {
		return err
	}
	on := a.String("on", "n1")
	id, err := env.Member(on)
	if err != nil {
		return err
	}
	timeout, err := a.Duration("timeout", 4*time.Second)
	if err != nil {
		return err
	}
	c, err := env.connect(ctx, name, env.hostsFrom(id, a.Has("only")), a.Has("readonly"), timeout)
	if err != nil {
		return fmt.Errorf("%s could not connect: %w", name, err)
	}
	out.About(Concerns{Members: []uint64{id}})
	state, server := c.State()
	where := env.Said(on, id)
	if at := env.memberAt(server); at != id {
		where = env.MemberName(at) // its first member refused it
	}
	mode := "session"
	if state == zk.StateConnectedReadOnly {
		mode = "read-only session"
	}
	out.Printf("%s: %s on %s, timeout %v", name, mode, where, c.ZK().SessionTimeout())
	return nil
}

// clientVerb acts on an existing client.
func clientVerb(env *Env, name, verb string, out *Out) error {
	c, err := env.Client(name)
	if err != nil {
		return err
	}
	z := c.ZK()
	if z == nil {
		return fmt.Errorf("%s has no session", name)
	}
	switch verb {
	case "close":
		c.close()
		out.Printf("%s closed its session: its ephemerals are deleted now", name)
	case "crash":
		z.Crash()
		out.Printf("%s crashed: no goodbye, so its session lives until it times out", name)
	case "freeze":
		z.Freeze()
		out.Printf("%s frozen: it sends nothing, not even pings", name)
	case "thaw":
		z.Thaw()
		out.Printf("%s thawed", name)
	default:
		return fmt.Errorf("client %s %s: want close, crash, freeze or thaw", name, verb)
	}
	return nil
}

func runZK(ctx context.Context, env *Env, st *Step, out *Out) error {
	name := st.Arguments().Arg(0)
	c, err := env.Client(name)
	if err != nil {
		return err
	}
	line := rest(st.Raw, 1)
	if line == "" {
		return errors.New("zk NAME COMMAND...")
	}
	out.About(Concerns{Clients: []string{name}})
	out.Print(env.Render(c.exec(ctx, line)))
	return nil
}

func runEvents(ctx context.Context, env *Env, st *Step, out *Out) error {
	a := st.Arguments()
	name := a.Arg(0)
	c, err := env.Client(name)
	if err != nil {
		return err
	}
	n, err := a.Int("n", -1)
	if err != nil {
		return err
	}
	within, err := a.Duration("within", 5*time.Second)
	if err != nil {
		return err
	}
	out.About(Concerns{Clients: []string{name}})
	if n >= 0 {
		// A wait that times out is reported by the count printed below.
		_ = env.Poll(ctx, within, func() (bool, error) { return c.eventCount() >= n, nil })
	}
	evs := c.takeEvents()
	if a.Has("sorted") {
		slices.Sort(evs)
	}
	if n >= 0 {
		out.Claim(len(evs) == n, fmt.Sprintf("%s got %d watch event%s", name, n, plural(n)),
			fmt.Sprintf("%d", len(evs)))
	}
	for _, ev := range evs {
		out.Printf("%s: %s", name, env.Render(ev))
	}
	if len(evs) == 0 {
		out.Printf("%s: no watch events", name)
	}
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// describeState is a client's state as transcripts print it.
func describeState(s zk.State) string {
	return strings.ToLower(s.String())
}
