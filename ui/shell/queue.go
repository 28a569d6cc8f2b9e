package shell

import (
	"context"
	"sync"

	tea "charm.land/bubbletea/v2"
)

// eventMsg is output that arrived between commands (a watch event).
type eventMsg string

// confirmMsg asks the user a yes/no question for a command that is running;
// the answer goes to reply (buffered, so answering never blocks).
type confirmMsg struct {
	question string
	reply    chan bool
}

// queue carries messages from the engine's goroutines (watch events,
// confirmation requests) into the Bubble Tea loop without ever blocking
// them: it grows as needed, and wait hands one message at a time to Update.
type queue struct {
	mu     sync.Mutex
	msgs   []tea.Msg
	signal chan struct{} // has a value while msgs may be non-empty
	done   chan struct{}
	once   sync.Once
}

func newQueue() *queue {
	return &queue{signal: make(chan struct{}, 1), done: make(chan struct{})}
}

func (q *queue) push(m tea.Msg) {
	q.mu.Lock()
	q.msgs = append(q.msgs, m)
	q.mu.Unlock()
	select {
	case q.signal <- struct{}{}:
	default:
	}
}

// wait is the command that delivers the next message; Update issues it
// again after each one. It returns nil once the queue is closed.
func (q *queue) wait() tea.Msg {
	for {
		q.mu.Lock()
		if len(q.msgs) > 0 {
			m := q.msgs[0]
			q.msgs = q.msgs[1:]
			q.mu.Unlock()
			return m
		}
		q.mu.Unlock()
		select {
		case <-q.signal:
		case <-q.done:
			return nil
		}
	}
}

// close releases a pending wait; later pushes are kept and never delivered.
func (q *queue) close() { q.once.Do(func() { close(q.done) }) }

// confirm is zkcli's Config.Confirm: it asks through the prompt and blocks
// the command until the user answers or the command is cancelled.
func (q *queue) confirm(ctx context.Context, question string) bool {
	reply := make(chan bool, 1)
	q.push(confirmMsg{question: question, reply: reply})
	select {
	case ok := <-reply:
		return ok
	case <-ctx.Done():
		return false
	case <-q.done:
		return false
	}
}
