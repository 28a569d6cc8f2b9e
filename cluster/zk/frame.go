package zk

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// ErrFrameLength is returned for a frame whose length prefix is negative or
// above the packet limit. A server closes such a connection without a reply
// (§1.3); a client treats it as a lost connection.
var ErrFrameLength = errors.New("zk: frame length out of range")

// AppendFrame appends one frame to dst: a 4-byte big-endian length and the
// records encoded back to back.
func AppendFrame(dst []byte, recs ...Record) []byte {
	start := len(dst)
	e := Encoder{Buf: append(dst, 0, 0, 0, 0)}
	for _, r := range recs {
		r.Encode(&e)
	}
	binary.BigEndian.PutUint32(e.Buf[start:], uint32(len(e.Buf)-start-4))
	return e.Buf
}

// ReadFrame reads one frame and returns its payload. A length below 0 or
// above max (DefaultMaxPacket when max <= 0) fails with ErrFrameLength
// before anything is allocated. A clean end of stream before the first byte
// is io.EOF; a stream that ends inside the frame is io.ErrUnexpectedEOF.
func ReadFrame(r io.Reader, max int) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	return ReadPayload(r, int32(binary.BigEndian.Uint32(hdr[:])), max)
}

// frameChunk bounds how much ReadPayload allocates ahead of the bytes that
// have actually arrived, so a peer that announces a large frame and then
// stalls holds little memory.
const frameChunk = 64 << 10

// ReadPayload reads the n-byte payload of a frame whose length prefix the
// caller already read (a server reads the first four bytes itself to spot a
// four-letter word). It fails with ErrFrameLength when n < 0 or n > max.
func ReadPayload(r io.Reader, n int32, max int) ([]byte, error) {
	if max <= 0 {
		max = DefaultMaxPacket
	}
	if n < 0 || int(n) > max {
		return nil, fmt.Errorf("%w: %d (limit %d)", ErrFrameLength, n, max)
	}
	size := int(n)
	buf := make([]byte, 0, min(size, frameChunk))
	for len(buf) < size {
		chunk := min(size-len(buf), frameChunk)
		if cap(buf)-len(buf) < chunk {
			grown := make([]byte, len(buf), min(size, 2*cap(buf)+chunk))
			copy(grown, buf)
			buf = grown
		}
		m, err := io.ReadFull(r, buf[len(buf):len(buf)+chunk])
		buf = buf[:len(buf)+m]
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
	return buf, nil
}

// fourLetterWords are the commands ZooKeeper recognises in the first four
// bytes of a connection (FourLetterCommands), plus telnet's close sequence.
var fourLetterWords = map[string]bool{
	"conf": true, "cons": true, "crst": true, "dirs": true, "dump": true,
	"envi": true, "gtmk": true, "hash": true, "isro": true, "mntr": true,
	"ruok": true, "srst": true, "srvr": true, "stat": true, "stmk": true,
	"wchc": true, "wchp": true, "wchs": true, "\xff\xf4\xff\xfd": true,
}

// FourLetterWord reports whether the first four bytes of a connection are a
// four-letter word rather than the length of a ConnectRequest, and returns
// the word. "stmk" is followed by an 8-byte mask the caller reads.
func FourLetterWord(first [4]byte) (string, bool) {
	w := string(first[:])
	return w, fourLetterWords[w]
}
