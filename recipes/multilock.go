package recipes

import (
	"context"
	"errors"
	"slices"
	"sync"
)

// MultiLock holds several Mutexes as one (Curator's InterProcessMultiLock):
// Acquire takes all of them or none. The locks are always taken in path
// order, whatever order they were given in, so two MultiLocks over
// overlapping paths cannot deadlock each other. Each lock keeps its own
// fencing token.
//
// Connection states: as Mutex, for each lock; Holding is true only while
// every lock is held and the session connected.
type MultiLock struct {
	paths []string
	locks []*Mutex

	mu   sync.Mutex
	held bool
}

// NewMultiLock returns a lock over paths for the session c.
func NewMultiLock(c Client, paths []string, opts ...Option) *MultiLock {
	paths = slices.Clone(paths)
	slices.Sort(paths)
	paths = slices.Compact(paths)
	m := &MultiLock{paths: paths}
	for _, p := range paths {
		m.locks = append(m.locks, newQueueMutex(newProc(c, "multi-lock", opts), p, "l-", predecessor, mutexLines, mutexRelease, true))
	}
	return m
}

// Acquire takes every lock, in path order, and returns their tokens in
// that order. If one cannot be taken (ctx ends, the session is lost) the
// ones already taken are released and the error returned.
func (m *MultiLock) Acquire(ctx context.Context) ([]Token, error) {
	var toks []Token
	for i, l := range m.locks {
		t, err := l.Acquire(ctx)
		if err != nil {
			for j := i - 1; j >= 0; j-- {
				m.locks[j].Release(context.WithoutCancel(ctx))
			}
			return nil, err
		}
		toks = append(toks, t)
	}
	m.mu.Lock()
	m.held = true
	m.mu.Unlock()
	return toks, nil
}

// Release releases every lock, in reverse order, and returns every error.
func (m *MultiLock) Release(ctx context.Context) error {
	m.mu.Lock()
	m.held = false
	m.mu.Unlock()
	var errs []error
	for i := len(m.locks) - 1; i >= 0; i-- {
		if err := m.locks[i].Release(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Holding reports whether every lock is held and the session connected.
func (m *MultiLock) Holding() bool {
	for _, l := range m.locks {
		if !l.Holding() {
			return false
		}
	}
	return len(m.locks) > 0
}

// Locks returns the Mutexes, in path order.
func (m *MultiLock) Locks() []*Mutex { return slices.Clone(m.locks) }

// Paths returns the locks' paths, sorted.
func (m *MultiLock) Paths() []string { return slices.Clone(m.paths) }
