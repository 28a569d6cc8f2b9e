package pane

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"coordtui/cluster/faultnet"
	"coordtui/tree"
	"coordtui/ui/source"
)

// now is the clock every golden test reads.
var now = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func testCommon() *Common {
	return &Common{Styles: DefaultStyles(), Now: func() time.Time { return now }}
}

type viewer interface {
	SetSize(w, h int)
	View() string
}

// checkGolden renders v at w×h, checks that it fills exactly that area,
// and compares the text (styles stripped) with testdata/<test>.golden;
// -update rewrites the file.
func checkGolden(t *testing.T, v viewer, w, h int) {
	t.Helper()
	v.SetSize(w, h)
	out := v.View()
	checkSize(t, out, w, h)
	golden.RequireEqual(t, ansi.Strip(out)+"\n")
}

func checkSize(t *testing.T, out string, w, h int) {
	t.Helper()
	lines := strings.Split(out, "\n")
	if len(lines) != h {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), h, ansi.Strip(out))
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i, got, w, ansi.Strip(l))
		}
	}
}

func member(id uint64, role string, term, commit, applied uint64, zxid tree.Zxid) source.Member {
	m := source.Member{ID: id, Name: "n" + string(rune('0'+id)), Role: role, Up: role != "down"}
	if m.Up {
		m.HasRaft, m.Serving, m.Term, m.CommitIndex, m.AppliedIndex, m.LastIndex = true, true, term, commit, applied, commit
		m.LastZxid, m.Connections, m.Watches = zxid, int64(id), int(id)*2
		if role == "follower" {
			m.LastContact, m.Leader = time.Duration(id)*21*time.Millisecond, 1
		}
	}
	return m
}

// matrixOf builds a healthy matrix of names with the given faults.
func matrixOf(names []string, faults map[[2]string]faultnet.Fault, held map[[2]string]int) faultnet.Matrix {
	m := faultnet.Matrix{Members: names}
	for _, f := range names {
		for _, to := range names {
			if f != to {
				k := [2]string{f, to}
				m.Links = append(m.Links, faultnet.LinkState{From: f, To: to, Fault: faults[k], Held: held[k]})
			}
		}
	}
	return m
}
