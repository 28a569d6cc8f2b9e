// Package lessons is the course: lesson scripts from assets/lessons, in
// order, played by lessons/script on a real ensemble. A lesson explains one
// idea, has the learner do something on the live ensemble that is checked
// there, and ends with a short quiz. Headless, each lesson's reference
// solution and scripted answers stand in for the learner, so every check
// and every quiz is exercised by the lesson's golden test.
//
// The package adds to the demos' registry only what lessons need and demos
// do not (a write too big for ZooKeeper, a write storm), and a plain
// terminal Learner for playing a lesson without the console.
package lessons

import (
	"context"
	"fmt"
	"io"

	"coordtui/assets"
	"coordtui/lessons/script"
)

// Lesson is one lesson of the course.
type Lesson struct {
	Number  int    // place in the course, from 1
	Name    string // "why-coordination"
	Title   string
	Summary string
	Script  *script.Script
}

// Course returns every lesson, in order.
func Course() ([]Lesson, error) {
	var out []Lesson
	for i, a := range assets.Lessons() {
		s, err := script.Parse(a.Name, a.Text)
		if err != nil {
			return nil, err
		}
		out = append(out, Lesson{Number: i + 1, Name: a.Name, Title: s.Meta("title"), Summary: s.Meta("summary"), Script: s})
	}
	return out, nil
}

// Get returns the lesson called name, or the one numbered name ("3").
func Get(name string) (Lesson, error) {
	course, err := Course()
	if err != nil {
		return Lesson{}, err
	}
	for _, l := range course {
		if l.Name == name || fmt.Sprint(l.Number) == name {
			return l, nil
		}
	}
	return Lesson{}, fmt.Errorf("no lesson %q (coordtui lesson lists them)", name)
}

// Registry is the engine's builtins (herd among them, which the
// thundering-herd demo and the recipes lesson share) plus the lessons' own
// commands. Lessons and demos sit side by side above the engine, so what
// both use lives in the engine.
func Registry() *script.Registry {
	r := script.Builtins()
	for _, c := range []script.Command{bigWriteCommand(), stormCommand()} {
		if err := r.Add(c); err != nil {
			panic(err) // a fixed table: a clash is a bug in this package
		}
	}
	return r
}

// NewRunner prepares lesson name for a player; cfg.Registry is filled in.
func NewRunner(name string, cfg script.Config) (*script.Runner, error) {
	l, err := Get(name)
	if err != nil {
		return nil, err
	}
	cfg.Registry = Registry()
	return script.NewRunner(l.Script, cfg)
}

// Headless plays lesson name with its reference solutions and answers,
// writing the narrated transcript to w, and reports whether every check
// held.
func Headless(ctx context.Context, name string, w io.Writer) (bool, error) {
	l, err := Get(name)
	if err != nil {
		return false, err
	}
	return script.Headless(ctx, l.Script, script.Config{Registry: Registry()}, w)
}

// List writes the course as a numbered list.
func List(w io.Writer) error {
	course, err := Course()
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "The coordtui course. Start one with: coordtui lesson NAME (or its number)")
	fmt.Fprintln(w)
	for _, l := range course {
		fmt.Fprintf(w, "%2d. %-18s %s\n", l.Number, l.Name, l.Title)
	}
	return nil
}
