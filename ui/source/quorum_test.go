package source

import (
	"strings"
	"testing"

	"coordtui/cluster/faultnet"
)

func members(roles ...string) []Member {
	var out []Member
	for i, r := range roles {
		out = append(out, Member{ID: uint64(i + 1), Name: "n" + string(rune('1'+i)), Role: r, Up: r != "down"})
	}
	return out
}

func matrix(names []string, cuts ...[2]string) faultnet.Matrix {
	m := faultnet.Matrix{Members: names}
	for _, f := range names {
		for _, t := range names {
			if f == t {
				continue
			}
			ls := faultnet.LinkState{From: f, To: t}
			for _, c := range cuts {
				if c[0] == f && c[1] == t {
					ls.Fault.Cut = true
				}
			}
			m.Links = append(m.Links, ls)
		}
	}
	return m
}

func split(a, b []string) [][2]string {
	var out [][2]string
	for _, x := range a {
		for _, y := range b {
			out = append(out, [2]string{x, y}, [2]string{y, x})
		}
	}
	return out
}

func TestQuorumWords(t *testing.T) {
	five := []string{"n1", "n2", "n3", "n4", "n5"}
	for _, tc := range []struct {
		name string
		s    Snapshot
		want string
		ok   bool
	}{
		{"healthy three", Snapshot{Members: members("leader", "follower", "follower")},
			"3 of 3 reachable: writes commit (need 2)", true},
		{"one down", Snapshot{Members: members("leader", "follower", "down")},
			"2 of 3 reachable: writes commit (need 2)", true},
		{"observer does not count", Snapshot{Members: members("leader", "follower", "follower", "observer")},
			"3 of 3 reachable: writes commit (need 2)", true},
		{"leader in the minority of a 2|3 split",
			Snapshot{Members: members("leader", "follower", "follower", "follower", "follower"), HasMatrix: true,
				Matrix: matrix(five, split([]string{"n1", "n2"}, []string{"n3", "n4", "n5"})...)},
			"2 of 5 reachable: no quorum, writes wait (need 3)", false},
		{"no leader, majority connected", Snapshot{Members: members("candidate", "follower", "down")},
			"no leader: 2 of 3 can vote, an election can win (need 2)", false},
		{"no leader, isolated", Snapshot{Members: members("candidate", "down", "down")},
			"no leader: 1 of 3 reachable, no majority, writes wait (need 2)", false},
		{"standalone", Snapshot{Members: members("standalone")}, "standalone server: writes commit alone", true},
		{"nothing known", Snapshot{}, "no members yet", false},
	} {
		q := QuorumOf(tc.s)
		if q.Words != tc.want || q.Commits != tc.ok {
			t.Errorf("%s: %q commits=%v, want %q %v", tc.name, q.Words, q.Commits, tc.want, tc.ok)
		}
	}
}

func TestPartitionGroups(t *testing.T) {
	five := []string{"n1", "n2", "n3", "n4", "n5"}
	s := Snapshot{Members: members("leader", "follower", "leader", "follower", "down"), HasMatrix: true,
		Matrix: matrix(five, split([]string{"n1", "n2"}, []string{"n3", "n4", "n5"})...)}
	var got []string
	for _, g := range Partition(s) {
		got = append(got, g.Words(5))
	}
	want := []string{
		"{n1 n2} 2/5: no quorum, n1 leads in name only",
		"{n3 n4} 2/5: no quorum, n3 leads in name only",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("groups:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	s.Members[4] = Member{ID: 5, Name: "n5", Role: "follower", Up: true}
	if g := Partition(s); len(g) != 2 || !g[1].Quorum || g[0].Quorum {
		t.Fatalf("with n5 up: %+v", g)
	}
	if g := Partition(Snapshot{Members: members("leader", "follower", "follower")}); len(g) != 1 || !g[0].Quorum {
		t.Fatalf("healthy: %+v", g)
	}
}
