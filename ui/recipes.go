package ui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"coordtui/recipes/runner"
	"coordtui/recipes/worker"
	"coordtui/ui/pane"
)

// recipeRun is the console's one recipe runner. The App owns it: it is
// made by :recipe, and closed by :recipe stop, by the next :recipe, or
// when the console quits. stop is closed first, so that the command
// waiting on the runner's changes returns.
type recipeRun struct {
	r    *runner.Runner
	gen  int // tells this run's messages from an earlier run's
	name runner.Recipe
	stop chan struct{}
	// lesson: the runner is a playing lesson's (recipe start), shown
	// here but owned and stepped by the script; the console never closes
	// it, and steps it only through the exercise that lets the learner.
	lesson bool
}

// runnerEvery bounds how often the pane takes a new snapshot: clients
// running together change the runner thousands of times a second, and a
// picture at 25 frames a second shows all there is to see.
const runnerEvery = 40 * time.Millisecond

// recipeMsg is any message of the recipe runner; Update hands them all to
// onRecipe.
type recipeMsg interface{ recipeRun() int }

type (
	// runnerMsg is the runner's state after a change; next closes at
	// the change after it.
	runnerMsg struct {
		gen  int
		snap runner.Snapshot
		next <-chan struct{}
		at   time.Time
	}
	// recipeDoneMsg reports a runner call made off the UI goroutine.
	recipeDoneMsg struct {
		gen  int
		text string
		err  error
	}
)

func (m runnerMsg) recipeRun() int     { return m.gen }
func (m recipeDoneMsg) recipeRun() int { return m.gen }

// onRecipe takes a runner message; those of a run that has ended are
// dropped, and with them the wait on that run's changes.
func (a *App) onRecipe(m recipeMsg) tea.Cmd {
	current := a.recipe != nil && m.recipeRun() == a.recipe.gen
	switch m := m.(type) {
	case runnerMsg:
		if !current {
			return nil
		}
		if a.paused {
			a.recipePaused = &m.snap // the picture is paused; space shows it
		} else {
			a.recipes.SetSnapshot(m.snap)
		}
		return watchRunner(a.ctx, a.recipe, m.next, m.at)
	case recipeDoneMsg:
		switch {
		case m.err != nil:
			a.setStatus(statusErr, m.text+": "+m.err.Error())
		case m.text != "":
			a.setStatus(statusOK, m.text)
		}
	}
	return nil
}

// resumeRecipes shows the runner's latest state when the picture resumes.
func (a *App) resumeRecipes() {
	if a.recipePaused != nil && a.recipe != nil {
		a.recipes.SetSnapshot(*a.recipePaused)
	}
	a.recipePaused = nil
}

// watchRunner waits for the run's next change (after, when set) and
// returns its snapshot. It returns nil when the run stops or the console
// quits, so it never outlives either.
func watchRunner(ctx context.Context, run *recipeRun, after <-chan struct{}, last time.Time) tea.Cmd {
	return func() tea.Msg {
		if after != nil {
			select {
			case <-after:
			case <-run.stop:
				return nil
			case <-ctx.Done():
				return nil
			}
			if wait := runnerEvery - time.Since(last); wait > 0 {
				t := time.NewTimer(wait)
				defer t.Stop()
				select {
				case <-t.C:
				case <-run.stop:
					return nil
				case <-ctx.Done():
					return nil
				}
			}
		}
		next := run.r.Changed() // before the snapshot, so no change is missed
		return runnerMsg{gen: run.gen, snap: run.r.Snapshot(), next: next, at: time.Now()}
	}
}

// recipeVerb is :recipe — alone it lists the catalog; "stop" ends the
// run; "NAME [N]" starts NAME with N workers as clients.
func (a *App) recipeVerb(args []string) tea.Cmd {
	if len(args) == 0 {
		a.showOutput(catalogText())
		a.setStatus(statusInfo, ":recipe NAME [N] runs one with N workers (default 3); 7 shows the runner")
		return nil
	}
	if a.recipe != nil && a.recipe.lesson {
		a.setStatus(statusErr, "recipe: the lesson runs this recipe and steps it with . (in its exercise, :recipe step C steps a client)")
		return nil
	}
	if args[0] == "stop" {
		if a.recipe == nil {
			a.setStatus(statusErr, "recipe stop: no recipe runs")
			return nil
		}
		return a.stopRecipe()
	}
	n := 3
	if len(args) > 1 {
		v, err := strconv.Atoi(args[1])
		if err != nil || v < 1 || v > 20 {
			a.setStatus(statusErr, fmt.Sprintf("recipe: %q is not a number of clients from 1 to 20", args[1]))
			return nil
		}
		n = v
	}
	if len(args) > 2 {
		a.setStatus(statusErr, "recipe: usage: recipe NAME [N] | recipe stop | recipe")
		return nil
	}
	return a.startRecipe(runner.Recipe(args[0]), n)
}

