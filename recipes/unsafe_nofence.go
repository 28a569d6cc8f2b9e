package recipes

import "context"

// UnsafeUnfencedLock is Mutex with its fencing token thrown away, for
// teaching. UNSAFE: the lock itself is correct — one holder at a time as
// ZooKeeper sees it — but a holder cannot know the moment it stops holding.
// Paused past its session timeout (a GC pause, SIGSTOP, a swapped-out VM) it
// wakes still believing it holds the lock, after the ensemble has expired
// its session and granted the lock to someone else, and writes. Without a
// token the storage cannot tell the stale write from the new holder's
// (NewUnsafeUnfencedResource shows it accepted). Checking Holding before
// every write does not help: the pause can fall between the check and the
// write. Mutex's Token with a ProtectedResource is the fix.
//
// Connection states: as Mutex.
type UnsafeUnfencedLock struct{ m *Mutex }

// NewUnsafeUnfencedLock returns an unfenced lock on path.
func NewUnsafeUnfencedLock(c Client, path string, opts ...Option) *UnsafeUnfencedLock {
	m := NewMutex(c, path, opts...)
	m.p.recipe = "unfenced-lock"
	return &UnsafeUnfencedLock{m: m}
}

// Acquire blocks until the lock is held; there is no token.
func (l *UnsafeUnfencedLock) Acquire(ctx context.Context) error {
	_, err := l.m.Acquire(ctx)
	return err
}

// Release releases the lock.
func (l *UnsafeUnfencedLock) Release(ctx context.Context) error { return l.m.Release(ctx) }

// Holding reports whether the lock is held as far as this client knows.
func (l *UnsafeUnfencedLock) Holding() bool { return l.m.Holding() }

// View returns this client's place in the lock's queue (with no token).
func (l *UnsafeUnfencedLock) View() LockView {
	v := l.m.View()
	v.Token = 0
	return v
}
