package lessons

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"coordtui/lessons/script"
)

// TextLearner is a Learner on a plain terminal: it asks quiz questions and
// exercises on out and reads answers, one line each, from in. The learner
// does exercises from another terminal (zkCli.sh, coordtui cli) against
// the connection string it prints.
type TextLearner struct {
	env   *script.Env
	out   io.Writer
	lines <-chan string
}

// NewTextLearner reads in on a goroutine of its own, which ends when in
// does; a learner that stops typing holds nothing else up.
func NewTextLearner(in io.Reader, out io.Writer) *TextLearner {
	ch := make(chan string)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(in)
		for sc.Scan() {
			ch <- strings.TrimSpace(sc.Text())
		}
	}()
	return &TextLearner{out: out, lines: ch}
}

// readLine waits for the learner's next line.
func (t *TextLearner) readLine(ctx context.Context, prompt string) (string, error) {
	fmt.Fprint(t.out, prompt)
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case l, ok := <-t.lines:
		if !ok {
			return "", io.EOF
		}
		return l, nil
	}
}

// Answer implements script.Learner.
func (t *TextLearner) Answer(ctx context.Context, q *script.Quiz, attempt int) (string, error) {
	if attempt == 1 {
		fmt.Fprintln(t.out)
		for _, l := range script.Wrap("Quiz: "+q.Question, 76) {
			fmt.Fprintln(t.out, l)
		}
		for _, c := range q.Choices {
			fmt.Fprintf(t.out, "  %s) %s\n", c.Key, c.Text)
		}
	}
	for {
		l, err := t.readLine(ctx, "your answer (a, b, ... or skip)> ")
		if err != nil {
			return "", err
		}
		if l == "skip" {
			return "", script.ErrSkipped
		}
		for _, c := range q.Choices {
			if strings.EqualFold(l, c.Key) {
				if q.Correct(l) && q.Why != "" {
					for _, w := range script.Wrap("Right. "+q.Why, 76) {
						fmt.Fprintln(t.out, w)
					}
				}
				return c.Key, nil
			}
		}
	}
}

// Exercise implements script.Learner.
func (t *TextLearner) Exercise(ctx context.Context, x *script.Exercise) error {
	fmt.Fprintln(t.out)
	fmt.Fprintf(t.out, "Exercise %s:\n", x.Name)
	for _, l := range script.Paragraphs(strings.Split(x.Task, "\n"), 76) {
		fmt.Fprintln(t.out, "  "+l)
	}
	if t.env != nil {
		if ens := t.env.Ensemble(); ens != nil {
			fmt.Fprintf(t.out, "\nThe ensemble: zkCli.sh -server %s\n(or: coordtui cli -server %s)\n", ens.ConnString(), ens.ConnString())
		}
	}
	prompt := "\n[enter] check   show: do it for me   skip> "
	if slices.Contains(x.Verbs(), "recipe") {
		prompt = "\n[enter] check   recipe step C / recipe show   show: do it for me   skip> "
	}
	for {
		l, err := t.readLine(ctx, prompt)
		if err != nil {
			return err
		}
		switch {
		case strings.HasPrefix(l, "recipe "):
			lines, err := x.Do(ctx, l)
			if err != nil {
				lines = append(lines, "error: "+err.Error())
			}
			for _, s := range lines {
				fmt.Fprintln(t.out, "  "+t.render(s))
			}
		case l == "skip":
			return script.ErrSkipped
		case l == "show":
			lines, err := x.Solve(ctx)
			for _, s := range lines {
				fmt.Fprintln(t.out, "  "+t.render(s))
			}
			if err != nil {
				fmt.Fprintln(t.out, "  error:", err)
			}
		}
		ok, claims := x.Check(ctx)
		for _, c := range claims {
			fmt.Fprintln(t.out, "  "+c.String())
		}
		if ok {
			fmt.Fprintln(t.out, "Done: the ensemble shows it.")
			return nil
		}
		fmt.Fprintln(t.out, "Not yet.")
	}
}

func (t *TextLearner) render(s string) string {
	if t.env == nil {
		return s
	}
	return t.env.Render(s)
}

// Play runs lesson name in a plain terminal: narration and results on out,
// a pause for enter after each piece of narration, quizzes and exercises
// through a TextLearner on in. It reports whether every check held.
func Play(ctx context.Context, name string, cfg script.Config, in io.Reader, out io.Writer) (bool, error) {
	t := NewTextLearner(in, out)
	cfg.Learner = t
	r, err := NewRunner(name, cfg)
	if err != nil {
		return false, err
	}
	defer r.Close()
	t.env = r.Env()
	p := script.NewPrinter(out)
	p.Header(r.Script())
	for !r.Done() {
		res, err := r.Next(ctx)
		if res.Step != nil && res.Step.Cmd != "quiz" && res.Step.Cmd != "exercise" {
			p.Result(res)
		} else {
			// The learner saw the question or task as it was asked.
			for _, l := range res.Lines {
				fmt.Fprintln(out, "  "+l)
			}
		}
		if err != nil {
			return false, err
		}
		if res.Step.Cmd == "narrate" && !r.Done() {
			if _, err := t.readLine(ctx, "[enter] "); err != nil {
				return false, err
			}
		}
	}
	held, failed := r.Tally()
	fmt.Fprintf(out, "\nLesson done: %d check%s held, %d failed or skipped.\n", held, plural(held), failed)
	return failed == 0, nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
