package ui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"coordtui/ui/pane"
)

// onKey routes a key: to a pending question, the help overlay, the
// command line or filter being edited, or the key map.
func (a *App) onKey(k tea.KeyPressMsg) tea.Cmd {
	key := k.String()
	switch {
	case a.confirm != nil:
		return a.answer(key)
	case a.help:
		switch key {
		case "ctrl+c":
			return a.quit()
		case "up", "k":
			a.helpOffset = max(a.helpOffset-1, 0)
		case "down", "j":
			a.helpOffset++
		case "pgup":
			a.helpOffset = max(a.helpOffset-10, 0)
		case "pgdown", "space":
			a.helpOffset += 10
		default:
			a.help = false
		}
		return nil
	case a.mode == modeCommand:
		return a.commandKey(k)
	case a.mode == modeFilter:
		return a.filterKey(k)
	}
	if len(a.output) > 0 && key == "esc" {
		a.output = nil
		return nil
	}
	b, ok := a.keys.Lookup(a.focus, key)
	if !ok {
		if key != "esc" {
			a.setStatus(statusInfo, fmt.Sprintf("%s does nothing in %s; ? lists the keys", key, a.focus.Title()))
		}
		return nil
	}
	if ok, why := a.enabled(b.Action); !ok {
		a.setStatus(statusErr, fmt.Sprintf("%s (%s): %s", b.Key, b.Help, why))
		return nil
	}
	if b.Action == ActFocusN {
		a.setFocus(pane.IDs[key[0]-'1'])
		return nil
	}
	return a.do(b.Action)
}

// do runs an action that is enabled.
func (a *App) do(act Action) tea.Cmd {
	switch act {
	case ActQuit:
		return a.quit()
	case ActHelp:
		a.help, a.helpOffset = true, 0
	case ActCommand:
		a.mode = modeCommand
		a.setStatus(statusInfo, "zkCli command line: tab completes, ↑↓ history, enter runs, esc leaves")
	case ActFocusNext, ActFocusPrev:
		a.cycleFocus(act == ActFocusNext)
	case ActPause:
		a.togglePause()
	case ActTheme:
		a.toggleTheme()
	case ActUp, ActDown, ActPageUp, ActPageDown, ActLeft, ActRight, ActToggle, ActDataView, ActFollow, ActHeartbeats:
		return a.navigate(act)
	case ActFilter:
		a.mode = modeFilter
		a.filter.set("")
		a.setStatus(statusInfo, "filter: type part of a path, enter searches, esc cancels")
	case ActShowInTree:
		e, _ := a.log.Selected()
		a.tree.SelectPath(e.Path)
		a.tree.SetHighlight(e.Path)
		a.setFocus(pane.TreePane)
		return a.loads()
	case ActReadFrom:
		return a.readFrom()
	case ActRecipeStep, ActRecipeStepAll, ActRecipeTogether, ActRecipeAdd, ActRecipeRemove:
		return a.recipeAction(act)
	default:
		return a.control(act)
	}
	return nil
}

// navigate moves within the focused pane.
func (a *App) navigate(act Action) tea.Cmd {
	d := map[Action]int{ActUp: -1, ActDown: 1, ActPageUp: -1, ActPageDown: 1, ActLeft: -1, ActRight: 1}[act]
	switch a.focus {
	case pane.MembersPane:
		a.members.Move(d)
	case pane.SessionsPane:
		a.sessions.Move(d)
	case pane.RecipesPane:
		a.recipes.Move(d)
	case pane.LogPane:
		switch act {
		case ActPageUp, ActPageDown:
			a.log.Page(d)
		case ActFollow:
			a.log.Follow()
		default:
			a.log.Move(d)
		}
		if e, ok := a.log.Selected(); ok && !a.log.Following() {
			a.tree.SetHighlight(e.Path)
		} else {
			a.tree.SetHighlight("")
		}
	case pane.TreePane:
		switch act {
		case ActUp, ActDown:
			a.tree.Move(d)
		case ActPageUp, ActPageDown:
			a.tree.Page(d)
		case ActRight:
			a.tree.Expand()
		case ActLeft:
			a.tree.Collapse()
		case ActToggle:
			a.tree.Toggle()
		case ActDataView:
			a.tree.CycleDataView()
		}
		return a.loads()
	case pane.NetworkPane:
		switch act {
		case ActUp, ActDown:
			a.network.MoveCell(d, 0)
		case ActLeft, ActRight:
			a.network.MoveCell(0, d)
		case ActHeartbeats:
			a.network.ToggleHeartbeats()
		}
	}
	return nil
}

