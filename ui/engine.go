package ui

import (
	"bytes"
	"context"
	"strings"
	"time"

	"coordtui/cluster/zk"
	"coordtui/cluster/zkcli"
)

// Engine runs the console's command line: zkCli's commands against the
// ensemble, on a session of its own. It is the seam between the console
// and the command engine; zkcliEngine below is the only implementation
// and the only file that knows cluster/zkcli.
type Engine interface {
	// Connect opens the engine's session; it blocks (call it in a command).
	Connect(ctx context.Context) error
	// Exec runs one line and returns what it printed on stdout and stderr.
	// It blocks; calls must not overlap.
	Exec(ctx context.Context, line string) (out, errOut string)
	// Complete offers replacements for line[start:]. It may do I/O.
	Complete(ctx context.Context, line string) (start int, candidates []string)
	// Commands lists the command names, for help and completion.
	Commands() []string
	Close() error
}

// EngineHooks are how an engine reaches the user between commands.
type EngineHooks struct {
	// Confirm asks a yes/no question and blocks until it is answered.
	Confirm func(ctx context.Context, question string) bool
	// Notify shows asynchronous output (watch events); it must not block.
	Notify func(text string)
}

// zkcliEngine is Engine over cluster/zkcli's Shell.
type zkcliEngine struct {
	sh *zkcli.Shell
}

// newZkcliEngine returns an engine for the ensemble at conn.
func newZkcliEngine(conn string, opts []zk.Option, hooks EngineHooks) Engine {
	return &zkcliEngine{sh: zkcli.New(zkcli.Config{Server: conn, SessionTimeout: 10 * time.Second,
		CommandTimeout: 30 * time.Second, Confirm: hooks.Confirm, Notify: hooks.Notify, Options: opts})}
}

func (e *zkcliEngine) Connect(ctx context.Context) error { return e.sh.Connect(ctx, "") }

func (e *zkcliEngine) Exec(ctx context.Context, line string) (string, string) {
	var out, errw bytes.Buffer
	e.sh.Exec(ctx, line, &out, &errw)
	return out.String(), errw.String()
}

func (e *zkcliEngine) Complete(ctx context.Context, line string) (int, []string) {
	return e.sh.Complete(ctx, line)
}

func (e *zkcliEngine) Commands() []string { return zkcli.Commands() }

func (e *zkcliEngine) Close() error { return e.sh.Close() }

// writeCommands are the zkCli commands that change the ensemble; an
// attached console refuses them unless started with --write.
var writeCommands = map[string]bool{
	"create": true, "set": true, "delete": true, "deleteall": true, "rmr": true, "setAcl": true,
	"setquota": true, "delquota": true, "reconfig": true, "import": true, "addWatch": false,
}

// firstWord is the command name of a line.
func firstWord(line string) string {
	f := strings.Fields(line)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}
