package pane

import (
	"fmt"
	"strings"

	"coordtui/lessons/script"
)

// Question is a quiz on screen: the question, the choices, and how the
// last answer went.
type Question struct {
	Quiz    *script.Quiz
	Attempt int    // from 1
	Wrong   string // the key given last time, when it was wrong
}

// QuizBox draws q as a dialog at most w cells wide, for the console to
// lay over the panes. Keys pick an answer; esc skips.
func QuizBox(s *Styles, q Question, w int) []string {
	bw := min(max(w*3/4, 40), w-2, 90)
	iw := bw - 2
	var body []string
	for _, l := range script.Wrap(q.Quiz.Question, iw) {
		body = append(body, s.Bold.Render(l))
	}
	body = append(body, "")
	keys := make([]string, 0, len(q.Quiz.Choices))
	for _, c := range q.Quiz.Choices {
		keys = append(keys, c.Key)
		for i, l := range script.Wrap(c.Text, iw-4) {
			lead := "    "
			if i == 0 {
				lead = s.Key.Render(c.Key+")") + "  "
			}
			body = append(body, lead+l)
		}
	}
	body = append(body, "")
	if q.Wrong != "" {
		body = append(body, s.Warn.Render(fmt.Sprintf("%s is not it. Think again and pick another (try %d).", q.Wrong, q.Attempt)))
	}
	body = append(body, s.Dim.Render(fmt.Sprintf("%s: answer   esc: skip the question", strings.Join(keys, " "))))
	title := "Quiz"
	return strings.Split(Frame(s, title, body, bw, len(body)+2, true), "\n")
}
