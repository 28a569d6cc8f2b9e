package recipes

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Token is a fencing token: the czxid of the znode whose creation granted
// what it fences (a lock node, a lease, a leader's latch node). Zxids only
// grow, across leader changes and across the lock's parent being reaped and
// re-created — which a sequence number, restarting at 0 under a new parent,
// would not. Zero means no token.
type Token int64

// String gives a zxid's console form, epoch and counter apart:
// "0x2_0000001e"; "none" for zero.
func (t Token) String() string {
	if t == 0 {
		return "none"
	}
	return fmt.Sprintf("0x%x_%08x", uint64(t)>>32, uint32(t))
}

// ProtectedResource stands for the storage a lock protects, in the demos and
// tests: it refuses any token older than the newest it has accepted, which
// is what makes a lock safe against a holder that was paused past its
// session (Kleppmann's fencing). It also checks, rather than assumes, mutual
// exclusion: a holder entering while another is inside is accepted only when
// its token is newer (the old one is then fenced out); two holders accepted
// inside at once is recorded as a violation.
//
// An unfenced resource (NewUnsafeUnfencedResource) takes every token; it is
// there to show what goes wrong without fencing. Safe for concurrent use.
type ProtectedResource struct {
	mu         sync.Mutex
	name       string
	fenced     bool
	highest    Token
	highestBy  string
	inside     map[string]Token
	log        []Use
	violations []string
	preempted  int
}

// Use is one attempt to use the resource.
type Use struct {
	Who      string
	Token    Token
	What     string // "enter", "exit", or what was written
	Accepted bool
	Why      string // why it was refused, or what it preempted
}

// String: "c1 enter token 0x2_00000005 accepted" or
// "c1 write x=1 token 0x2_00000005 refused: stale (c2 has 0x2_00000009)".
func (u Use) String() string {
	s := fmt.Sprintf("%s %s token %s", u.Who, u.What, u.Token)
	if u.Accepted {
		s += " accepted"
	} else {
		s += " refused"
	}
	if u.Why != "" {
		s += ": " + u.Why
	}
	return s
}

// NewProtectedResource returns a fencing resource named name.
func NewProtectedResource(name string) *ProtectedResource {
	return &ProtectedResource{name: name, fenced: true, inside: make(map[string]Token)}
}

// NewUnsafeUnfencedResource returns a resource that checks no tokens.
// UNSAFE: a holder paused past its session (GC, SIGSTOP, a slow disk) wakes
// up still believing it holds the lock and writes over the new holder's
// work; this resource accepts the write. It still records the overlap as a
// violation so demos can show it.
func NewUnsafeUnfencedResource(name string) *ProtectedResource {
	r := NewProtectedResource(name)
	r.fenced = false
	return r
}

// Enter records who starting to use the resource under token t. It fails
// with ErrStaleToken when fenced and t is older than the newest token seen.
// A newer token preempts holders already inside (they are fenced out).
func (r *ProtectedResource) Enter(who string, t Token) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	u := Use{Who: who, Token: t, What: "enter"}
	if err := r.checkLocked(&u); err != nil {
		return err
	}
	r.admitLocked(who, t, &u)
	r.inside[who] = t
	r.acceptLocked(u)
	return nil
}

// Write records who writing what under token t: refused with ErrStaleToken
// when fenced and t is older than the newest token seen; a violation when
// another holder is inside and not fenced out.
func (r *ProtectedResource) Write(who string, t Token, what string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	u := Use{Who: who, Token: t, What: "write " + what}
	if err := r.checkLocked(&u); err != nil {
		return err
	}
	r.admitLocked(who, t, &u)
	r.acceptLocked(u)
	return nil
}

// Exit records who leaving. It never fails: a fenced-out holder leaving is
// harmless.
func (r *ProtectedResource) Exit(who string, t Token) {
	r.mu.Lock()
	defer r.mu.Unlock()
	u := Use{Who: who, Token: t, What: "exit", Accepted: true}
	if it, ok := r.inside[who]; !ok || it != t {
		u.Why = "was not inside"
	}
	delete(r.inside, who)
	r.log = append(r.log, u)
}

// admitLocked settles who's use under t with the holders inside: with
// fencing an older holder is preempted (fenced out); otherwise two holders
// are inside at once, a violation.
func (r *ProtectedResource) admitLocked(who string, t Token, u *Use) {
	for _, other := range r.others(who) {
		ot := r.inside[other]
		if r.fenced && ot < t {
			delete(r.inside, other)
			r.preempted++
			u.Why = fmt.Sprintf("preempts %s (%s)", other, ot)
			continue
		}
		r.violateLocked(fmt.Sprintf("%s: %s %s (token %s) while %s was inside (token %s)", r.name, who, u.What, t, other, ot))
	}
}

func (r *ProtectedResource) checkLocked(u *Use) error {
	if r.fenced && u.Token < r.highest {
		u.Why = fmt.Sprintf("stale (%s has %s)", r.highestBy, r.highest)
		r.log = append(r.log, *u)
		return fmt.Errorf("%w: %s %s token %s, %s", ErrStaleToken, r.name, u.What, u.Token, u.Why)
	}
	return nil
}

func (r *ProtectedResource) acceptLocked(u Use) {
	u.Accepted = true
	if u.Token >= r.highest {
		r.highest, r.highestBy = u.Token, u.Who
	}
	r.log = append(r.log, u)
}

func (r *ProtectedResource) violateLocked(v string) {
	r.violations = append(r.violations, v)
}

// others lists the holders inside other than who, sorted.
func (r *ProtectedResource) others(who string) []string {
	var out []string
	for h := range r.inside {
		if h != who {
			out = append(out, h)
		}
	}
	slices.Sort(out)
	return out
}

// ResourceSnapshot is a copied view of a ProtectedResource.
type ResourceSnapshot struct {
	Name       string
	Fenced     bool
	Highest    Token
	HighestBy  string
	Inside     []string // "c1@0x2_00000005", sorted
	Log        []Use
	Accepted   int
	Refused    int
	Preempted  int
	Violations []string
}

// Snapshot returns a copy of the resource's state and history.
func (r *ProtectedResource) Snapshot() ResourceSnapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := ResourceSnapshot{Name: r.name, Fenced: r.fenced, Highest: r.highest, HighestBy: r.highestBy,
		Log: slices.Clone(r.log), Preempted: r.preempted, Violations: slices.Clone(r.violations)}
	for h, t := range r.inside {
		s.Inside = append(s.Inside, h+"@"+t.String())
	}
	slices.Sort(s.Inside)
	for _, u := range r.log {
		if u.Accepted {
			s.Accepted++
		} else {
			s.Refused++
		}
	}
	return s
}

// String: "db fenced highest 0x2_00000009 (c2) inside [c2@0x2_00000009]
// accepted 5 refused 1 violations 0".
func (s ResourceSnapshot) String() string {
	f := "fenced"
	if !s.Fenced {
		f = "UNFENCED"
	}
	return fmt.Sprintf("%s %s highest %s (%s) inside [%s] accepted %d refused %d violations %d",
		s.Name, f, s.Highest, s.HighestBy, strings.Join(s.Inside, " "), s.Accepted, s.Refused, len(s.Violations))
}
