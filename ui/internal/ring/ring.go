// Package ring is the fixed-size buffer behind every scrolling list of the
// console: the newest items overwrite the oldest, so memory stays flat
// however many events arrive.
package ring

// Ring keeps the last Cap items pushed. The zero Ring is not usable; make
// one with New. It is not safe for concurrent use (the console touches it
// only from Update).
type Ring[T any] struct {
	buf   []T
	start int // index of the oldest item
	n     int
	total uint64
}

// New returns an empty ring that holds up to size items (at least 1).
func New[T any](size int) *Ring[T] {
	return &Ring[T]{buf: make([]T, max(size, 1))}
}

// Push appends v, overwriting the oldest item when full.
func (r *Ring[T]) Push(v T) {
	r.total++
	if r.n < len(r.buf) {
		r.buf[(r.start+r.n)%len(r.buf)] = v
		r.n++
		return
	}
	r.buf[r.start] = v
	r.start = (r.start + 1) % len(r.buf)
}

// Len is the number of items held.
func (r *Ring[T]) Len() int { return r.n }

// Cap is the most items the ring holds.
func (r *Ring[T]) Cap() int { return len(r.buf) }

// At returns item i, 0 being the oldest held. It panics outside [0, Len).
func (r *Ring[T]) At(i int) T {
	if i < 0 || i >= r.n {
		panic("ring: index out of range")
	}
	return r.buf[(r.start+i)%len(r.buf)]
}

// Set replaces item i in place.
func (r *Ring[T]) Set(i int, v T) {
	if i < 0 || i >= r.n {
		panic("ring: index out of range")
	}
	r.buf[(r.start+i)%len(r.buf)] = v
}

// Last returns the newest item.
func (r *Ring[T]) Last() (T, bool) {
	if r.n == 0 {
		var zero T
		return zero, false
	}
	return r.At(r.n - 1), true
}

// Total counts every item ever pushed; Total()-Len() were overwritten.
func (r *Ring[T]) Total() uint64 { return r.total }

// Reset empties the ring and keeps its size.
func (r *Ring[T]) Reset() {
	clear(r.buf)
	r.start, r.n = 0, 0
}
