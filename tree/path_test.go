package tree

import (
	"fmt"
	"math"
	"testing"
)

func TestValidatePath(t *testing.T) {
	for _, tc := range []struct {
		path string
		ok   bool
	}{
		{"/", true}, {"/a", true}, {"/a/b", true}, {"/a..b", true}, {"/...", true}, {"/.a", true},
		{"/a.", true}, {"/a b", true}, {"/é", true}, {"/日本", true}, {"/\u00a0", true}, {"/\uf900", true},
		{"/\ufeff", true}, {"/\uffef", true},
		{"", false}, {"a", false}, {"a/b", false}, {"/a/", false}, {"//", false}, {"/a//b", false},
		{"/.", false}, {"/..", false}, {"/a/.", false}, {"/a/..", false}, {"/a/./b", false}, {"/a/../b", false},
		{"/a\x00", false}, {"/\x01", false}, {"/\x1f", false}, {"/\x7f", false}, {"/\u0080", false},
		{"/\u009f", false}, {"/\ud7ff", true}, {"/\ue000", false}, {"/\uf8ff", false},
		{"/\ufff0", false}, {"/\uffff", false}, {"/😀", false}, // outside the BMP: surrogates in Java
		{"/\xff", false}, {"/\xed\xa0\x80", false}, // not UTF-8; an encoded surrogate
	} {
		err := ValidatePath(tc.path)
		if (err == nil) != tc.ok {
			t.Errorf("ValidatePath(%q) = %v, want ok=%v", tc.path, err, tc.ok)
		}
		if err != nil && err != ErrBadArguments {
			t.Errorf("ValidatePath(%q) = %v, want BADARGUMENTS", tc.path, err)
		}
	}
}

func TestSequenceSuffix(t *testing.T) {
	for _, n := range []int32{0, 1, 4, 42, 999999999, 1000000000, math.MaxInt32, -1, -5, -123456789, -999999999, -1000000000, math.MinInt32} {
		got := string(appendSeq(nil, n))
		if want := fmt.Sprintf("%010d", n); got != want { // Go's %010d pads like Java's
			t.Errorf("appendSeq(%d) = %q, want %q", n, got, want)
		}
		if !looksSequential("lock-" + got) {
			t.Errorf("%q does not look sequential", got)
		}
	}
	for _, name := range []string{"a", "lock", "123456789", "x12345678a"} {
		if looksSequential(name) {
			t.Errorf("%q looks sequential", name)
		}
	}
}
