package recipes

import (
	"strings"
)

// ReadWriteLockProgram is the pseudo-code the read and write locks' steps
// point into.
var ReadWriteLockProgram = Program{
	"create <lock>/read- or <lock>/write- (ephemeral sequential)",
	"children <lock>, sorted by sequence number",
	"reader: if no write- node is before mine, I hold a read lock; writer: if mine is first, I hold the write lock",
	"else: watch the node I depend on (reader: the last write- before mine; writer: the one just before mine) and wait",
	"when it is deleted: go to 2",
	"release: delete my node",
}

var rwLines = queueLines{create: 1, children: 2, got: 3, watch: 4, woke: 5}

// ReadWriteLock is a distributed read/write lock (Curator's
// InterProcessReadWriteLock): any number of readers, or one writer. Readers
// and writers queue in one sequence under the lock's path; a reader goes
// when no writer is ahead of it and watches the last writer ahead; a writer
// goes when first and watches the node just ahead. So a writer waits for
// the readers ahead of it, readers behind a writer wait for it, and no
// reader can starve a writer. Both locks are reentrant per instance, yield
// fencing tokens (their node's czxid), and handle connection states as
// Mutex does. A holder of the write lock cannot take the read lock
// (Curator's downgrade is not offered): it would wait for itself.
type ReadWriteLock struct {
	read, write *Mutex
}

// NewReadWriteLock returns the read/write lock at path for the session c.
func NewReadWriteLock(c Client, path string, opts ...Option) *ReadWriteLock {
	return &ReadWriteLock{
		read:  newQueueMutex(newProc(c, "read-lock", opts), path, "read-", readerRule, rwLines, 6, true),
		write: newQueueMutex(newProc(c, "write-lock", opts), path, "write-", predecessor, rwLines, 6, true),
	}
}

// ReadLock is the shared side.
func (rw *ReadWriteLock) ReadLock() *Mutex { return rw.read }

// WriteLock is the exclusive side.
func (rw *ReadWriteLock) WriteLock() *Mutex { return rw.write }

// readerRule lets a reader go when no writer is ahead, else it waits for
// the last writer ahead.
func readerRule(queue []string, me int) (bool, string, string) {
	for i := me - 1; i >= 0; i-- {
		if strings.HasPrefix(queue[i], "write-") {
			return false, queue[i], "last writer ahead"
		}
	}
	return true, "", ""
}
