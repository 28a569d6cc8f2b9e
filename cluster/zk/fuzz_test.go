package zk

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"testing"
)

// allocBound is what decoding n input bytes may allocate at most: every
// allocation is sized by a length already checked against the input, and
// the worst expansion (a vector of empty strings: 4 bytes in, a 16-byte
// string header out; a multi op: 9+8 bytes in, a record and its slot out)
// stays well under 8x. The constant covers the decoder and error values.
func allocBound(n int) uint64 { return 8*uint64(n) + 16<<10 }

// FuzzDecodeRequest feeds a request payload to the server-side decoders:
// as the first frame of a connection (ConnectRequest) and as any later one
// (header, then the body its type calls for). Decoding must not panic or
// allocate beyond the bound (nor ever beyond the packet limit); whatever
// decodes must re-encode to something that decodes to the same record.
// Seeds are real go-zookeeper/zk, zkCli.sh and Client traffic
// (testdata/fuzz/FuzzDecodeRequest, recorded by TestRealTraffic).
func FuzzDecodeRequest(f *testing.F) {
	f.Add(unhexBytes("fffffffe0000000b"))
	f.Add(unhexBytes("0000000100000004000000022f7000"))
	f.Add(Marshal(&RequestHeader{Xid: 3, Type: OpMulti}, &MultiRequest{Ops: []MultiOp{{OpCheck, &CheckVersionRequest{Path: "/a", Version: -1}}}}))
	f.Fuzz(func(t *testing.T, payload []byte) {
		var (
			creq *ConnectRequest
			cerr error
			h    RequestHeader
			rec  Record
			err  error
		)
		allocs := allocated(func() {
			creq, cerr = DecodeConnectRequest(payload, DefaultMaxPacket)
			h, rec, err = DecodeRequest(payload, DefaultMaxPacket)
		})
		if allocs > min(allocBound(len(payload)), DefaultMaxPacket) {
			t.Fatalf("decoding %d bytes allocated %d", len(payload), allocs)
		}
		if cerr == nil {
			again, err2 := DecodeConnectRequest(Marshal(creq), 0)
			if err2 != nil || !reflect.DeepEqual(again, creq) {
				t.Fatalf("ConnectRequest %#v re-decodes as %#v, %v", creq, again, err2)
			}
		} else if !errors.Is(cerr, ErrMarshallingError) {
			t.Fatalf("ConnectRequest error %v is not a marshalling error", cerr)
		}
		if err != nil {
			if !errors.Is(err, ErrMarshallingError) && !errors.Is(err, ErrUnimplemented) {
				t.Fatalf("request error %v is neither marshalling nor unimplemented", err)
			}
			return
		}
		recs := []Record{&h}
		if rec != nil {
			recs = append(recs, rec)
		}
		h2, rec2, err := DecodeRequest(Marshal(recs...), 0)
		if err != nil || h2 != h || !reflect.DeepEqual(rec2, rec) {
			t.Fatalf("%v request %#v re-decodes as %#v, %v", h.Type, rec, rec2, err)
		}
	})
}

// FuzzReadFrame reads frames from an arbitrary stream until it fails. It
// must not panic, must return payloads that sum to no more than the input,
// and must not allocate beyond the bound even when a length prefix
// announces far more than the stream holds. Seeds are the first bytes of
// real connections in both directions.
func FuzzReadFrame(f *testing.F) {
	f.Add(unhexBytes("00000008fffffffe0000000b"))
	f.Add(unhexBytes("000fffff00"))
	f.Add(unhexBytes("7fffffff"))
	f.Add(unhexBytes("ffffffff"))
	f.Fuzz(func(t *testing.T, stream []byte) {
		r := bytes.NewReader(stream)
		total := 0
		var err error
		allocs := allocated(func() {
			for {
				var p []byte
				if p, err = ReadFrame(r, DefaultMaxPacket); err != nil {
					return
				}
				total += 4 + len(p)
			}
		})
		if total > len(stream) {
			t.Fatalf("read %d bytes of frames from %d", total, len(stream))
		}
		if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, ErrFrameLength) {
			t.Fatalf("unexpected error %v", err)
		}
		if bound := allocBound(len(stream)) + 2*frameChunk; allocs > bound {
			t.Fatalf("reading %d bytes allocated %d", len(stream), allocs)
		}
	})
}
