// Package assets holds coordtui's embedded text: lesson and demo scripts and
// console themes. It is data only; the engines that run it live in lessons/
// and demos/.
//
// Demo scripts are demos/NAME.txt. Lesson scripts are lessons/NN-NAME.txt,
// NN giving the lesson's place in the course.
package assets

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

//go:embed demos/*.txt lessons/*.txt
var files embed.FS

// FS is every embedded file, read-only.
func FS() fs.FS { return files }

// Script is one embedded script.
type Script struct {
	Name string // "partition", "why-coordination"
	Path string // inside FS: "demos/partition.txt"
	Text string
}

// Demos lists the demo scripts by name.
func Demos() []Script { return list("demos") }

// Lessons lists the lesson scripts in course order.
func Lessons() []Script { return list("lessons") }

// Demo returns the demo script called name.
func Demo(name string) (Script, error) { return find("demos", name) }

// Lesson returns the lesson script called name.
func Lesson(name string) (Script, error) { return find("lessons", name) }

func list(dir string) []Script {
	entries, err := files.ReadDir(dir)
	if err != nil {
		return nil // the embed pattern guarantees the directory
	}
	var out []Script
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".txt") {
			continue
		}
		p := path.Join(dir, e.Name())
		b, err := files.ReadFile(p)
		if err != nil {
			continue
		}
		out = append(out, Script{Name: scriptName(e.Name()), Path: p, Text: string(b)})
	}
	// ReadDir sorts by file name, which is course order for lessons.
	return out
}

// scriptName drops ".txt" and a course-order prefix such as "03-".
func scriptName(file string) string {
	name := strings.TrimSuffix(file, ".txt")
	if i := strings.IndexByte(name, '-'); i > 0 && strings.Trim(name[:i], "0123456789") == "" {
		name = name[i+1:]
	}
	return name
}

func find(dir, name string) (Script, error) {
	all := list(dir)
	if i := slices.IndexFunc(all, func(s Script) bool { return s.Name == name }); i >= 0 {
		return all[i], nil
	}
	return Script{}, fmt.Errorf("assets: no %s script %q", strings.TrimSuffix(dir, "s"), name)
}
