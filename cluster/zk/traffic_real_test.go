package zk

import (
	"bytes"
	"flag"
	"sync"
	"testing"

	"coordtui/cluster/zk/zktest"
)

var capture = flag.Bool("zk.capture", false, "rewrite testdata/fuzz seeds and testdata/flw samples from real traffic")

const zkCli = "/usr/share/zookeeper/bin/zkCli.sh"

// Real clients (go-zookeeper/zk, zkCli.sh, this package's Client) talk to
// Apache ZooKeeper through a recording proxy. Every frame in both
// directions must decode with this codec — requests as a server decodes
// them, replies as a client does — and re-encode to the same bytes. With
// -zk.capture the frames become the fuzz seed corpus.
func TestRealTraffic(t *testing.T) {
	addr := apacheAddr(t)
	proxy, err := zktest.NewProxy(addr)
	mustOK(t, err, "proxy")
	frames := newFrameSplitter()
	raw := map[[2]int][]byte{} // each connection's bytes per direction
	var rawMu sync.Mutex
	proxy.Record(func(conn int, fromClient bool, b []byte) {
		frames.record(conn, fromClient, b)
		key := [2]int{conn, 0}
		if fromClient {
			key[1] = 1
		}
		rawMu.Lock()
		raw[key] = append(raw[key], b...)
		rawMu.Unlock()
	})
	admin := connect(t, addr)
	root := testRoot(t, admin)

	runGoZK(t, proxy.Addr, root+"/gozk")
	runZkCli(t, proxy.Addr, root+"/cli")
	runOwnClient(t, proxy, root+"/own", func() {
		frames.out.waitFor(t, eventWait, "a ping", func(f []frameSeen) bool { return countOp(f, OpPing) > 0 })
	})
	proxy.Close() // every connection is over; the recorder has seen it all

	all := frames.out.snapshot()
	ops := checkTraffic(t, all)
	for _, op := range []OpCode{OpCreate, OpCreate2, OpCreateContainer, OpCreateTTL, OpDelete, OpExists, OpGetData,
		OpSetData, OpGetACL, OpSetACL, OpGetChildren, OpGetChildren2, OpSync, OpPing, OpMulti, OpMultiRead,
		OpCheckWatches, OpRemoveWatches, OpAuth, OpSetWatches, OpSetWatches2, OpGetEphemerals,
		OpGetAllChildrenNumber, OpAddWatch, OpWhoAmI, OpCloseSession} {
		if ops[op] == 0 {
			t.Errorf("no %v request in the recorded traffic", op)
		}
	}
	if *capture {
		writeSeeds(t, all, raw)
		writeFLWSamples(t, addr)
	}
}

// checkTraffic decodes every frame and returns how many requests of each
// opcode it saw.
func checkTraffic(t *testing.T, all []frameSeen) map[OpCode]int {
	t.Helper()
	opsByXid := map[int]map[int32]OpCode{}
	count := map[OpCode]int{}
	for _, f := range all {
		if !f.fromClient {
			continue
		}
		if f.index == 0 {
			r, err := DecodeConnectRequest(f.payload, 0)
			if err != nil {
				t.Fatalf("conn %d: ConnectRequest % x: %v", f.conn, f.payload, err)
			}
			if enc := Marshal(r); !bytes.Equal(enc, f.payload) {
				t.Fatalf("conn %d: ConnectRequest re-encodes as % x, was % x", f.conn, enc, f.payload)
			}
			continue
		}
		h, rec, err := DecodeRequest(f.payload, 0)
		if err != nil {
			t.Fatalf("conn %d: request % x: %v", f.conn, f.payload, err)
		}
		recs := []Record{&h}
		if rec != nil {
			recs = append(recs, rec)
		}
		if enc := Marshal(recs...); !bytes.Equal(enc, f.payload) {
			t.Fatalf("conn %d: %v request re-encodes as % x, was % x", f.conn, h.Type, enc, f.payload)
		}
		if opsByXid[f.conn] == nil {
			opsByXid[f.conn] = map[int32]OpCode{}
		}
		opsByXid[f.conn][h.Xid] = h.Type
		count[h.Type]++
	}
	for _, f := range all {
		if f.fromClient {
			continue
		}
		if f.index == 0 {
			var r ConnectResponse
			if err := Unmarshal(f.payload, &r); err != nil || !bytes.Equal(Marshal(&r), f.payload) {
				t.Fatalf("conn %d: ConnectResponse % x: %v", f.conn, f.payload, err)
			}
			continue
		}
		d := NewDecoder(f.payload, 0)
		var h ReplyHeader
		h.Decode(d)
		body := f.payload[min(16, len(f.payload)):]
		var rec Record
		switch {
		case h.Xid == XidNotification:
			rec = &WatcherEvent{}
		case h.Err != OK:
		default:
			op, ok := opsByXid[f.conn][h.Xid]
			if !ok {
				t.Fatalf("conn %d: reply to unknown xid %d", f.conn, h.Xid)
			}
			rec = NewResponse(op)
		}
		if rec == nil {
			if d.Err() != nil || len(body) != 0 {
				t.Fatalf("conn %d: header-only reply % x: %v", f.conn, f.payload, d.Err())
			}
			continue
		}
		rec.Decode(d)
		if d.Err() != nil || d.Remaining() != 0 {
			t.Fatalf("conn %d: reply % x (%T): %v, %d bytes left", f.conn, f.payload, rec, d.Err(), d.Remaining())
		}
		if enc := Marshal(&h, rec); !bytes.Equal(enc, f.payload) {
			t.Fatalf("conn %d: %T reply re-encodes as % x, was % x", f.conn, rec, enc, f.payload)
		}
	}
	return count
}
