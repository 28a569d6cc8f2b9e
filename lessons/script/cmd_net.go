package script

import (
	"context"
	"fmt"
	"strings"

	"coordtui/cluster"
)

func netCommands() []Command {
	return []Command{
		{Name: "split", Usage: "split A,B | C,D,E [as=LEFT,RIGHT]", Run: runSplit,
			Help: "cut every link between the two sides, both ways"},
		{Name: "isolate", Usage: "isolate MEMBER", Run: runIsolate,
			Help: "cut every link between a member and all others"},
		{Name: "cut", Usage: "cut FROM->TO", Run: runCut,
			Help: "cut one direction of one link: TO hears nothing FROM sends"},
		{Name: "heal", Usage: "heal", Run: runHeal,
			Help: "lift every network fault"},
	}
}

func peerNames(ids []uint64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(cluster.ServerID(id))
	}
	return out
}

func runSplit(ctx context.Context, env *Env, st *Step, out *Out) error {
	ens, err := env.need()
	if err != nil {
		return err
	}
	raw := st.Raw
	var groups []string
	if i := strings.Index(raw, " as="); i >= 0 {
		groups = strings.Split(strings.TrimSpace(raw[i+4:]), ",")
		raw = raw[:i]
	}
	lhs, rhs, ok := strings.Cut(raw, "|")
	if !ok {
		return fmt.Errorf("split A,B | C,D,E: no '|'")
	}
	side := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
	}
	left, err := env.Members(side(lhs))
	if err != nil {
		return err
	}
	both, err := env.Members(append(side(lhs), side(rhs)...))
	if err != nil {
		return err
	}
	right := both[len(left):]
	if len(left) == 0 || len(right) == 0 {
		return fmt.Errorf("split needs members on both sides")
	}
	if len(groups) == 2 {
		if err := env.Group(groups[0], left); err != nil {
			return err
		}
		if err := env.Group(groups[1], right); err != nil {
			return err
		}
	}
	ens.Links().Split(peerNames(left), peerNames(right))
	out.About(Concerns{Members: both})
	out.Printf("split: %s | %s", strings.Join(side(lhs), " "), strings.Join(side(rhs), " "))
	return nil
}

func runIsolate(ctx context.Context, env *Env, st *Step, out *Out) error {
	sel := st.Arguments().Arg(0)
	id, err := env.Member(sel)
	if err != nil {
		return err
	}
	env.Ensemble().Links().Isolate(string(cluster.ServerID(id)))
	out.About(Concerns{Members: []uint64{id}})
	out.Printf("isolated %s: it hears no one and no one hears it", env.Said(sel, id))
	return nil
}

func runCut(ctx context.Context, env *Env, st *Step, out *Out) error {
	from, to, ok := strings.Cut(st.Arguments().Arg(0), "->")
	if !ok {
		return fmt.Errorf("cut FROM->TO")
	}
	ids, err := env.Members([]string{from, to})
	if err != nil {
		return err
	}
	env.Ensemble().Links().CutOneWay(string(cluster.ServerID(ids[0])), string(cluster.ServerID(ids[1])))
	out.About(Concerns{Members: ids})
	a, b := env.Said(from, ids[0]), env.Said(to, ids[1])
	out.Printf("cut %s->%s: %s hears nothing from %s; the other way still works", a, b, b, a)
	return nil
}

func runHeal(ctx context.Context, env *Env, st *Step, out *Out) error {
	ens, err := env.need()
	if err != nil {
		return err
	}
	ens.Links().HealAll()
	out.Printf("healed: every link works again")
	return nil
}
