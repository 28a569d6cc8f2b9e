package zkcli

import (
	"context"
	"io"
	"strconv"
)

func runConnect(s *Shell, ctx context.Context, c *cmdline, _ io.Writer) (result, error) {
	server := ""
	if len(c.args) > 1 {
		server = c.args[1]
	}
	if err := s.Connect(ctx, server); err != nil {
		return nil, &Error{Msg: err.Error(), Code: codeOf(err), Status: StatusError}
	}
	return silent{"connected": s.host, "session": hex(s.Client().SessionID())}, nil
}

func runClose(s *Shell, _ context.Context, _ *cmdline, _ io.Writer) (result, error) {
	// The closed client stays, so the prompt says CLOSED and later commands
	// print "Not connected", as zkCli's do.
	if c := s.Client(); c != nil {
		c.Close()
	}
	return silent{"closed": true}, nil
}

func runQuit(s *Shell, _ context.Context, _ *cmdline, _ io.Writer) (result, error) {
	if c := s.Client(); c != nil {
		c.Close()
	}
	s.mu.Lock()
	s.quit = true
	s.mu.Unlock()
	return nil, nil
}

func runHistory(s *Shell, _ context.Context, _ *cmdline, _ io.Writer) (result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out lines
	for i := max(len(s.history)-11, 0); i < len(s.history); i++ {
		out = append(out, strconv.Itoa(i)+" - "+s.history[i])
	}
	return out, nil
}

// runRedo runs history entry n again; the redo's own history entry becomes
// that command, as in zkCli.
func runRedo(s *Shell, _ context.Context, c *cmdline, _ io.Writer) (result, error) {
	if len(c.args) < 2 {
		return nil, nil
	}
	n, err := strconv.ParseInt(c.args[1], 0, 32)
	s.mu.Lock()
	current := len(s.history) - 1
	if err != nil || n < 0 || int(n) >= current {
		s.mu.Unlock()
		return nil, malformed("Command index out of range")
	}
	line := s.history[n]
	words := Split(line)
	if len(words) > 0 && words[0] == "redo" {
		s.mu.Unlock()
		return nil, malformed("No redoing redos")
	}
	s.history[current] = line
	s.mu.Unlock()
	return redone(words), nil
}

// redone names the command a redo runs; Shell.run runs it in its place.
type redone []string

func (redone) text(io.Writer, io.Writer) {}

func runPrintWatches(s *Shell, _ context.Context, c *cmdline, _ io.Writer) (result, error) {
	if len(c.args) == 1 {
		state := "off"
		if s.printWatches.Load() {
			state = "on"
		}
		return lines{"printwatches is " + state}, nil
	}
	s.printWatches.Store(c.args[1] == "on")
	return nil, nil
}

func init() {
	register(
		&command{name: "connect", usage: "host:port", offline: true, minArgs: 1, run: runConnect},
		&command{name: "close", usage: "", minArgs: 1, run: runClose},
		&command{name: "quit", usage: "", offline: true, minArgs: 1, run: runQuit},
		&command{name: "history", usage: "", offline: true, minArgs: 1, run: runHistory},
		&command{name: "redo", usage: "cmdno", offline: true, minArgs: 1, run: runRedo},
		&command{name: "printwatches", usage: "on|off", offline: true, minArgs: 1, run: runPrintWatches},
	)
}
