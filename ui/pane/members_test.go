package pane

import (
	"testing"

	"coordtui/cluster/faultnet"
	"coordtui/tree"
	"coordtui/ui/source"
)

func TestMembersView(t *testing.T) {
	healthy := source.Snapshot{Members: []source.Member{
		member(1, "leader", 3, 42, 42, tree.MakeZxid(3, 7)),
		member(2, "follower", 3, 42, 40, tree.MakeZxid(3, 5)),
		member(3, "down", 0, 0, 0, 0),
	}}
	names := []string{"n1", "n2", "n3", "n4", "n5"}
	cut := faultnet.Fault{Cut: true}
	faults := map[[2]string]faultnet.Fault{}
	for _, a := range names[:2] {
		for _, b := range names[2:] {
			faults[[2]string{a, b}], faults[[2]string{b, a}] = cut, cut
		}
	}
	split := source.Snapshot{HasMatrix: true, Matrix: matrixOf(names, faults, nil), Members: []source.Member{
		member(1, "leader", 2, 30, 30, tree.MakeZxid(2, 9)),
		member(2, "follower", 2, 30, 30, tree.MakeZxid(2, 9)),
		member(3, "candidate", 5, 30, 30, tree.MakeZxid(2, 9)),
		member(4, "follower", 5, 30, 30, tree.MakeZxid(2, 9)),
		member(5, "follower", 5, 30, 30, tree.MakeZxid(2, 9)),
	}}
	split.Members[2].Serving = false
	for _, tc := range []struct {
		name string
		snap source.Snapshot
		w, h int
		move int
	}{
		{"healthy_wide", healthy, 66, 8, 1},
		{"healthy_narrow", healthy, 40, 8, 0},
		{"split_minority_leader", split, 78, 12, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := NewMembers(testCommon())
			m.SetFocused(true)
			m.SetSnapshot(tc.snap)
			m.Move(tc.move)
			checkGolden(t, m, tc.w, tc.h)
		})
	}
}

func TestMembersSelectionSurvivesSnapshots(t *testing.T) {
	m := NewMembers(testCommon())
	three := source.Snapshot{Members: []source.Member{member(1, "leader", 1, 1, 1, 0), member(2, "follower", 1, 1, 1, 0), member(3, "follower", 1, 1, 1, 0)}}
	m.SetSnapshot(three)
	m.Select(3)
	m.SetSnapshot(source.Snapshot{Members: three.Members[1:]})
	if sel, _ := m.Selected(); sel.ID != 3 {
		t.Fatalf("selected n%d after n1 left, want n3", sel.ID)
	}
	m.Move(-5)
	if sel, _ := m.Selected(); sel.ID != 2 {
		t.Fatalf("selected n%d, want n2", sel.ID)
	}
}
