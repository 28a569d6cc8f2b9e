package bench

import (
	"math"
	"math/bits"
	"time"
)

// subBits sets the histogram's precision: each power of two is split into
// 2^(subBits-1) buckets, so a recorded value is off by less than 1/64
// (1.6%) of itself, like an HdrHistogram with two significant digits.
const subBits = 7

const (
	subCount = 1 << subBits                    // values below this are exact
	halfSub  = subCount / 2                    // buckets per power of two above that
	nBuckets = subCount + (63-subBits)*halfSub // up to MaxInt64
)

// Histogram records durations in log-linear buckets: exact below 128 ns,
// then 64 buckets per power of two. Its size is fixed (about 30 KiB), it
// never allocates after NewHistogram, and two histograms merge exactly.
// It is not safe for concurrent use: give each worker its own and Merge.
type Histogram struct {
	counts   [nBuckets]uint64
	count    uint64
	sum      float64
	min, max int64
}

// NewHistogram returns an empty histogram.
func NewHistogram() *Histogram { return &Histogram{min: math.MaxInt64} }

// bucket maps a value to its bucket index.
func bucket(v int64) int {
	if v < subCount {
		return int(max(v, 0))
	}
	shift := bits.Len64(uint64(v)) - subBits
	top := int(v >> shift) // in [halfSub, subCount)
	return subCount + (shift-1)*halfSub + top - halfSub
}

// bounds returns the smallest value of bucket i and its width.
func bounds(i int) (lo, width int64) {
	if i < subCount {
		return int64(i), 1
	}
	shift := (i-subCount)/halfSub + 1
	top := int64((i-subCount)%halfSub + halfSub)
	return top << shift, 1 << shift
}

// Record adds one duration; negative durations count as zero.
func (h *Histogram) Record(d time.Duration) {
	v := max(int64(d), 0)
	h.counts[bucket(v)]++
	h.count++
	h.sum += float64(v)
	h.min = min(h.min, v)
	h.max = max(h.max, v)
}

// Merge adds every value of o to h.
func (h *Histogram) Merge(o *Histogram) {
	if o.count == 0 {
		return
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.count += o.count
	h.sum += o.sum
	h.min = min(h.min, o.min)
	h.max = max(h.max, o.max)
}

// Count is the number of values recorded.
func (h *Histogram) Count() uint64 { return h.count }

// Max is the largest value recorded, exactly (0 when empty).
func (h *Histogram) Max() time.Duration {
	if h.count == 0 {
		return 0
	}
	return time.Duration(h.max)
}

// Mean is the exact mean (0 when empty).
func (h *Histogram) Mean() time.Duration {
	if h.count == 0 {
		return 0
	}
	return time.Duration(h.sum / float64(h.count))
}

// Quantile returns the value at quantile q (0.5 for the median): the middle
// of the bucket holding the ceil(q*count)-th smallest value, kept within the
// exact minimum and maximum. It is 0 when the histogram is empty.
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.count == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.count)))
	rank = min(max(rank, 1), h.count)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			lo, w := bounds(i)
			v := lo + (w-1)/2
			return time.Duration(min(max(v, h.min), h.max))
		}
	}
	return time.Duration(h.max)
}
