package script

import (
	"context"
	"fmt"
	"time"
)

func checkCommands() []Command {
	return []Command{
		{Name: "wait", Usage: "wait PREDICATE ARGS... [within=10s]", Run: runWait,
			Help: "wait until the ensemble shows the predicate, or fail the claim at the deadline"},
		{Name: "assert", Usage: "assert PREDICATE ARGS...", Run: runAssert,
			Help: "check the predicate now; a claim that fails fails the run"},
	}
}

// predicateOf splits "wait leader in=..." into the predicate and its args.
func predicateOf(env *Env, st *Step) (Predicate, Args, error) {
	args := st.Arguments()
	if len(args) == 0 {
		return Predicate{}, nil, fmt.Errorf("%s what?", st.Cmd)
	}
	p, ok := env.reg.Predicate(args[0].Value)
	if !ok || args[0].Key != "" {
		return Predicate{}, nil, fmt.Errorf("unknown predicate %q", args[0])
	}
	return p, args[1:], nil
}

func runWait(ctx context.Context, env *Env, st *Step, out *Out) error {
	p, args, err := predicateOf(env, st)
	if err != nil {
		return err
	}
	within, err := args.Duration("within", 10*time.Second)
	if err != nil {
		return err
	}
	// A check may fail for a while for reasons that pass (no leader to
	// resolve "leader" against during an election): keep looking, and
	// report the last reason if the deadline comes first.
	var last Observation
	var lastErr error
	_ = env.Poll(ctx, within, func() (bool, error) {
		last, lastErr = p.Check(ctx, env, args)
		return lastErr == nil && last.OK, nil
	})
	if lastErr != nil {
		last = Observation{Claim: p.Name + " " + joinArgs(args), Seen: lastErr.Error()}
	}
	return settle(env, p, args, last, nil, out)
}

func runAssert(ctx context.Context, env *Env, st *Step, out *Out) error {
	p, args, err := predicateOf(env, st)
	if err != nil {
		return err
	}
	o, err := p.Check(ctx, env, args)
	return settle(env, p, args, o, err, out)
}

// settle turns the last observation into the step's claim. A check that
// errs because the script is wrong is an error; one that simply did not
// hold in time is a failed claim.
func settle(env *Env, p Predicate, args Args, o Observation, err error, out *Out) error {
	if err != nil && o.Claim == "" && o.Seen == "" {
		return err
	}
	if o.OK && o.Member != 0 {
		if name, ok := args.Get("as"); ok {
			if err := env.Alias(name, o.Member); err != nil {
				return err
			}
		}
		out.About(Concerns{Members: []uint64{o.Member}})
	}
	claim := o.Claim
	if claim == "" {
		claim = p.Name + " " + joinArgs(args)
	}
	out.Claim(o.OK, claim, o.Seen)
	return nil
}

func joinArgs(a Args) string {
	s := ""
	for i, x := range a {
		if i > 0 {
			s += " "
		}
		s += x.String()
	}
	return s
}
