package recipes

import (
	"fmt"
	"strings"

	"coordtui/cluster/zk"
)

// Kind is what a step does: an operation sent to the ensemble, or one of
// the recipe's own moments (a watch fired, the lock was acquired).
type Kind string

// Step kinds. The first ten are requests; the rest are the recipe's own.
const (
	KindCreate   Kind = "create"
	KindDelete   Kind = "delete"
	KindGet      Kind = "get"
	KindSet      Kind = "set"
	KindExists   Kind = "exists"
	KindChildren Kind = "children"
	KindMulti    Kind = "multi"
	KindSync     Kind = "sync"
	KindAddWatch Kind = "addWatch"
	KindEphemera Kind = "getEphemerals"
	// KindWoke: a watch the recipe waited on fired (or the wait ended).
	KindWoke Kind = "woke"
	// KindState: a milestone in the recipe's own words (Note), such as
	// "acquired /lock, token 0x2_00000005".
	KindState Kind = "state"
	// KindUse: the application used what it holds (a fenced write); Path
	// names the action, "write db token 0x2_00000005".
	KindUse Kind = "use"
)

// IsRequest reports whether the step sends a request to the ensemble.
func (k Kind) IsRequest() bool {
	switch k {
	case KindWoke, KindState, KindUse:
		return false
	}
	return true
}

// Phase says where a step is: announced and about to be sent (Next), or
// finished (Done, Failed).
type Phase int

const (
	Next Phase = iota
	Done
	Failed
)

func (p Phase) String() string {
	switch p {
	case Next:
		return "next"
	case Done:
		return "done"
	case Failed:
		return "failed"
	}
	return fmt.Sprintf("Phase(%d)", int(p))
}

// Step is one step of one client running one recipe: a plain value, copied
// to tracers and gates.
type Step struct {
	Client string // who: "c2"
	Recipe string // which recipe: "lock"
	Line   int    // 1-based line of the recipe's Program, 0 if none
	Kind   Kind
	Path   string   // the znode it names; a create's actual path once Done
	Paths  []string // further znodes a multi touches
	Detail string   // shown in parentheses: a create mode, why a watch is armed
	Watch  bool     // the request arms a one-shot watch on Path
	Wait   bool     // after it the client waits for that watch to fire
	Note   string   // what came of it, in the recipe's words
	Phase  Phase
	Err    error
}

// String describes the step in one stable line, e.g.
// "c2 lock: create /lock/l-0000000003 (ephemeral sequential)" or
// "c2 lock: watch /lock/l-0000000002 (predecessor) and wait".
func (s Step) String() string {
	var b strings.Builder
	b.WriteString(s.Client)
	if s.Recipe != "" {
		b.WriteString(" " + s.Recipe)
	}
	b.WriteString(":")
	if s.Kind == KindState {
		b.WriteString(" " + s.Note)
	} else {
		if v := s.verb(); v != "" {
			b.WriteString(" " + v)
		}
		for _, p := range append([]string{s.Path}, s.Paths...) {
			if p != "" {
				b.WriteString(" " + p)
			}
		}
		if s.Detail != "" {
			b.WriteString(" (" + s.Detail + ")")
		}
		if s.Wait {
			b.WriteString(" and wait")
		}
		if s.Note != "" {
			b.WriteString(": " + s.Note)
		}
	}
	if s.Phase == Failed && s.Err != nil {
		b.WriteString(": failed: " + s.Err.Error())
	}
	return b.String()
}

func (s Step) verb() string {
	if s.Kind == KindUse {
		return "" // Path says what was done: "write db token 0x2_00000005"
	}
	if s.Watch {
		switch s.Kind {
		case KindExists, KindGet:
			return "watch"
		case KindChildren:
			return "watch children of"
		}
	}
	return string(s.Kind)
}

// modeText names a create mode the way the steps print it.
func modeText(m zk.CreateMode) string {
	switch m {
	case zk.ModePersistent:
		return "persistent"
	case zk.ModeEphemeral:
		return "ephemeral"
	case zk.ModePersistentSequential:
		return "persistent sequential"
	case zk.ModeEphemeralSequential:
		return "ephemeral sequential"
	case zk.ModeContainer:
		return "container"
	}
	return strings.ToLower(m.String())
}

// Program is a recipe's pseudo-code; Step.Line indexes it from 1.
type Program []string

// Line returns line n (1-based), or "" when there is none.
func (p Program) Line(n int) string {
	if n < 1 || n > len(p) {
		return ""
	}
	return p[n-1]
}

// String numbers the lines, one per line.
func (p Program) String() string {
	var b strings.Builder
	for i, l := range p {
		fmt.Fprintf(&b, "%2d  %s\n", i+1, l)
	}
	return b.String()
}
