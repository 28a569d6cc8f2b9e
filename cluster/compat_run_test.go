package cluster

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"time"

	"coordtui/cluster/zk"
)

// compatTarget is a server a script runs against.
type compatTarget struct {
	name string
	v39  bool // follows ZooKeeper 3.9 where 3.8 differs (coordtui does)
	addr func(member int) string
	// settle returns once member has applied zxid. A script is a sequential
	// story, so before a session acts its member must have seen everything
	// the script saw so far (Apache standalone has one member: nil).
	settle func(member int, zxid int64) error
}

// compatSession is one named session of a script.
type compatSession struct {
	name      string
	member    int
	id        int64
	passwd    []byte
	requested int32 // the timeout asked for, asked again on reconnect
	last      int64 // the highest zxid seen in a reply: lastZxidSeen
	conn      *compatConn
	pending   []compatEvent // notifications read but not printed yet
	pipeline  string        // a path to getData right behind the next ConnectRequest
}

// compatRun is one execution of a script against one target.
type compatRun struct {
	tg       *compatTarget
	sessions map[string]*compatSession
	order    []string // session names by first connect
	base     int64
	haveBase bool
	maxSeen  int64
	cur      *compatSession // the session the command at hand runs on
}

func newCompatRun(tg *compatTarget) *compatRun {
	return &compatRun{tg: tg, sessions: map[string]*compatSession{}}
}

// closeAll drops every connection without closing sessions: the server is
// thrown away after the script.
func (r *compatRun) closeAll() {
	for _, s := range r.sessions {
		if s.conn != nil {
			s.conn.close()
		}
	}
}

// exec runs one command and returns its transcript. Failures of the
// harness itself (a timeout, a bad script line) are printed too, so they
// show up in the diff rather than stopping the script.
func (r *compatRun) exec(b *compatBlock) []string {
	a, err := parseCompatArgs(b.cmd[0])
	if err != nil {
		return []string{"script error: " + err.Error()}
	}
	out, err := r.dispatch(a, b.cmd[1:])
	if err == nil {
		err = a.unused()
	}
	if err == nil && len(a.pos) > 0 {
		err = fmt.Errorf("%s: unexpected words %q", a.verb, a.pos)
	}
	if err != nil {
		out = append(out, "error: "+err.Error())
	}
	return out
}

func (r *compatRun) dispatch(a *compatArgs, sub []string) ([]string, error) {
	if len(a.pos) == 0 {
		return nil, fmt.Errorf("%s: no session named", a.verb)
	}
	name := a.pos[0]
	a.pos = a.pos[1:]
	if a.verb == "connect" {
		return r.connect(name, a)
	}
	s := r.sessions[name]
	if s == nil {
		return nil, fmt.Errorf("no session %s", name)
	}
	r.cur = s
	switch a.verb {
	case "reconnect":
		return r.reconnect(s, a)
	case "disconnect":
		if s.conn != nil {
			s.conn.close()
			s.conn = nil
		}
		return []string{"disconnected"}, nil
	}
	if s.conn == nil {
		return nil, fmt.Errorf("%s is not connected", name)
	}
	if err := r.settle(s); err != nil {
		return nil, err
	}
	switch a.verb {
	case "ping":
		rep, evs, err := s.conn.ping()
		return r.reply(s, rep, evs, err, nil)
	case "events":
		rep, evs, err := s.conn.ping()
		r.seen(s, rep.hdr.Zxid)
		out := r.events(s, evs)
		if len(out) == 0 {
			out = []string{"no events"}
		}
		return out, err
	case "wait":
		return r.wait(s, a)
	case "eof":
		evs, err := s.conn.drain()
		out := r.events(s, evs)
		if err != nil {
			return out, err
		}
		s.conn = nil
		return append(out, "closed"), nil
	case "close":
		rep, evs, err := s.conn.request(zk.OpCloseSession, nil)
		out, err := r.reply(s, rep, evs, err, nil)
		if err != nil {
			return out, err
		}
		more, err := s.conn.drain()
		out = append(out, r.events(s, more)...)
		if err != nil {
			return out, err
		}
		s.conn = nil
		return append(out, "closed"), nil
	case "raw":
		return r.raw(s, a)
	}
	op, rec, err := r.buildRequest(a, sub)
	if err != nil {
		return nil, err
	}
	rep, evs, err := s.conn.request(op, rec)
	return r.reply(s, rep, evs, err, zk.NewResponse(op))
}

func (r *compatRun) settle(s *compatSession) error {
	if r.tg.settle == nil {
		return nil
	}
	return r.tg.settle(s.member, r.maxSeen)
}

// seen records a reply zxid, as a client adopts it for lastZxidSeen.
func (r *compatRun) seen(s *compatSession, z int64) {
	if z > s.last {
		s.last = z
	}
	if z > r.maxSeen {
		r.maxSeen = z
	}
}

