package script

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"coordtui/recipes"
	"coordtui/recipes/runner"
	"coordtui/tree"
)

// stepLog is the script's tracer on a runner: every finished step and
// milestone, in the order the clients reported them. It is what a step
// prints, and what tells settled whether a waiter's watch is about to fire.
type stepLog struct {
	mu    sync.Mutex
	steps []recipes.Step
}

// Trace implements recipes.Tracer; announcements (Phase Next) are the
// gate's business and are not kept.
func (l *stepLog) Trace(s recipes.Step) {
	if s.Phase == recipes.Next {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.steps = append(l.steps, s)
}

func (l *stepLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.steps)
}

// finishedSince reports whether c has finished a step it was let out for
// (a request or a use of what it holds) after record from.
func (l *stepLog) finishedSince(from int, c string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range l.steps[from:] {
		if s.Client == c && s.Kind != recipes.KindWoke && s.Kind != recipes.KindState {
			return true
		}
	}
	return false
}

// since renders the records after from: c's own first, then the other
// clients' (those it woke) by name, each client's in its own order.
func (l *stepLog) since(from int, c string) []string {
	l.mu.Lock()
	got := slices.Clone(l.steps[from:])
	l.mu.Unlock()
	slices.SortStableFunc(got, func(a, b recipes.Step) int {
		switch {
		case a.Client == b.Client:
			return 0
		case a.Client == c:
			return -1
		case b.Client == c:
			return 1
		}
		return strings.Compare(a.Client, b.Client)
	})
	out := make([]string, len(got))
	for i, s := range got {
		s.Recipe = "" // the runner's own steps name the recipe differently; the client is enough
		out[i] = s.String()
	}
	return out
}

// waiting returns the wait step c is blocked on, and its place in the log:
// c's latest record is a finished request after which it waits.
func (l *stepLog) waiting(c string) (recipes.Step, int, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := len(l.steps) - 1; i >= 0; i-- {
		if s := l.steps[i]; s.Client == c {
			return s, i, s.Wait && s.Phase == recipes.Done
		}
	}
	return recipes.Step{}, 0, false
}

// fires reports whether a change logged after record i triggers the watch
// that wait step w armed, by ZooKeeper's rules: a data or exists watch on P
// fires when P is deleted or set (it was armed on an existing node: the
// runner's recipes wait only then), a child watch on P when a child of P is
// created or deleted, or P itself is deleted.
func (l *stepLog) fires(i int, w recipes.Step) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range l.steps[i+1:] {
		if s.Phase != recipes.Done {
			continue
		}
		for _, p := range append([]string{s.Path}, s.Paths...) {
			switch {
			case w.Kind == recipes.KindChildren:
				if (s.Kind == recipes.KindCreate || s.Kind == recipes.KindDelete) && path.Dir(p) == w.Path ||
					s.Kind == recipes.KindDelete && p == w.Path {
					return true
				}
			case s.Kind == recipes.KindDelete || s.Kind == recipes.KindSet || s.Kind == recipes.KindMulti:
				if p == w.Path {
					return true
				}
			}
		}
	}
	return false
}

// settled: nothing is on its way. Every client is held at the gate with
// its next request, has ended its loop, or waits on a watch that nothing
// logged since has triggered. A waiter whose watch was triggered is on its
// way (the notification travels, then it asks again) until it is held.
// Changes the log cannot see, such as a session expired by the ensemble
// deleting an ephemeral, are caught for data and exists watches by looking
// at the leader's tree: a watched node that is gone there will wake its
// waiter. A child watch triggered that way is the script's to wait for.
func (rr *recipeRun) settled(env *Env) bool {
	for _, v := range rr.r.Snapshot().Clients {
		if v.Done || v.Next != "" {
			continue
		}
		w, i, ok := rr.log.waiting(v.Name)
		if !ok || rr.log.fires(i, w) || w.Kind != recipes.KindChildren && goneOnLeader(env, w.Path) {
			return false
		}
	}
	return true
}

