package script

import (
	"context"
	"fmt"
	"regexp"
)

var reVar = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expand returns st with ${NAME} replaced in its line and its text, or st
// itself when it has none. The copy keeps the step's expected transcript.
func (e *Env) expand(st *Step) (*Step, error) {
	if !reVar.MatchString(st.Raw) && !reVar.MatchString(st.Text()) {
		return st, nil
	}
	var missing []string
	sub := func(s string) string {
		return reVar.ReplaceAllStringFunc(s, func(m string) string {
			name := reVar.FindStringSubmatch(m)[1]
			v, ok := e.vars[name]
			if !ok {
				missing = append(missing, name)
			}
			return v
		})
	}
	c := *st
	c.Raw = sub(st.Raw)
	c.Input = make([]string, len(st.Input))
	for i, l := range st.Input {
		c.Input[i] = sub(l)
	}
	args, err := splitArgs(c.Raw)
	if err != nil {
		return st, err
	}
	c.Args = args
	if len(missing) > 0 {
		return st, fmt.Errorf("no value for ${%s} (set one with: default %s VALUE)", missing[0], missing[0])
	}
	return &c, nil
}

func varCommands() []Command {
	return []Command{{Name: "default", Usage: "default NAME VALUE", Run: runDefault,
		Help: "give ${NAME} a value unless the run was given one (Config.Vars)"}}
}

func runDefault(ctx context.Context, env *Env, st *Step, out *Out) error {
	a := st.Arguments()
	name, value := a.Arg(0), a.Arg(1)
	if !reVar.MatchString("${" + name + "}") {
		return fmt.Errorf("default NAME VALUE: %q is not a name", name)
	}
	if _, set := env.vars[name]; !set {
		env.vars[name] = value
	}
	return nil
}
