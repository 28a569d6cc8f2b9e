package lessons

import (
	"context"
	"strings"

	"coordtui/lessons/script"
)

// A recipe runs inside the lesson's process, held at every request, so no
// other terminal can step it: at an exercise whose solution steps a
// recipe, the learner types the recipe command at the prompt instead.

// stepsRecipe reports whether x is done by stepping a recipe.
func stepsRecipe(x *script.Exercise) bool {
	for _, l := range x.Solution {
		if strings.HasPrefix(l, "recipe ") {
			return true
		}
	}
	return false
}

// doRecipe runs one "recipe ..." line the learner typed, on the Runner's
// goroutine (Exercise is called there), and returns what it printed.
func (t *TextLearner) doRecipe(ctx context.Context, line string) []string {
	if t.env == nil {
		return []string{"error: no lesson is running"}
	}
	s, err := script.Parse("typed", line+"\n")
	if err != nil || len(s.Steps) != 1 {
		return []string{"error: recipe step CLIENT [times=N] | recipe show"}
	}
	cmd, ok := t.env.Registry().Command(s.Steps[0].Cmd)
	if !ok {
		return []string{"error: this lesson has no recipe command"}
	}
	out := &script.Out{}
	err = cmd.Run(ctx, t.env, s.Steps[0], out)
	lines := out.Lines()
	if err != nil {
		lines = append(lines, "error: "+err.Error())
	}
	return lines
}
