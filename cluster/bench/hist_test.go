package bench

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestBucketBounds(t *testing.T) {
	// Every value falls inside its bucket, buckets are contiguous and
	// ordered, and the relative width above the exact range is <= 1/64.
	prevEnd := int64(0)
	for i := 0; i < nBuckets; i++ {
		lo, w := bounds(i)
		if lo != prevEnd {
			t.Fatalf("bucket %d starts at %d, previous ended at %d", i, lo, prevEnd)
		}
		if lo >= subCount && float64(w)/float64(lo) > 1.0/64+1e-12 {
			t.Fatalf("bucket %d: width %d at %d is too wide", i, w, lo)
		}
		for _, v := range []int64{lo, lo + w - 1} {
			if b := bucket(v); b != i {
				t.Fatalf("value %d in bucket %d, want %d", v, b, i)
			}
		}
		prevEnd = lo + w
		if prevEnd < 0 { // the last bucket reaches past MaxInt64
			break
		}
	}
	if b := bucket(math.MaxInt64); b != nBuckets-1 {
		t.Errorf("MaxInt64 in bucket %d, want the last (%d)", b, nBuckets-1)
	}
}

// TestQuantilesMatchExact compares the histogram with exact order
// statistics of the same samples.
func TestQuantilesMatchExact(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for name, gen := range map[string]func() int64{
		"uniform":   func() int64 { return r.Int64N(int64(10 * time.Millisecond)) },
		"lognormal": func() int64 { return int64(math.Exp(r.NormFloat64()*1.5+13) + 1) },
		"small":     func() int64 { return r.Int64N(300) },
	} {
		h := NewHistogram()
		var exact []int64
		for i := 0; i < 100000; i++ {
			v := gen()
			exact = append(exact, v)
			h.Record(time.Duration(v))
		}
		slices.Sort(exact)
		for _, q := range []float64{0.5, 0.9, 0.99, 0.999, 1} {
			want := exact[int(math.Ceil(q*float64(len(exact))))-1]
			got := int64(h.Quantile(q))
			if diff := math.Abs(float64(got - want)); diff > float64(want)/64+1 {
				t.Errorf("%s q%.3f = %d, exact %d", name, q, got, want)
			}
		}
		if h.Max() != time.Duration(exact[len(exact)-1]) || h.Count() != uint64(len(exact)) {
			t.Errorf("%s: max %v count %d", name, h.Max(), h.Count())
		}
	}
}

func TestMerge(t *testing.T) {
	a, b, all := NewHistogram(), NewHistogram(), NewHistogram()
	for i := 1; i <= 1000; i++ {
		d := time.Duration(i) * time.Microsecond
		all.Record(d)
		if i%2 == 0 {
			a.Record(d)
		} else {
			b.Record(d)
		}
	}
	a.Merge(b)
	a.Merge(NewHistogram())
	if *a != *all {
		t.Errorf("merged histogram differs from the one that saw everything")
	}
	empty := NewHistogram()
	if empty.Quantile(0.5) != 0 || empty.Max() != 0 || empty.Mean() != 0 {
		t.Error("empty histogram reports values")
	}
	h := NewHistogram()
	h.Record(-5)
	if h.Quantile(1) != 0 {
		t.Error("a negative duration is not recorded as zero")
	}
}
