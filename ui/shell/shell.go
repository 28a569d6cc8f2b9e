// Package shell is the interactive front end of `coordtui cli`: a prompt with
// history and tab completion of commands and znode paths, built on Bubble
// Tea, over the zkcli command engine. When stdin is not a terminal it reads
// commands line by line instead, as zkCli.sh does without JLine.
//
// It never talks to ZooKeeper itself: every command, completion and
// confirmation goes through the Engine.
package shell

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"

	"coordtui/cluster/zkcli"
)

// Engine is what the prompt needs from the command engine (*zkcli.Shell).
// Exec runs on a command goroutine, never in Update; Prompt and Done are
// cheap and safe to call from Update.
type Engine interface {
	Prompt() string
	Exec(ctx context.Context, line string, out, errw io.Writer) int
	Complete(ctx context.Context, line string) (start int, candidates []string)
	Done() bool
}

// Run connects to cfg.Server and runs the interactive shell until `quit`,
// Ctrl+D on an empty line, or ctx ends. It returns the exit status of the
// last command, as zkCli does. On a terminal it draws the prompt; otherwise
// it reads one command per line from in.
func Run(ctx context.Context, cfg zkcli.Config, in io.Reader, out, errw io.Writer) int {
	if !isTerminal(in) || !isTerminal(out) {
		return runLines(ctx, cfg, in, out, errw)
	}
	q := newQueue()
	defer q.close()
	cfg.Notify = func(text string) { q.push(eventMsg(text)) }
	cfg.Confirm = q.confirm
	sh := zkcli.New(cfg)
	defer sh.Close()
	fmt.Fprintf(out, "Connecting to %s\n", cfg.Server)
	if err := connect(ctx, sh, cfg); err != nil {
		fmt.Fprintln(errw, err)
	}
	m := newModel(ctx, sh, q)
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out))
	final, err := p.Run()
	if err != nil && ctx.Err() == nil {
		fmt.Fprintln(errw, "coordtui cli:", err)
		return 1
	}
	if fm, ok := final.(*model); ok {
		return fm.status
	}
	return 0
}

// connect opens the first session, bounded by the session timeout as
// zkCli's -waitforconnection is.
func connect(ctx context.Context, sh *zkcli.Shell, cfg zkcli.Config) error {
	timeout := cfg.SessionTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second // zkcli's default
	}
	c, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return sh.Connect(c, "")
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	if !ok {
		return false
	}
	st, err := file.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
