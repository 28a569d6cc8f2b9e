package faultnet

import (
	"fmt"
	"io"
	"log"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"

	"coordtui/cluster/event"
)

// LoggerOptions configures NewLogger.
type LoggerOptions struct {
	// Level is the lowest level forwarded; hclog.NoLevel means hclog.Info.
	// Raft at Debug reports every vote it counts, at Trace much more.
	Level hclog.Level
	// File, if not nil, also receives every forwarded line as text, e.g. a
	// log file beside the member's data. Writes to it are serialised.
	File io.Writer
}

// NewLogger returns the hclog.Logger to give raft (raft.Config.Logger) and
// its transport for member. Each line at or above the level becomes an
// event.KindLog event on bus, and nothing is written to the terminal.
// Loggers derived with With, Named and ResetNamed share the level and the
// outputs; SetLevel on any of them changes it for all.
func NewLogger(bus *event.Bus, member string, opts LoggerOptions) hclog.Logger {
	s := &logSink{bus: bus, member: member, file: opts.File}
	lvl := opts.Level
	if lvl == hclog.NoLevel {
		lvl = hclog.Info
	}
	s.level.Store(int32(lvl))
	return &logger{sink: s}
}

// logSink is what all loggers derived from one NewLogger share.
type logSink struct {
	bus    *event.Bus
	member string
	level  atomic.Int32

	fileMu sync.Mutex
	file   io.Writer
}

type logger struct {
	sink    *logSink
	name    string
	implied []any
}

var _ hclog.Logger = (*logger)(nil)

func (l *logger) Log(level hclog.Level, msg string, args ...any) {
	if level == hclog.Off || level < hclog.Level(l.sink.level.Load()) {
		return
	}
	if level == hclog.NoLevel {
		level = hclog.Info
	}
	line := event.Log{
		Level: strings.ToUpper(level.String()),
		Name:  l.name,
		Msg:   msg,
		Args:  formatArgs(append(l.implied[:len(l.implied):len(l.implied)], args...)),
	}
	ev := l.sink.bus.Publish(event.Event{Kind: event.KindLog, Member: l.sink.member, Log: line})
	if l.sink.file != nil {
		at := ev.Time
		if at.IsZero() { // no bus stamped it
			at = time.Now()
		}
		l.sink.fileMu.Lock()
		fmt.Fprintf(l.sink.file, "%s %s %s\n", at.Format("2006-01-02T15:04:05.000Z07:00"), l.sink.member, line)
		l.sink.fileMu.Unlock()
	}
}

func (l *logger) Trace(msg string, args ...any) { l.Log(hclog.Trace, msg, args...) }
func (l *logger) Debug(msg string, args ...any) { l.Log(hclog.Debug, msg, args...) }
func (l *logger) Info(msg string, args ...any)  { l.Log(hclog.Info, msg, args...) }
func (l *logger) Warn(msg string, args ...any)  { l.Log(hclog.Warn, msg, args...) }
func (l *logger) Error(msg string, args ...any) { l.Log(hclog.Error, msg, args...) }

func (l *logger) enabled(level hclog.Level) bool {
	return level >= hclog.Level(l.sink.level.Load())
}

func (l *logger) IsTrace() bool { return l.enabled(hclog.Trace) }
func (l *logger) IsDebug() bool { return l.enabled(hclog.Debug) }
func (l *logger) IsInfo() bool  { return l.enabled(hclog.Info) }
func (l *logger) IsWarn() bool  { return l.enabled(hclog.Warn) }
func (l *logger) IsError() bool { return l.enabled(hclog.Error) }

func (l *logger) ImpliedArgs() []any { return append([]any(nil), l.implied...) }

func (l *logger) With(args ...any) hclog.Logger {
	return &logger{sink: l.sink, name: l.name, implied: append(l.ImpliedArgs(), args...)}
}

func (l *logger) Name() string { return l.name }

func (l *logger) Named(name string) hclog.Logger {
	if l.name != "" {
		name = l.name + "." + name
	}
	return &logger{sink: l.sink, name: name, implied: l.implied}
}

func (l *logger) ResetNamed(name string) hclog.Logger {
	return &logger{sink: l.sink, name: name, implied: l.implied}
}

func (l *logger) SetLevel(level hclog.Level) { l.sink.level.Store(int32(level)) }

func (l *logger) GetLevel() hclog.Level { return hclog.Level(l.sink.level.Load()) }

func (l *logger) StandardLogger(opts *hclog.StandardLoggerOptions) *log.Logger {
	return log.New(l.StandardWriter(opts), "", 0)
}

// StandardWriter turns each write into one line at Info, at
// opts.ForceLevel, or, with opts.InferLevels, at the level a "[WARN]"-style
// prefix names.
func (l *logger) StandardWriter(opts *hclog.StandardLoggerOptions) io.Writer {
	if opts == nil {
		opts = &hclog.StandardLoggerOptions{}
	}
	return stdWriter{l: l, opts: *opts}
}

type stdWriter struct {
	l    *logger
	opts hclog.StandardLoggerOptions
}

var levelPrefixes = []struct {
	prefix string
	level  hclog.Level
}{
	{"[TRACE]", hclog.Trace}, {"[DEBUG]", hclog.Debug}, {"[INFO]", hclog.Info},
	{"[WARN]", hclog.Warn}, {"[ERR]", hclog.Error}, {"[ERROR]", hclog.Error},
}

func (w stdWriter) Write(p []byte) (int, error) {
	msg := strings.TrimRight(string(p), "\r\n")
	level := hclog.Info
	if w.opts.ForceLevel != hclog.NoLevel || w.opts.InferLevels {
		for _, lp := range levelPrefixes {
			if rest, ok := strings.CutPrefix(msg, lp.prefix); ok {
				msg, level = strings.TrimSpace(rest), lp.level
				break
			}
		}
	}
	if w.opts.ForceLevel != hclog.NoLevel {
		level = w.opts.ForceLevel
	}
	w.l.Log(level, msg)
	return len(p), nil
}

// formatArgs renders hclog's alternating keys and values as "k=v k=v",
// quoting values that contain spaces, as hclog's text format does.
func formatArgs(args []any) string {
	var b strings.Builder
	for i := 0; i < len(args); i += 2 {
		if i > 0 {
			b.WriteByte(' ')
		}
		if i+1 == len(args) {
			b.WriteString("EXTRA_VALUE_AT_END=" + formatValue(args[i]))
			break
		}
		b.WriteString(fmt.Sprint(args[i]))
		b.WriteByte('=')
		b.WriteString(formatValue(args[i+1]))
	}
	return b.String()
}

func formatValue(v any) string {
	var s string
	switch v := v.(type) {
	case hclog.Format:
		if len(v) > 0 {
			if f, ok := v[0].(string); ok {
				s = fmt.Sprintf(f, v[1:]...)
				break
			}
		}
		s = fmt.Sprint([]any(v)...)
	case error:
		s = v.Error()
	default:
		s = fmt.Sprint(v)
	}
	if s == "" || strings.ContainsAny(s, " \t\n\"") {
		return strconv.Quote(s)
	}
	return s
}
