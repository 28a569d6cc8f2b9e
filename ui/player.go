package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"coordtui/cluster"
	"coordtui/lessons/script"
	"coordtui/ui/pane"
	"coordtui/ui/source"
)

// Script is a lesson or a demo for the console to play. The console
// imports neither package: main binds their NewRunner into New.
type Script struct {
	Kind  string // "lesson" or "demo"
	Title string
	// After is what to do once it is over ("next: coordtui lesson 2 ...").
	After string
	// Next, if set, is what . opens once the script is over (the course's
	// next lesson), through Options.Open.
	Next *Playable
	// New builds the runner; the console fills in cfg's Events,
	// OnEnsemble and Learner.
	New func(cfg script.Config) (*script.Runner, error)
	// Auto plays on by itself after a pause to read each step (demos);
	// a lesson waits for the learner's key.
	Auto bool
	// Timing is the raft timing of the script's ensembles (zero: the
	// embedded profile); tests pass cluster.TestTiming.
	Timing cluster.Timing
}

// player is the console's hold on a script being played: the runner,
// which steps it ran, the one on screen, and the learner's dialogs.
type player struct {
	script  Script
	src     *source.Scripted
	learner *consoleLearner
	panel   *pane.Player

	// runMu is held while a command goroutine runs a step or a replay:
	// Runner is for one goroutine, and Close must wait for the step.
	runMu  sync.Mutex
	runner *script.Runner

	results []script.Result  // what ran, in order (kept here: Update reads no Runner state)
	clients map[string]int64 // the script's clients by name -> session, as of the last step
	shown   int              // index of the result on screen; -1 before the first
	busy    string           // what runs now ("" idle)
	auto    bool
	autoSeq int // invalidates pending auto-advance ticks
	note    string
	scroll  int
	gen     int // the source's ensemble generation last followed

	quiz     *pane.Question
	quizReq  *learnerReq
	lastKey  string
	task     *pane.Task
	taskReq  *learnerReq
	checking bool
}

// newPlayer builds the runner for s over a Scripted source.
func newPlayer(s Script) (*player, error) {
	if s.New == nil {
		return nil, errors.New("no script to play")
	}
	src := source.NewScripted(s.Timing)
	l := newConsoleLearner()
	r, err := s.New(script.Config{Events: src.Bus(), Learner: l, Timing: s.Timing})
	if err != nil {
		src.Close()
		return nil, err
	}
	src.SetWorld(r.Env())
	return &player{script: s, src: src, learner: l, runner: r, shown: -1, auto: s.Auto}, nil
}

// close waits for a step under way (ctx has ended by then, so it ends
// soon) and stops everything the script started.
func (p *player) close() {
	p.runMu.Lock()
	defer p.runMu.Unlock()
	p.runner.Close()
	p.src.Close()
}

// stepDoneMsg is a step (or a replay) that finished on a command goroutine.
type stepDoneMsg struct {
	results []script.Result  // every result so far, from the runner
	clients map[string]int64 // sessions of the clients the last step names
	err     error
	replay  bool
}

// autoMsg is the end of the reading pause before auto-play's next step.
type autoMsg int

// runNext runs the next step off the UI goroutine.
func (a *App) runNext() tea.Cmd {
	p := a.player
	st := p.runner.Script().Steps[len(p.results)]
	p.busy, p.note, p.scroll = st.Line0(), "", 0
	ctx := a.ctx
	return func() tea.Msg {
		p.runMu.Lock()
		defer p.runMu.Unlock()
		res, err := p.runner.Next(ctx)
		if errors.Is(err, io.EOF) {
			err = nil
		}
		return stepDoneMsg{results: p.runner.Results(), clients: sessionsOf(p.runner.Env(), res.Concerns.Clients), err: err}
	}
}

// replayTo rebuilds the world up to step n (the one on screen) on a new
// ensemble, with the script's own answers standing in for the learner.
func (a *App) replayTo(n int) tea.Cmd {
	p := a.player
	p.busy, p.note = "replaying the first steps on a new ensemble", ""
	ctx := a.ctx
	return func() tea.Msg {
		p.runMu.Lock()
		defer p.runMu.Unlock()
		p.learner.replaying.Store(true)
		defer p.learner.replaying.Store(false)
		err := p.runner.Replay(ctx, n)
		return stepDoneMsg{results: p.runner.Results(), err: err, replay: true}
	}
}

