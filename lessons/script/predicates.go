package script

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"coordtui/cluster"
	"coordtui/tree"
)

func builtinPredicates() []Predicate {
	return []Predicate{
		{Name: "leader", Usage: "leader [in=LIST] [not=LIST] [as=NAME]", Check: checkLeader,
			Help: "a member leads and serves (in a set, or not in one); as= names it"},
		{Name: "serving", Usage: "serving LIST", Check: checkServing(true),
			Help: "every listed member serves clients"},
		{Name: "not-serving", Usage: "not-serving LIST", Check: checkServing(false),
			Help: "no listed member serves clients (cut off from a quorum, or down)"},
		{Name: "converged", Usage: "converged", Check: checkConverged,
			Help: "every running member has applied the same zxid and holds the same tree"},
		{Name: "caught-up", Usage: "caught-up LIST", Check: checkCaughtUp,
			Help: "every listed member has applied the leader's last zxid"},
		{Name: "znode", Usage: "znode PATH [data=X] [ephemeral|persistent] [owner=SESSION] [version=N] [children=N] [on=MEMBER]", Check: checkZnode,
			Help: "a znode exists (on the leader, or on=MEMBER), with what is given"},
		{Name: "gone", Usage: "gone PATH [on=MEMBER]", Check: checkGone,
			Help: "a znode does not exist"},
		{Name: "worker", Usage: "worker wN state=connected|suspended|expired|closed [on=LIST]", Check: checkWorker,
			Help: "a worker's client is in a state"},
		{Name: "client", Usage: "client NAME state=STATE [on=LIST]", Check: checkClient,
			Help: "a named client is in a state (connected, connectedreadonly, suspended, expired, closed), on one of the members"},
		{Name: "session", Usage: "session NAME alive|gone", Check: checkSession,
			Help: "a named session is (or is no longer) in the ensemble's session table"},
		{Name: "notifications", Usage: "notifications count=N", Check: checkNotifications,
			Help: "the members sent N watch notifications since the last mark"},
	}
}

func checkLeader(ctx context.Context, env *Env, a Args) (Observation, error) {
	ens, err := env.need()
	if err != nil {
		return Observation{}, err
	}
	in, notIn := a.List("in"), a.List("not")
	var inIDs, notIDs []uint64
	if in != nil {
		if inIDs, err = env.Members(in); err != nil {
			return Observation{}, err
		}
	}
	if notIn != nil {
		if notIDs, err = env.Members(notIn); err != nil {
			return Observation{}, err
		}
	}
	l := newestLeader(ens)
	if l == nil || !l.Serving() {
		return Observation{Seen: "no leader"}, nil
	}
	id := l.ID()
	if (inIDs != nil && !slices.Contains(inIDs, id)) || slices.Contains(notIDs, id) {
		return Observation{Seen: fmt.Sprintf("n%d leads", id)}, nil
	}
	inText, notText := strings.Join(in, " "), strings.Join(notIn, " ")
	var claim string
	switch name, ok := a.Get("as"); {
	case ok:
		claim = name + " leads"
	case inIDs == nil && notIDs == nil:
		claim = env.MemberName(id) + " leads"
	default:
		claim = "a leader is elected"
	}
	if inIDs != nil {
		claim += ", one of " + inText
	}
	if notIDs != nil {
		claim += ", not " + notText
	}
	return Observation{OK: true, Claim: claim, Member: id}, nil
}

func checkServing(want bool) func(context.Context, *Env, Args) (Observation, error) {
	return func(ctx context.Context, env *Env, a Args) (Observation, error) {
		ids, err := env.memberList(strings.Join(a.Pos(), ","))
		if err != nil {
			return Observation{}, err
		}
		said := listSaid(a.Pos())
		ens := env.Ensemble()
		var wrong []string
		for _, id := range ids {
			n := ens.Node(id)
			if serving := n != nil && n.Serving(); serving != want {
				wrong = append(wrong, env.MemberName(id))
			}
		}
		claim := said + ": serving clients"
		seen := strings.Join(wrong, " ") + " not serving"
		if !want {
			claim = said + ": serving no clients"
			seen = strings.Join(wrong, " ") + " serving"
		}
		return Observation{OK: len(wrong) == 0, Claim: claim, Seen: seen}, nil
	}
}

