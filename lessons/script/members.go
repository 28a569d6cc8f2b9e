package script

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Members are named in scripts by
//
//	n1 .. n7     the member with that id
//	leader       the member leading now
//	follower     a running voter that does not lead: the lowest id not
//	             already picked by the same command
//	observer     likewise, a running non-voter
//	NAME         a name the script gave with as=NAME or name
//	GROUP        every member of a group (split ... as=A,B), in lists only
//	rest         in a list: every member not picked by the list so far
//	quorum       in a list: the leader and every member serving under it
//	             now (a member cut off from it is not, even before it
//	             notices)
//
// Transcripts print a member by the name the script last gave it, else as
// nN, so a script that names the members chosen by role prints the same
// thing whichever member raft picked.

var reID = regexp.MustCompile(`^n([1-9][0-9]*)$`)

// MemberName is how transcripts print member id.
func (e *Env) MemberName(id uint64) string { return e.names.member(id) }

// MemberNames prints several members, space separated.
func (e *Env) MemberNames(ids []uint64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = e.MemberName(id)
	}
	return strings.Join(s, " ")
}

// Alias gives member id the name name: selectors accept it and transcripts
// print it from now on.
func (e *Env) Alias(name string, id uint64) error {
	if err := checkName(name); err != nil {
		return err
	}
	e.aliases[name] = id
	e.names.setMember(id, name)
	return nil
}

// Group names a set of members; selectors expand it in lists.
func (e *Env) Group(name string, ids []uint64) error {
	if err := checkName(name); err != nil {
		return err
	}
	e.groups[name] = slices.Clone(ids)
	return nil
}

func checkName(name string) error {
	switch {
	case name == "" || strings.ContainsAny(name, " ,=/|"):
		return fmt.Errorf("%q cannot name a member", name)
	case reID.MatchString(name), name == "leader", name == "follower", name == "observer", name == "rest", name == "quorum":
		return fmt.Errorf("%q is a selector already and cannot name a member", name)
	}
	return nil
}

// Member resolves one selector to a member id.
func (e *Env) Member(sel string) (uint64, error) {
	ids, err := e.Members([]string{sel})
	if err != nil {
		return 0, err
	}
	if len(ids) != 1 {
		return 0, fmt.Errorf("%q names %d members; one is needed here", sel, len(ids))
	}
	return ids[0], nil
}

// Members resolves a list of selectors (see above), each picking members
// not picked before in the list.
func (e *Env) Members(sels []string) ([]uint64, error) {
	ens, err := e.need()
	if err != nil {
		return nil, err
	}
	var out []uint64
	picked := func(id uint64) bool { return slices.Contains(out, id) }
	for _, sel := range sels {
		sel = strings.TrimSpace(sel)
		if id, ok := e.aliases[sel]; ok {
			out = append(out, id)
			continue
		}
		if g, ok := e.groups[sel]; ok {
			for _, id := range g {
				if !picked(id) {
					out = append(out, id)
				}
			}
			continue
		}
		switch sel {
		case "leader":
			l, err := e.leaderNode()
			if err != nil {
				return nil, err
			}
			out = append(out, l.ID())
			continue
		case "follower", "observer":
			id, err := e.pickRole(sel, picked)
			if err != nil {
				return nil, err
			}
			out = append(out, id)
			continue
		case "quorum":
			for _, id := range e.quorum() {
				if !picked(id) {
					out = append(out, id)
				}
			}
			continue
		case "rest":
			for _, id := range ens.IDs() {
				if !picked(id) {
					out = append(out, id)
				}
			}
			continue
		}
		m := reID.FindStringSubmatch(sel)
		if m == nil {
			return nil, fmt.Errorf("%q names no member (use n1.., leader, follower, or a name given with as=)", sel)
		}
		id, _ := strconv.ParseUint(m[1], 10, 64)
		if !slices.Contains(ens.IDs(), id) {
			return nil, fmt.Errorf("there is no member %s", sel)
		}
		out = append(out, id)
	}
	return out, nil
}

// pickRole returns the lowest-id running member in role (follower or
// observer) not yet picked.
func (e *Env) pickRole(role string, picked func(uint64) bool) (uint64, error) {
	ens := e.Ensemble()
	for _, n := range ens.Nodes() {
		st := n.Status()
		if picked(n.ID()) || st.Role != role {
			continue
		}
		return n.ID(), nil
	}
	return 0, fmt.Errorf("no running %s left to pick", role)
}

// memberList splits "a,b,c" and resolves it.
func (e *Env) memberList(list string) ([]uint64, error) {
	if list == "" {
		return nil, fmt.Errorf("no members listed")
	}
	return e.Members(strings.Split(list, ","))
}

// Said is how a transcript names a member the script picked with sel: the
// selector as written, since that is what does not change from run to run
// ("n2", "old", "minority"); for a role, the role, with the name the
// script gave the member if it gave one ("old (the leader)").
func (e *Env) Said(sel string, id uint64) string {
	var role string
	switch sel {
	case "leader":
		role = "the leader"
	case "follower":
		role = "a follower"
	case "observer":
		role = "an observer"
	default:
		return strings.ReplaceAll(sel, ",", " ")
	}
	e.names.mu.Lock()
	name, ok := e.names.members[id]
	e.names.mu.Unlock()
	if ok {
		return name + " (" + role + ")"
	}
	return role
}

// quorum lists the newest leader and the running members that serve under
// it, in id order; empty while there is no leader.
func (e *Env) quorum() []uint64 {
	ens := e.Ensemble()
	l := newestLeader(ens)
	if l == nil {
		return nil
	}
	var out []uint64
	for _, n := range ens.Nodes() {
		if st := n.Status(); st.Serving && st.Leader == l.ID() {
			out = append(out, n.ID())
		}
	}
	return out
}
