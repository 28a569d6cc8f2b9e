package cluster

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"coordtui/cluster/zk"
)

// The session commands: connect, reconnect (the same session on a new
// connection) and the handshake both share.

// connect opens a new session: connect s1 [member=N] [timeout=MS]
// [lastzxid=Z] [readonly=true|false|absent] [pipeline=PATH]. With
// resume=s0 it instead resumes s0's session on a connection of its own,
// leaving s0's connection open: how a client that moved looks to the
// member it left.
func (r *compatRun) connect(name string, a *compatArgs) ([]string, error) {
	if s := r.sessions[name]; s != nil && s.conn != nil {
		return nil, fmt.Errorf("%s is already connected", name)
	}
	member, err := a.int("member", 1)
	if err != nil {
		return nil, err
	}
	timeout, err := a.int("timeout", 4000)
	if err != nil {
		return nil, err
	}
	s := &compatSession{name: name, member: int(member), requested: int32(timeout)}
	last, err := r.parseZx(s, a.opt("lastzxid", "0"))
	if err != nil {
		return nil, err
	}
	if err := r.settle(s); err != nil {
		return nil, err
	}
	req := &zk.ConnectRequest{TimeOut: s.requested, LastZxidSeen: last, Passwd: make([]byte, 16)}
	if from := a.opt("resume", ""); from != "" {
		old := r.sessions[from]
		if old == nil {
			return nil, fmt.Errorf("resume: no session %s", from)
		}
		s.id, s.passwd, s.last = old.id, bytes.Clone(old.passwd), old.last
		req.SessionID, req.Passwd, req.LastZxidSeen = old.id, bytes.Clone(old.passwd), old.last
	}
	ro := a.opt("readonly", "false")
	req.HasReadOnly, req.ReadOnly = ro != "absent", ro == "true"
	s.pipeline = a.opt("pipeline", "")
	out, err := r.handshake(s, req)
	if err != nil || s.conn == nil {
		return out, err
	}
	if r.sessions[name] == nil {
		r.order = append(r.order, name)
	}
	r.sessions[name] = s
	return out, nil
}

// reconnect resumes a session on a new connection: reconnect s1 [member=N]
// [password=wrong] [lastzxid=Z] [keepold]. With keepold the old connection
// stays open, and the server must close it.
func (r *compatRun) reconnect(s *compatSession, a *compatArgs) ([]string, error) {
	keepOld := a.flag("keepold")
	old := s.conn
	if old != nil && !keepOld {
		old.close()
		// Apache ZooKeeper forgets a session's connection by session id
		// alone when a connection closes (ServerCnxnFactory's sessionMap),
		// so a close it processes after the next handshake would unhook the
		// new connection too, and a later reconnect could not close it.
		// Wait until the server has dropped this one, as cons shows.
		if err := awaitConnGone(r.tg.addr(s.member), old.nc.LocalAddr().String()); err != nil {
			return nil, err
		}
		old = nil
	}
	s.conn = nil
	if m, err := a.int("member", int64(s.member)); err != nil {
		return nil, err
	} else {
		s.member = int(m)
	}
	last, err := r.parseZx(s, a.opt("lastzxid", "last"))
	if err != nil {
		return nil, err
	}
	passwd := bytes.Clone(s.passwd)
	if a.opt("password", "") == "wrong" {
		passwd[0] ^= 0xff
	}
	if err := r.settle(s); err != nil {
		return nil, err
	}
	req := &zk.ConnectRequest{TimeOut: s.requested, LastZxidSeen: last, SessionID: s.id, Passwd: passwd, HasReadOnly: true}
	out, err := r.handshake(s, req)
	if err != nil {
		return out, err
	}
	if old != nil {
		if _, err := old.drain(); err != nil {
			out = append(out, "old connection: "+err.Error())
		} else {
			out = append(out, "old connection closed")
		}
	}
	return out, nil
}

// handshake connects s with req and prints the ConnectResponse. A session
// the server refuses (timeout 0) must be followed by the server closing.
func (r *compatRun) handshake(s *compatSession, req *zk.ConnectRequest) ([]string, error) {
	c, err := dialCompat(r.tg.addr(s.member))
	if err != nil {
		return nil, err
	}
	// pipeline=PATH sends a getData right behind the ConnectRequest: the
	// server must hold it until the session exists, then answer it.
	var behind []byte
	if s.pipeline != "" {
		behind = zk.AppendFrame(nil, &zk.RequestHeader{Xid: 1, Type: zk.OpGetData}, &zk.GetDataRequest{Path: s.pipeline})
	}
	resp, raw, ok, err := c.connect(req, behind)
	if err != nil || !ok {
		c.close()
		if err != nil {
			return nil, err
		}
		return []string{"closed without a response"}, nil
	}
	ro := "absent"
	if resp.HasReadOnly {
		ro = strconv.FormatBool(resp.ReadOnly)
	}
	if resp.TimeOut <= 0 {
		zero := "zero"
		if !bytes.Equal(resp.Passwd, make([]byte, 16)) {
			zero = fmt.Sprintf("% x", resp.Passwd)
		}
		out := []string{fmt.Sprintf("expired timeout=%d session=%#x passwd=%s readOnly=%s len=%d", resp.TimeOut, resp.SessionID, zero, ro, len(raw))}
		if _, err := c.drain(); err != nil {
			c.close()
			return out, err
		}
		return append(out, "closed"), nil
	}
	var notes []string
	if req.SessionID != 0 && resp.SessionID != req.SessionID {
		notes = append(notes, "a different session id")
	}
	if req.SessionID != 0 && !bytes.Equal(resp.Passwd, s.passwd) {
		notes = append(notes, "a different password")
	}
	if len(resp.Passwd) != 16 {
		notes = append(notes, fmt.Sprintf("a %d-byte password", len(resp.Passwd)))
	}
	s.conn, s.id, s.passwd = c, resp.SessionID, resp.Passwd
	var piped []string
	if s.pipeline != "" {
		c.xid = 1
		rep, evs, err := c.readReply(1)
		if piped, err = r.reply(s, rep, evs, err, &zk.GetDataResponse{}); err != nil {
			return nil, err
		}
		s.pipeline = ""
	}
	// The ConnectResponse has no zxid; a ping right after it shows the
	// zxid the session's creation took (and on a resume, the member's).
	rep, evs, err := c.ping()
	if err != nil {
		return nil, err
	}
	s.pending = append(s.pending, evs...)
	if !r.haveBase {
		r.base, r.haveBase = rep.hdr.Zxid-1, true
	}
	r.seen(s, rep.hdr.Zxid)
	line := fmt.Sprintf("connected timeout=%d readOnly=%s zxid=%s", resp.TimeOut, ro, r.zx(rep.hdr.Zxid))
	for _, n := range notes {
		line += " (" + n + ")"
	}
	return append([]string{line}, piped...), nil
}

// parseZx reads a zxid option: "+N" relative to the base, "last" for the
// session's last seen zxid, or a plain number.
func (r *compatRun) parseZx(s *compatSession, v string) (int64, error) {
	switch {
	case v == "last":
		return s.last, nil
	case strings.HasPrefix(v, "+"):
		n, err := strconv.ParseInt(v[1:], 10, 64)
		return r.base + n, err
	}
	return strconv.ParseInt(v, 0, 64)
}