// goneOnLeader reports whether path is known not to exist on the leader;
// false when there is no leader to ask.
func goneOnLeader(env *Env, path string) bool {
	_, _, _, err := readNode(env, nil, path)
	return err == tree.ErrNoNode
}

// show prints every client's place, the wait-for view, the tokens and
// the resource: scheduling-independent once settled.
func (rr *recipeRun) show(env *Env, out *Out) {
	s := rr.r.Snapshot()
	for _, v := range s.Clients {
		out.Printf("%s", renderTokens(env, clientLine(v)))
	}
	for _, w := range s.WaitFor {
		out.Printf("%s", w)
	}
	if len(s.Leaders) > 1 {
		out.Printf("%d clients hold or lead at once: %s", len(s.Leaders), strings.Join(s.Leaders, " "))
	}
	if len(s.Tokens) > 0 {
		var ts []string
		for _, t := range s.Tokens {
			ts = append(ts, fmt.Sprintf("%s %s %s", t.Client, renderTokens(env, t.Token.String()), t.What))
		}
		out.Printf("tokens: %s", strings.Join(ts, ", "))
	}
	out.Printf("%s", renderTokens(env, resourceLine(s.Resource)))
}

// resourceLine: "resource fenced: 1 write accepted, 0 refused; highest token
// 0x2_00000005 (c1); inside: nobody". Writes only: the
// resource also logs each entry and exit, which a student need not count.
func resourceLine(r recipes.ResourceSnapshot) string {
	kind := "fenced"
	if !r.Fenced {
		kind = "UNFENCED, takes any token"
	}
	acc, ref := 0, 0
	for _, u := range r.Log {
		if u.What == "enter" || u.What == "exit" {
			continue
		}
		if u.Accepted {
			acc++
		} else {
			ref++
		}
	}
	inside := "nobody"
	if len(r.Inside) > 0 {
		inside = strings.Join(r.Inside, " ")
	}
	s := fmt.Sprintf("%s %s: %d write%s accepted, %d refused", r.Name, kind, acc, plural(acc), ref)
	if r.Fenced && r.Highest != 0 {
		s += fmt.Sprintf("; highest token %s (%s)", r.Highest, r.HighestBy)
	}
	s += "; inside: " + inside
	if len(r.Violations) > 0 {
		return s + "; two were inside at once"
	}
	return s
}

// clientLine: "c2 line 4 waits for /lock/l-0000000000 (predecessor)",
// "c1 line 7 holds token 0x2_00000005, next: write resource token ...".
func clientLine(v runner.ClientView) string {
	s := fmt.Sprintf("%s line %d", v.Name, v.Line)
	switch {
	case v.Holds && v.Token != 0:
		s += " holds token " + v.Token.String()
	case v.Holds:
		s += " leads"
	}
	if v.Waiting != "" {
		s += " waits for " + v.Waiting
	}
	if v.Next != "" {
		_, next, _ := strings.Cut(v.Next, ": ") // drop "c1 lock:"
		s += ", next: " + next
	}
	if v.State != recipes.Connected {
		s += " (" + v.State.String() + ")"
	}
	if v.Done {
		s += ", loop ended"
	}
	if v.Err != "" {
		s += ": " + v.Err
	}
	return s
}

var reToken = regexp.MustCompile(`\b0x([0-9a-f]+)_([0-9a-f]{8})\b`)

// renderTokens replaces tokens and zxids (0x2_00000005) by the script's
// relative zxids (e1:5), which do not change from run to run.
func renderTokens(env *Env, s string) string {
	return reToken.ReplaceAllStringFunc(s, func(m string) string {
		p := reToken.FindStringSubmatch(m)
		ep, err1 := strconv.ParseUint(p[1], 16, 32)
		ctr, err2 := strconv.ParseUint(p[2], 16, 32)
		if err1 != nil || err2 != nil {
			return m
		}
		return env.Zxid(tree.Zxid(ep<<32 | ctr))
	})
}

func viewNamed(s runner.Snapshot, name string) runner.ClientView {
	for _, c := range s.Clients {
		if c.Name == name {
			return c
		}
	}
	return runner.ClientView{Name: name}
}
