package zk

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"runtime"
	"testing"
)

// allocated returns the bytes allocated while fn ran. Other goroutines may
// add a little; the limits checked against it are far apart.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func be32(v int32) []byte { return binary.BigEndian.AppendUint32(nil, uint32(v)) }

// Lengths are checked against the remaining bytes and the packet limit
// before anything is allocated.
func TestOversizeLengthsRejectedBeforeAllocation(t *testing.T) {
	cases := []struct {
		name string
		body []byte
		rec  Record
		max  int
	}{
		{"string longer than frame", append(be32(0x7fffffff), "abc"...), &PathRequest{}, 0},
		{"string over limit", append(be32(200), make([]byte, 200)...), &PathRequest{}, 100},
		{"negative string", be32(-2), &PathRequest{}, 0},
		{"buffer longer than frame", append(append(be32(2), "/a"...), be32(0x40000000)...), &SetDataRequest{}, 0},
		{"negative buffer", append(append(be32(2), "/a"...), be32(-7)...), &SetDataRequest{}, 0},
		{"vector count larger than frame", append(be32(0x10000000), make([]byte, 64)...), &ChildrenResponse{}, 0},
		{"vector count larger than frame / 4", append(be32(20), make([]byte, 64)...), &ChildrenResponse{}, 0},
		{"acl count larger than frame / 12", append(append(append(be32(1), '/'), be32(-1)...), append(be32(10), make([]byte, 100)...)...), &CreateRequest{}, 0},
		{"whoami count", append(be32(1000), make([]byte, 100)...), &WhoAmIResponse{}, 0},
		{"negative vector", be32(-5), &ChildrenResponse{}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			n := allocated(func() {
				d := NewDecoder(tc.body, tc.max)
				tc.rec.Decode(d)
				err = d.Err()
			})
			if !errors.Is(err, ErrMarshallingError) {
				t.Fatalf("err = %v, want a marshalling error", err)
			}
			if n > 64<<10 {
				t.Fatalf("decoding %d bytes allocated %d bytes", len(tc.body), n)
			}
		})
	}
}

func TestReadFrame(t *testing.T) {
	big := bytes.Repeat([]byte{7}, DefaultMaxPacket)
	cases := []struct {
		name    string
		stream  []byte
		max     int
		want    []byte
		wantErr error
	}{
		{"empty payload", be32(0), 0, []byte{}, nil},
		{"ping", unhexBytes("00000008fffffffe0000000b"), 0, unhexBytes("fffffffe0000000b"), nil},
		{"largest allowed", append(be32(DefaultMaxPacket), big...), 0, big, nil},
		{"one over the limit", append(be32(DefaultMaxPacket+1), big...), 0, nil, ErrFrameLength},
		{"over a custom limit", append(be32(11), make([]byte, 11)...), 10, nil, ErrFrameLength},
		{"negative", be32(-1), 0, nil, ErrFrameLength},
		{"clean EOF", nil, 0, nil, io.EOF},
		{"EOF inside length", []byte{0, 0}, 0, nil, io.ErrUnexpectedEOF},
		{"EOF inside payload", append(be32(10), 1, 2, 3), 0, nil, io.ErrUnexpectedEOF},
		{"EOF right after length", be32(10), 0, nil, io.ErrUnexpectedEOF},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadFrame(bytes.NewReader(tc.stream), tc.max)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr == nil && !bytes.Equal(got, tc.want) {
				t.Fatalf("payload of %d bytes, want %d", len(got), len(tc.want))
			}
		})
	}
}

// A peer that announces a full-size frame and sends a few bytes holds a
// chunk of memory, not the announced size.
func TestReadFrameAllocatesAsDataArrives(t *testing.T) {
	stream := append(be32(DefaultMaxPacket), make([]byte, 100)...)
	n := allocated(func() {
		if _, err := ReadFrame(bytes.NewReader(stream), 0); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("err = %v", err)
		}
	})
	if n > 2*frameChunk {
		t.Fatalf("allocated %d bytes for 100 bytes of data", n)
	}
}

func TestFourLetterWord(t *testing.T) {
	for _, w := range []string{"conf", "cons", "crst", "dirs", "dump", "envi", "gtmk", "hash", "isro",
		"mntr", "ruok", "srst", "srvr", "stat", "stmk", "wchc", "wchp", "wchs", "\xff\xf4\xff\xfd"} {
		if got, ok := FourLetterWord([4]byte([]byte(w))); !ok || got != w {
			t.Errorf("%q not recognised", w)
		}
	}
	for _, w := range []string{"\x00\x00\x00\x2d", "\x00\x00\x00\x2c", "RUOK", "kill", "    "} {
		if _, ok := FourLetterWord([4]byte([]byte(w))); ok {
			t.Errorf("%q recognised as a four-letter word", w)
		}
	}
}

func unhexBytes(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}
