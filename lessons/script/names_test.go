package script

import (
	"testing"

	"coordtui/tree"
)

// zxids print by epoch of appearance and counter from the scenario's
// start, so the same story prints the same whatever terms raft went
// through.
func TestZxidIsRelativeToTheStart(t *testing.T) {
	for _, c := range []struct {
		base tree.Zxid
		seen []tree.Zxid // applied, in order
		show []tree.Zxid // then printed
		want []string
	}{
		{tree.MakeZxid(2, 5), []tree.Zxid{tree.MakeZxid(2, 6), tree.MakeZxid(2, 9), tree.MakeZxid(4, 1)},
			[]tree.Zxid{tree.MakeZxid(4, 1), tree.MakeZxid(2, 9), tree.MakeZxid(2, 3)},
			[]string{"e2:1", "e1:4", "e0:3"}},
		// The first write after an election lands in a new term: still e1:1,
		// and terms that carried nothing (3, 5, 6) leave no epoch.
		{tree.MakeZxid(2, 5), []tree.Zxid{tree.MakeZxid(4, 1), tree.MakeZxid(7, 2)},
			[]tree.Zxid{tree.MakeZxid(7, 2), tree.MakeZxid(4, 1)}, []string{"e2:2", "e1:1"}},
	} {
		n := newNames()
		n.setBase(c.base)
		for _, z := range c.seen {
			n.saw(z)
		}
		for i, z := range c.show {
			if got := n.zxid(z); got != c.want[i] {
				t.Errorf("base %s: %s printed %s, want %s", c.base, z, got, c.want[i])
			}
		}
	}
}

func TestRenderNamesSessionsAddressesAndStat(t *testing.T) {
	n := newNames()
	n.setBase(tree.MakeZxid(1, 10))
	n.session(0x1000000abcdef01, "c1")
	n.addr("127.0.0.1:4001", "n2")
	in := "owner 0x1000000abcdef01 s1000000abcdef01 at 127.0.0.1:4001 and 127.0.0.1:9\n" +
		"cZxid = 0x10000000b\nctime = Mon Jan 01 00:00:00 UTC 2026\nephemeralOwner = 0x1000000abcdef01\n"
	want := "owner c1 c1 at n2 and 127.0.0.1:(port)\ncZxid = e1:1\nctime = (time)\nephemeralOwner = c1\n"
	if got := n.render(in); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
