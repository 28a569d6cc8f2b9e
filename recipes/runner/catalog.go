package runner

import (
	"fmt"
	"slices"

	"coordtui/recipes"
)

// Recipe names what the runner can run.
type Recipe string

// The recipes the runner knows. Names starting with "unsafe-" are the
// teaching versions that break.
const (
	Lock            Recipe = "lock"
	Semaphore       Recipe = "semaphore"
	Latch           Recipe = "leader-latch"
	Counter         Recipe = "counter"
	HerdLock        Recipe = "unsafe-herd-lock"
	UnfencedLock    Recipe = "unsafe-unfenced-lock"
	CheckThenCreate Recipe = "unsafe-check-then-create"
	Heartbeat       Recipe = "unsafe-heartbeat"
)

// Info describes a recipe for a picker.
type Info struct {
	Recipe  Recipe
	Summary string
	Unsafe  bool
	Program recipes.Program // the recipe's own lines and the runner's loop around them
}

// String: "lock — Mutex: wait for your predecessor; fenced writes".
func (i Info) String() string {
	s := fmt.Sprintf("%s — %s", i.Recipe, i.Summary)
	if i.Unsafe {
		s += " (UNSAFE)"
	}
	return s
}

// withLoop adds the runner's loop to a recipe's program: the use of what
// the recipe gave (a write to the resource), leaving the resource, and
// going round again. The recipe's release line (if any) runs between
// leaving and going round.
func withLoop(p recipes.Program, use string) recipes.Program {
	out := slices.Clone(p)
	if use != "" {
		out = append(out, use, leaveLine)
	}
	return append(out, "go round again")
}

const leaveLine = "leave the resource (then release)"

const fencedUse = "use: write to the resource with my token (it refuses stale tokens)"

var catalog = []Info{
	{Lock, "Mutex: each waiter watches its predecessor; fenced writes", false,
		withLoop(recipes.MutexProgram, fencedUse)},
	{Semaphore, "two leases at a time; waiters queue on the semaphore's lock", false,
		append(slices.Clone(recipes.SemaphoreProgram), "use: work while holding a lease", "go round again")},
	{Latch, "LeaderLatch: the lowest node leads; fenced writes while leading", false,
		withLoop(recipes.LeaderLatchProgram, fencedUse)},
	{Counter, "shared counter: compare-and-set, retry on a version conflict", false,
		withLoop(recipes.CounterProgram, "")},
	{HerdLock, "everyone watches the lock node: each release wakes every waiter", true,
		withLoop(recipes.UnsafeHerdLockProgram, fencedUse)},
	{UnfencedLock, "a lock without a token: a paused holder's stale write is accepted", true,
		withLoop(recipes.MutexProgram, "use: write to the resource (no token to check)")},
	{CheckThenCreate, "look for a leader, then create one: two can both find none", true,
		withLoop(recipes.UnsafeCheckThenCreateProgram, "use: write to the resource as leader (no token)")},
	{Heartbeat, "peers judge each other by heartbeats: a slow peer looks dead", true,
		withLoop(recipes.UnsafeHeartbeatProgram, "use: if I lead, write to the resource (no token)")},
}

// Catalog lists every recipe the runner can run.
func Catalog() []Info { return slices.Clone(catalog) }

func lookup(r Recipe) (Info, bool) {
	for _, i := range catalog {
		if i.Recipe == r {
			return i, true
		}
	}
	return Info{}, false
}