func (a *App) cycleFocus(next bool) {
	i := int(a.focus) - 1
	if next {
		i = (i + 1) % len(pane.IDs)
	} else {
		i = (i + len(pane.IDs) - 1) % len(pane.IDs)
	}
	a.setFocus(pane.IDs[i])
}

func (a *App) toggleTheme() {
	if a.noColor {
		a.setStatus(statusInfo, "NO_COLOR is set: the console stays without colour")
		return
	}
	if a.c.Styles.Name == "high-contrast" {
		a.c.Styles = pane.StylesNamed("default", false)
	} else {
		a.c.Styles = pane.StylesNamed("high-contrast", false)
	}
	a.setStatus(statusInfo, "theme: "+a.c.Styles.Name)
}

// readFrom reads the tree from the selected member (again: back to
// following the leader).
func (a *App) readFrom() tea.Cmd {
	sel, ok := a.members.Selected()
	if !ok {
		return nil
	}
	if a.treeFrom == sel.ID {
		a.treeFrom = 0
		a.setStatus(statusInfo, "the tree follows the leader again")
	} else {
		a.treeFrom = sel.ID
		a.setStatus(statusInfo, fmt.Sprintf("the tree is read on %s: sequentially consistent, it may lag the leader", sel.Name))
	}
	a.showSnapshot(a.snap)
	return a.loads()
}

func (a *App) quit() tea.Cmd {
	a.cancel()
	return tea.Quit
}

// answer handles y/n for a pending question.
func (a *App) answer(key string) tea.Cmd {
	yes := key == "y" || key == "Y"
	if yes || key == "n" || key == "N" || key == "esc" {
		a.confirm.reply <- yes
		a.confirm = nil
	}
	return nil
}

// onClick focuses the pane under the mouse and selects what was clicked.
func (a *App) onClick(m tea.Mouse) tea.Cmd {
	for _, ar := range a.areas {
		if m.X < ar.x || m.X >= ar.x+ar.w || m.Y < ar.y || m.Y >= ar.y+ar.h {
			continue
		}
		a.setFocus(ar.id)
		x, y := m.X-ar.x, m.Y-ar.y
		switch ar.id {
		case pane.MembersPane:
			a.members.SelectRow(y)
		case pane.TreePane:
			a.tree.SelectRow(y)
			return a.loads()
		case pane.LogPane:
			a.log.SelectRow(y)
			if e, ok := a.log.Selected(); ok {
				a.tree.SetHighlight(e.Path)
			}
		case pane.SessionsPane:
			a.sessions.SelectRow(y)
		case pane.RecipesPane:
			a.recipes.SelectRow(y)
		case pane.NetworkPane:
			a.network.SelectCell(x, y)
		}
		return nil
	}
	for _, t := range a.tabs {
		if m.Y == t.y && m.X >= t.x && m.X < t.x+t.w {
			a.setFocus(t.id)
		}
	}
	return nil
}

// onWheel scrolls the pane under the mouse.
func (a *App) onWheel(m tea.Mouse) tea.Cmd {
	d := ActDown
	if m.Button == tea.MouseWheelUp {
		d = ActUp
	}
	for _, ar := range a.areas {
		if m.X >= ar.x && m.X < ar.x+ar.w && m.Y >= ar.y && m.Y < ar.y+ar.h {
			a.setFocus(ar.id)
			return a.navigate(d)
		}
	}
	return nil
}
