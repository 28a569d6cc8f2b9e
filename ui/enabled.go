package ui

import (
	"fmt"

	"coordtui/recipes/worker"
)

// speeds are the slow-motion steps.
var speeds = []float64{1, 2, 4, 8, 16, 32}

// enabled says whether act can run now and, when it cannot, why, in words
// the help overlay and the status line show beside the dimmed key.
func (a *App) enabled(act Action) (bool, string) {
	switch act {
	case ActRecipeStep, ActRecipeStepAll, ActRecipeTogether, ActRecipeAdd, ActRecipeRemove:
		return a.recipeEnabled(act)
	case ActPlayNext, ActPlayBack, ActPlayAuto, ActPlayReplay, ActScrollUp, ActScrollDown, ActSolve, ActSkipTask:
		return a.playerEnabled(act)
	case ActCrash, ActRestart, ActTransfer, ActAdd, ActAddObserver, ActRemove, ActKillLeader, ActIsolateLeader,
		ActSplit, ActOneWay, ActHeal, ActSlower, ActFaster, ActStep, ActStepNext, ActStepAll, ActCutLink, ActDelayLink:
		if a.ctrl == nil {
			return false, a.noControl()
		}
		if why := a.limit(act); why != "" {
			return false, why
		}
	case ActStartWorker, ActStartWorkers, ActStopWorker, ActCrashWorker, ActFreezeWorker, ActExpireWorker, ActForgetWorkers:
		if a.pool == nil && (a.player == nil || len(a.snap.Members) == 0) {
			if a.player != nil {
				return false, "no ensemble yet: the script builds one"
			}
			return false, "read-only: attach with --write to start workers"
		}
	}
	leader, hasLeader := a.snap.LeaderMember()
	sel, hasSel := a.members.Selected()
	switch act {
	case ActCrash:
		if !hasSel || !sel.Up {
			return false, fmt.Sprintf("%s is already down", sel.Name)
		}
	case ActRestart:
		if !hasSel || sel.Up {
			return false, fmt.Sprintf("%s is running; x crashes it first", sel.Name)
		}
	case ActTransfer:
		switch {
		case !hasLeader:
			return false, "no leader to hand over from"
		case !hasSel || !sel.Up:
			return false, fmt.Sprintf("%s is down", sel.Name)
		case sel.ID == leader.ID:
			return false, fmt.Sprintf("%s already leads; select another member", sel.Name)
		case sel.Role == "observer":
			return false, "an observer cannot lead"
		}
	case ActAdd, ActAddObserver:
		switch {
		case len(a.snap.Members) >= 7:
			return false, "an ensemble here has at most 7 members"
		case !hasLeader:
			return false, "no leader to add a member through"
		}
	case ActRemove:
		switch {
		case !hasLeader:
			return false, "no leader to remove a member through"
		case len(a.snap.Members) <= 1:
			return false, "the last member cannot be removed"
		case hasSel && sel.ID == leader.ID:
			return false, "t hands leadership over first; the leader cannot remove itself here"
		}
	case ActKillLeader, ActIsolateLeader:
		if !hasLeader {
			return false, "no leader right now"
		}
	case ActSplit:
		if len(a.snap.Members) < 3 {
			return false, "a partition needs at least 3 members"
		}
	case ActOneWay:
		if !hasLeader || a.upCount() < 2 {
			return false, "needs a leader and a follower"
		}
	case ActHeal:
		if !a.anyFault() {
			return false, "no link is cut or delayed"
		}
	case ActSlower:
		if a.snap.Speed >= speeds[len(speeds)-1] {
			return false, fmt.Sprintf("already at the slowest, ×%g", a.snap.Speed)
		}
	case ActFaster:
		if a.snap.Speed <= 1 {
			return false, "already at normal speed"
		}
	case ActStepNext, ActStepAll:
		if !a.snap.Step {
			return false, "step mode is off; S turns it on"
		}
		if a.snap.Held == 0 {
			return false, "no message is waiting yet"
		}
	case ActCutLink, ActDelayLink:
		if _, _, ok := a.network.SelectedLink(); !ok {
			return false, "no link selected"
		}
	case ActStopWorker, ActCrashWorker, ActFreezeWorker, ActExpireWorker:
		w, ok := a.sessions.SelectedWorker()
		switch {
		case !ok:
			return false, "select a worker's row (w starts one)"
		case w.State == worker.Expired || w.State == worker.Closed:
			return false, fmt.Sprintf("%s is %s", w.Name, w.State)
		case w.Expiring:
			return false, fmt.Sprintf("%s is waiting for its session to expire", w.Name)
		case act == ActExpireWorker && w.Path == "":
			return false, fmt.Sprintf("%s has not registered yet", w.Name)
		}
	case ActShowInTree:
		if e, ok := a.log.Selected(); !ok || e.Path == "" {
			return false, "this transaction touched no znode"
		}
	}
	return true, ""
}

func (a *App) upCount() int {
	n := 0
	for _, m := range a.snap.Members {
		if m.Up {
			n++
		}
	}
	return n
}

func (a *App) anyFault() bool {
	for _, l := range a.snap.Matrix.Links {
		if l.Fault.Cut || (l.Fault.Delay > 0 && a.snap.Speed <= 1) || l.Fault.Loss > 0 {
			return true
		}
	}
	return false
}
