package ui

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"

	"coordtui/cluster/zk"
	"coordtui/ui/source"
)

// Options configure the console.
type Options struct {
	// Embedded ensemble (when Attach is empty).
	Members     int    // 1..7; 0 means 3
	DataDir     string // "" for a temporary dir removed on exit
	ClientPorts []int  // fixed client ports; default free ports

	// Attach, if set, is a connection string "host:port,...[/chroot]":
	// the console inspects that live ensemble instead of running one.
	Attach string
	// Attached: Write allows writes (destructive commands still ask).
	// Against coordtui they are allowed unless ReadOnly; against anything
	// else only with Write.
	Write    bool
	ReadOnly bool
	Auth     []string // attached: digest credentials "user:password"
	TLS      *tls.Config
	// Admin, when attached to coordtui, are its admin API addresses
	// ("http://HOST:PORT"): the console then shows the full view (raft
	// state, zxid log, raft RPCs) from the API's status and event stream.
	// Token unlocks the API's fault control, if it is on.
	Admin []string
	Token string

	// Script, if set, is a lesson or demo to play on the ensembles it
	// builds; the console then runs no ensemble of its own.
	Script *Script

	// Catalog lists the lessons and demos the command line can open
	// (:lesson, :demo); Open receives the one chosen, and the console
	// then closes so that the caller can play it.
	Catalog []Playable
	Open    func(Playable)

	Theme   string // "default", "high-contrast" or "plain"
	NoColor bool   // no colour at all; also set by the NO_COLOR variable

	// Input and Output default to the terminal; tests set them.
	Input  io.Reader
	Output io.Writer
	// Log receives one line with the connection string before the console
	// opens and after it closes (nil: none). Never the console's terminal
	// while it runs.
	Log io.Writer
}

// Run opens the console and returns when the user quits or ctx ends. With
// no Attach it starts an ensemble in this process and stops it on return.
func Run(ctx context.Context, opts Options) error {
	if opts.Script != nil {
		return play(ctx, opts)
	}
	src, err := openSource(ctx, opts)
	if err != nil {
		return err
	}
	defer src.Close()
	if opts.Log != nil {
		fmt.Fprintf(opts.Log, "coordtui: %s ensemble at %s\n", src.Mode(), src.ConnString())
	}
	var zopts []zk.Option
	if at, ok := src.(interface{ Options() []zk.Option }); ok {
		zopts = at.Options()
	}
	app := newApp(src, nil, opts.Theme, opts.NoColor || os.Getenv("NO_COLOR") != "")
	app.catalog, app.open = opts.Catalog, opts.Open
	app.engine = newZkcliEngine(src.ConnString(), zopts, app.hooks())
	err = runProgram(ctx, app, opts)
	if opts.Log != nil {
		fmt.Fprintf(opts.Log, "coordtui: closed; the %s ensemble at %s %s\n", src.Mode(), src.ConnString(),
			map[bool]string{true: "is stopped", false: "runs on"}[src.Mode() == "embedded"])
	}
	return err
}

// openSource starts or attaches to the ensemble.
func openSource(ctx context.Context, opts Options) (source.Source, error) {
	if opts.Attach != "" {
		ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		write := opts.Write
		if !write && !opts.ReadOnly && (len(opts.Admin) > 0 || source.IsCoordtui(ctx, opts.Attach)) {
			write = true // coordtui is for breaking: writes on unless --read-only
		}
		ac := source.AttachConfig{ConnString: opts.Attach, Write: write, Auth: opts.Auth, TLS: opts.TLS}
		if len(opts.Admin) > 0 {
			admins, err := source.AdminAddrs(opts.Admin, opts.Attach)
			if err != nil {
				return nil, err
			}
			return source.StartRemote(ctx, source.RemoteConfig{Attach: ac, Admin: admins, Token: opts.Token})
		}
		return source.StartAttach(ctx, ac)
	}
	return source.StartEmbedded(source.EmbeddedConfig{Members: opts.Members, Dir: opts.DataDir, ClientPorts: opts.ClientPorts})
}

// runProgram runs the console's Bubble Tea program until the user quits
// or ctx ends, then stops what the App started.
func runProgram(ctx context.Context, app *App, opts Options) error {
	defer app.shutdown()
	popts := []tea.ProgramOption{tea.WithContext(ctx)}
	if opts.Input != nil {
		popts = append(popts, tea.WithInput(opts.Input))
	}
	if opts.Output != nil {
		popts = append(popts, tea.WithOutput(opts.Output))
	}
	_, err := tea.NewProgram(app, popts...).Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		err = nil
	}
	return err
}
