package script

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"coordtui/tree"
)

// names turns what differs between runs into what a script calls it:
// session ids into client and worker names, member addresses into member
// names, zxids into epochs and counters relative to the scenario's start.
// It is written by the Runner's goroutine and read by client callbacks.
type names struct {
	mu       sync.Mutex
	sessions map[int64]string
	addrs    map[string]string // "127.0.0.1:port" -> "n2"
	members  map[uint64]string // display names given by the script
	base     tree.Zxid         // the last zxid before the scenario started
	epochs   map[uint32]int    // raft terms that carried a transaction since the start
}

func newNames() *names {
	return &names{sessions: map[int64]string{}, addrs: map[string]string{}, members: map[uint64]string{},
		epochs: map[uint32]int{}}
}

func (n *names) session(id int64, name string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.sessions[id] = name
}

func (n *names) sessionName(id int64) (string, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	s, ok := n.sessions[id]
	return s, ok
}

func (n *names) addr(a, member string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.addrs[a] = member
}

func (n *names) member(id uint64) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	if s, ok := n.members[id]; ok {
		return s
	}
	return fmt.Sprintf("n%d", id)
}

func (n *names) setMember(id uint64, name string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.members[id] = name
}

func (n *names) setBase(z tree.Zxid) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.base = z
	clear(n.epochs)
}

// saw records that a transaction with zxid z was applied. The ensemble's
// apply hook calls it on every member's FSM goroutine, so it must be quick.
func (n *names) saw(z tree.Zxid) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if z > n.base {
		n.epochs[z.Epoch()] = 0
	}
}

// zxid renders z as "e<k>:<counter>": k numbers the epochs (raft terms)
// that carried a transaction since the scenario started, 1 for the first,
// in order; the counter is ZooKeeper's, counted from the scenario's start
// in the epoch the scenario started in. Both depend only on what the
// script did, not on how many elections raft needed to get there (an
// election that carried no transaction leaves no epoch). A zxid from
// before the start is "e0:<counter>".
func (n *names) zxid(z tree.Zxid) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	if z <= n.base {
		return fmt.Sprintf("e0:%d", z.Counter())
	}
	n.epochs[z.Epoch()] = 0 // in case it is printed before its hook ran
	k := 0
	for e := range n.epochs {
		if e <= z.Epoch() {
			k++
		}
	}
	c := z.Counter()
	if z.Epoch() == n.base.Epoch() {
		c -= n.base.Counter()
	}
	return fmt.Sprintf("e%d:%d", k, c)
}

var (
	reHex     = regexp.MustCompile(`\b0x[0-9a-f]{6,16}\b`)
	reSession = regexp.MustCompile(`\bs[0-9a-f]{6,16}\b`)
	reAddr    = regexp.MustCompile(`127\.0\.0\.1:[0-9]+`)
	reStatZx  = regexp.MustCompile(`(?m)^([cmp]Zxid = )0x([0-9a-f]+)$`)
	reStatT   = regexp.MustCompile(`(?m)^([cm]time = ).*$`)
)

// render replaces session ids (0x... and the console's s...), member
// addresses, the zxids and times of zkCli's stat block.
func (n *names) render(text string) string {
	text = reStatT.ReplaceAllString(text, "${1}(time)")
	text = reStatZx.ReplaceAllStringFunc(text, func(m string) string {
		sub := reStatZx.FindStringSubmatch(m)
		v, err := strconv.ParseUint(sub[2], 16, 64)
		if err != nil {
			return m
		}
		return sub[1] + n.zxid(tree.Zxid(v))
	})
	n.mu.Lock()
	defer n.mu.Unlock()
	text = reHex.ReplaceAllStringFunc(text, func(m string) string {
		v, err := strconv.ParseUint(m[2:], 16, 64)
		if err != nil {
			return m
		}
		if s, ok := n.sessions[int64(v)]; ok {
			return s
		}
		return m
	})
	text = reSession.ReplaceAllStringFunc(text, func(m string) string {
		v, err := strconv.ParseUint(m[1:], 16, 64)
		if err != nil {
			return m
		}
		if s, ok := n.sessions[int64(v)]; ok {
			return s
		}
		return m
	})
	return reAddr.ReplaceAllStringFunc(text, func(m string) string {
		if s, ok := n.addrs[m]; ok {
			return s
		}
		return "127.0.0.1:(port)"
	})
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b string) int {
		// c2 before c10: by length, then by text.
		return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b))
	})
	return out
}