// onStepDone shows the step that ran, highlights what it talks about and,
// in auto-play, schedules the next one.
func (a *App) onStepDone(m stepDoneMsg) tea.Cmd {
	p := a.player
	p.busy, p.results = "", m.results
	if p.clients == nil || m.replay {
		p.clients = map[string]int64{}
	}
	maps.Copy(p.clients, m.clients)
	a.sessions.SetLabels(p.runner.Env().SessionNames())
	p.task, p.taskReq, p.quiz, p.quizReq = nil, nil, nil, nil
	p.shown = len(p.results) - 1
	switch {
	case m.err != nil && a.ctx.Err() == nil:
		p.note = "stopped: " + m.err.Error()
		p.auto = false
	case m.replay:
		p.note = "replayed: the ensemble is rebuilt up to here"
	}
	a.highlight()
	cmds := []tea.Cmd{a.followScript(), a.snapshotCmd()}
	if n := len(p.results); n > 0 && isMeta(p.results[n-1].Step.Cmd) && n < p.runner.Len() && m.err == nil && !m.replay {
		// The title and summary are on screen already: straight on.
		return tea.Batch(append(cmds, a.runNext())...)
	}
	if p.auto && len(p.results) < p.runner.Len() && m.err == nil {
		cmds = append(cmds, a.autoAfter())
	}
	if len(p.results) == p.runner.Len() && !m.replay {
		held, failed := a.tally()
		a.setStatus(statusOK, doneWords(p.script.Kind, held, failed))
	}
	return tea.Batch(cmds...)
}

// autoAfter waits long enough to read the step on screen.
func (a *App) autoAfter() tea.Cmd {
	p := a.player
	p.autoSeq++
	seq := p.autoSeq
	words := 0
	if p.shown >= 0 {
		r := p.results[p.shown]
		for _, l := range append(r.Step.Body(), r.Lines...) {
			words += len(splitWords(l))
		}
	}
	d := min(time.Second+time.Duration(words)*250*time.Millisecond, 20*time.Second)
	return tea.Tick(d, func(time.Time) tea.Msg { return autoMsg(seq) })
}

func (a *App) onAuto(m autoMsg) tea.Cmd {
	p := a.player
	if !p.auto || int(m) != p.autoSeq || p.busy != "" || len(p.results) >= p.runner.Len() {
		return nil
	}
	p.shown = len(p.results) - 1
	return a.runNext()
}

// tally counts the claims held and failed so far.
func (a *App) tally() (held, failed int) {
	for _, r := range a.player.results {
		if r.Err != nil {
			failed++
		}
		for _, c := range r.Claims {
			if c.Held {
				held++
			} else {
				failed++
			}
		}
	}
	return held, failed
}

// playerInit starts listening for the learner's questions and, for a
// script that plays by itself, runs its first step.
func (a *App) playerInit() tea.Cmd {
	p := a.player
	cmds := []tea.Cmd{waitForLearner(a.ctx, p.learner.ch)}
	if p.auto {
		cmds = append(cmds, a.runNext())
	} else {
		a.setStatus(statusInfo, fmt.Sprintf("%s: . runs the next step, p plays by itself, ? lists every key", p.script.Kind))
	}
	return tea.Batch(cmds...)
}

// playerUpdate handles the player's messages; others are ignored.
func (a *App) playerUpdate(msg tea.Msg) tea.Cmd {
	if a.player == nil {
		return nil
	}
	switch msg := msg.(type) {
	case stepDoneMsg:
		return a.onStepDone(msg)
	case autoMsg:
		return a.onAuto(msg)
	case learnerMsg:
		return a.onLearner(learnerReq(msg))
	case taskCheckMsg:
		if a.player.taskReq != nil && a.player.taskReq.id == uint64(msg) {
			return a.checkTask()
		}
	case taskCheckedMsg:
		return a.onTaskChecked(msg)
	case taskSolvedMsg:
		return a.onTaskSolved(msg)
	}
	return nil
}

// newPlayerApp builds the console playing s: a Scripted source over the
// script's ensembles, no ensemble of its own. The caller runs it and then
// calls closePlayer.
func newPlayerApp(s Script, theme string, noColor bool) (*App, error) {
	p, err := newPlayer(s)
	if err != nil {
		return nil, err
	}
	a := newApp(p.src, nil, theme, noColor)
	a.player, p.panel = p, pane.NewPlayer(a.c)
	return a, nil
}

// play is Run for Options.Script.
func play(ctx context.Context, opts Options) error {
	app, err := newPlayerApp(*opts.Script, opts.Theme, opts.NoColor || os.Getenv("NO_COLOR") != "")
	if err != nil {
		return err
	}
	app.catalog, app.open = opts.Catalog, opts.Open
	err = runProgram(ctx, app, opts)
	app.player.close()
	held, failed := app.tally()
	if opts.Log != nil {
		fmt.Fprintf(opts.Log, "coordtui: %s %q closed after %d of %d steps: %d claims held, %d failed\n",
			opts.Script.Kind, app.player.runner.Script().Name, len(app.player.results), app.player.runner.Len(), held, failed)
	}
	return err
}

// isMeta reports whether a step only describes the script (the panel
// shows its title and summary from the start).
func isMeta(cmd string) bool { return cmd == "title" || cmd == "summary" || cmd == "claim" }

// sessionsOf finds the sessions of the script's clients named, on the
// Runner's goroutine (Env's clients are its own), so the Sessions pane can
// point at them.
func sessionsOf(env *script.Env, names []string) map[string]int64 {
	out := map[string]int64{}
	for _, n := range names {
		if c, err := env.Client(n); err == nil && c.ZK() != nil {
			out[n] = c.ZK().SessionID()
		}
	}
	return out
}
