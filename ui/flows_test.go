package ui

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

const wait = 20 * time.Second

// createdRe finds the create in the zxid log (not in the echoed command).
var createdRe = regexp.MustCompile(`_[0-9a-f]{8} .*create +/while-paused`)

var leaderRe = regexp.MustCompile(`leader (n\d) T(\d+)`)

// leaderOf reads the leader and its term from the header.
func leaderOf(screen string) (string, int) {
	m := leaderRe.FindStringSubmatch(screen)
	if m == nil {
		return "", 0
	}
	term, _ := strconv.Atoi(m[2])
	return m[1], term
}

// The console opens on an elected ensemble, shows how to connect, and K
// kills the leader: a new one is elected in a later term.
func TestKillLeaderElectsAnother(t *testing.T) {
	src := embedded(t, 3)
	p, tm := console(t, src, 120, 40)
	screen := p.waitScreen(t, "a leader", wait, func(s string) bool { l, _ := leaderOf(s); return l != "" })
	if !strings.Contains(screen, src.ConnString()) {
		t.Fatalf("the connection string %s is not on screen:\n%s", src.ConnString(), screen)
	}
	old, term := leaderOf(screen)
	press(tm, "K")
	p.waitScreen(t, "a new leader", wait, func(s string) bool {
		l, tt := leaderOf(s)
		return l != "" && l != old && tt > term
	})
	p.waitFor(t, wait, old+"  down")
}

// A znode created on the command line appears in the tree and the zxid
// log; bad input is answered with an error and the console stays up.
func TestCommandLineCreateShowsInTreeAndLog(t *testing.T) {
	src := embedded(t, 3)
	p, tm := console(t, src, 120, 40)
	p.waitScreen(t, "a leader", wait, func(s string) bool { l, _ := leaderOf(s); return l != "" })
	p.waitReady(t)
	command(tm, "create /flow hello")
	p.waitFor(t, wait, "Created /flow")
	p.waitScreen(t, "the create in the log", wait, func(s string) bool { return regexp.MustCompile(`_[0-9a-f]{8} .*create +/flow`).MatchString(s) })
	p.waitScreen(t, "/flow in the tree", wait, func(s string) bool { return regexp.MustCompile(`│[ ›][●∙ ] +flow`).MatchString(s) })
	for _, bad := range []string{"frobnicate /x", "create", "get /no/such/node", "workers many", "crash n9", "speed 0", "step sideways"} {
		command(tm, bad)
	}
	p.waitFor(t, wait, "step: say on or off")
	command(tm, "ls /")
	p.waitFor(t, wait, "[flow, zookeeper]")
	// History: ↑ brings back the last line; tab completes a znode path.
	press(tm, "up")
	p.waitFor(t, wait, ": ls /")
	press(tm, "esc", ":")
	tm.Type("get /fl")
	press(tm, "tab")
	p.waitFor(t, wait, ": get /flow")
}

// A key that does not apply says why, and the help overlay lists it
// dimmed with the same reason.
func TestDisabledKeysSayWhy(t *testing.T) {
	src := embedded(t, 3)
	p, tm := console(t, src, 120, 40)
	p.waitScreen(t, "a leader", wait, func(s string) bool { l, _ := leaderOf(s); return l != "" })
	press(tm, "H")
	p.waitFor(t, wait, "H (heal every link): no link is cut or delayed")
	press(tm, "n")
	p.waitFor(t, wait, "step mode is off; S turns it on")
	press(tm, "?")
	p.waitFor(t, wait, "heal every link — no link is cut or delayed", "Members (focused)")
	press(tm, "esc")
	p.waitScreen(t, "the help closed", wait, func(s string) bool { return !strings.Contains(s, "Members (focused)") })
}

// Workers: start one, crash it (its session lingers until it expires),
// start another and stop it cleanly.
func TestWorkersCrashAndStop(t *testing.T) {
	src := embedded(t, 3)
	p, tm := console(t, src, 120, 40)
	p.waitScreen(t, "a leader", wait, func(s string) bool { l, _ := leaderOf(s); return l != "" })
	press(tm, "w")
	p.waitFor(t, wait, "w1     connected")
	// Workers sort first: up to the top selects w1 even if the cursor
	// stayed on a session row that was there before w1's.
	press(tm, "5", "k", "k", "c")
	p.waitFor(t, wait, "w1     crashed")
	p.waitFor(t, wait, "expired: its ephemerals are gone")
	press(tm, "w")
	p.waitFor(t, wait, "w2     connected")
	press(tm, "j", "s")
	p.waitFor(t, wait, "w2     closed")
}

