package script

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Command is one verb of the script language. Recipe steps, the demos'
// master and balancer, anything a later package needs, are Commands added
// to a Registry; the engine knows nothing else about them.
type Command struct {
	Name  string
	Usage string // "crash MEMBER [as=NAME]"
	Help  string // one line: what it does
	// Run executes st against env. It writes its transcript to out — only
	// what does not depend on scheduling — and makes its claims with
	// out.Claim. An error is a script mistake or a failure that ends the
	// step; the Runner prints it into the transcript and counts it as a
	// failed claim. Run is called on the Runner's goroutine, one step at
	// a time; ctx ends when the player stops.
	Run func(ctx context.Context, env *Env, st *Step, out *Out) error
}

// Predicate is something wait and assert can observe: a leader, a znode,
// a worker's state. Check looks once and must not block for long; wait
// calls it until it holds or the deadline passes.
type Predicate struct {
	Name  string
	Usage string
	Help  string
	Check func(ctx context.Context, env *Env, args Args) (Observation, error)
}

// Observation is what one Check saw.
type Observation struct {
	OK bool
	// Claim says what holds, in words that do not depend on scheduling
	// ("L2 leads, one of n3 n4 n5"); it is printed when OK.
	Claim string
	// Seen says what was observed instead; it is printed when not OK.
	Seen string
	// Member is the member the claim is about (0: none), for as=NAME.
	Member uint64
}

// Registry holds the commands and predicates a Runner understands. It is
// filled before a Runner starts and only read afterwards.
type Registry struct {
	cmds  map[string]Command
	preds map[string]Predicate
}

// NewRegistry returns an empty registry; Builtins returns one with the
// engine's own commands.
func NewRegistry() *Registry {
	return &Registry{cmds: map[string]Command{}, preds: map[string]Predicate{}}
}

// Add registers c; a name may be registered once.
func (r *Registry) Add(c Command) error {
	if c.Name == "" || c.Run == nil {
		return fmt.Errorf("script: command %q needs a name and Run", c.Name)
	}
	if _, dup := r.cmds[c.Name]; dup {
		return fmt.Errorf("script: command %q registered twice", c.Name)
	}
	r.cmds[c.Name] = c
	return nil
}

// AddPredicate registers p for wait and assert; a name may be registered once.
func (r *Registry) AddPredicate(p Predicate) error {
	if p.Name == "" || p.Check == nil {
		return fmt.Errorf("script: predicate %q needs a name and Check", p.Name)
	}
	if _, dup := r.preds[p.Name]; dup {
		return fmt.Errorf("script: predicate %q registered twice", p.Name)
	}
	r.preds[p.Name] = p
	return nil
}

// Command returns the command called name.
func (r *Registry) Command(name string) (Command, bool) {
	c, ok := r.cmds[name]
	return c, ok
}

// Predicate returns the predicate called name.
func (r *Registry) Predicate(name string) (Predicate, bool) {
	p, ok := r.preds[name]
	return p, ok
}

// Commands lists the commands by name.
func (r *Registry) Commands() []Command {
	out := make([]Command, 0, len(r.cmds))
	for _, c := range r.cmds {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Command) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Predicates lists the predicates by name.
func (r *Registry) Predicates() []Predicate {
	out := make([]Predicate, 0, len(r.preds))
	for _, p := range r.preds {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b Predicate) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Clone copies the registry, so a caller can extend the builtins without
// changing anyone else's.
func (r *Registry) Clone() *Registry {
	c := NewRegistry()
	for k, v := range r.cmds {
		c.cmds[k] = v
	}
	for k, v := range r.preds {
		c.preds[k] = v
	}
	return c
}

// Check finds mistakes a script would only hit when it reaches them:
// unknown commands and unknown predicates.
func (r *Registry) Check(s *Script) error {
	var errs []string
	for _, st := range s.Steps {
		if _, ok := r.cmds[st.Cmd]; !ok {
			errs = append(errs, fmt.Sprintf("%s:%d: unknown command %q", s.Name, st.Line, st.Cmd))
			continue
		}
		if st.Cmd == "wait" || st.Cmd == "assert" {
			if len(st.Args) == 0 {
				errs = append(errs, fmt.Sprintf("%s:%d: %s what?", s.Name, st.Line, st.Cmd))
			} else if _, ok := r.preds[st.Args[0].Value]; !ok || st.Args[0].Key != "" {
				errs = append(errs, fmt.Sprintf("%s:%d: unknown predicate %q", s.Name, st.Line, st.Args[0]))
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return nil
}

// Builtins returns a fresh registry holding the engine's commands and
// predicates. Callers add theirs to it (or to a Clone).
func Builtins() *Registry {
	r := NewRegistry()
	for _, group := range [][]Command{teachCommands(), memberCommands(), netCommands(),
		clientCommands(), workerCommands(), checkCommands(), measureCommands(), inspectCommands(), varCommands(), lockCommands(), recipeCommands(), {herdCommand()}} {
		for _, c := range group {
			if err := r.Add(c); err != nil {
				panic(err) // the builtins are a fixed table; a duplicate is a bug here
			}
		}
	}
	for _, p := range append(append(append(builtinPredicates(), inspectPredicates()...), lockPredicates()...), recipePredicates()...) {
		if err := r.AddPredicate(p); err != nil {
			panic(err)
		}
	}
	return r
}
