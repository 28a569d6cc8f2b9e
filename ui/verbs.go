package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// consoleVerbs are the console's own commands, typed on the command line
// beside zkCli's; each does what a key does, for scripts and tests.
var consoleVerbs = map[string]string{
	"workers":   "workers N       start N workers",
	"crash":     "crash nX        crash member X",
	"restart":   "restart nX      restart member X",
	"kill":      "kill leader     crash the leader",
	"partition": "partition       put the leader in a minority",
	"isolate":   "isolate nX      cut member X off",
	"heal":      "heal            mend every link",
	"speed":     "speed F         slow motion ×F (1 = normal)",
	"step":      "step on|off     hold every raft message",
	"next":      "next            release the next held message",
	"expire":    "expire 0xID     have the ensemble expire a session (attached with fault control)",
	"recipe":    "recipe NAME [N] run a recipe with N workers (alone: list; stop: end it)",
	"lesson":    "lesson [N|NAME] the course (alone: list); opens a lesson in a new console",
	"demo":      "demo [NAME]     the demos (alone: list); plays one in a new console",
	"keys":      "keys            the key help",
	"quit":      "quit            leave the console",
}

// consoleVerb runs a console command if line is one.
func (a *App) consoleVerb(line string) (tea.Cmd, bool) {
	f := strings.Fields(line)
	if _, ok := consoleVerbs[f[0]]; !ok {
		return nil, false
	}
	arg := ""
	if len(f) > 1 {
		arg = f[1]
	}
	bad := func(format string, args ...any) (tea.Cmd, bool) {
		a.setStatus(statusErr, fmt.Sprintf(format, args...)+" — usage: "+consoleVerbs[f[0]])
		return nil, true
	}
	needs := func(act Action) (tea.Cmd, bool) {
		if ok, why := a.enabled(act); !ok {
			a.setStatus(statusErr, f[0]+": "+why)
			return nil, true
		}
		return a.control(act), true
	}
	switch f[0] {
	case "quit":
		return a.quit(), true
	case "keys":
		a.help = true
		return nil, true
	case "lesson", "demo":
		return a.openVerb(f[0], f[1:]), true
	case "recipe":
		if cmd, ok := a.taskVerb(line); ok {
			return cmd, true // the exercise's own recipe, inside the lesson
		}
		return a.recipeVerb(f[1:]), true
	case "workers":
		n, err := strconv.Atoi(arg)
		if err != nil || n < 1 || n > 100 {
			return bad("workers: %q is not a number from 1 to 100", arg)
		}
		if ok, why := a.enabled(ActStartWorker); !ok {
			return bad("workers: %s", why)
		}
		pool, watch, err := a.workerPool()
		if err != nil {
			return bad("workers: %v", err)
		}
		return tea.Batch(watch, a.run(fmt.Sprintf("start %d workers", n), func(ctx context.Context) error {
			_, err := pool.Start(ctx, n)
			return err
		})), true
	case "crash", "restart", "isolate":
		id, ok := a.memberNamed(arg)
		if !ok {
			return bad("%s: no member %q", f[0], arg)
		}
		a.members.Select(id)
		switch f[0] {
		case "crash":
			return needs(ActCrash)
		case "restart":
			return needs(ActRestart)
		}
		if a.ctrl == nil {
			return needs(ActIsolateLeader)
		}
		ctl := a.ctrl
		return a.run("isolate "+arg, func(context.Context) error { return ctl.Net().Isolate(arg) }), true
	case "expire":
		return a.expireVerb(arg), true
	case "kill":
		return needs(ActKillLeader)
	case "partition":
		return needs(ActSplit)
	case "heal":
		return needs(ActHeal)
	case "next":
		return needs(ActStepNext)
	case "speed":
		v, err := strconv.ParseFloat(arg, 64)
		if err != nil || v < 1 || v > 100 {
			return bad("speed: %q is not a factor from 1 to 100", arg)
		}
		if a.ctrl == nil {
			return needs(ActSlower)
		}
		ctl := a.ctrl
		return a.run(fmt.Sprintf("speed ×%g", v), func(context.Context) error { return ctl.Net().SetSpeed(v) }), true
	case "step":
		if arg != "on" && arg != "off" {
			return bad("step: say on or off")
		}
		if (arg == "on") == a.snap.Step {
			a.setStatus(statusInfo, "step mode is already "+arg)
			return nil, true
		}
		return needs(ActStep)
	}
	return nil, false
}

// memberNamed finds a member by name ("n2", "2").
func (a *App) memberNamed(name string) (uint64, bool) {
	for _, m := range a.snap.Members {
		if m.Name == name || strings.TrimPrefix(m.Name, "n") == name {
			return m.ID, true
		}
	}
	return 0, false
}