// Partition the leader into the minority: the quorum line says writes
// wait; healing brings the quorum back.
func TestPartitionAndHeal(t *testing.T) {
	src := embedded(t, 3)
	p, tm := console(t, src, 120, 40)
	p.waitScreen(t, "a leader", wait, func(s string) bool { l, _ := leaderOf(s); return l != "" })
	press(tm, "P")
	// The majority elects a leader of its own; the old one is cut off.
	p.waitScreen(t, "the leader's side with quorum, the other without", wait, func(s string) bool {
		return strings.Contains(s, "2 of 3 reachable: writes commit") &&
			regexp.MustCompile(`partition \{n\d n\d\} 2/3: quorum, leader n\d`).MatchString(s) &&
			regexp.MustCompile(`partition \{n\d\} 1/3: no quorum`).MatchString(s)
	})
	press(tm, "H")
	p.waitScreen(t, "the links healed and the quorum whole", wait, func(s string) bool {
		return strings.Contains(s, "3 of 3 reachable: writes commit") && !strings.Contains(s, "cut  ")
	})
}

// Pause freezes the picture, not the ensemble: what happens meanwhile is
// played on resume.
func TestPauseBuffersEvents(t *testing.T) {
	src := embedded(t, 3)
	p, tm := console(t, src, 120, 40)
	p.waitScreen(t, "a leader", wait, func(s string) bool { l, _ := leaderOf(s); return l != "" })
	p.waitReady(t)
	press(tm, "space")
	p.waitFor(t, wait, "PAUSED")
	command(tm, "create /while-paused x")
	p.waitFor(t, wait, "Created /while-paused")
	if s := p.screen(); createdRe.MatchString(s) {
		t.Fatalf("the log moved while paused:\n%s", s)
	}
	press(tm, "esc")
	p.waitFor(t, wait, "left the command line")
	press(tm, "space")
	p.waitFor(t, wait, "resumed: played")
	p.waitScreen(t, "the create in the log", wait, func(s string) bool { return createdRe.MatchString(s) })
}

// At 80×24 the panes become tabs; a number key picks one.
func TestSmallTerminalUsesTabs(t *testing.T) {
	src := embedded(t, 3)
	p, tm := console(t, src, 80, 24)
	p.waitFor(t, wait, "1 Members 2 Tree 3 zxid log", "quorum 3/3 ok")
	press(tm, "2")
	p.waitFor(t, wait, "2 Tree · read on")
	press(tm, "6")
	p.waitFor(t, wait, "from\\to")
}

// Membership from the keyboard: add a voter, hand leadership to another
// member, remove the added one.
func TestAddTransferRemove(t *testing.T) {
	src := embedded(t, 3)
	p, tm := console(t, src, 120, 40)
	s := p.waitScreen(t, "a leader", wait, func(s string) bool { l, _ := leaderOf(s); return l != "" })
	leader, _ := leaderOf(s)
	press(tm, "a")
	p.waitFor(t, wait, "  n4  follower")
	p.waitFor(t, wait, "4 of 4 reachable: writes commit (need 3)")
	// Select a member that does not lead (n1 or n2) and hand over to it.
	target := "n1"
	if leader == "n1" {
		target = "n2"
		press(tm, "j")
	}
	press(tm, "t")
	p.waitScreen(t, target+" leading", wait, func(s string) bool { l, _ := leaderOf(s); return l == target })
	press(tm, "j", "j", "j") // down to n4
	press(tm, "R")
	p.waitScreen(t, "n4 gone", wait, func(s string) bool {
		// Neither a member row nor a matrix row names n4 any more.
		return !regexp.MustCompile(`│[ ›] n4 |│n4 `).MatchString(s) && strings.Contains(s, "3 of 3 reachable")
	})
}