// events prints the notifications read before now, oldest first.
func (r *compatRun) events(s *compatSession, evs []compatEvent) []string {
	all := append(s.pending, evs...)
	s.pending = nil
	out := make([]string, len(all))
	for i, e := range all {
		out[i] = r.event(e)
	}
	return out
}

// reply prints the notifications that came before a reply, then the reply:
// its code and header zxid, then the body of a successful one. into is the
// record the body should decode to (nil: the reply should have no body).
func (r *compatRun) reply(s *compatSession, rep compatReply, evs []compatEvent, err error, into zk.Record) ([]string, error) {
	out := r.events(s, evs)
	if errors.Is(err, errCompatEOF) {
		s.conn = nil
		return append(out, "closed without a reply"), nil
	}
	if err != nil {
		return out, err
	}
	r.seen(s, rep.hdr.Zxid)
	out = append(out, fmt.Sprintf("%s zxid=%s", compatCode(rep.hdr.Err), r.zx(rep.hdr.Zxid)))
	if rep.hdr.Err != zk.OK || into == nil {
		if len(rep.body) > 0 {
			out = append(out, fmt.Sprintf("body % x", rep.body))
		}
		return out, nil
	}
	d := zk.NewDecoder(rep.body, 0)
	into.Decode(d)
	if d.Err() != nil {
		return append(out, fmt.Sprintf("undecodable body % x: %v", rep.body, d.Err())), nil
	}
	out = append(out, r.body(into)...)
	if d.Remaining() > 0 {
		out = append(out, fmt.Sprintf("trailing % x", rep.body[len(rep.body)-d.Remaining():]))
	}
	return out, nil
}

// wait reads notifications until one of the given type and path arrives:
// wait s2 NodeDeleted /e. It pings every third of the session timeout so the
// waiting session itself stays alive.
func (r *compatRun) wait(s *compatSession, a *compatArgs) ([]string, error) {
	if len(a.pos) != 2 {
		return nil, fmt.Errorf("wait needs an event type and a path")
	}
	typ, path := a.pos[0], a.pos[1]
	a.pos = nil
	var got []compatEvent
	deadline := time.Now().Add(3 * compatIOTimeout)
	every := time.Duration(s.requested) * time.Millisecond / 3
	for time.Now().Before(deadline) {
		b, err := s.conn.readFrame(time.Now().Add(every))
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			ping := zk.AppendFrame(nil, &zk.RequestHeader{Xid: zk.XidPing, Type: zk.OpPing})
			if err := s.conn.write(ping); err != nil {
				return r.events(s, got), err
			}
			continue
		}
		if err != nil {
			return r.events(s, got), err
		}
		var h zk.ReplyHeader
		if err := zk.Unmarshal(b, &h); err != nil {
			return r.events(s, got), err
		}
		if h.Xid == zk.XidPing {
			r.seen(s, h.Zxid)
			continue
		}
		if h.Xid != zk.XidNotification {
			return r.events(s, got), fmt.Errorf("unexpected reply xid %d", h.Xid)
		}
		var ev zk.WatcherEvent
		if err := zk.Unmarshal(b[16:], &ev); err != nil {
			return r.events(s, got), err
		}
		got = append(got, compatEvent{zxid: h.Zxid, ev: ev})
		if ev.Type.String() == typ && ev.Path == path {
			return r.events(s, got), nil
		}
	}
	return r.events(s, got), fmt.Errorf("no %s %s within %v", typ, path, 3*compatIOTimeout)
}

// raw sends a request with a hand-made body: raw s1 op=N [body=HEX]
// [xid=N] (default: the next xid).
// Unknown opcodes and truncated bodies are made this way.
func (r *compatRun) raw(s *compatSession, a *compatArgs) ([]string, error) {
	op, err := a.int("op", -100)
	if err != nil {
		return nil, err
	}
	body, err := compatHex(a.opt("body", ""))
	if err != nil {
		return nil, err
	}
	xid, err := a.int("xid", int64(s.conn.xid+1))
	if err != nil {
		return nil, err
	}
	if xid > 0 {
		s.conn.xid = int32(xid)
	}
	frame := zk.AppendFrame(nil, &zk.RequestHeader{Xid: int32(xid), Type: zk.OpCode(op)})
	frame = append(frame, body...)
	binary.BigEndian.PutUint32(frame, uint32(len(frame)-4))
	rep, evs, err := s.conn.roundTrip(int32(xid), frame)
	// A known opcode's reply is printed like any other; an unknown one's
	// body, if any, as bytes.
	return r.reply(s, rep, evs, err, zk.NewResponse(zk.OpCode(op)))
}
