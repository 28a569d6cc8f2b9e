package tree

import (
	"math/rand"
	"slices"
	"strconv"
	"testing"
)

// TestKids checks the chunked child list against a sorted slice through
// inserts and removes in random and in ascending order, across many chunk
// splits and merges.
func TestKids(t *testing.T) {
	for _, order := range []string{"random", "ascending", "descending"} {
		rng := rand.New(rand.NewSource(7))
		var k *kids
		var model []string
		names := make([]string, 3000)
		for i := range names {
			names[i] = strconv.Itoa(100000 + i)
		}
		switch order {
		case "random":
			rng.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
		case "descending":
			slices.Reverse(names)
		}
		for step, name := range names {
			at, found := k.where(name)
			if found {
				t.Fatalf("%s: %s found before insert", order, name)
			}
			if k == nil {
				k = &kids{}
			}
			k.insertAt(at, name, &node{})
			i, _ := slices.BinarySearch(model, name)
			model = slices.Insert(model, i, name)
			if step%97 == 0 { // and remove some again
				victim := model[rng.Intn(len(model))]
				if !k.remove(victim) || k.remove(victim) {
					t.Fatalf("%s: remove %s", order, victim)
				}
				j, _ := slices.BinarySearch(model, victim)
				model = slices.Delete(model, j, j+1)
			}
		}
		if got := k.names(); !slices.Equal(got, model) || k.n != len(model) {
			t.Fatalf("%s: %d names, model %d", order, len(got), len(model))
		}
		for _, c := range k.chunks {
			if len(c) == 0 || len(c) > maxChunk {
				t.Fatalf("%s: chunk of %d", order, len(c))
			}
		}
		if order == "ascending" && len(k.chunks) > len(model)/maxChunk+2 {
			t.Errorf("ascending inserts left %d chunks for %d names: chunks are not kept full", len(k.chunks), len(model))
		}
		for _, name := range model {
			if k.find(name) == nil {
				t.Fatalf("%s: %s not found", order, name)
			}
		}
		if k.find("0") != nil || k.find("999999") != nil {
			t.Fatal("found a name never inserted")
		}
		for _, name := range model {
			k.remove(name)
		}
		if k.n != 0 || len(k.chunks) != 0 {
			t.Fatalf("%s: %d left in %d chunks", order, k.n, len(k.chunks))
		}
	}
}
