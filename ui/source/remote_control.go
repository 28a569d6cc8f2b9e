package source

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"coordtui/cluster/admin"
	"coordtui/cluster/event"
	"coordtui/cluster/faultnet"
)

// Limited is implemented by a Control that cannot do all that Control
// lists. Cannot says why it cannot do op — "add", "remove", "transfer",
// "speed" or "step" — and "" when it can.
type Limited interface {
	Cannot(op string) string
}

// Why a remote ensemble refuses what only an ensemble in this process can do.
var remoteCannot = map[string]string{
	"add":      "attached: the admin API cannot add members (coordtui's own console can)",
	"remove":   "attached: the admin API cannot remove members (coordtui's own console can)",
	"transfer": "attached: the admin API cannot hand leadership over (coordtui's own console can)",
	"speed":    "attached: slow motion stretches raft's timeouts, which only an ensemble in this process can",
	"step":     "attached: step mode stretches raft's timeouts, which only an ensemble in this process can",
}

// actionTimeout bounds one fault action over the network.
const actionTimeout = 15 * time.Second

// remoteControl is Control over an admin API whose fault control is on.
// Crash and restart work only when that API runs the whole ensemble in
// its process (coordtui up); elsewhere the API answers 501, which comes
// back as an error that says so.
type remoteControl struct {
	r  *Remote
	ep *endpoint
}

// Cannot implements Limited.
func (c *remoteControl) Cannot(op string) string { return remoteCannot[op] }

// do runs one fault action with a deadline of its own, for the methods
// that take no context.
func (c *remoteControl) do(action string, params url.Values) error {
	ctx, cancel := context.WithTimeout(context.Background(), actionTimeout)
	defer cancel()
	return c.fault(ctx, action, params)
}

// fault runs one fault action and words its refusal for the status line.
func (c *remoteControl) fault(ctx context.Context, action string, params url.Values) error {
	_, err := c.ep.c.Fault(ctx, action, params)
	var ae *admin.APIError
	switch {
	case errors.Is(err, admin.ErrUnsupported):
		return fmt.Errorf("%w (crash and restart need an ensemble run by coordtui up, not coordtui server)", err)
	case errors.Is(err, admin.ErrBadToken):
		return fmt.Errorf("%w: check --token or COORDTUI_ADMIN_TOKEN", err)
	case errors.As(err, &ae):
		return err
	case err != nil:
		return fmt.Errorf("%s: %w", c.ep.c, err)
	}
	return nil
}

func memberParam(id uint64) url.Values { return url.Values{"member": {fmt.Sprintf("n%d", id)}} }

// Crash implements Control.
func (c *remoteControl) Crash(id uint64) error {
	return c.do("members/crash", memberParam(id))
}

// Restart implements Control.
func (c *remoteControl) Restart(id uint64) error {
	return c.do("members/restart", memberParam(id))
}

// Add implements Control: refused, see Cannot.
func (c *remoteControl) Add(context.Context, bool) (uint64, error) {
	return 0, errors.New(remoteCannot["add"])
}

// Remove implements Control: refused, see Cannot.
func (c *remoteControl) Remove(context.Context, uint64) error {
	return errors.New(remoteCannot["remove"])
}

// TransferLeadership implements Control: refused, see Cannot.
func (c *remoteControl) TransferLeadership(context.Context, uint64) error {
	return errors.New(remoteCannot["transfer"])
}

// ExpireSession asks the ensemble to expire session id, as its leader
// would when the session's timeout passes.
func (c *remoteControl) ExpireSession(ctx context.Context, id int64) error {
	return c.fault(ctx, "sessions/expire", url.Values{"id": {fmt.Sprintf("%#x", uint64(id))}})
}

// Net implements Control.
func (c *remoteControl) Net() Network { return remoteNet{c} }

// remoteNet is Network over the admin API's link table.
type remoteNet struct{ c *remoteControl }

// Base implements Network: the fault as the last snapshot saw it.
func (n remoteNet) Base(from, to string) faultnet.Fault { return n.c.r.view.link(from, to) }

// set writes f on from->to whole.
func (n remoteNet) set(from, to string, f faultnet.Fault) error {
	return n.c.do("links/set", url.Values{"from": {from}, "to": {to}, "cut": {fmt.Sprint(f.Cut)},
		"hold": {fmt.Sprint(f.Hold)}, "delay": {f.Delay.String()}, "loss": {fmt.Sprint(f.Loss)}})
}

// SetCut implements Network.
func (n remoteNet) SetCut(from, to string, cut bool) error {
	f := n.Base(from, to)
	f.Cut = cut
	return n.set(from, to, f)
}

// SetDelay implements Network.
func (n remoteNet) SetDelay(from, to string, d time.Duration) error {
	f := n.Base(from, to)
	f.Delay = d
	return n.set(from, to, f)
}

// Isolate implements Network.
func (n remoteNet) Isolate(id string) error {
	return n.c.do("links/isolate", url.Values{"member": {id}})
}

// Split implements Network.
func (n remoteNet) Split(a, b []string) error {
	return n.c.do("links/split", url.Values{"a": {strings.Join(a, ",")}, "b": {strings.Join(b, ",")}})
}

// Heal implements Network.
func (n remoteNet) Heal() error { return n.c.do("links/heal", nil) }

// SetSpeed implements Network: refused, see Cannot.
func (n remoteNet) SetSpeed(float64) error { return errors.New(remoteCannot["speed"]) }

// SetStep implements Network: refused, see Cannot.
func (n remoteNet) SetStep(bool) error { return errors.New(remoteCannot["step"]) }

// ReleaseNext implements Network: nothing is held without step mode.
func (n remoteNet) ReleaseNext() (event.RPC, error) { return event.RPC{}, ErrNothingHeld }

// ReleaseAll implements Network.
func (n remoteNet) ReleaseAll() int { return 0 }
