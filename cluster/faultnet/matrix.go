package faultnet

import (
	"sort"
	"strconv"
	"strings"
)

// LinkState is one directed link in a Matrix.
type LinkState struct {
	From, To string
	Fault    Fault
	Held     int // RPCs queued on the link
}

// Matrix is a copied snapshot of the fault table for the console: it shares
// nothing with the Links it came from.
type Matrix struct {
	Members []string    // sorted
	Links   []LinkState // every ordered pair of distinct members, sorted by From, then To
}

// Matrix returns a snapshot of every link between the known members and any
// member named in a fault.
func (l *Links) Matrix() Matrix {
	l.mu.Lock()
	defer l.mu.Unlock()
	ids := make(map[string]struct{}, len(l.members))
	for id := range l.members {
		ids[id] = struct{}{}
	}
	for k := range l.faults {
		ids[k.from], ids[k.to] = struct{}{}, struct{}{}
	}
	for k := range l.held {
		ids[k.from], ids[k.to] = struct{}{}, struct{}{}
	}
	m := Matrix{Members: make([]string, 0, len(ids))}
	for id := range ids {
		m.Members = append(m.Members, id)
	}
	sort.Strings(m.Members)
	for _, from := range m.Members {
		for _, to := range m.Members {
			if from == to {
				continue
			}
			k := link{from, to}
			m.Links = append(m.Links, LinkState{From: from, To: to, Fault: l.faults[k], Held: len(l.held[k])})
		}
	}
	return m
}

// Link returns the state of from->to; a link not in the snapshot is healthy.
func (m Matrix) Link(from, to string) LinkState {
	for _, s := range m.Links {
		if s.From == from && s.To == to {
			return s
		}
	}
	return LinkState{From: from, To: to}
}

// String draws the matrix as a grid, senders down the side and receivers
// across the top; a queue of held RPCs shows as "[n]":
//
//	from\to  n1   n2       n3
//	n1       -    cut      hold[2]
//	n2       cut  -        ok
//	n3       ok   ok       -
func (m Matrix) String() string {
	rows := [][]string{append([]string{`from\to`}, m.Members...)}
	for _, from := range m.Members {
		row := []string{from}
		for _, to := range m.Members {
			if from == to {
				row = append(row, "-")
				continue
			}
			s := m.Link(from, to)
			cell := s.Fault.String()
			if s.Held > 0 {
				cell += "[" + strconv.Itoa(s.Held) + "]"
			}
			row = append(row, cell)
		}
		rows = append(rows, row)
	}
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], len(c))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		var line strings.Builder
		for i, c := range row {
			line.WriteString(c)
			if i < len(row)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-len(c)+2))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	return b.String()
}