func checkConverged(ctx context.Context, env *Env, a Args) (Observation, error) {
	ens, err := env.need()
	if err != nil {
		return Observation{}, err
	}
	var first cluster.Status
	var seen []string
	ok := true
	for i, n := range ens.Nodes() {
		st := n.Status()
		seen = append(seen, fmt.Sprintf("n%d %s %x", st.ID, st.LastZxid, st.Digest))
		if i == 0 {
			first = st
		} else if st.LastZxid != first.LastZxid || st.Digest != first.Digest {
			ok = false
		}
	}
	return Observation{OK: ok, Claim: "every running member holds the same tree at the same zxid", Seen: strings.Join(seen, "; ")}, nil
}

func checkCaughtUp(ctx context.Context, env *Env, a Args) (Observation, error) {
	ids, err := env.memberList(strings.Join(a.Pos(), ","))
	if err != nil {
		return Observation{}, err
	}
	l, err := env.leaderNode()
	if err != nil {
		return Observation{Seen: err.Error()}, nil
	}
	last := l.Status().LastZxid
	var behind []string
	for _, id := range ids {
		n := env.Ensemble().Node(id)
		if n == nil || n.Status().LastZxid < last {
			behind = append(behind, env.MemberName(id))
		}
	}
	return Observation{OK: len(behind) == 0, Claim: listSaid(a.Pos()) + ": applied everything the leader has",
		Seen: strings.Join(behind, " ") + " behind"}, nil
}

// readNode looks path up on member on= (default: the leader).
func readNode(env *Env, a Args, path string) (data []byte, st tree.Stat, where string, err error) {
	var n *cluster.Node
	if sel, ok := a.Get("on"); ok {
		id, err := env.Member(sel)
		if err != nil {
			return nil, st, "", err
		}
		if n = env.Ensemble().Node(id); n == nil {
			return nil, st, "", fmt.Errorf("%s is down", env.MemberName(id))
		}
		where = " on " + env.Said(sel, id)
	} else if n, err = env.leaderNode(); err != nil {
		return nil, st, "", err
	}
	var rerr error
	n.View(func(t *tree.Tree) {
		data, st, rerr = t.Get(path, []tree.ID{{Scheme: "super"}})
	})
	return data, st, where, rerr
}

func checkZnode(ctx context.Context, env *Env, a Args) (Observation, error) {
	path := a.Arg(0)
	data, st, where, err := readNode(env, a, path)
	claim := path + " exists" + where
	if err != nil {
		return Observation{Claim: claim, Seen: err.Error()}, nil
	}
	var miss []string
	if want, ok := a.Get("data"); ok {
		claim += fmt.Sprintf(" holding %q", want)
		if string(data) != want {
			miss = append(miss, fmt.Sprintf("data %q", data))
		}
	}
	if a.Has("ephemeral") {
		claim += ", ephemeral"
		if st.EphemeralOwner == 0 {
			miss = append(miss, "not ephemeral")
		}
	}
	if a.Has("persistent") {
		claim += ", persistent"
		if st.EphemeralOwner != 0 {
			miss = append(miss, "ephemeral")
		}
	}
	if owner, ok := a.Get("owner"); ok {
		claim += ", owned by " + owner
		if name, _ := env.names.sessionName(st.EphemeralOwner); name != owner {
			miss = append(miss, "owner "+env.Render(fmt.Sprintf("0x%x", st.EphemeralOwner)))
		}
	}
	if v, err := a.Int("version", -1); err != nil {
		return Observation{}, err
	} else if v >= 0 {
		claim += fmt.Sprintf(", version %d", v)
		if int(st.Version) != v {
			miss = append(miss, fmt.Sprintf("version %d", st.Version))
		}
	}
	if n, err := a.Int("children", -1); err != nil {
		return Observation{}, err
	} else if n >= 0 {
		if claim += fmt.Sprintf(", with %d children", n); n == 1 {
			claim = strings.TrimSuffix(claim, "ren")
		}
		if int(st.NumChildren) != n {
			miss = append(miss, fmt.Sprintf("%d children", st.NumChildren))
		}
	}
	return Observation{OK: len(miss) == 0, Claim: claim, Seen: strings.Join(miss, ", ")}, nil
}

