package demos

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"coordtui/cluster/zk"
	"coordtui/lessons/script"
	"coordtui/tree"
)

func taskCommand() script.Command {
	return script.Command{Name: "task", Usage: "task add N [on=MEMBER]",
		Help: "submit N tasks as sequential znodes under /tasks", Run: runTask}
}

func assignmentsCommand() script.Command {
	return script.Command{Name: "assignments", Usage: "assignments",
		Help: "print /assign as the leader holds it: each worker and its tasks", Run: runAssignments}
}

func assignedPredicate() script.Predicate {
	return script.Predicate{Name: "assigned", Usage: "assigned tasks=N",
		Help: "there are N tasks and each is assigned to exactly one live worker", Check: checkAssigned}
}

const submitterKey = "demos.submitter"

func runTask(ctx context.Context, env *script.Env, st *script.Step, out *script.Out) error {
	a := st.Arguments()
	if a.Arg(0) != "add" {
		return errors.New("task add N")
	}
	var n int
	if _, err := fmt.Sscan(a.Arg(1), &n); err != nil || n < 1 {
		return errors.New("task add N (N >= 1)")
	}
	v, ok := env.Value(submitterKey)
	if !ok {
		c, err := dial(ctx, env, a.String("on", "n1"), "client")
		if err != nil {
			return err
		}
		env.SetValue(submitterKey, c)
		env.OnReset(func() { c.Close() })
		v = c
	}
	c := v.(*zk.Client)
	if _, err := c.Create(ctx, "/tasks", nil, zk.WorldACL(zk.PermAll), zk.ModePersistent); err != nil && !errors.Is(err, zk.ErrNodeExists) {
		return err
	}
	var made []string
	for range n {
		p, err := c.Create(ctx, "/tasks/task-", nil, zk.WorldACL(zk.PermAll), zk.ModePersistentSequential)
		if err != nil {
			return err
		}
		made = append(made, strings.TrimPrefix(p, "/tasks/"))
	}
	out.About(script.Concerns{Znodes: []string{"/tasks"}})
	out.Printf("submitted %s .. %s", made[0], made[len(made)-1])
	return nil
}

// layout is /workers, /tasks and /assign as one member holds them.
type layout struct {
	workers map[string]bool
	tasks   []string
	assign  map[string][]string // worker -> tasks
}

func readLayout(env *script.Env) (layout, error) {
	leader, err := env.Leader()
	if err != nil {
		return layout{}, err
	}
	l := layout{workers: map[string]bool{}, assign: map[string][]string{}}
	super := []tree.ID{{Scheme: "super"}}
	leader.View(func(t *tree.Tree) {
		ws, _, _ := t.Children("/workers", super)
		for _, w := range ws {
			l.workers[w] = true
		}
		l.tasks, _, _ = t.Children("/tasks", super)
		dirs, _, _ := t.Children("/assign", super)
		for _, w := range dirs {
			ts, _, _ := t.Children("/assign/"+w, super)
			l.assign[w] = byName(ts)
		}
	})
	l.tasks = byName(l.tasks)
	return l, nil
}

func runAssignments(ctx context.Context, env *script.Env, st *script.Step, out *script.Out) error {
	l, err := readLayout(env)
	if err != nil {
		return err
	}
	var ws []string
	for w := range l.assign {
		ws = append(ws, w)
	}
	for _, w := range byName(ws) {
		state := "live"
		if !l.workers[w] {
			state = "gone"
		}
		ts := strings.Join(l.assign[w], " ")
		if ts == "" {
			ts = "(none)"
		}
		out.Printf("%s (%s): %s", w, state, ts)
	}
	out.About(script.Concerns{Znodes: []string{"/assign"}})
	return nil
}

func checkAssigned(ctx context.Context, env *script.Env, a script.Args) (script.Observation, error) {
	want, err := a.Int("tasks", -1)
	if err != nil || want < 0 {
		return script.Observation{}, errors.New("assigned tasks=N")
	}
	claim := fmt.Sprintf("all %d tasks are assigned, each to exactly one live worker", want)
	l, err := readLayout(env)
	if err != nil {
		return script.Observation{Claim: claim, Seen: err.Error()}, nil
	}
	count := map[string]int{}
	var bad []string
	for w, ts := range l.assign {
		for _, t := range ts {
			count[t]++
			if !l.workers[w] {
				bad = append(bad, t+" on "+w)
			}
		}
	}
	for _, t := range l.tasks {
		if count[t] != 1 {
			bad = append(bad, fmt.Sprintf("%s assigned %d times", t, count[t]))
		}
	}
	if len(l.tasks) != want {
		bad = append(bad, fmt.Sprintf("%d tasks", len(l.tasks)))
	}
	return script.Observation{OK: len(bad) == 0, Claim: claim, Seen: strings.Join(bad, ", ")}, nil
}
