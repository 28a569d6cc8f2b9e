package zkcli

import (
	"regexp"
	"strconv"
	"strings"
)

// argsPattern is zkCli's MyCommandOptions.ARGS_PATTERN: a word, or a whole
// "double" or 'single' quoted string.
var argsPattern = regexp.MustCompile(`\s*([^"']\S*|"[^"]*"|'[^']*')\s*`)

// Split breaks a command line into words as zkCli.sh does: words are
// separated by white space, and a word that starts with a quote runs to the
// matching quote, which is removed ("hello world" is one word). A quote
// inside a word is kept as it is. A blank line has no words.
func Split(line string) []string {
	if strings.TrimSpace(line) == "" {
		return nil
	}
	var words []string
	for _, m := range argsPattern.FindAllStringSubmatch(line, -1) {
		w := m[1]
		if len(w) >= 2 && (w[0] == '"' || w[0] == '\'') && w[len(w)-1] == w[0] {
			w = w[1 : len(w)-1]
		}
		words = append(words, w)
	}
	return words
}

// optSpec lists a command's one-letter options and whether each takes a
// value, as commons-cli Options do ("s" -> false, "v" -> true).
type optSpec map[byte]bool

// cmdline is a parsed command: args[0] is the command's name, the rest its
// positional words; opts holds the options seen (value "" for flags).
type cmdline struct {
	args []string
	opts map[byte]string
}

func (c *cmdline) has(o byte) bool { _, ok := c.opts[o]; return ok }

func (c *cmdline) value(o byte) string { return c.opts[o] }

// parseOpts separates options from positional words the way commons-cli's
// DefaultParser does for zkCli: options may come anywhere, "--" ends them,
// a negative number is a word, "-sw" is two flags, "-v5" is an option with
// its value. Errors carry commons-cli's exception text, which zkCli prints.
func parseOpts(words []string, spec optSpec) (*cmdline, error) {
	c := &cmdline{opts: map[byte]string{}}
	for i := 0; i < len(words); i++ {
		w := words[i]
		if w == "--" {
			c.args = append(c.args, words[i+1:]...)
			break
		}
		if i == 0 || len(w) < 2 || w[0] != '-' || isNumber(w) {
			c.args = append(c.args, w)
			continue
		}
		name := w[1:]
		if len(name) == 1 || (len(name) > 1 && spec[name[0]]) {
			o := name[0]
			takesValue, known := spec[o]
			if !known || (len(name) > 1 && !takesValue) {
				return nil, unrecognized(w)
			}
			if !takesValue {
				c.opts[o] = ""
				continue
			}
			if len(name) > 1 {
				c.opts[o] = name[1:]
				continue
			}
			if i+1 >= len(words) {
				return nil, parseError("org.apache.commons.cli.MissingArgumentException: Missing argument for option: " + string(o))
			}
			i++
			c.opts[o] = words[i]
			continue
		}
		// A burst of flags, each of which must exist and take no value.
		for j := 0; j < len(name); j++ {
			takesValue, known := spec[name[j]]
			if !known || takesValue {
				return nil, unrecognized(w)
			}
			c.opts[name[j]] = ""
		}
	}
	return c, nil
}

func unrecognized(w string) error {
	return parseError("org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: " + w)
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// intOption reads option o as an int32 (a version), or def when absent.
func (c *cmdline) intOption(o byte, def int32) (int32, error) {
	if !c.has(o) {
		return def, nil
	}
	v, err := strconv.ParseInt(c.value(o), 10, 32)
	if err != nil {
		return 0, malformed("-" + string(o) + " argument must be an int value")
	}
	return int32(v), nil
}
