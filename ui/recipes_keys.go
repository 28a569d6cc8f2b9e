package ui

import (
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// recipeAction runs a Recipes-pane key that enabled allowed.
func (a *App) recipeAction(act Action) tea.Cmd {
	run := a.recipe
	sel, _ := a.recipes.Selected()
	snap := a.recipes.Snapshot()
	done := func(text string, err error) tea.Msg { return recipeDoneMsg{gen: run.gen, text: text, err: err} }
	if run.lesson {
		// Only the exercise's own command steps a lesson's recipe.
		cmd, _ := a.taskVerb("recipe step " + sel.Name)
		return cmd
	}
	switch act {
	case ActRecipeStep:
		return func() tea.Msg {
			s, ok := run.r.Step(sel.Name)
			if !ok {
				return done("step "+sel.Name, errors.New("its request is no longer held"))
			}
			return done("sent "+s.String(), nil)
		}
	case ActRecipeStepAll:
		var held []string
		for _, c := range snap.Clients {
			if c.Next != "" {
				held = append(held, c.Name)
			}
		}
		return func() tea.Msg {
			var sent []string
			for _, name := range held {
				if _, ok := run.r.Step(name); ok {
					sent = append(sent, name)
				}
			}
			return done(fmt.Sprintf("stepped %s once each", strings.Join(sent, ", ")), nil)
		}
	case ActRecipeTogether:
		on := !snap.Together
		text := "clients stepped: each waits at its next request (s sends the selected one's)"
		if on {
			text = "clients run together, freely"
		}
		return func() tea.Msg { run.r.Together(on); return done(text, nil) }
	case ActRecipeAdd:
		a.setStatus(statusInfo, "adding a client…")
		return a.addClients(1)
	case ActRecipeRemove:
		return func() tea.Msg {
			return done(sel.Name+" removed (it released what it held, if its session allowed)", run.r.Remove(sel.Name))
		}
	}
	return nil
}

// recipeEnabled says whether a Recipes-pane action applies now, and why
// not when it does not.
func (a *App) recipeEnabled(act Action) (bool, string) {
	if a.recipe == nil {
		return false, "no recipe runs: :recipe NAME starts one (:recipe lists them)"
	}
	snap := a.recipes.Snapshot()
	sel, hasSel := a.recipes.Selected()
	if a.recipe.lesson {
		if act != ActRecipeStep || !a.taskAllows("recipe") {
			return false, "the lesson runs this recipe and steps it with . (its exercise lets you step a client)"
		}
	}
	switch act {
	case ActRecipeStep, ActRecipeStepAll:
		if snap.Together {
			return false, "clients run together; t holds each at its next request"
		}
		if act == ActRecipeStepAll {
			for _, c := range snap.Clients {
				if c.Next != "" {
					return true, ""
				}
			}
			return false, "no client has a request held at the gate"
		}
		if !hasSel {
			return false, "no client selected (c adds one)"
		}
		if sel.Next == "" {
			return false, sel.Name + " has no request held at the gate: " + sel.NotHeld()
		}
	case ActRecipeRemove:
		if !hasSel {
			return false, "no client selected"
		}
	}
	return true, ""
}
