package ui

import (
	"time"

	"coordtui/cluster/event"
	"coordtui/recipes/worker"
	"coordtui/ui/pane"
	"coordtui/ui/source"
)

type inputMode int

const (
	modeKeys inputMode = iota
	modeCommand
	modeFilter
)

// status is the one-line message under the panes.
type status struct {
	text string
	kind statusKind
	at   time.Time
}

type statusKind int

const (
	statusInfo statusKind = iota
	statusOK
	statusErr
	statusNews
)

// confirmReq is a question the command engine waits on.
type confirmReq struct {
	question string
	reply    chan bool
}

// sessionAt is where a session connected, and when the console heard.
type sessionAt struct {
	member string
	at     time.Time
}

// area is one pane's place on the screen.
type area struct {
	id         pane.ID
	x, y, w, h int
}

// Messages.
type (
	eventsMsg   []event.Event
	snapshotMsg source.Snapshot
	tickMsg     time.Time
	childrenMsg struct {
		path string
		kids []source.Child
		err  error
	}
	detailMsg struct {
		path string
		d    source.Detail
		err  error
	}
	findMsg struct {
		substr string
		paths  []string
		err    error
	}
	actionMsg struct {
		what string
		err  error
	}
	execMsg struct {
		line, out, errOut string
	}
	completeMsg struct {
		line  string
		start int
		cands []string
	}
	connectedMsg struct{ err error }
	confirmMsg   confirmReq
	notifyMsg    string
	workersMsg   []worker.Info
)
