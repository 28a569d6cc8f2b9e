package demos

import (
	"context"
	"time"

	"coordtui/cluster/zk"
	"coordtui/lessons/script"
)

// Registry is the engine's builtins plus the demos' own commands.
func Registry() *script.Registry {
	r := script.Builtins()
	for _, c := range []script.Command{balancerCommand(), masterCommand(), taskCommand(), assignmentsCommand(), peersCommand()} {
		if err := r.Add(c); err != nil {
			panic(err) // a fixed table: a clash is a bug in this package
		}
	}
	for _, p := range []script.Predicate{balancerPredicate(), assignedPredicate(), leadersPredicate()} {
		if err := r.AddPredicate(p); err != nil {
			panic(err)
		}
	}
	return r
}

// actorTimeout is the session timeout of the demos' actors: short, so that
// a crash is noticed within a class's patience.
const actorTimeout = 2 * time.Second

func dial(ctx context.Context, env *script.Env, on, name string) (*zk.Client, error) {
	return env.Dial(ctx, on, name, actorTimeout)
}
