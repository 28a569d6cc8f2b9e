package tree

import "slices"

// kids is a node's children in name order, as a list of sorted chunks of
// (name, node) entries: lookup is two binary searches that compare names
// stored next to each other (no pointer chase per step), insertion moves at
// most one chunk, and listing in order needs no sorting. A plain sorted
// slice would make every insert into a directory of 100k children move
// megabytes; a map would cost about 40 bytes a child and a sort on every
// listing. The name lives here only, not in the node.
type kids struct {
	chunks [][]entry
	n      int
}

type entry struct {
	name string // cloned, so a node never pins a request's path
	n    *node
}

const maxChunk = 256

// chunkFor is the index of the chunk where name is or would be inserted.
func (k *kids) chunkFor(name string) int {
	lo, hi := 0, len(k.chunks)-1
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		c := k.chunks[mid]
		if c[len(c)-1].name < name {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// search returns the position of name in chunk c and whether it is there.
func search(c []entry, name string) (int, bool) {
	lo, hi := 0, len(c)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if c[mid].name < name {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo, lo < len(c) && c[lo].name == name
}

func (k *kids) find(name string) *node {
	if k.n == 0 {
		return nil
	}
	c := k.chunks[k.chunkFor(name)]
	if i, ok := search(c, name); ok {
		return c[i].n
	}
	return nil
}

// where is the position of name (chunk, index) and whether it is there. A
// create looks once and inserts at the position it found.
func (k *kids) where(name string) (pos, bool) {
	if k == nil || k.n == 0 {
		return pos{}, false
	}
	ci := k.chunkFor(name)
	i, ok := search(k.chunks[ci], name)
	return pos{ci, i}, ok
}

type pos struct{ chunk, i int }

// insertAt adds n as name at p, which where returned for name with nothing
// changed since. A full chunk is split in two, except when name goes after
// every other child (sequential names do): then the full chunk stays full
// and name starts a new one.
func (k *kids) insertAt(p pos, name string, n *node) {
	e := entry{name, n}
	k.n++
	if len(k.chunks) == 0 {
		k.chunks = [][]entry{{e}}
		return
	}
	ci, i := p.chunk, p.i
	c := k.chunks[ci]
	if len(c) >= maxChunk {
		if ci == len(k.chunks)-1 && i == len(c) {
			k.chunks = append(k.chunks, []entry{e})
			return
		}
		half := len(c) / 2
		right := append(make([]entry, 0, maxChunk), c[half:]...)
		clear(c[half:])
		k.chunks[ci] = c[:half]
		k.chunks = slices.Insert(k.chunks, ci+1, right)
		if i > half {
			ci++
			i -= half
		}
		c = k.chunks[ci]
	}
	k.chunks[ci] = slices.Insert(c, i, e)
}

// remove takes out the child called name and reports whether it was there.
func (k *kids) remove(name string) bool {
	if k.n == 0 {
		return false
	}
	ci := k.chunkFor(name)
	c := k.chunks[ci]
	i, ok := search(c, name)
	if !ok {
		return false
	}
	c = slices.Delete(c, i, i+1)
	k.n--
	if len(c) > 0 {
		k.chunks[ci] = c
		return true
	}
	k.chunks = slices.Delete(k.chunks, ci, ci+1)
	return true
}

// names lists the children's names in order.
func (k *kids) names() []string {
	if k == nil {
		return []string{}
	}
	out := make([]string, 0, k.n)
	for _, c := range k.chunks {
		for _, e := range c {
			out = append(out, e.name)
		}
	}
	return out
}

// each calls fn for every child in order.
func (k *kids) each(fn func(name string, n *node)) {
	if k == nil {
		return
	}
	for _, c := range k.chunks {
		for _, e := range c {
			fn(e.name, e.n)
		}
	}
}
