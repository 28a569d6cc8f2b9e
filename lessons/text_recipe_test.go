package lessons_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"coordtui/lessons"
	"coordtui/lessons/script/scripttest"
)

// At a plain terminal the learner steps the recipe by typing the command
// at the exercise prompt; a mistyped client is told, not fatal.
func TestPlayStepsARecipe(t *testing.T) {
	in := strings.NewReader(strings.Repeat("\n", 4) + "recipe step c9\nrecipe step c2\n" + strings.Repeat("\n", 4) + "b\nb\n")
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ok, err := lessons.Play(ctx, "recipes", scripttest.Config(nil), in, &out)
	if err != nil || !ok {
		t.Fatalf("ok=%v err=%v\n%s", ok, err, out.String())
	}
	for _, want := range []string{
		"Exercise take-the-lock:",
		"recipe step C / recipe show",
		`  error: lock runs no client "c9" (it runs c1 c2 c3)`,
		"  c2: children /lock: mine is first",
		"  ok: c2 holds or leads (lock)",
		"Done: the ensemble shows it.",
		"Lesson done: ",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("missing %q in:\n%s", want, out.String())
		}
	}
}
