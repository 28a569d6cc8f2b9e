package source

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
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

// remoteControl is Control over admin APIs whose fault control is on:
// one that runs the whole ensemble (coordtui up), or one per member on its
// own (coordtui server), each governing that member's links. Crash and
// restart work only with the first; a member's API answers 501, which
// comes back as an error that says so.
type remoteControl struct {
	r   *Remote
	ep  *endpoint            // the whole ensemble's API, or nil
	own map[string]*endpoint // members' own APIs by name ("n2"), used when ep is nil
}

// to is where an action on members goes: the ensemble's API, or each named
// member's own (every member's when none is named).
func (c *remoteControl) to(members ...string) ([]*endpoint, error) {
	if c.ep != nil {
		return []*endpoint{c.ep}, nil
	}
	if len(members) == 0 {
		out := make([]*endpoint, 0, len(c.own))
		for _, name := range slices.Sorted(maps.Keys(c.own)) {
			out = append(out, c.own[name])
		}
		return out, nil
	}
	var out []*endpoint
	for _, m := range members {
		ep := c.own[m]
		if ep == nil {
			return nil, fmt.Errorf("no admin API with fault control for %s (attach with every member's --admin, each started with --faults)", m)
		}
		if !slices.Contains(out, ep) {
			out = append(out, ep)
		}
	}
	return out, nil
}

// doOn runs one action on every API that must take it.
func (c *remoteControl) doOn(action string, params url.Values, members ...string) error {
	eps, err := c.to(members...)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), actionTimeout)
	defer cancel()
	var errs []error
	for _, ep := range eps {
		errs = append(errs, c.fault(ctx, ep, action, params))
	}
	return errors.Join(errs...)
}

// Cannot implements Limited.
func (c *remoteControl) Cannot(op string) string { return remoteCannot[op] }

// fault runs one fault action on ep and words its refusal for the status
// line.
func (c *remoteControl) fault(ctx context.Context, ep *endpoint, action string, params url.Values) error {
	_, err := ep.c.Fault(ctx, action, params)
	var ae *admin.APIError
	switch {
	case errors.Is(err, admin.ErrUnsupported):
		return fmt.Errorf("%w (crash and restart need an ensemble run by coordtui up, not coordtui server)", err)
	case errors.Is(err, admin.ErrBadToken):
		return fmt.Errorf("%w: check --token or COORDTUI_ADMIN_TOKEN", err)
	case errors.As(err, &ae):
		return err
	case err != nil:
		return fmt.Errorf("%s: %w", ep.c, err)
	}
	return nil
}

func memberParam(id uint64) url.Values { return url.Values{"member": {fmt.Sprintf("n%d", id)}} }

// Crash implements Control.
func (c *remoteControl) Crash(id uint64) error {
	return c.doOn("members/crash", memberParam(id), fmt.Sprintf("n%d", id))
}

// Restart implements Control.
func (c *remoteControl) Restart(id uint64) error {
	return c.doOn("members/restart", memberParam(id), fmt.Sprintf("n%d", id))
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
	eps, err := c.to()
	if err != nil || len(eps) == 0 {
		return errors.Join(err, errors.New("no admin API with fault control"))
	}
	return c.fault(ctx, eps[0], "sessions/expire", url.Values{"id": {fmt.Sprintf("%#x", uint64(id))}}) // any member proposes it
}

// Net implements Control.
func (c *remoteControl) Net() Network { return remoteNet{c} }

// remoteNet is Network over the admin API's link table.
type remoteNet struct{ c *remoteControl }

// Base implements Network: the fault as the last snapshot saw it.
func (n remoteNet) Base(from, to string) faultnet.Fault { return n.c.r.view.link(from, to) }

// set writes f on from->to whole.
func (n remoteNet) set(from, to string, f faultnet.Fault) error {
	return n.c.doOn("links/set", url.Values{"from": {from}, "to": {to}, "cut": {fmt.Sprint(f.Cut)},
		"hold": {fmt.Sprint(f.Hold)}, "delay": {f.Delay.String()}, "loss": {fmt.Sprint(f.Loss)}}, from) // the sender applies it
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
	return n.c.doOn("links/isolate", url.Values{"member": {id}}, id)
}

// Split implements Network.
func (n remoteNet) Split(a, b []string) error {
	return n.c.doOn("links/split", url.Values{"a": {strings.Join(a, ",")}, "b": {strings.Join(b, ",")}}, slices.Concat(a, b)...)
}

// Heal implements Network.
func (n remoteNet) Heal() error { return n.c.doOn("links/heal", nil) }

// SetSpeed implements Network: refused, see Cannot.
func (n remoteNet) SetSpeed(float64) error { return errors.New(remoteCannot["speed"]) }

// SetStep implements Network: refused, see Cannot.
func (n remoteNet) SetStep(bool) error { return errors.New(remoteCannot["step"]) }

// ReleaseNext implements Network: nothing is held without step mode.
func (n remoteNet) ReleaseNext() (event.RPC, error) { return event.RPC{}, ErrNothingHeld }

// ReleaseAll implements Network.
func (n remoteNet) ReleaseAll() int { return 0 }
