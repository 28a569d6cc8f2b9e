package shell

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"

	"coordtui/cluster/zkcli"
)

// lockedWriter serialises writes from the command goroutine and from watch
// events, so an event never lands inside a line of output.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// runLines is the shell without a terminal: one command per line from in,
// no prompt, output as zkCli prints it, until EOF or `quit`.
func runLines(ctx context.Context, cfg zkcli.Config, in io.Reader, out, errw io.Writer) int {
	var mu sync.Mutex
	out, errw = lockedWriter{&mu, out}, lockedWriter{&mu, errw}
	r := bufio.NewReader(in)
	// zkCli exits at the end of its input without closing the session, so
	// it prints no Closed event then; neither does this.
	var ended atomic.Bool
	cfg.Notify = func(text string) {
		if !ended.Load() {
			fmt.Fprintln(out, text)
		}
	}
	cfg.Confirm = askFrom(r, errw)
	sh := zkcli.New(cfg)
	defer sh.Close()
	if err := connect(ctx, sh, cfg); err != nil {
		fmt.Fprintln(errw, err)
	}
	status := 0
	for ctx.Err() == nil && !sh.Done() {
		line, err := r.ReadString('\n')
		if line != "" {
			status = sh.Exec(ctx, strings.TrimRight(line, "\r\n"), out, errw)
		}
		if err != nil {
			break
		}
	}
	ended.Store(true)
	return status
}

// AskLine returns a zkcli confirmation that prints the question on out and
// reads the answer, a line, from in: "y" or "yes" (any case) agrees.
func AskLine(in io.Reader, out io.Writer) func(context.Context, string) bool {
	return askFrom(bufio.NewReader(in), out)
}

func askFrom(r *bufio.Reader, out io.Writer) func(context.Context, string) bool {
	return func(_ context.Context, question string) bool {
		fmt.Fprint(out, question)
		answer, _ := r.ReadString('\n')
		return yes(answer)
	}
}

func yes(answer string) bool {
	a := strings.ToLower(strings.TrimSpace(answer))
	return a == "y" || a == "yes"
}
