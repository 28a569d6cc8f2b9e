package ui

import (
	"context"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"

	"coordtui/lessons/script"
)

// learnerReq is a question the script's Runner waits on: a quiz to answer
// or an exercise to do. The console answers on reply, once.
type learnerReq struct {
	id      uint64
	quiz    *script.Quiz
	attempt int
	ex      *script.Exercise
	reply   chan learnerReply
}

type learnerReply struct {
	key string // the choice picked (quiz)
	err error  // script.ErrSkipped, or nil
}

// consoleLearner is the script.Learner of a console: its methods run on
// the Runner's goroutine and block, so they hand each question to the
// Elm loop as a message (waitForLearner) and wait for the reply, never
// touching the App themselves. While the player replays earlier steps,
// the script's reference answers and solutions stand in, so going back
// does not ask the learner again.
type consoleLearner struct {
	ch        chan learnerReq
	next      atomic.Uint64
	replaying atomic.Bool
}

func newConsoleLearner() *consoleLearner { return &consoleLearner{ch: make(chan learnerReq)} }

// ask hands r to the console and waits for its reply or ctx's end.
func (l *consoleLearner) ask(ctx context.Context, r learnerReq) (learnerReply, error) {
	r.id, r.reply = l.next.Add(1), make(chan learnerReply, 1)
	select {
	case l.ch <- r:
	case <-ctx.Done():
		return learnerReply{}, ctx.Err()
	}
	select {
	case rep := <-r.reply:
		return rep, rep.err
	case <-ctx.Done():
		return learnerReply{}, ctx.Err()
	}
}

// Answer implements script.Learner.
func (l *consoleLearner) Answer(ctx context.Context, q *script.Quiz, attempt int) (string, error) {
	if l.replaying.Load() {
		return q.Answer, nil
	}
	rep, err := l.ask(ctx, learnerReq{quiz: q, attempt: attempt})
	return rep.key, err
}

// Exercise implements script.Learner.
func (l *consoleLearner) Exercise(ctx context.Context, x *script.Exercise) error {
	if l.replaying.Load() {
		_, err := x.Solve(ctx)
		return err
	}
	_, err := l.ask(ctx, learnerReq{ex: x})
	return err
}

// learnerMsg carries a question into Update.
type learnerMsg learnerReq

func waitForLearner(ctx context.Context, ch <-chan learnerReq) tea.Cmd {
	return func() tea.Msg {
		select {
		case r := <-ch:
			return learnerMsg(r)
		case <-ctx.Done():
			return nil
		}
	}
}
