package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"coordtui/recipes/worker"
	"coordtui/ui/pane"
)

// playState is what the player panel shows now.
func (a *App) playState() pane.Play {
	p := a.player
	pl := pane.Play{Kind: p.script.Kind, Title: p.script.Title, After: p.script.After, Shown: p.shown + 1, Ran: len(p.results),
		Steps: p.runner.Len(), Running: p.busy, Auto: p.auto, Note: p.note, Task: p.task, Scroll: p.scroll}
	if pl.Title == "" {
		pl.Title = p.runner.Script().Name
	}
	if p.shown >= 0 && p.shown < len(p.results) {
		r := p.results[p.shown]
		pl.Body, pl.Lines, pl.Failed = r.Step.Body(), r.Lines, r.Failed()
		switch r.Step.Cmd {
		case "narrate", "title", "summary", "claim":
		case "quiz":
			pl.Cmd = "quiz"
			pl.Body = quizText(pl.Body)
		case "exercise":
			pl.Cmd = "exercise " + r.Step.Arguments().Arg(0)
			pl.Body = taskText(pl.Body)
		default:
			pl.Cmd = r.Step.Line0()
		}
		if r.Step.Cmd == "title" {
			pl.Body = []string{r.Step.Raw}
		}
	}
	if p.shown < 0 || isMeta(p.results[p.shown].Step.Cmd) {
		pl.Body = p.intro()
	}
	if n := len(p.results); n < p.runner.Len() {
		pl.Next = p.runner.Script().Steps[n].Line0()
	}
	if s := a.snap.Speed; s > 1 && pl.Note == "" {
		pl.Note = fmt.Sprintf("slow ×%g: the script's deadlines stretch too", s)
	}
	pl.Held, pl.FailedClaims = a.tally()
	return pl
}

// intro is what the panel shows before the first real step: the
// script's claim or summary.
func (p *player) intro() []string {
	s := p.runner.Script()
	var out []string
	for _, m := range []string{"claim", "summary"} {
		if text := s.Meta(m); text != "" {
			out = append(out, strings.ToUpper(m[:1])+m[1:]+": "+text, "")
		}
	}
	return out
}

// quizText is a quiz step's text as a reader wants it: the question,
// each choice a paragraph, and why the answer is right; the answer and the
// scripted tries left out.
func quizText(body []string) []string {
	var out []string
	why := false
	for _, l := range body {
		switch {
		case strings.HasPrefix(l, "answer:"), strings.HasPrefix(l, "try:"):
		case strings.HasPrefix(l, "why:"):
			why = true
			out = append(out, "", "Why: "+strings.TrimSpace(strings.TrimPrefix(l, "why:")))
		case len(l) > 2 && l[1] == ')' && l[0] >= 'a' && l[0] <= 'z' && !why:
			out = append(out, "", l)
		default:
			out = append(out, l)
		}
	}
	return out
}

// taskText leaves out an exercise's do: and check: lines, which are the
// answer.
func taskText(body []string) []string {
	var out []string
	for _, l := range body {
		if !strings.HasPrefix(l, "do:") && !strings.HasPrefix(l, "check:") {
			out = append(out, l)
		}
	}
	return out
}

// playerView is the panel's lines, or none when nothing plays.
func (a *App) playerView() []string {
	if a.player == nil {
		return nil
	}
	a.player.panel.SetPlay(a.playState())
	return strings.Split(a.player.panel.View(), "\n")
}

// placePlayer gives the panel the bottom rows of the body and returns how
// many it took.
func (a *App) placePlayer(w, body int) int {
	if a.player == nil {
		return 0
	}
	h := max(body/2, 7)
	if a.wide() {
		h = min(max(body*2/5, 10), 16)
	}
	a.player.panel.SetSize(w, h)
	return h
}

// highlight points the other panes at what the step on screen talks
// about: its first member selected, its first znode selected and marked
// in the tree, its first worker selected in Sessions.
func (a *App) highlight() {
	p := a.player
	if p.shown < 0 || p.shown >= len(p.results) {
		return
	}
	c := p.results[p.shown].Concerns
	if len(c.Members) > 0 {
		a.members.Select(c.Members[0])
	}
	if len(c.Znodes) > 0 {
		a.tree.SelectPath(c.Znodes[0])
		a.tree.SetHighlight(c.Znodes[0])
	}
	switch {
	case len(c.Workers) > 0:
		a.sessions.SelectWorker(c.Workers[0])
	case len(c.Clients) > 0 && p.clients[c.Clients[0]] != 0:
		a.sessions.SelectSession(p.clients[c.Clients[0]])
	}
}

// followScript catches up with the script: a new ensemble gets a fresh
// tree and a command line connected to it, a new worker pool a watch.
func (a *App) followScript() tea.Cmd {
	p := a.player
	if p == nil {
		return nil
	}
	var cmds []tea.Cmd
	if gen := p.src.Generation(); gen != p.gen && !a.running {
		p.gen = gen
		a.tree.Reload()
		a.treeFrom = 0
		if a.engine != nil {
			a.engine.Close()
		}
		a.ready.Store(false)
		a.engine = newZkcliEngine(p.src.ConnString(), nil, a.hooks())
		cmds = append(cmds, a.connectCmd())
	}
	if pool := a.src.Workers(); pool != a.pool {
		cmds = append(cmds, a.watchPool(pool))
	}
	if r := p.runner.Env().Recipe(); r != nil && (a.recipe == nil || a.recipe.r != r) || r == nil && a.recipe != nil && a.recipe.lesson {
		cmds = append(cmds, a.followLessonRecipe(r))
	}
	return tea.Batch(cmds...)
}

// watchPool makes pool the one the worker keys use and the Sessions pane
// watches.
func (a *App) watchPool(pool *worker.Pool) tea.Cmd {
	if a.workerSub != nil {
		a.workerSub.Close()
		a.workerSub = nil
	}
	a.pool = pool
	if pool == nil {
		return nil
	}
	a.workerSub = pool.Subscribe(256)
	return waitForWorkers(a.workerSub, pool)
}

// workerPool is the pool the worker keys start workers in: a script's
// is made on the learner's first worker, in the script's world, so that
// its checks see the learner's workers.
func (a *App) workerPool() (*worker.Pool, tea.Cmd, error) {
	if a.pool != nil || a.player == nil {
		return a.pool, nil, nil
	}
	pool, err := a.player.src.EnsureWorkers()
	if err != nil {
		return nil, nil, err
	}
	return pool, a.watchPool(pool), nil
}

func doneWords(kind string, held, failed int) string {
	if failed == 0 {
		return fmt.Sprintf("%s done: every claim held (%d) ✓", kind, held)
	}
	return fmt.Sprintf("%s done: %d claims held, %d failed ✗", kind, held, failed)
}

func splitWords(s string) []string { return strings.Fields(s) }
