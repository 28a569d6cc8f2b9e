package zkcli

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"coordtui/cluster/zk"
)

// Config configures a Shell.
type Config struct {
	// Server is the connection string used by Connect("") and by
	// `connect` without an argument. Default "localhost:2181", as zkCli's.
	Server string
	// SessionTimeout is the session timeout asked for (zkCli's -timeout).
	// Default 30 s.
	SessionTimeout time.Duration
	// CommandTimeout bounds each command, so a script never hangs on an
	// ensemble that went away. Default 60 s.
	CommandTimeout time.Duration
	// JSON prints results as one JSON document per command (-o json).
	JSON bool
	// Yes answers every confirmation with yes (--yes).
	Yes bool
	// Confirm asks the user a yes/no question before a destructive command
	// runs against an ensemble that is not coordtui. It is called on the
	// goroutine running the command and may block until the user answers.
	// nil refuses (the command is not run).
	Confirm func(ctx context.Context, question string) bool
	// Notify receives output that arrives between commands: watch events
	// and connection changes, as zkCli prints them ("\nWATCHER::\n\n
	// WatchedEvent state:... type:... path:..."), without a final newline.
	// It is called from the client's goroutines and must not block for long;
	// nil drops such output (one-shot use).
	Notify func(text string)
	// Options are passed to zk.Connect after the shell's own.
	Options []zk.Option
}

// Shell is one zkCli session: the connection, the command history and the
// settings. Exec and Run must be called from one goroutine at a time;
// Prompt, Complete and Done may be called concurrently with them.
type Shell struct {
	cfg Config

	mu      sync.Mutex
	client  *zk.Client
	host    string
	flavors map[string]string // server address -> srvr version line
	history []string
	quit    bool

	printWatches atomic.Bool
	json         atomic.Bool    // cfg.JSON, switchable with SetJSON
	watchers     sync.WaitGroup // goroutines waiting on one-shot watches
}

// New returns a shell that is not connected yet.
func New(cfg Config) *Shell {
	if cfg.Server == "" {
		cfg.Server = "localhost:2181"
	}
	if cfg.SessionTimeout <= 0 {
		cfg.SessionTimeout = 30 * time.Second
	}
	if cfg.CommandTimeout <= 0 {
		cfg.CommandTimeout = 60 * time.Second
	}
	s := &Shell{cfg: cfg, host: cfg.Server, flavors: map[string]string{}}
	s.printWatches.Store(true)
	s.json.Store(cfg.JSON)
	return s
}

// Connect opens a session with server (cfg.Server when ""), closing any
// session the shell had. It blocks until the session is established or
// ctx ends.
func (s *Shell) Connect(ctx context.Context, server string) error {
	if server == "" {
		server = s.host
	}
	s.disconnect()
	opts := append([]zk.Option{zk.WithSessionTimeout(s.cfg.SessionTimeout), zk.WithStateCallback(s.onState)},
		s.cfg.Options...)
	c, err := zk.Connect(ctx, server, opts...)
	s.mu.Lock()
	s.host = server
	s.client = c
	s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("unable to connect to %s: %w", server, err)
	}
	return nil
}

// disconnect closes the current session, if any.
func (s *Shell) disconnect() {
	s.mu.Lock()
	c := s.client
	s.client = nil
	s.mu.Unlock()
	if c != nil {
		c.Close()
	}
}

// Close ends the session and waits for every goroutine the shell started.
func (s *Shell) Close() error {
	s.disconnect()
	s.watchers.Wait()
	return nil
}

// Client returns the current session's client, or nil.
func (s *Shell) Client() *zk.Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.client
}

// SetJSON switches between zkCli's text and JSON output, for the commands
// that follow and for watch events.
func (s *Shell) SetJSON(on bool) { s.json.Store(on) }

// Done reports whether `quit` was run.
func (s *Shell) Done() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.quit
}

// Prompt is zkCli's prompt: "[zk: 127.0.0.1:2181(CONNECTED) 3] ".
func (s *Shell) Prompt() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("[zk: %s(%s) %d] ", s.host, javaState(s.client), len(s.history))
}

// javaState names the client's state as ZooKeeper.States does.
func javaState(c *zk.Client) string {
	if c == nil {
		return "CLOSED"
	}
	switch c.State() {
	case zk.StateConnected:
		return "CONNECTED"
	case zk.StateConnectedReadOnly:
		return "CONNECTEDREADONLY"
	case zk.StateConnecting, zk.StateSuspended:
		return "CONNECTING"
	}
	return "CLOSED"
}

// alive is ZooKeeper.States.isAlive: the session may still serve requests.
func alive(c *zk.Client) bool {
	if c == nil {
		return false
	}
	st := c.State()
	return st != zk.StateExpired && st != zk.StateClosed
}

// Exec runs one command line, records it in the history and returns its exit
// status. A blank line does nothing.
func (s *Shell) Exec(ctx context.Context, line string, out, errw io.Writer) int {
	words := Split(line)
	if len(words) == 0 {
		return StatusOK
	}
	s.mu.Lock()
	s.history = append(s.history, line)
	s.mu.Unlock()
	return s.Run(ctx, words, out, errw)
}

// Run runs one command given as words (its name first), writing its output
// to out and its diagnostics to errw as zkCli does, and returns the exit
// status zkCli would exit with.
func (s *Shell) Run(ctx context.Context, words []string, out, errw io.Writer) (status int) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.CommandTimeout)
	defer cancel()
	// A shell must outlive a bug in one of its commands: report it as that
	// command's failure.
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(errw, "internal error in %s: %v\n", words[0], p)
			status = StatusError
		}
	}()
	err := s.run(ctx, words, out, errw)
	if err == nil {
		return StatusOK
	}
	e, ok := err.(*Error)
	if !ok {
		e = &Error{Msg: err.Error(), Status: StatusError}
	}
	switch {
	case s.json.Load() && e.Code != zk.OK:
		writeJSON(errw, map[string]any{"error": e.Msg, "code": CodeName(e.Code)})
	case s.json.Load():
		writeJSON(errw, map[string]any{"error": e.Msg})
	default:
		if e.usage {
			s.usage(errw)
		}
		fmt.Fprintln(errw, e.Msg)
	}
	return e.Status
}

func (s *Shell) run(ctx context.Context, words []string, out, errw io.Writer) error {
	cmd, ok := commands[words[0]]
	if !ok {
		return &Error{Msg: "Command not found: Command not found " + words[0], Status: StatusNotFound, usage: true}
	}
	// zkCli checks the session before it parses the command's options.
	if !cmd.offline && !alive(s.Client()) {
		fmt.Fprintln(out, "Not connected")
		return nil
	}
	c, err := parseOpts(words, cmd.opts)
	if err != nil {
		return err
	}
	if len(c.args) < cmd.minArgs {
		return parseError(cmd.usageLine())
	}
	if cmd.confirm != nil {
		if err := s.confirm(ctx, cmd, c); err != nil {
			return err
		}
	}
	res, err := cmd.run(s, ctx, c, errw)
	if err != nil || res == nil {
		return err
	}
	if again, ok := res.(redone); ok {
		return s.run(ctx, again, out, errw)
	}
	if s.json.Load() {
		writeJSON(out, res)
	} else {
		res.text(out, errw)
	}
	return nil
}

// notify passes asynchronous output to cfg.Notify.
func (s *Shell) notify(text string) {
	if s.cfg.Notify != nil && s.printWatches.Load() {
		s.cfg.Notify(text)
	}
}