func checkGone(ctx context.Context, env *Env, a Args) (Observation, error) {
	path := a.Arg(0)
	_, _, where, err := readNode(env, a, path)
	claim := path + " does not exist" + where
	switch {
	case err == nil:
		return Observation{Claim: claim, Seen: "it exists"}, nil
	case err == tree.ErrNoNode:
		return Observation{OK: true, Claim: claim}, nil
	}
	return Observation{Claim: claim, Seen: err.Error()}, nil
}

func checkWorker(ctx context.Context, env *Env, a Args) (Observation, error) {
	name, want := a.Arg(0), a.String("state", "connected")
	id, err := workerID(name)
	if err != nil {
		return Observation{}, err
	}
	pool := env.Pool()
	if pool == nil {
		return Observation{}, fmt.Errorf("no workers yet")
	}
	info, ok := pool.Get(id)
	if !ok {
		return Observation{}, fmt.Errorf("no worker %s", name)
	}
	claim := fmt.Sprintf("%s's client says %s", name, want)
	okState := string(info.State) == want
	seen := string(info.State)
	if list, has := a.Get("on"); has {
		ids, err := env.memberList(list)
		if err != nil {
			return Observation{}, err
		}
		claim += ", to one of " + listSaid([]string{list})
		at := env.memberAt(info.Server)
		okState = okState && slices.Contains(ids, at)
		seen += " to " + env.MemberName(at)
	}
	return Observation{OK: okState, Claim: claim, Seen: seen}, nil
}

func checkClient(ctx context.Context, env *Env, a Args) (Observation, error) {
	name, want := a.Arg(0), a.String("state", "connected")
	c, err := env.Client(name)
	if err != nil {
		return Observation{}, err
	}
	state, server := c.State()
	claim := fmt.Sprintf("%s is %s", name, want)
	ok := describeState(state) == want
	seen := describeState(state)
	if list, has := a.Get("on"); has {
		ids, err := env.memberList(list)
		if err != nil {
			return Observation{}, err
		}
		claim += " to one of " + listSaid([]string{list})
		at := env.memberAt(server)
		ok = ok && slices.Contains(ids, at)
		seen += " to " + env.MemberName(at)
	}
	return Observation{OK: ok, Claim: claim, Seen: seen}, nil
}

func checkSession(ctx context.Context, env *Env, a Args) (Observation, error) {
	name, want := a.Arg(0), a.Arg(1)
	if want != "alive" && want != "gone" {
		return Observation{}, fmt.Errorf("session NAME alive|gone")
	}
	var id int64
	env.names.mu.Lock()
	for sid, n := range env.names.sessions {
		if n == name {
			id = sid
		}
	}
	env.names.mu.Unlock()
	if id == 0 {
		return Observation{}, fmt.Errorf("no session named %s", name)
	}
	l, err := env.leaderNode()
	if err != nil {
		return Observation{Seen: err.Error()}, nil
	}
	var alive bool
	l.View(func(t *tree.Tree) { _, alive = t.Session(id) })
	claim := fmt.Sprintf("%s's session is alive at the ensemble", name)
	seen := "gone"
	if want == "gone" {
		claim = fmt.Sprintf("%s's session is gone from the ensemble", name)
		seen = "alive"
	}
	return Observation{OK: alive == (want == "alive"), Claim: claim, Seen: seen}, nil
}

// listSaid prints a list of selectors as the script wrote them.
func listSaid(sels []string) string {
	return strings.ReplaceAll(strings.Join(sels, " "), ",", " ")
}
