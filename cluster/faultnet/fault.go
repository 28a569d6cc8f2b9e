package faultnet

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// Fault is the state of one directed link. The zero Fault is a healthy link.
// The parts combine and are checked in this order for each RPC: Cut refuses
// it; Hold queues it until it is released; Loss drops it with probability
// Loss; Delay holds it back for Delay before it is sent (and a cut during
// the delay loses it).
//
// A cut or dropped RPC fails at once, as on a network that refuses or resets
// connections, not after the I/O timeout a black hole would cost: raft
// treats both alike (log, back off, retry), and the console stays lively.
type Fault struct {
	Cut   bool          // every RPC fails, and so does the answer to one in flight
	Hold  bool          // RPCs wait in a queue until Links.Release or the hold is lifted
	Delay time.Duration // added before each RPC is sent
	Loss  float64       // probability in [0,1] that an RPC is dropped
	// PassHeartbeats, with Hold, lets raft's heartbeats through the hold.
	// They travel on their own connection, so passing them reorders
	// nothing, and they alone keep the leader's lease: step mode holds
	// every other message without the holding itself deposing the leader.
	PassHeartbeats bool
}

// Errors an RPC refused by the fault layer wraps. raft treats them like any
// network failure: it logs them, backs off and retries.
var (
	ErrCut     = errors.New("link cut")
	ErrDropped = errors.New("message dropped")
)

// IsZero reports whether f is a healthy link.
func (f Fault) IsZero() bool { return f == Fault{} }

// String describes the fault as the console and the fault events show it:
// "ok", "cut", "hold delay=200ms", "loss=30%".
func (f Fault) String() string {
	if f.IsZero() {
		return "ok"
	}
	var parts []string
	if f.Cut {
		parts = append(parts, "cut")
	}
	if f.Hold {
		parts = append(parts, "hold")
		if f.PassHeartbeats {
			parts = append(parts, "(heartbeats pass)")
		}
	}
	if f.Delay > 0 {
		parts = append(parts, "delay="+f.Delay.String())
	}
	if f.Loss > 0 {
		parts = append(parts, "loss="+strconv.FormatFloat(f.Loss*100, 'g', 4, 64)+"%")
	}
	return strings.Join(parts, " ")
}

// normal clamps a Fault into range: a negative delay is none, a loss outside
// [0,1] is the nearest bound (NaN is none).
func (f Fault) normal() Fault {
	if f.Delay < 0 {
		f.Delay = 0
	}
	if !f.Hold {
		f.PassHeartbeats = false // it qualifies a hold; alone it means nothing
	}
	switch {
	case f.Loss > 1:
		f.Loss = 1
	case f.Loss > 0:
	default: // negative or NaN
		f.Loss = 0
	}
	return f
}
