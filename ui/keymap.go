package ui

import "coordtui/ui/pane"

// Action is something a key does.
type Action int

// The actions. Global ones work from any pane; the rest belong to the
// pane their binding names.
const (
	ActNone Action = iota
	ActQuit
	ActHelp
	ActCommand
	ActFocusNext
	ActFocusPrev
	ActFocusN // the pane numbered by the key
	ActPause
	ActSlower
	ActFaster
	ActStep
	ActStepNext
	ActStepAll
	ActKillLeader
	ActIsolateLeader
	ActSplit
	ActOneWay
	ActHeal
	ActStartWorker
	ActStartWorkers
	ActTheme

	ActUp
	ActDown
	ActPageUp
	ActPageDown
	ActLeft
	ActRight

	ActCrash
	ActRestart
	ActTransfer
	ActAdd
	ActAddObserver
	ActRemove
	ActReadFrom

	ActToggle
	ActFilter
	ActDataView

	ActFollow
	ActShowInTree

	ActStopWorker
	ActCrashWorker
	ActFreezeWorker
	ActExpireWorker
	ActForgetWorkers

	ActCutLink
	ActDelayLink
	ActHeartbeats

	ActRecipeStep
	ActRecipeStepAll
	ActRecipeTogether
	ActRecipeAdd
	ActRecipeRemove
)

// Binding ties keys to an action, in one pane (0: everywhere).
type Binding struct {
	Keys   []string
	Key    string // how help shows the keys
	Help   string
	Pane   pane.ID
	Action Action
}

// KeyMap is the console's keys, as data: the help overlay, the hints
// line and the dispatch all read this one table.
type KeyMap struct {
	Bindings []Binding
}

