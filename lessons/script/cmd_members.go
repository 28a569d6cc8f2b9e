package script

import (
	"context"
	"errors"
	"fmt"
	"time"

	"coordtui/cluster"
	"coordtui/cluster/event"
	"coordtui/cluster/faultnet"
	"coordtui/tree"
)

func memberCommands() []Command {
	return []Command{
		{Name: "ensemble", Usage: "ensemble members=N", Run: runEnsemble,
			Help: "build a fresh ensemble of N members with client ports; n1 leads when it is ready"},
		{Name: "crash", Usage: "crash MEMBER [as=NAME]", Run: runCrash,
			Help: "stop a member as kill -9 would"},
		{Name: "restart", Usage: "restart MEMBER", Run: runRestart,
			Help: "start a crashed member again from its data"},
		{Name: "add", Usage: "add [observer] [as=NAME]", Run: runAdd,
			Help: "start a new member and add it to the configuration"},
		{Name: "remove", Usage: "remove MEMBER", Run: runRemove,
			Help: "take a member out of the configuration and stop it"},
		{Name: "elect", Usage: "elect MEMBER", Run: runElect,
			Help: "hand leadership to a member and wait until it leads"},
		{Name: "name", Usage: "name NAME MEMBER", Run: runName,
			Help: "give a member a name; transcripts print it from now on"},
		{Name: "speed", Usage: "speed FACTOR", Run: runSpeed,
			Help: "stretch raft's timeouts (slow motion); 1 is normal"},
		{Name: "write", Usage: "write MEMBER PATH DATA [expect=committed|refused] [within=3s]", Run: runWrite,
			Help: "write through a member directly, as the ensemble itself, and report whether it committed"},
	}
}

func runEnsemble(ctx context.Context, env *Env, st *Step, out *Out) error {
	a := st.Arguments()
	n, err := a.Int("members", 3)
	if err != nil {
		return err
	}
	env.reset()
	bus := env.cfg.Events
	if bus == nil {
		bus = event.NewBus(4096)
	}
	names := env.names
	ens, err := cluster.NewEnsemble(cluster.EnsembleConfig{
		Members: n, Timing: env.cfg.Timing, Sessions: cluster.SessionConfig{TickTime: env.cfg.TickTime},
		Links: faultnet.NewLinks(bus, 1), Events: bus, LogOutput: env.cfg.LogOutput,
		Client: &cluster.ServerConfig{FourLetterWords: []string{"*"}, Version: "lesson"},
		// Epochs are numbered by the transactions they carried, seen as
		// they are applied (see names.zxid).
		OnApply: func(_ uint64, _ *tree.Tree, a *cluster.Applied) { names.saw(a.Txn.Zxid) },
	})
	if err != nil {
		return err
	}
	env.mu.Lock()
	env.ens, env.bus = ens, bus
	speed := env.speed
	env.mu.Unlock()
	if speed != 1 {
		if err := ens.SetSpeed(speed); err != nil {
			return err
		}
	}
	for _, id := range ens.IDs() {
		env.names.addr(ens.ClientAddr(id), fmt.Sprintf("n%d", id))
		if node := ens.Node(id); node != nil {
			env.names.addr(node.Addr(), fmt.Sprintf("n%d", id))
		}
	}
	// Which member wins the first election is chance; the scenario starts
	// from n1 leading so that every run tells the same story.
	if err := electAndSettle(ctx, env, 1, 30*time.Second); err != nil {
		return err
	}
	l, _ := env.leaderNode()
	env.names.setBase(l.Status().LastZxid)
	if env.cfg.OnEnsemble != nil {
		env.cfg.OnEnsemble(env)
	}
	if n == 1 {
		out.Printf("ensemble of 1: n1 leads alone")
	} else {
		out.Printf("ensemble of %d: n1 leads; %s follow", n, env.MemberNames(ens.IDs()[1:]))
	}
	out.About(Concerns{Members: ens.IDs()})
	return nil
}

// electAndSettle makes member id the leader and waits until every running
// member follows it, serves clients and has applied everything.
func electAndSettle(ctx context.Context, env *Env, id uint64, within time.Duration) error {
	ens := env.Ensemble()
	return env.Poll(ctx, within, func() (bool, error) {
		l := newestLeader(ens)
		if l == nil {
			return false, nil
		}
		if l.ID() != id {
			tctx, cancel := context.WithTimeout(ctx, env.Within(5*time.Second))
			_ = ens.TransferLeadership(tctx, id) // retried until it took
			cancel()
			return false, nil
		}
		return settled(ens, l), nil
	})
}

// settled reports whether every running member serves under leader l and
// has applied all that l has.
func settled(ens *cluster.Ensemble, l *cluster.Node) bool {
	ls := l.Status()
	for _, n := range ens.Nodes() {
		st := n.Status()
		if !st.Serving || st.Leader != ls.ID || st.LastZxid != ls.LastZxid {
			return false
		}
	}
	return true
}

func runCrash(ctx context.Context, env *Env, st *Step, out *Out) error {
	a := st.Arguments()
	sel := a.Arg(0)
	id, err := env.Member(sel)
	if err != nil {
		return err
	}
	if name, ok := a.Get("as"); ok {
		if err := env.Alias(name, id); err != nil {
			return err
		}
	}
	if err := env.Ensemble().Crash(id); err != nil {
		return err
	}
	out.About(Concerns{Members: []uint64{id}})
	out.Printf("crashed %s", env.Said(sel, id))
	return nil
}

