package ui

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"coordtui/recipes/runner"
)

// maxOutput bounds the lines of command output kept on screen.
const maxOutput = 200

// commandKey edits and runs the command line.
func (a *App) commandKey(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "esc":
		a.mode = modeKeys
		a.output = nil
		a.line.set("")
		a.setStatus(statusInfo, "left the command line (: returns)")
		return nil
	case "ctrl+c":
		return a.quit()
	case "enter":
		line := strings.TrimSpace(a.line.String())
		a.line.push(line)
		a.line.set("")
		return a.submit(line)
	case "tab":
		return a.completeCmd(a.line.String())
	}
	a.line.key(k)
	return nil
}

// submit runs one line: a console verb, or a zkCli command through the
// engine. Bad input is answered with an error; nothing here can take the
// console down.
func (a *App) submit(line string) tea.Cmd {
	if line == "" {
		return nil
	}
	a.output = []string{"> " + line}
	if cmd, ok := a.consoleVerb(line); ok {
		return cmd
	}
	if a.engine == nil && a.player != nil {
		a.setStatus(statusErr, "no ensemble yet: the script builds one (. runs the next step)")
		return nil
	}
	if a.engine == nil {
		a.setStatus(statusErr, "no command engine in this console")
		return nil
	}
	if !a.ready.Load() {
		a.setStatus(statusErr, "the command line is still connecting to the ensemble; try again in a moment")
		return nil
	}
	if a.running {
		a.setStatus(statusErr, "a command is still running; wait for it")
		return nil
	}
	if a.src.ReadOnly() && writeCommands[firstWord(line)] {
		a.setStatus(statusErr, firstWord(line)+": read-only; attach with --write to change the ensemble")
		return nil
	}
	a.running = true
	a.setStatus(statusInfo, "running "+line+"…")
	e, ctx := a.engine, a.ctx
	return func() tea.Msg {
		out, errOut := e.Exec(ctx, line)
		return execMsg{line: line, out: out, errOut: errOut}
	}
}

func (a *App) onExec(m execMsg) tea.Cmd {
	a.running = false
	text := strings.TrimRight(m.out, "\n")
	if e := strings.TrimRight(m.errOut, "\n"); e != "" {
		if text != "" {
			text += "\n"
		}
		text += e
	}
	switch {
	case m.errOut != "" && m.out == "" && !strings.HasPrefix(m.errOut, "Created"):
		a.setStatus(statusErr, firstLine(m.errOut))
	case text == "":
		a.setStatus(statusOK, m.line+": ok")
	default:
		a.setStatus(statusOK, m.line+": "+firstLine(text))
	}
	a.showOutput(text)
	return tea.Batch(a.snapshotCmd(), a.loads())
}

// showOutput adds text to the output box above the command line (tabs
// expanded, control characters dropped, so it cannot break the screen).
func (a *App) showOutput(text string) {
	text = strings.ReplaceAll(text, "\t", "    ")
	lines := strings.Split(strings.TrimLeft(text, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.Map(func(r rune) rune {
			if r < 32 {
				return -1
			}
			return r
		}, l)
	}
	lines = append(a.output, lines...)
	if len(lines) > maxOutput {
		lines = lines[len(lines)-maxOutput:]
	}
	a.output = lines
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}

// completeCmd asks the engine to complete the line (it may read the
// tree, so it runs as a command).
func (a *App) completeCmd(line string) tea.Cmd {
	if start, cands, ok := a.completeVerbArg(line); ok {
		return func() tea.Msg { return completeMsg{line: line, start: start, cands: cands} }
	}
	verbs := a.verbsFor(line)
	if a.engine == nil {
		if len(verbs) == 0 {
			return nil
		}
		return func() tea.Msg { return completeMsg{line: line, start: 0, cands: verbs} }
	}
	e, ctx := a.engine, a.ctx
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		start, cands := e.Complete(ctx, line)
		if len(verbs) > 0 && start == 0 {
			cands = slices.Compact(slices.Sorted(slices.Values(append(cands, verbs...))))
		}
		return completeMsg{line: line, start: start, cands: cands}
	}
}

// verbsFor is the console verbs a first word being typed may become.
func (a *App) verbsFor(line string) []string {
	if strings.ContainsRune(line, ' ') {
		return nil
	}
	var out []string
	for v := range consoleVerbs {
		if strings.HasPrefix(v, line) {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}

// completeVerbArg completes the argument of :lesson, :demo and :recipe
// from what they can open or run.
func (a *App) completeVerbArg(line string) (int, []string, bool) {
	verb, arg, ok := strings.Cut(line, " ")
	if !ok || strings.ContainsRune(arg, ' ') {
		return 0, nil, false
	}
	var names []string
	switch verb {
	case "lesson", "demo":
		for _, p := range a.catalog {
			if p.Kind == verb {
				names = append(names, p.Name)
			}
		}
	case "recipe":
		for _, i := range runner.Catalog() {
			names = append(names, string(i.Recipe))
		}
		names = append(names, "stop")
		if a.player != nil {
			names = append(names, "step") // a lesson's recipe exercise
		}
	default:
		return 0, nil, false
	}
	var cands []string
	for _, n := range names {
		if strings.HasPrefix(n, arg) {
			cands = append(cands, n)
		}
	}
	return len(verb) + 1, cands, true
}

func (a *App) onComplete(m completeMsg) {
	if a.line.String() != m.line || m.start < 0 || m.start > len(m.line) {
		return // the line changed meanwhile
	}
	switch len(m.cands) {
	case 0:
		a.setStatus(statusInfo, "no completion")
	case 1:
		a.line.set(m.line[:m.start] + m.cands[0])
	default:
		prefix := commonPrefix(m.cands)
		if len(prefix) > len(m.line)-m.start {
			a.line.set(m.line[:m.start] + prefix)
		}
		shown := m.cands
		if len(shown) > 12 {
			shown = append(shown[:12:12], fmt.Sprintf("… %d more", len(m.cands)-12))
		}
		a.setStatus(statusInfo, strings.Join(shown, "  "))
	}
}

func commonPrefix(ss []string) string {
	p := ss[0]
	for _, s := range ss[1:] {
		for !strings.HasPrefix(s, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}

func (a *App) onConnected(m connectedMsg) {
	if m.err != nil {
		a.setStatus(statusErr, "command line: "+m.err.Error())
		return
	}
	a.ready.Store(true)
	if a.status.kind == statusInfo && strings.HasPrefix(a.status.text, "starting") {
		a.setStatus(statusInfo, "ready: : opens the zkCli command line, ? shows every key")
	}
}

// filterKey edits the tree filter.
func (a *App) filterKey(k tea.KeyPressMsg) tea.Cmd {
	switch k.String() {
	case "esc":
		a.mode = modeKeys
		a.tree.ClearFilter()
		return nil
	case "ctrl+c":
		return a.quit()
	case "enter":
		a.mode = modeKeys
		f := strings.TrimSpace(a.filter.String())
		a.filter.push(f)
		if f == "" {
			a.tree.ClearFilter()
			return nil
		}
		a.tree.StartFilter(f)
		a.setStatus(statusInfo, "searching for "+strconv.Quote(f)+"… (enter on a match shows it in the tree, / searches again)")
		return a.findCmd(f)
	}
	a.filter.key(k)
	return nil
}

func (a *App) onFind(m findMsg) {
	if m.err != nil {
		a.setStatus(statusErr, "filter: "+m.err.Error())
	}
	a.tree.SetMatches(m.substr, m.paths)
	if len(m.paths) >= 1000 {
		a.setStatus(statusInfo, "filter: showing the first 1000 matches")
	}
}
