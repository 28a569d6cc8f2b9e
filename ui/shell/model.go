package shell

import (
	"bytes"
	"context"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
)

// doneMsg is a finished command: everything it printed, stdout and stderr in
// the order written, and its exit status.
type doneMsg struct {
	output string
	status int
}

// completionMsg carries the engine's completions for the text before the
// cursor when Tab was pressed.
type completionMsg struct {
	before, after string
	start         int
	candidates    []string
}

// model is the prompt. Commands run one at a time on a command goroutine;
// while one runs, keys other than Ctrl+C are ignored.
type model struct {
	ctx   context.Context
	eng   Engine
	q     *queue
	input lineEdit

	history []string // lines entered, oldest first, no two equal in a row
	hist    int      // position while browsing; len(history) when editing
	draft   string   // what was typed before browsing started

	busy   bool
	cancel context.CancelFunc
	// ahead holds lines entered while a command ran, as a terminal keeps
	// type-ahead: they run in order once it finishes.
	ahead  []string
	asking *confirmMsg
	status int
}

func newModel(ctx context.Context, eng Engine, q *queue) *model {
	return &model{ctx: ctx, eng: eng, q: q, input: lineEdit{prompt: eng.Prompt()}}
}

func (m *model) Init() tea.Cmd { return m.q.wait }

func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return m, m.key(msg)
	case doneMsg:
		m.busy, m.cancel, m.status = false, nil, msg.status
		m.input.prompt = m.eng.Prompt()
		var cmds []tea.Cmd
		if msg.output != "" {
			cmds = append(cmds, tea.Println(strings.TrimSuffix(msg.output, "\n")))
		}
		if m.eng.Done() {
			return m, tea.Sequence(append(cmds, tea.Quit)...)
		}
		if len(m.ahead) > 0 {
			line := m.ahead[0]
			m.ahead = m.ahead[1:]
			cmds = append(cmds, m.run(line))
		}
		return m, tea.Sequence(cmds...)
	case eventMsg:
		m.input.prompt = m.eng.Prompt() // the connection may have changed
		return m, tea.Batch(tea.Println(string(msg)), m.q.wait)
	case confirmMsg:
		m.asking = &msg
		return m, m.q.wait
	case completionMsg:
		return m, m.complete(msg)
	case tea.PasteMsg:
		if m.asking == nil {
			m.input.update(msg)
		}
	}
	return m, nil
}

func (m *model) View() tea.View {
	switch {
	case m.asking != nil:
		return tea.NewView(m.asking.question)
	case m.busy:
		return tea.NewView("")
	}
	return m.input.view()
}

func (m *model) key(k tea.KeyPressMsg) tea.Cmd {
	if m.asking != nil {
		ok := yes(k.String())
		m.asking.reply <- ok
		line := m.asking.question + map[bool]string{true: "y", false: "n"}[ok]
		m.asking = nil
		return tea.Println(line)
	}
	switch k.String() {
	case "ctrl+c":
		switch {
		case m.busy:
			m.cancel()
		case m.input.Value() != "":
			m.input.Reset()
		default:
			return tea.Quit
		}
		return nil
	case "ctrl+d":
		if !m.busy && m.input.Value() == "" {
			return tea.Quit
		}
	}
	if m.busy {
		// Type-ahead: edit the hidden line; enter queues it.
		switch k.String() {
		case "enter":
			m.ahead = append(m.ahead, m.input.Value())
			m.input.Reset()
		case "up", "down", "tab":
		default:
			m.input.update(k)
		}
		return nil
	}
	switch k.String() {
	case "enter":
		return m.submit()
	case "up":
		m.browse(-1)
		return nil
	case "down":
		m.browse(1)
		return nil
	case "tab":
		return m.completeCmd()
	}
	m.input.update(k)
	return nil
}

// submit runs the line being edited.
func (m *model) submit() tea.Cmd {
	line := m.input.Value()
	m.input.Reset()
	return m.run(line)
}

// run echoes line above the prompt and runs it.
func (m *model) run(line string) tea.Cmd {
	echo := tea.Println(m.input.prompt + line)
	m.hist, m.draft = len(m.history), ""
	if strings.TrimSpace(line) == "" {
		return echo
	}
	if n := len(m.history); n == 0 || m.history[n-1] != line {
		m.history = append(m.history, line)
	}
	m.hist = len(m.history)
	m.busy = true
	ctx, cancel := context.WithCancel(m.ctx)
	m.cancel = cancel
	eng := m.eng
	run := func() tea.Msg {
		defer cancel()
		var b bytes.Buffer
		st := eng.Exec(ctx, line, &b, &b)
		return doneMsg{output: b.String(), status: st}
	}
	return tea.Sequence(echo, run)
}

// browse moves through the history; moving past the newest entry brings
// back what was being typed.
func (m *model) browse(dir int) {
	if len(m.history) == 0 {
		return
	}
	if m.hist == len(m.history) {
		m.draft = m.input.Value()
	}
	m.hist = min(max(m.hist+dir, 0), len(m.history))
	if m.hist == len(m.history) {
		m.input.SetValue(m.draft)
	} else {
		m.input.SetValue(m.history[m.hist])
	}
}

// completeCmd asks the engine for completions of the text before the
// cursor, off the Update goroutine (completing a path reads the ensemble).
func (m *model) completeCmd() tea.Cmd {
	r := []rune(m.input.Value())
	pos := m.input.Position()
	before, after := string(r[:pos]), string(r[pos:])
	eng, ctx := m.eng, m.ctx
	return func() tea.Msg {
		c, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		start, cands := eng.Complete(c, before)
		return completionMsg{before: before, after: after, start: start, candidates: cands}
	}
}

// complete applies completions, unless the line changed meanwhile: one
// candidate replaces the word (a command gets a space after it), several
// extend it to their common prefix and are listed above the prompt.
func (m *model) complete(c completionMsg) tea.Cmd {
	if m.input.Value() != c.before+c.after || len(c.candidates) == 0 || c.start > len(c.before) {
		return nil
	}
	word := commonPrefix(c.candidates)
	isPath := c.start > 0 && c.before[c.start-1] == '/'
	if len(c.candidates) == 1 && !isPath {
		word += " "
	}
	if len(word) < len(c.before)-c.start {
		word = c.before[c.start:]
	}
	before := c.before[:c.start] + word
	m.input.SetValue(before + c.after)
	m.input.SetCursor(len([]rune(before)))
	if len(c.candidates) > 1 {
		return tea.Println(strings.Join(c.candidates, "  "))
	}
	return nil
}

func commonPrefix(words []string) string {
	p := words[0]
	for _, w := range words[1:] {
		for !strings.HasPrefix(w, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}
