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

// A learner at a plain terminal, each lesson told done from the
// ensemble's own state:
//   - data-model: enter after each narration, "show" at the exercise, a
//     wrong answer and then the right ones at the quizzes;
//   - recipes: the recipe stepped by typing the command at the exercise
//     prompt, a mistyped client told, not fatal.
func TestPlayInATerminal(t *testing.T) {
	for _, tc := range []struct {
		lesson, in string
		want       []string
	}{
		{"data-model", "\n\n\n\nshow\n\na\nb\nb\n", []string{
			"== Znodes, versions, ephemeral and sequential nodes ==",
			"Exercise make-nodes:",
			"zkCli.sh -server 127.0.0.1:",
			"  > zk you create -e /app/leader ada",
			"  ok: /app/leader exists, ephemeral",
			"Done: the ensemble shows it.",
			"answered a: not quite, try again",
			"Lesson done: ",
		}},
		{"recipes", strings.Repeat("\n", 4) + "recipe step c9\nrecipe step c2\n" + strings.Repeat("\n", 4) + "b\nb\n", []string{
			"Exercise take-the-lock:",
			"recipe step C / recipe show",
			`  error: lock runs no client "c9" (it runs c1 c2 c3)`,
			"  c2: children /lock: mine is first",
			"  ok: c2 holds or leads (lock)",
			"Done: the ensemble shows it.",
			"Lesson done: ",
		}},
	} {
		t.Run(tc.lesson, func(t *testing.T) {
			var out bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			ok, err := lessons.Play(ctx, tc.lesson, scripttest.Config(nil), strings.NewReader(tc.in), &out)
			if err != nil || !ok {
				t.Fatalf("ok=%v err=%v\n%s", ok, err, out.String())
			}
			for _, want := range tc.want {
				if !strings.Contains(out.String(), want) {
					t.Errorf("missing %q in:\n%s", want, out.String())
				}
			}
		})
	}
}

func TestListShowsTheCourseInOrder(t *testing.T) {
	var out bytes.Buffer
	if err := lessons.List(&out); err != nil {
		t.Fatal(err)
	}
	first := strings.Index(out.String(), " 1. why-coordination")
	second := strings.Index(out.String(), " 2. data-model")
	if first < 0 || second < first {
		t.Fatalf("%s", out.String())
	}
	for _, l := range strings.Split(out.String(), "\n") {
		if len([]rune(l)) > 80 {
			t.Errorf("line wider than 80: %q", l)
		}
	}
}

func TestGetByNumberOrName(t *testing.T) {
	a, err := lessons.Get("3")
	b, err2 := lessons.Get("sessions")
	if err != nil || err2 != nil || a.Name != "sessions" || b.Number != 3 {
		t.Fatalf("%v %v %+v %+v", err, err2, a.Name, b.Number)
	}
	if _, err := lessons.Get("nope"); err == nil {
		t.Fatal("found a lesson that does not exist")
	}
}
