package tree

import (
	"bytes"
	"cmp"
	"slices"
	"strings"
)

// Session is one entry of the replicated session table.
type Session struct {
	ID         int64
	Timeout    int32  // ms, as negotiated
	Password   []byte // a copy
	Ephemerals int    // how many ephemeral nodes it owns
}

// createSession adds Op.SessionID with its timeout and password. The id must
// not be 0 or read as a container or TTL mark (BADARGUMENTS); ZooKeeper's ids
// never do. Creating a session that exists changes nothing and succeeds, so a
// proposal that is retried after a leader change is harmless.
func (t *Tree) createSession(op *Op) Code {
	if reservedSession(op.SessionID) {
		return ErrBadArguments
	}
	if _, ok := t.sessions[op.SessionID]; ok {
		return OK
	}
	t.sessions[op.SessionID] = &session{
		timeout:    op.Timeout,
		password:   bytes.Clone(op.Password),
		ephemerals: make(map[string]struct{}),
	}
	return OK
}

// closeSession ends Op.SessionID (or the txn's own Session when that is 0):
// in this one txn it deletes the session's ephemerals in path order, updating
// their parents, and removes the session. Like ZooKeeper, which never checks
// the session of a closeSession, closing a session that does not exist
// succeeds and changes nothing.
func (t *Tree) closeSession(txn *Txn, op *Op) {
	id := op.SessionID
	if id == 0 {
		id = txn.Session
	}
	s, ok := t.sessions[id]
	if !ok {
		return
	}
	for _, p := range sortedKeys(s.ephemerals) {
		n := t.lookup(p)
		if n == nil {
			continue
		}
		pp := parentPath(p)
		t.removeLeaf(t.lookup(pp), pp, n, p, txn.Zxid)
	}
	delete(t.sessions, id)
}

// Session returns the session with the given id.
func (t *Tree) Session(id int64) (Session, bool) {
	s, ok := t.sessions[id]
	if !ok {
		return Session{}, false
	}
	return s.export(id), true
}

// Sessions lists every session, by id.
func (t *Tree) Sessions() []Session {
	out := make([]Session, 0, len(t.sessions))
	for id, s := range t.sessions {
		out = append(out, s.export(id))
	}
	slices.SortFunc(out, func(a, b Session) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

func (s *session) export(id int64) Session {
	return Session{ID: id, Timeout: s.timeout, Password: bytes.Clone(s.password), Ephemerals: len(s.ephemerals)}
}

// Ephemerals lists, in order, the paths of the ephemeral nodes session owns
// that start with prefix, a plain string prefix as getEphemerals uses ("/p"
// also matches "/p2/x"). A prefix that is empty or "/" after trimming
// blanks, as Java's trim does, lists them all.
func (t *Tree) Ephemerals(session int64, prefix string) []string {
	s, ok := t.sessions[session]
	if !ok {
		return []string{}
	}
	trimmed := strings.TrimFunc(prefix, func(r rune) bool { return r <= ' ' })
	out := make([]string, 0, len(s.ephemerals))
	for p := range s.ephemerals {
		if trimmed == "" || trimmed == "/" || strings.HasPrefix(p, prefix) {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

func sortedKeys(m map[string]struct{}) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
