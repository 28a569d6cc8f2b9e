package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"coordtui/lessons/script"
	"coordtui/ui/pane"
)

// checkEvery is how often an exercise under way is checked against the
// ensemble.
const checkEvery = time.Second

// playerEnabled says whether a player action can run now and, if not, why.
func (a *App) playerEnabled(act Action) (bool, string) {
	p := a.player
	if p == nil {
		return false, "no lesson or demo is playing (coordtui lesson NAME)"
	}
	switch act {
	case ActPlayNext:
		switch {
		case p.task != nil:
			return true, "" // check the exercise now
		case p.busy != "":
			return false, "a step is running: " + p.busy
		case p.shown+1 >= p.runner.Len() && p.script.Next != nil && a.open != nil:
			return true, "" // on to the next lesson
		case p.shown+1 >= p.runner.Len():
			return false, "that was the last step"
		}
	case ActPlayBack:
		if p.shown <= 0 {
			return false, "this is the first step"
		}
	case ActPlayReplay:
		switch {
		case p.busy != "":
			return false, "wait for the step that runs to end"
		case p.shown+1 >= len(p.results):
			return false, "the ensemble is already at this step; < goes back first"
		}
	case ActScrollUp:
		if p.scroll == 0 {
			return false, "the narration is at its top"
		}
	case ActSolve, ActSkipTask:
		if p.task == nil {
			return false, "no exercise is under way"
		}
		if p.task.Done {
			return false, "the exercise is done"
		}
	}
	return true, ""
}

// playerAction runs an enabled player action.
func (a *App) playerAction(act Action) tea.Cmd {
	p := a.player
	switch act {
	case ActPlayNext:
		if p.task != nil {
			return a.checkTask()
		}
		if p.shown+1 >= p.runner.Len() && p.script.Next != nil {
			return a.onOpen(*p.script.Next)
		}
		if p.shown+1 < len(p.results) {
			p.shown++
			p.scroll = 0
			a.highlight()
			return nil
		}
		return a.runNext()
	case ActPlayBack:
		p.shown--
		p.scroll = 0
		p.note = fmt.Sprintf("an earlier step; the ensemble is at step %d (ctrl+r replays to here)", len(p.results))
		a.highlight()
	case ActPlayAuto:
		p.auto = !p.auto
		if p.auto {
			a.setStatus(statusInfo, "auto-play: each step follows after a pause to read it; p stops")
			if p.busy == "" && p.task == nil && len(p.results) < p.runner.Len() {
				return a.autoAfter()
			}
		} else {
			a.setStatus(statusInfo, "paused: . runs the next step")
		}
	case ActPlayReplay:
		return a.replayTo(p.shown + 1)
	case ActScrollUp:
		p.scroll = max(p.scroll-3, 0)
	case ActScrollDown:
		p.scroll += 3
	case ActSolve:
		return a.solveTask()
	case ActSkipTask:
		a.replyTask(learnerReply{err: script.ErrSkipped})
		a.setStatus(statusInfo, "exercise skipped: its check counts as failed")
	}
	return nil
}

// onLearner shows a question the script waits on.
func (a *App) onLearner(r learnerReq) tea.Cmd {
	p := a.player
	next := waitForLearner(a.ctx, p.learner.ch)
	if r.quiz != nil {
		q := &pane.Question{Quiz: r.quiz, Attempt: r.attempt}
		if r.attempt > 1 {
			q.Wrong = p.lastKey
		}
		p.quiz, p.quizReq = q, &r
		return next
	}
	text := r.ex.Task
	if slices.Contains(r.ex.Verbs(), "recipe") {
		// The recipe runs inside this console: say where to step it.
		text += "\n(here: :recipe step C on the command line, or s in pane 7 for the selected client)"
	}
	p.task = &pane.Task{Name: r.ex.Name, Text: text}
	p.taskReq, p.checking = &r, false
	a.setStatus(statusNews, "your turn: do the exercise in the console; it is checked every second")
	return tea.Batch(next, a.checkLater(r.id))
}

