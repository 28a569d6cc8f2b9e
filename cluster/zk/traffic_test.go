package zk

import (
	"encoding/binary"
	"sync"
)

// frameSeen is one complete frame that passed a recording proxy.
type frameSeen struct {
	conn       int
	fromClient bool
	index      int    // position in its direction of its connection; 0 is the handshake
	payload    []byte // without the length prefix
}

// op returns the request opcode of a client frame after the handshake.
func (f frameSeen) op() OpCode {
	if !f.fromClient || f.index == 0 || len(f.payload) < 8 {
		return OpNotification
	}
	return OpCode(binary.BigEndian.Uint32(f.payload[4:8]))
}

// xid returns the xid of a request or reply frame after the handshake.
func (f frameSeen) xid() int32 {
	if f.index == 0 || len(f.payload) < 4 {
		return 0
	}
	return int32(binary.BigEndian.Uint32(f.payload[:4]))
}

// frameSplitter reassembles the chunks a zktest.Proxy records into frames.
// Connections that open with a four-letter word are skipped.
type frameSplitter struct {
	mu      sync.Mutex
	pending map[[2]int][]byte
	count   map[[2]int]int
	skip    map[int]bool
	out     *log[frameSeen]
}

func newFrameSplitter() *frameSplitter {
	return &frameSplitter{pending: map[[2]int][]byte{}, count: map[[2]int]int{}, skip: map[int]bool{}, out: newLog[frameSeen]()}
}

// record is a zktest.Proxy recorder.
func (s *frameSplitter) record(conn int, fromClient bool, b []byte) {
	s.mu.Lock()
	key := [2]int{conn, 0}
	if fromClient {
		key[1] = 1
	}
	buf := append(s.pending[key], b...)
	var frames []frameSeen
	for {
		if fromClient && s.count[key] == 0 && len(buf) >= 4 {
			if _, ok := FourLetterWord([4]byte(buf[:4])); ok {
				s.skip[conn] = true
			}
		}
		if s.skip[conn] || len(buf) < 4 {
			break
		}
		n := int(binary.BigEndian.Uint32(buf))
		if len(buf) < 4+n {
			break
		}
		frames = append(frames, frameSeen{conn: conn, fromClient: fromClient, index: s.count[key], payload: append([]byte(nil), buf[4:4+n]...)})
		s.count[key]++
		buf = buf[4+n:]
	}
	s.pending[key] = buf
	s.mu.Unlock()
	for _, f := range frames {
		s.out.add(f)
	}
}

// clientOps lists the opcodes of the requests a client sent, in order.
func clientOps(frames []frameSeen) []OpCode {
	var ops []OpCode
	for _, f := range frames {
		if f.fromClient && f.index > 0 {
			ops = append(ops, f.op())
		}
	}
	return ops
}

func countOp(frames []frameSeen, op OpCode) int {
	n := 0
	for _, o := range clientOps(frames) {
		if o == op {
			n++
		}
	}
	return n
}