// catalogText lists what :recipe can run, one line each.
func catalogText() string {
	lines := []string{"recipes (:recipe NAME [N]):"}
	for _, i := range runner.Catalog() {
		lines = append(lines, "  "+i.String())
	}
	return strings.Join(lines, "\n")
}

// startRecipe replaces any run with a new one of rc and adds n workers as
// its clients, starting workers when fewer than n are free.
func (a *App) startRecipe(rc runner.Recipe, n int) tea.Cmd {
	if a.pool == nil {
		a.setStatus(statusErr, "recipe: read-only: attach with --write to run recipes on workers")
		return nil
	}
	r, err := runner.New(runner.Config{Recipe: rc})
	if err != nil {
		a.setStatus(statusErr, fmt.Sprintf("recipe: no recipe %q; :recipe lists them", rc))
		return nil
	}
	if a.player != nil {
		a.setStatus(statusErr, "recipe: a lesson or demo is playing; its own recipes show here when it runs one")
		return nil
	}
	var stopOld tea.Cmd
	if a.recipe != nil {
		stopOld = a.stopRecipe()
	}
	a.recipeGen++
	a.recipe = &recipeRun{r: r, gen: a.recipeGen, name: rc, stop: make(chan struct{})}
	a.setFocus(pane.RecipesPane)
	a.setStatus(statusInfo, fmt.Sprintf("%s: adding %d clients…", rc, n))
	return tea.Batch(stopOld, watchRunner(a.ctx, a.recipe, nil, time.Time{}), a.addClients(n))
}

// stopRecipe ends the run: the pane goes back to the catalog at once, and
// the runner closes off the UI goroutine (it lets held steps go first, so
// clients release what they hold).
func (a *App) stopRecipe() tea.Cmd {
	run := a.recipe
	a.recipe = nil
	close(run.stop)
	a.recipes.Clear()
	a.recipePaused = nil
	if !a.wide() {
		a.layout()
	}
	a.setStatus(statusInfo, fmt.Sprintf("stopping %s…", run.name))
	return func() tea.Msg {
		err := run.r.Close()
		return recipeDoneMsg{gen: run.gen, text: fmt.Sprintf("%s stopped; its workers are free again", run.name), err: err}
	}
}

// closeRecipe closes the run when the console quits.
func (a *App) closeRecipe() {
	if run := a.recipe; run != nil {
		a.recipe = nil
		close(run.stop)
		if !run.lesson {
			run.r.Close()
		}
	}
}

// followLessonRecipe shows r, the recipe a playing lesson runs now (nil:
// none any more), in the Recipes pane.
func (a *App) followLessonRecipe(r *runner.Runner) tea.Cmd {
	if run := a.recipe; run != nil {
		a.recipe = nil
		close(run.stop)
		a.recipes.Clear()
		a.recipePaused = nil
	}
	if r == nil {
		if !a.wide() {
			a.layout()
		}
		return nil
	}
	a.recipeGen++
	a.recipe = &recipeRun{r: r, gen: a.recipeGen, name: "the lesson's recipe", stop: make(chan struct{}), lesson: true}
	a.setFocus(pane.RecipesPane)
	return watchRunner(a.ctx, a.recipe, nil, time.Time{})
}

// addClients adds n free workers to the run as clients, starting workers
// when too few are free. A worker is free when it is connected, not
// frozen or crashed, and not already a client.
func (a *App) addClients(n int) tea.Cmd {
	run, pool, ctx := a.recipe, a.pool, a.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		in := map[string]bool{}
		for _, c := range run.r.Snapshot().Clients {
			in[c.Name] = true
		}
		var free []worker.Info
		for _, w := range pool.List() {
			if !in[w.Name] && w.State == worker.Connected && !w.Crashed && !w.Frozen && !w.Expiring {
				free = append(free, w)
			}
		}
		var errs []error
		if len(free) < n {
			started, err := pool.Start(ctx, n-len(free))
			errs = append(errs, err)
			for _, w := range started {
				if w.Err == "" {
					free = append(free, w)
				}
			}
		}
		var names []string
		for _, w := range free[:min(n, len(free))] {
			if err := run.r.AddWorker(pool, w.ID); err != nil {
				errs = append(errs, err)
				continue
			}
			names = append(names, w.Name)
		}
		text := fmt.Sprintf("%s: clients %s added", run.name, strings.Join(names, ", "))
		if len(names) == 0 {
			text = fmt.Sprintf("%s: no client added", run.name)
		}
		return recipeDoneMsg{gen: run.gen, text: text, err: errors.Join(errs...)}
	}
}
