package ring

import (
	"slices"
	"testing"
)

func items(r *Ring[int]) []int {
	var out []int
	for i := range r.Len() {
		out = append(out, r.At(i))
	}
	return out
}

func TestRing(t *testing.T) {
	for _, tc := range []struct {
		size, push int
		want       []int
	}{
		{3, 0, nil},
		{3, 2, []int{1, 2}},
		{3, 3, []int{1, 2, 3}},
		{3, 7, []int{5, 6, 7}},
		{1, 4, []int{4}},
		{0, 2, []int{2}}, // a size below 1 holds one item
	} {
		r := New[int](tc.size)
		for i := 1; i <= tc.push; i++ {
			r.Push(i)
		}
		if got := items(r); !slices.Equal(got, tc.want) || r.Total() != uint64(tc.push) {
			t.Errorf("size %d push %d: %v total %d, want %v", tc.size, tc.push, got, r.Total(), tc.want)
		}
		if last, ok := r.Last(); ok != (tc.push > 0) || (ok && last != tc.push) {
			t.Errorf("size %d push %d: last %d %v", tc.size, tc.push, last, ok)
		}
	}
	r := New[int](2)
	r.Push(1)
	r.Push(2)
	r.Push(3)
	r.Set(0, 9)
	if got := items(r); !slices.Equal(got, []int{9, 3}) {
		t.Fatalf("set: %v", got)
	}
	r.Reset()
	if r.Len() != 0 || r.Cap() != 2 {
		t.Fatalf("reset: len %d cap %d", r.Len(), r.Cap())
	}
}
