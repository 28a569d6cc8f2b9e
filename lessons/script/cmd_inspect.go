package script

import (
	"context"
	"fmt"
	"slices"

	"coordtui/tree"
)

func inspectCommands() []Command {
	return []Command{
		{Name: "zxid", Usage: "zxid", Run: runZxid,
			Help: "print the leader's last zxid, relative to the scenario's start"},
		{Name: "members", Usage: "members", Run: runMembers,
			Help: "print each member's role and whether it serves clients"},
	}
}

func inspectPredicates() []Predicate {
	return []Predicate{
		{Name: "watches", Usage: "watches PATH count=N [kind=data|exist|child|persistent|recursive]", Check: checkWatches,
			Help: "the members hold N watches on path, over every session (of one kind if given)"},
		{Name: "running", Usage: "running count=N", Check: checkRunning,
			Help: "N members are running (not crashed)"},
		{Name: "last-zxid", Usage: "last-zxid epoch=K | after=K", Check: checkLastZxid,
			Help: "the leader's last zxid is in the K-th epoch since the scenario started (or a later one)"},
	}
}

func runZxid(ctx context.Context, env *Env, st *Step, out *Out) error {
	l, err := env.leaderNode()
	if err != nil {
		return err
	}
	z := l.Status().LastZxid
	out.Printf("last zxid: %s", env.Zxid(z))
	return nil
}

func runMembers(ctx context.Context, env *Env, st *Step, out *Out) error {
	ens, err := env.need()
	if err != nil {
		return err
	}
	for _, id := range ens.IDs() {
		n := ens.Node(id)
		if n == nil {
			out.Printf("%s: down", env.MemberName(id))
			continue
		}
		s := n.Status()
		serving := "serving"
		if !s.Serving {
			serving = "not serving"
		}
		out.Printf("%s: %s, %s", env.MemberName(id), s.Role, serving)
	}
	return nil
}

func checkWatches(ctx context.Context, env *Env, a Args) (Observation, error) {
	ens, err := env.need()
	if err != nil {
		return Observation{}, err
	}
	path := a.Arg(0)
	want, err := a.Int("count", -1)
	if err != nil || want < 0 || path == "" {
		return Observation{}, fmt.Errorf("watches PATH count=N")
	}
	kind, hasKind := a.Get("kind")
	got := 0
	for _, id := range ens.IDs() {
		srv := ens.Server(id)
		if srv == nil || ens.Node(id) == nil {
			continue
		}
		for _, w := range srv.Watches() {
			if w.Path != path {
				continue
			}
			if !hasKind {
				got++
				continue
			}
			if slices.ContainsFunc(w.Kinds, func(k tree.WatchKind) bool { return k.String() == kind }) {
				got++
			}
		}
	}
	what := "watch"
	if hasKind {
		what = kind + " watch"
	}
	if want != 1 {
		what += "es"
	}
	return Observation{OK: got == want, Claim: fmt.Sprintf("%d %s on %s", want, what, path), Seen: fmt.Sprintf("%d", got)}, nil
}

func checkRunning(ctx context.Context, env *Env, a Args) (Observation, error) {
	ens, err := env.need()
	if err != nil {
		return Observation{}, err
	}
	want, err := a.Int("count", -1)
	if err != nil || want < 0 {
		return Observation{}, fmt.Errorf("running count=N")
	}
	got := len(ens.Nodes())
	return Observation{OK: got == want, Claim: fmt.Sprintf("%d of %d members running", want, len(ens.IDs())),
		Seen: fmt.Sprintf("%d running", got)}, nil
}

func checkLastZxid(ctx context.Context, env *Env, a Args) (Observation, error) {
	exact, err := a.Int("epoch", -1)
	if err != nil {
		return Observation{}, err
	}
	after, err := a.Int("after", -1)
	if err != nil || (exact < 0) == (after < 0) {
		return Observation{}, fmt.Errorf("last-zxid epoch=K or after=K")
	}
	l, err := env.leaderNode()
	if err != nil {
		return Observation{Seen: err.Error()}, nil
	}
	z := env.Zxid(l.Status().LastZxid)
	var got int
	fmt.Sscanf(z, "e%d:", &got)
	if exact >= 0 {
		return Observation{OK: got == exact, Claim: fmt.Sprintf("the last zxid is in epoch e%d", exact), Seen: z}, nil
	}
	return Observation{OK: got > after, Claim: fmt.Sprintf("the last zxid is in an epoch after e%d", after), Seen: z}, nil
}