// quizKey answers the quiz on screen: a choice's key, or esc to skip.
func (a *App) quizKey(key string) tea.Cmd {
	p := a.player
	req := p.quizReq
	switch key {
	case "ctrl+c":
		return a.quit()
	case "esc":
		req.reply <- learnerReply{err: script.ErrSkipped}
		a.setStatus(statusInfo, "question skipped")
	default:
		found := false
		for _, c := range req.quiz.Choices {
			found = found || strings.EqualFold(c.Key, key)
		}
		if !found {
			a.setStatus(statusErr, fmt.Sprintf("%q is not one of the answers; esc skips", key))
			return nil
		}
		p.lastKey = strings.ToLower(key)
		if req.quiz.Correct(key) {
			a.setStatus(statusOK, strings.TrimSpace("Right. "+req.quiz.Why))
		}
		req.reply <- learnerReply{key: p.lastKey}
	}
	p.quiz, p.quizReq = nil, nil
	return nil
}

// taskCheckMsg asks for the next periodic check of exercise id.
type taskCheckMsg uint64

// taskCheckedMsg is what a look at the ensemble found.
type taskCheckedMsg struct {
	id     uint64
	ok     bool
	claims []script.Claim
}

// taskSolvedMsg is the reference solution's transcript.
type taskSolvedMsg struct {
	id    uint64
	title string // what ran: the reference solution, or a line typed
	lines []string
	err   error
}

func (a *App) checkLater(id uint64) tea.Cmd {
	return tea.Tick(checkEvery, func(time.Time) tea.Msg { return taskCheckMsg(id) })
}

// checkTask looks at the ensemble once, off the UI goroutine.
func (a *App) checkTask() tea.Cmd {
	p := a.player
	if p.taskReq == nil || p.checking || p.task.Done {
		return nil
	}
	p.checking = true
	x, id, ctx := p.taskReq.ex, p.taskReq.id, a.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		ok, claims := x.Check(ctx)
		return taskCheckedMsg{id: id, ok: ok, claims: claims}
	}
}

func (a *App) onTaskChecked(m taskCheckedMsg) tea.Cmd {
	p := a.player
	if p.taskReq == nil || p.taskReq.id != m.id {
		return nil // an exercise already over
	}
	p.checking = false
	p.task.Checks = m.claims
	if !m.ok {
		return a.checkLater(m.id)
	}
	p.task.Done, p.task.Working = true, ""
	a.setStatus(statusOK, "done ✓ exercise "+p.task.Name+": the ensemble shows it")
	a.replyTask(learnerReply{})
	return nil
}

// solveTask runs the reference solution: "show me".
func (a *App) solveTask() tea.Cmd {
	return a.doTask("showing you…", "the reference solution:", (*script.Exercise).Solve)
}

// doTask runs work on the exercise under way off the UI goroutine (the
// Runner waits in Learner.Exercise meanwhile); its transcript comes back as
// a taskSolvedMsg under title, and the exercise is checked again.
func (a *App) doTask(working, title string, work func(*script.Exercise, context.Context) ([]string, error)) tea.Cmd {
	p := a.player
	p.task.Working = working
	x, id, ctx := p.taskReq.ex, p.taskReq.id, a.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		lines, err := work(x, ctx)
		return taskSolvedMsg{id: id, title: title, lines: lines, err: err}
	}
}

// taskAllows reports whether the exercise under way lets the learner type
// the script command verb.
func (a *App) taskAllows(verb string) bool {
	p := a.player
	return p != nil && p.taskReq != nil && p.task != nil && !p.task.Done && slices.Contains(p.taskReq.ex.Verbs(), verb)
}

// taskVerb runs line on the script when the exercise lets the learner type
// that command (a recipe held inside this process steps only from here),
// and reports whether it did.
func (a *App) taskVerb(line string) (tea.Cmd, bool) {
	verb, _, _ := strings.Cut(strings.TrimSpace(line), " ")
	if !a.taskAllows(verb) {
		return nil, false
	}
	return a.doTask("running "+line+"…", "> "+line, func(x *script.Exercise, ctx context.Context) ([]string, error) {
		return x.Do(ctx, line)
	}), true
}

func (a *App) onTaskSolved(m taskSolvedMsg) tea.Cmd {
	p := a.player
	text := strings.Join(m.lines, "\n")
	if m.err != nil {
		text += "\nerror: " + m.err.Error()
	}
	a.output = nil
	a.showOutput(m.title + "\n" + text)
	if p.taskReq == nil || p.taskReq.id != m.id {
		return nil
	}
	p.task.Working = "checking…"
	return a.checkTask()
}

// replyTask ends the exercise for the Runner; the step's result follows.
func (a *App) replyTask(rep learnerReply) {
	p := a.player
	if p.taskReq == nil {
		return
	}
	p.taskReq.reply <- rep
	p.taskReq = nil
	if rep.err != nil {
		p.task = nil
	}
}
