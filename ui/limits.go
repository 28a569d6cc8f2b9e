package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"coordtui/ui/source"
)

// noControl says why the console cannot change the ensemble: the source's
// own reason when it has one (attached to coordtui without a token).
func (a *App) noControl() string {
	if n, ok := a.src.(interface{ NoControlReason() string }); ok && n.NoControlReason() != "" {
		return n.NoControlReason()
	}
	return "attached: the console cannot change a remote ensemble"
}

// limitOps names the actions a limited Control (a remote coordtui's admin
// API) may refuse, as source.Limited names them.
var limitOps = map[Action]string{
	ActAdd: "add", ActAddObserver: "add", ActRemove: "remove", ActTransfer: "transfer",
	ActSlower: "speed", ActFaster: "speed", ActStep: "step", ActStepNext: "step", ActStepAll: "step",
}

// limit says why the Control cannot do act, "" when it can.
func (a *App) limit(act Action) string {
	l, ok := a.ctrl.(source.Limited)
	if !ok {
		return ""
	}
	if op, ok := limitOps[act]; ok {
		return l.Cannot(op)
	}
	return ""
}

// sessionExpirer is a Control that can have the ensemble expire a session
// by id (a remote coordtui's fault control).
type sessionExpirer interface {
	ExpireSession(ctx context.Context, id int64) error
}

// expireVerb runs "expire 0xSESSION".
func (a *App) expireVerb(arg string) tea.Cmd {
	ex, ok := a.ctrl.(sessionExpirer)
	if !ok {
		a.setStatus(statusErr, "expire: this console cannot expire a session by id (attach --admin with --token can; a worker's session: e in Sessions)")
		return nil
	}
	u, err := strconv.ParseUint(strings.TrimPrefix(strings.ToLower(arg), "0x"), 16, 64)
	if err != nil || u == 0 {
		a.setStatus(statusErr, fmt.Sprintf("expire: %q is not a session id (hex, as the Sessions pane shows it in full with cons)", arg))
		return nil
	}
	return a.run(fmt.Sprintf("expire session %#x", u), func(ctx context.Context) error { return ex.ExpireSession(ctx, int64(u)) })
}
