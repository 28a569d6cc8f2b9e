package script

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"coordtui/recipes"
)

// Predicates on the running recipe, for wait and assert. They read the
// runner's snapshot — what the clients believe and do — and the resource's
// record; the ensemble's own view is for znode, watches and notifications.

func recipePredicates() []Predicate {
	return []Predicate{
		{Name: "holder", Usage: "holder C", Check: checkHolder,
			Help: "client C of the running recipe holds its lock or lease, or believes it leads"},
		{Name: "holders", Usage: "holders count=N", Check: checkHolders,
			Help: "exactly N clients of the running recipe hold or lead at once"},
		{Name: "waits", Usage: "waits C [on D]", Check: checkWaits,
			Help: "client C waits on a watch (for client D's node, if given)"},
		{Name: "next", Usage: "next C [KIND]", Check: checkNext,
			Help: "client C is held at the gate with its next request (of KIND: create, children, exists, delete, use ...)"},
		{Name: "finished", Usage: "finished C", Check: checkFinished,
			Help: "client C's loop has ended (its rounds are done, or it failed)"},
		{Name: "overlapped", Usage: "overlapped", Check: checkOverlapped,
			Help: "the resource saw two clients inside it at once: mutual exclusion broke"},
	}
}

func running(env *Env) (*recipeRun, error) {
	v, ok := env.Value(recipeKey)
	if !ok || v == nil {
		return nil, errors.New("no recipe running (recipe start NAME clients=c1,c2 first)")
	}
	return v.(*recipeRun), nil
}

// clientOf returns the running recipe and client c's view.
func clientOf(env *Env, c string) (*recipeRun, bool, error) {
	rr, err := running(env)
	if err != nil {
		return nil, false, err
	}
	if !rr.has(c) {
		return nil, false, fmt.Errorf("%s runs no client %q", rr.name, c)
	}
	return rr, true, nil
}

func checkHolder(ctx context.Context, env *Env, a Args) (Observation, error) {
	c := a.Arg(0)
	rr, _, err := clientOf(env, c)
	if err != nil {
		return Observation{}, err
	}
	v := viewNamed(rr.r.Snapshot(), c)
	return Observation{OK: v.Holds, Claim: c + " holds or leads (" + string(rr.name) + ")",
		Seen: renderTokens(env, clientLine(v))}, nil
}

func checkHolders(ctx context.Context, env *Env, a Args) (Observation, error) {
	rr, err := running(env)
	if err != nil {
		return Observation{}, err
	}
	n, err := a.Int("count", -1)
	if err != nil || n < 0 {
		return Observation{}, errors.New("holders count=N")
	}
	s := rr.r.Snapshot()
	claim := fmt.Sprintf("%d client%s hold%s or lead%s at once", n, plural(n), verbS(n), verbS(n))
	if n > 0 {
		claim += ": " + strings.Join(s.Leaders, " ")
	}
	return Observation{OK: len(s.Leaders) == n, Claim: claim,
		Seen: fmt.Sprintf("%d: %s", len(s.Leaders), strings.Join(s.Leaders, " "))}, nil
}

func verbS(n int) string {
	if n == 1 {
		return "s"
	}
	return ""
}

func checkWaits(ctx context.Context, env *Env, a Args) (Observation, error) {
	c := a.Arg(0)
	rr, _, err := clientOf(env, c)
	if err != nil {
		return Observation{}, err
	}
	on := ""
	if a.Arg(1) == "on" {
		on = a.Arg(2)
	} else if a.Arg(1) != "" {
		return Observation{}, errors.New("waits C [on D]")
	}
	s := rr.r.Snapshot()
	v := viewNamed(s, c)
	if on == "" {
		return Observation{OK: v.Waiting != "", Claim: c + " waits for " + v.Waiting, Seen: renderTokens(env, clientLine(v))}, nil
	}
	for _, w := range s.WaitFor {
		if strings.HasPrefix(w, c+" waits for "+on+" (") {
			return Observation{OK: true, Claim: w}, nil
		}
	}
	return Observation{Claim: c + " waits for " + on, Seen: renderTokens(env, clientLine(v))}, nil
}

func checkNext(ctx context.Context, env *Env, a Args) (Observation, error) {
	c := a.Arg(0)
	rr, _, err := clientOf(env, c)
	if err != nil {
		return Observation{}, err
	}
	kind := recipes.Kind(a.Arg(1))
	s, ok := rr.r.Gate().PendingFor(c)
	s.Recipe = ""
	if ok && (kind == "" || s.Kind == kind) {
		return Observation{OK: true, Claim: "held next: " + renderTokens(env, s.String())}, nil
	}
	claim := c + " is held with its next request"
	if kind != "" {
		claim = c + " is held before a " + string(kind)
	}
	return Observation{Claim: claim, Seen: renderTokens(env, clientLine(viewNamed(rr.r.Snapshot(), c)))}, nil
}

func checkFinished(ctx context.Context, env *Env, a Args) (Observation, error) {
	c := a.Arg(0)
	rr, _, err := clientOf(env, c)
	if err != nil {
		return Observation{}, err
	}
	v := viewNamed(rr.r.Snapshot(), c)
	return Observation{OK: v.Done, Claim: c + "'s loop has ended", Seen: renderTokens(env, clientLine(v))}, nil
}

func checkOverlapped(ctx context.Context, env *Env, a Args) (Observation, error) {
	rr, err := running(env)
	if err != nil {
		return Observation{}, err
	}
	s := rr.r.Resource().Snapshot()
	return Observation{OK: len(s.Violations) > 0,
		Claim: s.Name + " saw two clients inside it at once",
		Seen:  renderTokens(env, resourceLine(s))}, nil
}
