package demos

import (
	"context"
	"fmt"
	"io"

	"coordtui/assets"
	"coordtui/lessons/script"
)

// Demo is one classroom scenario and the claim it proves.
type Demo struct {
	Name   string // "partition"
	Title  string
	Claim  string
	Script *script.Script
}

// All returns every demo, by name.
func All() ([]Demo, error) {
	var out []Demo
	for _, a := range assets.Demos() {
		s, err := script.Parse(a.Name, a.Text)
		if err != nil {
			return nil, err
		}
		out = append(out, Demo{Name: a.Name, Title: s.Meta("title"), Claim: s.Meta("claim"), Script: s})
	}
	return out, nil
}

// Get returns the demo called name.
func Get(name string) (Demo, error) {
	all, err := All()
	if err != nil {
		return Demo{}, err
	}
	for _, d := range all {
		if d.Name == name {
			return d, nil
		}
	}
	return Demo{}, fmt.Errorf("no demo %q (coordtui demo lists them)", name)
}

// NewRunner prepares demo name for a player; cfg.Registry is filled in.
func NewRunner(name string, cfg script.Config) (*script.Runner, error) {
	d, err := Get(name)
	if err != nil {
		return nil, err
	}
	cfg.Registry = Registry()
	return script.NewRunner(d.Script, cfg)
}

// Headless plays demo name to the end, writing the narrated transcript to
// w, and reports whether its claim held: every wait met, every assert
// true, every step run.
func Headless(ctx context.Context, name string, w io.Writer) (bool, error) {
	d, err := Get(name)
	if err != nil {
		return false, err
	}
	return script.Headless(ctx, d.Script, script.Config{Registry: Registry()}, w)
}

// List writes the demos with their claims.
func List(w io.Writer) error {
	all, err := All()
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "coordtui's demos. Run one with: coordtui demo NAME [--headless]")
	for _, d := range all {
		fmt.Fprintf(w, "\n%s: %s\n", d.Name, d.Title)
		for _, l := range script.Wrap(d.Claim, 74) {
			fmt.Fprintln(w, "  "+l)
		}
	}
	return nil
}