// DefaultKeyMap returns the console's keys.
func DefaultKeyMap() KeyMap {
	g := func(keys []string, key, help string, a Action) Binding {
		return Binding{Keys: keys, Key: key, Help: help, Action: a}
	}
	p := func(id pane.ID, keys []string, key, help string, a Action) Binding {
		return Binding{Keys: keys, Key: key, Help: help, Pane: id, Action: a}
	}
	k := func(s ...string) []string { return s }
	return KeyMap{Bindings: []Binding{
		g(k("?"), "?", "help", ActHelp),
		g(k(":"), ":", "command line (zkCli)", ActCommand),
		g(k("q", "ctrl+c"), "q", "quit", ActQuit),
		g(k("tab"), "tab", "next pane", ActFocusNext),
		g(k("shift+tab"), "S-tab", "previous pane", ActFocusPrev),
		g(k("1", "2", "3", "4", "5", "6", "7"), "1-7", "jump to a pane (mouse: click it)", ActFocusN),
		g(k("K"), "K", "kill the leader", ActKillLeader),
		g(k("I"), "I", "isolate the leader", ActIsolateLeader),
		g(k("P"), "P", "partition: leader in the minority", ActSplit),
		g(k("O"), "O", "one-way cut leader->a follower", ActOneWay),
		g(k("H"), "H", "heal every link", ActHeal),
		g(k("w"), "w", "start a worker", ActStartWorker),
		g(k("W"), "W", "start 5 workers", ActStartWorkers),
		g(k("space"), "space", "pause the picture", ActPause),
		g(k("-"), "-", "slower (slow motion)", ActSlower),
		g(k("+", "="), "+", "faster", ActFaster),
		g(k("S"), "S", "step mode on/off", ActStep),
		g(k("n"), "n", "step: release the next message", ActStepNext),
		g(k("N"), "N", "step: release every held message", ActStepAll),
		g(k("T"), "T", "theme (high contrast)", ActTheme),

		p(pane.MembersPane, k("up", "k"), "↑/k", "select", ActUp),
		p(pane.MembersPane, k("down", "j"), "↓/j", "select", ActDown),
		p(pane.MembersPane, k("x"), "x", "crash member", ActCrash),
		p(pane.MembersPane, k("r"), "r", "restart member", ActRestart),
		p(pane.MembersPane, k("t"), "t", "transfer leadership here", ActTransfer),
		p(pane.MembersPane, k("a"), "a", "add a voter", ActAdd),
		p(pane.MembersPane, k("o"), "o", "add an observer", ActAddObserver),
		p(pane.MembersPane, k("R"), "R", "remove member", ActRemove),
		p(pane.MembersPane, k("enter"), "enter", "read the tree from here", ActReadFrom),

		p(pane.TreePane, k("up", "k"), "↑/k", "up", ActUp),
		p(pane.TreePane, k("down", "j"), "↓/j", "down", ActDown),
		p(pane.TreePane, k("pgup"), "pgup", "page up", ActPageUp),
		p(pane.TreePane, k("pgdown"), "pgdn", "page down", ActPageDown),
		p(pane.TreePane, k("right", "l"), "→/l", "expand", ActRight),
		p(pane.TreePane, k("left", "h"), "←/h", "collapse", ActLeft),
		p(pane.TreePane, k("enter"), "enter", "open/close", ActToggle),
		p(pane.TreePane, k("/"), "/", "filter by path", ActFilter),
		p(pane.TreePane, k("v"), "v", "data as text/json/hex", ActDataView),

		p(pane.LogPane, k("up", "k"), "↑/k", "older", ActUp),
		p(pane.LogPane, k("down", "j"), "↓/j", "newer", ActDown),
		p(pane.LogPane, k("pgup"), "pgup", "page up", ActPageUp),
		p(pane.LogPane, k("pgdown"), "pgdn", "page down", ActPageDown),
		p(pane.LogPane, k("f", "end"), "f", "follow new transactions", ActFollow),
		p(pane.LogPane, k("enter"), "enter", "show the znode in the tree", ActShowInTree),

		p(pane.SessionsPane, k("up", "k"), "↑/k", "select", ActUp),
		p(pane.SessionsPane, k("down", "j"), "↓/j", "select", ActDown),
		p(pane.SessionsPane, k("s"), "s", "stop worker (close session)", ActStopWorker),
		p(pane.SessionsPane, k("c"), "c", "crash worker (no close)", ActCrashWorker),
		p(pane.SessionsPane, k("f"), "f", "freeze/thaw worker", ActFreezeWorker),
		p(pane.SessionsPane, k("e"), "e", "expire worker's session", ActExpireWorker),
		p(pane.SessionsPane, k("F"), "F", "forget finished workers", ActForgetWorkers),

		p(pane.NetworkPane, k("up", "k"), "↑↓←→", "pick a link", ActUp),
		p(pane.NetworkPane, k("down", "j"), "", "", ActDown),
		p(pane.NetworkPane, k("left", "h"), "", "", ActLeft),
		p(pane.NetworkPane, k("right", "l"), "", "", ActRight),
		p(pane.NetworkPane, k("c", "enter"), "c", "cut/mend the link (one way)", ActCutLink),
		p(pane.NetworkPane, k("d"), "d", "delay the link 0/50/200/1000ms", ActDelayLink),
		p(pane.NetworkPane, k("b"), "b", "show/hide heartbeats", ActHeartbeats),

		p(pane.RecipesPane, k("up", "k"), "↑/k", "select a client", ActUp),
		p(pane.RecipesPane, k("down", "j"), "↓/j", "select a client", ActDown),
		p(pane.RecipesPane, k("s", "enter"), "s", "step the selected client (its held request)", ActRecipeStep),
		p(pane.RecipesPane, k("a"), "a", "step every client once", ActRecipeStepAll),
		p(pane.RecipesPane, k("t"), "t", "run together / stepped", ActRecipeTogether),
		p(pane.RecipesPane, k("c"), "c", "add a worker as a client", ActRecipeAdd),
		p(pane.RecipesPane, k("d"), "d", "drop the selected client", ActRecipeRemove),
	}}
}

// Lookup finds the binding of key in pane focus, pane bindings first.
func (k KeyMap) Lookup(focus pane.ID, key string) (Binding, bool) {
	for _, pass := range []pane.ID{focus, 0} {
		for _, b := range k.Bindings {
			if b.Pane != pass {
				continue
			}
			for _, kk := range b.Keys {
				if kk == key {
					return b, true
				}
			}
		}
	}
	return Binding{}, false
}

// For lists the bindings of one pane (0: the global ones) that help shows.
func (k KeyMap) For(id pane.ID) []Binding {
	var out []Binding
	for _, b := range k.Bindings {
		if b.Pane == id && b.Help != "" {
			out = append(out, b)
		}
	}
	return out
}
