package lessons_test

import (
	"testing"

	"coordtui/assets"
)

// fileOf returns the file name of lesson name under assets/lessons.
func fileOf(t *testing.T, name string) string {
	t.Helper()
	s, err := assets.Lesson(name)
	if err != nil {
		t.Fatal(err)
	}
	return s.Path[len("lessons/"):]
}
