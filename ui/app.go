package ui

import (
	"context"
	"strings"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"

	"coordtui/cluster/event"
	"coordtui/recipes/runner"
	"coordtui/recipes/worker"
	"coordtui/ui/internal/ring"
	"coordtui/ui/pane"
	"coordtui/ui/source"
)

// tickEvery is how often the console refreshes its snapshot.
const tickEvery = 250 * time.Millisecond

// pendingSize bounds the events kept while the picture is paused (about
// 20 MB at most; heartbeats alone are ~150 a second).
const pendingSize = 50000

// App is the console's model.
type App struct {
	src     source.Source
	ctrl    source.Control // nil when attached
	pool    *worker.Pool   // nil when workers are not allowed
	engine  Engine
	keys    KeyMap
	c       *pane.Common
	theme   string
	noColor bool

	width, height int
	focus         pane.ID
	areas         []area // where each pane was drawn, for mouse clicks
	tabs          []area // where each tab was drawn (narrow layout)

	members  *pane.Members
	tree     *pane.Tree
	log      *pane.Log
	watches  *pane.Watches
	sessions *pane.Sessions
	network  *pane.Network
	recipes  *pane.Recipes

	recipe       *recipeRun // nil when no recipe runs
	recipeGen    int
	recipesShown bool             // wide: the Recipes pane covers the zxid log and Watches
	recipePaused *runner.Snapshot // the runner's latest while the picture is paused

	snap       source.Snapshot
	snapBusy   bool
	sessMember map[int64]sessionAt // session -> the member it connected to, from events
	treeFrom   uint64              // member the tree is read from; 0 follows the leader
	treeShown  uint64              // member the tree was last read from

	paused     bool
	pending    *ring.Ring[event.Event]
	pausedSnap *source.Snapshot

	changes  uint64 // transactions since the last herd sample
	lastHerd time.Time
	lastRate time.Time
	lastNews string
	heldNews string // news that waited behind an error

	help       bool
	helpOffset int
	mode       inputMode
	line       *lineEditor
	filter     *lineEditor
	output     []string
	status     status
	confirm    *confirmReq
	running    bool // a command line is executing
	// ready is set once the command line's session is up. It is atomic
	// only so that tests may watch it from their own goroutine.
	ready atomic.Bool

	confirmCh chan confirmReq
	notifyCh  chan string
	workerSub *worker.Subscription
	player    *player        // the lesson or demo being played; nil in the plain console
	catalog   []Playable     // what :lesson and :demo can open
	open      func(Playable) // tells main what to play next (nil: nothing can be opened)
	ctx       context.Context
	cancel    context.CancelFunc
}

// newApp builds the console over src. engine may be nil (no command line).
func newApp(src source.Source, engine Engine, theme string, noColor bool) *App {
	ctx, cancel := context.WithCancel(context.Background())
	c := pane.NewCommon(pane.StylesNamed(theme, noColor))
	a := &App{src: src, ctrl: src.Control(), pool: src.Workers(), engine: engine, keys: DefaultKeyMap(), c: c,
		theme: theme, noColor: noColor, focus: pane.MembersPane,
		members: pane.NewMembers(c), tree: pane.NewTree(c), log: pane.NewLog(c), watches: pane.NewWatches(c),
		sessions: pane.NewSessions(c), network: pane.NewNetwork(c), recipes: pane.NewRecipes(c),
		sessMember: map[int64]sessionAt{},
		line:       newLineEditor(200), filter: newLineEditor(20),
		confirmCh: make(chan confirmReq), notifyCh: make(chan string, 64), ctx: ctx, cancel: cancel}
	a.snap.Speed = 1
	if a.pool != nil {
		a.workerSub = a.pool.Subscribe(256)
	}
	a.setStatus(statusInfo, "starting… press ? for help, : for a zkCli command line")
	a.setFocus(pane.MembersPane)
	return a
}

// hooks connect an engine's questions and watch output to the console.
func (a *App) hooks() EngineHooks {
	return EngineHooks{
		Confirm: func(ctx context.Context, q string) bool {
			r := confirmReq{question: q, reply: make(chan bool, 1)}
			select {
			case a.confirmCh <- r:
			case <-ctx.Done():
				return false
			case <-a.ctx.Done():
				return false
			}
			select {
			case ok := <-r.reply:
				return ok
			case <-ctx.Done():
				return false
			}
		},
		Notify: func(text string) {
			if strings.Contains(text, "type:None") {
				return // the command line's own connection changes: noise here
			}
			select {
			case a.notifyCh <- text:
			default:
			}
		},
	}
}