func runRestart(ctx context.Context, env *Env, st *Step, out *Out) error {
	sel := st.Arguments().Arg(0)
	id, err := env.Member(sel)
	if err != nil {
		return err
	}
	ens := env.Ensemble()
	if err := ens.Restart(id); err != nil {
		return err
	}
	if node := ens.Node(id); node != nil {
		env.names.addr(node.Addr(), fmt.Sprintf("n%d", id))
	}
	env.names.addr(ens.ClientAddr(id), fmt.Sprintf("n%d", id))
	out.About(Concerns{Members: []uint64{id}})
	out.Printf("restarted %s from its data dir", env.Said(sel, id))
	return nil
}

func runAdd(ctx context.Context, env *Env, st *Step, out *Out) error {
	ens, err := env.need()
	if err != nil {
		return err
	}
	a := st.Arguments()
	actx, cancel := context.WithTimeout(ctx, env.Within(30*time.Second))
	defer cancel()
	id, err := ens.Add(actx, a.Has("observer"))
	if err != nil {
		return err
	}
	env.names.addr(ens.ClientAddr(id), fmt.Sprintf("n%d", id))
	if node := ens.Node(id); node != nil {
		env.names.addr(node.Addr(), fmt.Sprintf("n%d", id))
	}
	if name, ok := a.Get("as"); ok {
		if err := env.Alias(name, id); err != nil {
			return err
		}
	}
	out.About(Concerns{Members: []uint64{id}})
	role := "a voter"
	if a.Has("observer") {
		role = "an observer"
	}
	out.Printf("added %s as %s", env.MemberName(id), role)
	return nil
}

func runRemove(ctx context.Context, env *Env, st *Step, out *Out) error {
	sel := st.Arguments().Arg(0)
	id, err := env.Member(sel)
	if err != nil {
		return err
	}
	rctx, cancel := context.WithTimeout(ctx, env.Within(30*time.Second))
	defer cancel()
	if err := env.Ensemble().Remove(rctx, id); err != nil {
		return err
	}
	out.About(Concerns{Members: []uint64{id}})
	out.Printf("removed %s from the configuration", env.Said(sel, id))
	return nil
}

func runElect(ctx context.Context, env *Env, st *Step, out *Out) error {
	sel := st.Arguments().Arg(0)
	id, err := env.Member(sel)
	if err != nil {
		return err
	}
	if err := electAndSettle(ctx, env, id, 30*time.Second); err != nil {
		return fmt.Errorf("%s did not take over: %w", env.Said(sel, id), err)
	}
	out.About(Concerns{Members: []uint64{id}})
	out.Printf("%s leads", env.Said(sel, id))
	return nil
}

func runName(ctx context.Context, env *Env, st *Step, out *Out) error {
	a := st.Arguments()
	name, sel := a.Arg(0), a.Arg(1)
	id, err := env.Member(sel)
	if err != nil {
		return err
	}
	out.About(Concerns{Members: []uint64{id}})
	return env.Alias(name, id)
}

func runSpeed(ctx context.Context, env *Env, st *Step, out *Out) error {
	if _, err := env.need(); err != nil {
		return err
	}
	var f float64
	if _, err := fmt.Sscan(st.Arguments().Arg(0), &f); err != nil || f < 1 {
		return fmt.Errorf("speed wants a factor >= 1, got %q", st.Arguments().Arg(0))
	}
	if err := env.SetSpeed(f); err != nil {
		return err
	}
	if f == 1 {
		out.Printf("normal speed")
	} else {
		out.Printf("slow motion: raft's timeouts x%g", f)
	}
	return nil
}

// runWrite proposes a write through one member as the ensemble itself
// (session 0): setData, or create when the node does not exist. Whether it
// commits is the claim when expect= is given; the reason it did not is
// timing-dependent (no leader, leader unreachable, a deadline) and shown
// only when the claim fails.
func runWrite(ctx context.Context, env *Env, st *Step, out *Out) error {
	a := st.Arguments()
	sel := a.Arg(0)
	id, err := env.Member(sel)
	if err != nil {
		return err
	}
	path, data := a.Arg(1), a.Arg(2)
	if path == "" {
		return errors.New("write MEMBER PATH DATA")
	}
	within, err := a.Duration("within", 3*time.Second)
	if err != nil {
		return err
	}
	node := env.Ensemble().Node(id)
	out.About(Concerns{Members: []uint64{id}, Znodes: []string{path}})
	name := env.Said(sel, id)
	var app *cluster.Applied
	if node == nil {
		err = errors.New("member is down")
	} else {
		wctx, cancel := context.WithTimeout(ctx, env.Within(within))
		app, err = node.Write(wctx, 0, nil, tree.Op{Type: tree.OpSetData, Path: path, Data: []byte(data), Version: -1})
		if err == nil && app.Result.Err == tree.ErrNoNode {
			app, err = node.Write(wctx, 0, nil, tree.Op{Type: tree.OpCreate, Path: path, Data: []byte(data), ACL: tree.OpenACL})
		}
		cancel()
	}
	committed := err == nil && app.Result.Err == tree.OK
	switch expect := a.String("expect", ""); expect {
	case "":
		if committed {
			out.Printf("write %s=%s through %s: committed as %s", path, data, name, env.Zxid(app.Txn.Zxid))
		} else {
			out.Printf("write %s=%s through %s: not committed", path, data, name)
		}
	case "committed":
		out.Claim(committed, fmt.Sprintf("write %s=%s through %s commits", path, data, name), failure(err, app))
	case "refused":
		out.Claim(!committed, fmt.Sprintf("write %s=%s through %s is not committed", path, data, name), "it committed")
	default:
		return fmt.Errorf("expect=%s: want committed or refused", expect)
	}
	return nil
}

func failure(err error, app *cluster.Applied) string {
	if err != nil {
		return err.Error()
	}
	if app != nil && app.Result.Err != tree.OK {
		return app.Result.Err.Error()
	}
	return ""
}
