package pane

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DataView is how a znode's data is previewed.
type DataView int

// The data views; Auto picks JSON for valid JSON, text for printable
// UTF-8 and hex for anything else.
const (
	Auto DataView = iota
	Text
	JSON
	Hex
	dataViews
)

func (v DataView) String() string {
	return [...]string{"auto", "text", "json", "hex"}[v]
}

// Preview renders data in at most h lines of w cells. The first line says
// the size and how it is shown.
func Preview(data []byte, v DataView, w, h int) []string {
	if data == nil {
		return []string{"data: null"}
	}
	if len(data) == 0 {
		return []string{"data: empty"}
	}
	shown := v
	if v == Auto {
		switch {
		case isJSON(data):
			shown = JSON
		case isText(data):
			shown = Text
		default:
			shown = Hex
		}
	}
	var body []string
	switch shown {
	case JSON:
		var out bytes.Buffer
		if err := json.Indent(&out, data, "", "  "); err != nil {
			body = []string{"not JSON: " + err.Error()}
		} else {
			body = strings.Split(out.String(), "\n")
		}
	case Text:
		for _, l := range strings.Split(strings.ToValidUTF8(string(data), "�"), "\n") {
			body = append(body, strings.Map(printable, l))
		}
	case Hex:
		per := max((w-10)/4, 4)
		for off := 0; off < len(data) && len(body) < h; off += per {
			chunk := data[off:min(off+per, len(data))]
			body = append(body, fmt.Sprintf("%04x %-*s %s", off, per*3, spaced(chunk), strings.Map(printable, string(asASCII(chunk)))))
		}
	}
	head := fmt.Sprintf("data %d B, %s", len(data), shown)
	if v == Auto {
		head += " (v switches)"
	}
	out := []string{head}
	for i, l := range body {
		if len(out) == h-1 && i < len(body)-1 {
			out = append(out, fmt.Sprintf("… %d more lines", len(body)-i))
			break
		}
		out = append(out, l)
	}
	return out
}

func isJSON(b []byte) bool {
	t := bytes.TrimSpace(b)
	return len(t) > 0 && (t[0] == '{' || t[0] == '[') && json.Valid(t)
}

func isText(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if r != '\n' && r != '\t' && !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

func printable(r rune) rune {
	if r == '\t' {
		return ' '
	}
	if !unicode.IsPrint(r) {
		return '.'
	}
	return r
}

func spaced(b []byte) string {
	h := hex.EncodeToString(b)
	var s strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			s.WriteByte(' ')
		}
		s.WriteString(h[i : i+2])
	}
	return s.String()
}

func asASCII(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if c < 32 || c > 126 {
			c = '.'
		}
		out[i] = c
	}
	return out
}
