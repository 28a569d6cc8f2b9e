package script

import (
	"context"
	"errors"
	"fmt"
	"time"
)

func teachCommands() []Command {
	return []Command{
		{Name: "title", Usage: "title TEXT", Run: runNothing,
			Help: "the script's title, for menus and the headless header"},
		{Name: "claim", Usage: "claim (text below)", Run: runNothing,
			Help: "what a demo proves, in a sentence or two"},
		{Name: "summary", Usage: "summary (text below)", Run: runNothing,
			Help: "what a lesson teaches, in a sentence or two"},
		{Name: "narrate", Usage: "narrate [about=n1,/path,w1] (text below)", Run: runNothing,
			Help: "text shown to the learner; about= lists what to highlight besides what the text names"},
		{Name: "exercise", Usage: "exercise NAME [within=15s] (task, do: and check: lines below)", Run: runExercise,
			Help: "a task done on the live ensemble and checked there; headless, the do: lines solve it"},
		{Name: "quiz", Usage: "quiz (question, a) b) choices, answer:, why:, try: below)", Run: runQuiz,
			Help: "a multiple-choice question; headless, try: and answer: are the answers given"},
	}
}

func runNothing(ctx context.Context, env *Env, st *Step, out *Out) error { return nil }

// Meta returns the text of the script's first step named cmd ("title",
// "claim", "summary"): its line after the command, or its text below.
func (s *Script) Meta(cmd string) string {
	for _, st := range s.Steps {
		if st.Cmd == cmd {
			if st.Raw != "" {
				return st.Raw
			}
			return st.Text()
		}
	}
	return ""
}

func runExercise(ctx context.Context, env *Env, st *Step, out *Out) error {
	x, err := parseExercise(env, st)
	if err != nil {
		return err
	}
	if l := env.Learner(); l != nil {
		err = l.Exercise(ctx, x)
		if errors.Is(err, ErrSkipped) {
			out.Claim(false, fmt.Sprintf("exercise %s done", x.Name), "skipped")
			return nil
		}
		if err != nil {
			return err
		}
		out.Printf("done by you")
	} else {
		lines, err := x.Solve(ctx)
		out.Print(env.Render(joinLines(lines)))
		if err != nil {
			return err
		}
		// What the solution set in motion (an election, an expiry) takes
		// a while; a learner would look again, so the run waits for it.
		within, err := st.Arguments().Duration("within", 15*time.Second)
		if err != nil {
			return err
		}
		_ = env.Poll(ctx, within, func() (bool, error) {
			ok, _ := x.Check(ctx)
			return ok, nil
		})
	}
	// The learner's word is not the claim: the ensemble is asked again.
	ok, claims := x.Check(ctx)
	for _, c := range claims {
		out.Claim(c.Held, c.Text, c.Seen)
	}
	if ok {
		out.Printf("exercise %s: done", x.Name)
	}
	return nil
}

func runQuiz(ctx context.Context, env *Env, st *Step, out *Out) error {
	q, err := parseQuiz(st)
	if err != nil {
		return err
	}
	tries := append(append([]string(nil), q.tries...), q.Answer)
	for attempt := 1; ; attempt++ {
		var key string
		if l := env.Learner(); l != nil {
			key, err = l.Answer(ctx, q, attempt)
			if errors.Is(err, ErrSkipped) {
				out.Claim(false, "quiz answered", "skipped")
				return nil
			}
			if err != nil {
				return err
			}
		} else {
			if attempt > len(tries) {
				return errors.New("quiz: the script ran out of answers")
			}
			key = tries[attempt-1]
		}
		if q.Correct(key) {
			out.Printf("answered %s: right", key)
			out.Claim(true, "quiz answered", "")
			return nil
		}
		out.Printf("answered %s: not quite, try again", key)
	}
}

func joinLines(lines []string) string {
	s := ""
	for _, l := range lines {
		s += l + "\n"
	}
	return s
}
