package source

import "fmt"

// sessionPlaces asks every running member's client port which sessions
// are connected to it and how many watches each holds there.
func (e *local) sessionPlaces() (where map[int64]string, watches map[int64]int) {
	where, watches = map[int64]string{}, map[int64]int{}
	for _, id := range e.ens.IDs() {
		srv := e.ens.Server(id)
		if srv == nil {
			continue
		}
		name := fmt.Sprintf("n%d", id)
		for _, c := range srv.Connections() {
			if c.Session != 0 {
				where[c.Session] = name
			}
		}
		for _, w := range srv.Watches() {
			watches[w.Session]++
		}
	}
	return where, watches
}
