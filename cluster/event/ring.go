package event

// ring keeps the last len(buf) events. It is not safe for concurrent use;
// Bus guards it.
type ring struct {
	buf  []Event
	next int // where the next event goes
	n    int // how many slots are filled
}

func newRing(size int) ring { return ring{buf: make([]Event, size)} }

func (r *ring) add(ev Event) {
	r.buf[r.next] = ev
	r.next = (r.next + 1) % len(r.buf)
	if r.n < len(r.buf) {
		r.n++
	}
}

// last copies out up to k of the newest events, oldest first.
func (r *ring) last(k int) []Event {
	if k > r.n {
		k = r.n
	}
	if k <= 0 {
		return nil
	}
	out := make([]Event, k)
	start := (r.next - k + len(r.buf)) % len(r.buf)
	for i := range out {
		out[i] = r.buf[(start+i)%len(r.buf)]
	}
	return out
}