// Init starts the event pump, the clock and the command line's session.
func (a *App) Init() tea.Cmd {
	cmds := []tea.Cmd{waitForEvents(a.src.Events()), tick(), a.snapshotCmd(), waitForConfirm(a.ctx, a.confirmCh), waitForNotify(a.ctx, a.notifyCh)}
	if a.workerSub != nil {
		cmds = append(cmds, waitForWorkers(a.workerSub, a.pool))
	}
	if a.engine != nil {
		cmds = append(cmds, a.connectCmd())
	}
	if a.player != nil {
		cmds = append(cmds, a.playerInit())
	}
	a.snapBusy = true
	return tea.Batch(cmds...)
}

// connectCmd opens the command line's session.
func (a *App) connectCmd() tea.Cmd {
	e, ctx := a.engine, a.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		return connectedMsg{err: e.Connect(ctx)}
	}
}

// Update is the dispatching switch: every message goes to one handler.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.resize(msg.Width, msg.Height)
		return a, nil
	case tea.KeyPressMsg:
		return a, a.onKey(msg)
	case tea.MouseClickMsg:
		return a, a.onClick(msg.Mouse())
	case tea.MouseWheelMsg:
		return a, a.onWheel(msg.Mouse())
	case eventsMsg:
		return a, a.onEvents(msg)
	case snapshotMsg:
		return a, a.onSnapshot(source.Snapshot(msg))
	case tickMsg:
		return a, a.onTick(time.Time(msg))
	case childrenMsg:
		a.tree.SetChildren(msg.path, msg.kids, msg.err)
		return a, a.loads()
	case detailMsg:
		a.tree.SetDetail(msg.path, msg.d, msg.err)
		return a, nil
	case findMsg:
		a.onFind(msg)
		return a, nil
	case actionMsg:
		a.onAction(msg)
		return a, a.snapshotCmd()
	case execMsg:
		return a, a.onExec(msg)
	case completeMsg:
		a.onComplete(msg)
		return a, nil
	case connectedMsg:
		a.onConnected(msg)
		return a, nil
	case openMsg:
		return a, a.onOpen(Playable(msg))
	case confirmMsg:
		req := confirmReq(msg)
		a.confirm = &req
		return a, waitForConfirm(a.ctx, a.confirmCh)
	case notifyMsg:
		a.showOutput(string(msg))
		return a, waitForNotify(a.ctx, a.notifyCh)
	case recipeMsg:
		return a, a.onRecipe(msg)
	case workersMsg:
		a.snap.Workers = msg
		a.sessions.SetSnapshot(a.withSessionMembers(a.snap))
		return a, waitForWorkers(a.workerSub, a.pool)
	}
	return a, a.playerUpdate(msg)
}

// shutdown stops what the console started besides the source.
func (a *App) shutdown() {
	a.cancel()
	a.closeRecipe()
	if a.workerSub != nil {
		a.workerSub.Close()
	}
	if a.engine != nil {
		a.engine.Close()
	}
}

func (a *App) setStatus(k statusKind, text string) {
	a.status = status{text: text, kind: k, at: a.c.Now()}
}

func (a *App) setFocus(id pane.ID) {
	a.focus = id
	a.members.SetFocused(id == pane.MembersPane)
	a.tree.SetFocused(id == pane.TreePane)
	a.log.SetFocused(id == pane.LogPane)
	a.watches.SetFocused(id == pane.WatchesPane)
	a.sessions.SetFocused(id == pane.SessionsPane)
	a.network.SetFocused(id == pane.NetworkPane)
	a.recipes.SetFocused(id == pane.RecipesPane)
	shown := a.recipesShown
	switch id {
	case pane.RecipesPane:
		a.recipesShown = true
	case pane.LogPane, pane.WatchesPane:
		a.recipesShown = false
	}
	if !a.wide() || shown != a.recipesShown {
		a.layout()
	}
}
