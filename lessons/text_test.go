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

// A learner at a plain terminal: enter after each narration, "show" at the
// exercise, a wrong answer and then the right ones at the quizzes. The
// lesson tells them the exercise is done, from the ensemble's own state.
func TestPlayInATerminal(t *testing.T) {
	in := strings.NewReader("\n\n\n\nshow\n\na\nb\nb\n")
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ok, err := lessons.Play(ctx, "data-model", scripttest.Config(nil), in, &out)
	if err != nil || !ok {
		t.Fatalf("ok=%v err=%v\n%s", ok, err, out.String())
	}
	for _, want := range []string{
		"== Znodes, versions, ephemeral and sequential nodes ==",
		"Exercise make-nodes:",
		"zkCli.sh -server 127.0.0.1:",
		"  > zk you create -e /app/leader ada",
		"  ok: /app/leader exists, ephemeral",
		"Done: the ensemble shows it.",
		"answered a: not quite, try again",
		"Lesson done: ",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("missing %q in:\n%s", want, out.String())
		}
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
