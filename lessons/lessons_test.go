package lessons_test

import (
	"flag"
	"path/filepath"
	"testing"

	"coordtui/lessons"
	"coordtui/lessons/script/scripttest"
)

var rewrite = flag.Bool("rewrite", false, "write the transcripts the run printed back into assets/lessons")

// Every lesson is a golden test: its reference solutions and scripted
// answers stand in for the learner, so its checks and quizzes are tested.
func TestLessons(t *testing.T) {
	course, err := lessons.Course()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range course {
		t.Run(l.Name, func(t *testing.T) {
			path := filepath.Join("..", "assets", "lessons", fileOf(t, l.Name))
			scripttest.Run(t, l.Name, path, l.Script.Format(nil), scripttest.Config(lessons.Registry()), *rewrite)
		})
	}
}
