// Command coordtui runs a real ZooKeeper-compatible coordination ensemble and
// a terminal console that shows it working. main.go holds flags and wiring
// only; see DESIGN.md for the layers.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/x/term"

	"coordtui/cluster"
	"coordtui/cluster/admin"
	"coordtui/cluster/bench"
	"coordtui/cluster/event"
	"coordtui/cluster/faultnet"
	"coordtui/cluster/zkcli"
	"coordtui/demos"
	"coordtui/lessons"
	"coordtui/lessons/script"
	"coordtui/ui"
	"coordtui/ui/shell"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(args) == 0 || (strings.HasPrefix(args[0], "-") && !isHelpOrVersion(args[0])) {
		return console(ctx, args, stderr)
	}
	switch args[0] {
	case "--version", "-version", "version":
		fmt.Fprintf(stdout, "coordtui %s\n", version)
		return 0
	case "-h", "--help", "help":
		usage(stdout)
		return 0
	case "up":
		return up(ctx, args[1:], stdout, stderr)
	case "server":
		return server(ctx, args[1:], stderr)
	case "cli":
		return cli(ctx, args[1:], stdin, stdout, stderr)
	case "bench":
		return benchmark(ctx, args[1:], stdout, stderr)
	case "attach":
		return attach(ctx, args[1:], stderr)
	case "demo":
		return demo(ctx, args[1:], stdout, stderr)
	case "lesson":
		return lesson(ctx, args[1:], stdin, stdout, stderr)
	}
	fmt.Fprintf(stderr, "coordtui: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprint(w, `coordtui — a real ZooKeeper-compatible ensemble and a console to watch it work

  coordtui [--members N]             the console on an in-process ensemble
  coordtui attach HOST:PORT[,...]    the console on a live ensemble (coordtui or Apache ZooKeeper);
                                     --admin http://HOST:PORT adds coordtui's full view (raft, zxid log)
  coordtui --version                 print the version
  coordtui up [--members N]          an in-process ensemble; prints its connection string
                                     (--admin HOST:PORT [--faults] serves its admin API)
  coordtui server --id N --peers ... one member of an ensemble across processes or machines
  coordtui cli [-server ADDRS] [CMD] zkCli's commands, one-shot or interactive
  coordtui bench [--servers ADDRS]   a load generator for any ZooKeeper-protocol ensemble
  coordtui demo [NAME] [--headless]  list the classroom demos, or play one in the console (split-brain, ...)
  coordtui lesson [NAME] [--headless] list the course, or play a lesson in the console

Run a command with -h for its flags.
`)
}

func isHelpOrVersion(a string) bool {
	switch a {
	case "--version", "-version", "-h", "--help":
		return true
	}
	return false
}

// console opens the console on an embedded ensemble: `coordtui` alone.
func console(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flags("", stderr)
	members := fs.Int("members", 3, "number of members (1..7)")
	dir := fs.String("data", "", "keep the members' data here; default a temporary dir removed on exit")
	port := fs.Int("port", 0, "client port of member 1; members 2.. take the next ports (default: free ports)")
	theme := fs.String("theme", "default", "default, high-contrast (for projectors) or plain")
	if fs.Parse(args) != nil {
		return 2
	}
	opts := ui.Options{Members: *members, DataDir: *dir, Theme: *theme, Log: stderr}
	for i := 0; *port > 0 && i < *members; i++ {
		opts.ClientPorts = append(opts.ClientPorts, *port+i)
	}
	return runConsole(ctx, opts, stderr)
}

// attach opens the console on a live ensemble, coordtui or Apache ZooKeeper.
func attach(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flags("attach", stderr)
	write := fs.Bool("write", false, "allow writes to Apache ZooKeeper (destructive commands still ask); coordtui allows them unless --read-only")
	readOnly := fs.Bool("read-only", false, "no writes, even to coordtui")
	var auths stringList
	fs.Var(&auths, "auth", "digest credentials user:password (repeatable)")
	useTLS := fs.Bool("tls", false, "connect with TLS")
	ca := fs.String("tls-ca", "", "PEM bundle to trust instead of the system roots")
	cert := fs.String("tls-cert", "", "client certificate (PEM)")
	key := fs.String("tls-key", "", "client key (PEM)")
	insecure := fs.Bool("tls-insecure", false, "do not verify the server (a lab, never production)")
	theme := fs.String("theme", "default", "default, high-contrast or plain")
	var admins stringList
	fs.Var(&admins, "admin", "coordtui's admin API, http://HOST:PORT (repeatable, or comma-separated; :PORT means that port on every host): the full view")
	token := fs.String("token", "", "with --admin: the fault-control token (default $COORDTUI_ADMIN_TOKEN)")
	if fs.Parse(args) != nil {
		return 2
	}
	if *token == "" {
		*token = os.Getenv("COORDTUI_ADMIN_TOKEN") // read here, so -h never prints it
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: coordtui attach [flags] HOST:PORT[,HOST:PORT...][/chroot]")
		return 2
	}
	opts := ui.Options{Attach: fs.Arg(0), Write: *write && !*readOnly, ReadOnly: *readOnly, Auth: auths, Theme: *theme, Log: stderr, Admin: admins, Token: *token}
	if *useTLS {
		cfg, err := ui.TLSConfig(*ca, *cert, *key, *insecure)
		if err != nil {
			fmt.Fprintln(stderr, "coordtui attach:", err)
			return 2
		}
		opts.TLS = cfg
	}
	return runConsole(ctx, opts, stderr)
}

// demo lists the demos, or plays one: its narrated transcript is printed
// as it runs on a real in-process ensemble, and the exit status says
// whether its claim held (0), did not (1), or it could not run (2).
//
// On a terminal the demo plays in the console, by itself, with the
// narration beside the panes; --headless (or no terminal) prints it.
func demo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flags("demo", stderr)
	headless := fs.Bool("headless", false, "print the narrated transcript instead of opening the console")
	theme := fs.String("theme", "default", "default, high-contrast (for projectors) or plain")
	name, rest := splitName(args)
	if fs.Parse(rest) != nil {
		return 2
	}
	if name == "" {
		return exitCode(true, demos.List(stdout), stderr)
	}
	opts, err := playOptions(ui.Playable{Kind: "demo", Name: name}, *theme, stderr)
	if err != nil || *headless || !onTerminal() {
		ok, err := demos.Headless(ctx, name, stdout)
		return exitCode(ok, err, stderr)
	}
	return runConsole(ctx, opts, stderr)
}

// lesson lists the course, or plays a lesson in the console, where the
// learner does the exercises with the console's keys and command line.
// --plain (or no terminal) plays it in this terminal instead (exercises
// are done with coordtui cli or zkCli.sh against the connection string it
// prints); --headless lets the script's reference solution and answers
// stand in for the learner.
func lesson(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flags("lesson", stderr)
	headless := fs.Bool("headless", false, "play the reference solution and answers, print the transcript")
	plain := fs.Bool("plain", false, "play in this terminal, without the console")
	theme := fs.String("theme", "default", "default, high-contrast (for projectors) or plain")
	name, rest := splitName(args)
	if fs.Parse(rest) != nil {
		return 2
	}
	switch {
	case name == "":
		return exitCode(true, lessons.List(stdout), stderr)
	case *headless:
		ok, err := lessons.Headless(ctx, name, stdout)
		return exitCode(ok, err, stderr)
	}
	if opts, err := playOptions(ui.Playable{Kind: "lesson", Name: name}, *theme, stderr); err == nil && !*plain && onTerminal() {
		return runConsole(ctx, opts, stderr)
	}
	ok, err := lessons.Play(ctx, name, script.Config{}, stdin, stdout)
	return exitCode(ok, err, stderr)
}

// nextLesson says what comes after l, and opens it on .: the course's
// next lesson, or nothing when the course is done.
func nextLesson(l lessons.Lesson) (string, *ui.Playable) {
	course, err := lessons.Course()
	if err != nil {
		return "", nil
	}
	for i, c := range course {
		if c.Name == l.Name && i+1 < len(course) {
			n := course[i+1]
			return fmt.Sprintf("next: . opens lesson %d (%s) · q quits", n.Number, n.Name),
				&ui.Playable{Kind: "lesson", Number: n.Number, Name: n.Name, Title: n.Title}
		}
	}
	return "that was the last lesson of the course · :lesson lists them · q quits", nil
}

// splitName takes the first argument that is not a flag as a name, so
// both `demo NAME --headless` and `demo --headless NAME` work.
func splitName(args []string) (string, []string) {
	for i, a := range args {
		if !strings.HasPrefix(a, "-") {
			return a, append(append([]string(nil), args[:i]...), args[i+1:]...)
		}
	}
	return "", args
}

func exitCode(ok bool, err error, stderr io.Writer) int {
	switch {
	case err != nil:
		fmt.Fprintln(stderr, "coordtui:", err)
		return 2
	case !ok:
		return 1
	}
	return 0
}

// onTerminal reports whether stdin and stdout are a terminal the console
// can run on.
func onTerminal() bool { return term.IsTerminal(os.Stdin.Fd()) && term.IsTerminal(os.Stdout.Fd()) }

func runConsole(ctx context.Context, opts ui.Options, stderr io.Writer) int {
	if !onTerminal() {
		fmt.Fprintln(stderr, "coordtui: the console needs a terminal; for an ensemble without one run `coordtui up`")
		usage(stderr)
		return 2
	}
	for {
		var next *ui.Playable
		opts.Catalog = catalog()
		opts.Open = func(p ui.Playable) { next = &p }
		if err := ui.Run(ctx, opts); err != nil && !errors.Is(err, context.Canceled) {
			fmt.Fprintln(stderr, "coordtui:", err)
			return 1
		}
		if next == nil || ctx.Err() != nil {
			return 0
		}
		o, err := playOptions(*next, opts.Theme, stderr)
		if err != nil {
			fmt.Fprintln(stderr, "coordtui:", err)
			return 1
		}
		opts = o
	}
}

// catalog is every lesson and demo, for the console's :lesson and :demo.
func catalog() []ui.Playable {
	var out []ui.Playable
	if course, err := lessons.Course(); err == nil {
		for _, l := range course {
			out = append(out, ui.Playable{Kind: "lesson", Number: l.Number, Name: l.Name, Title: l.Title})
		}
	}
	if all, err := demos.All(); err == nil {
		for _, d := range all {
			out = append(out, ui.Playable{Kind: "demo", Name: d.Name, Title: d.Title})
		}
	}
	return out
}

// playOptions are the console's options for playing p.
func playOptions(p ui.Playable, theme string, stderr io.Writer) (ui.Options, error) {
	opts := ui.Options{Theme: theme, Log: stderr}
	switch p.Kind {
	case "lesson":
		l, err := lessons.Get(p.Name)
		if err != nil {
			return opts, err
		}
		after, next := nextLesson(l)
		opts.Script = &ui.Script{Kind: "lesson", Title: l.Title, After: after, Next: next,
			New: func(cfg script.Config) (*script.Runner, error) { return lessons.NewRunner(l.Name, cfg) }}
	case "demo":
		d, err := demos.Get(p.Name)
		if err != nil {
			return opts, err
		}
		opts.Script = &ui.Script{Kind: "demo", Title: d.Title, Auto: true,
			New: func(cfg script.Config) (*script.Runner, error) { return demos.NewRunner(d.Name, cfg) }}
	default:
		return opts, fmt.Errorf("cannot play a %q", p.Kind)
	}
	return opts, nil
}

type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// flags makes a flag set that reports to stderr and stops at errors.
func flags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("coordtui "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// up runs an in-process ensemble until SIGINT or SIGTERM. The first line on
// stdout is the connection string, printed once a leader serves.
func up(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flags("up", stderr)
	members := fs.Int("members", 3, "number of members (1..7)")
	dir := fs.String("data", "", "keep the members' data and raft log (coordtui.log) here; default a temporary dir")
	port := fs.Int("port", 0, "client port of member 1; members 2.. take the next ports (default: free ports)")
	adminAddr := fs.String("admin", "", "serve the whole ensemble's admin HTTP API (status, events, faults) on HOST:PORT")
	faults := fs.Bool("faults", false, "with --admin: allow fault control (cut links, crash members, expire sessions) to holders of the token")
	token := fs.String("token", "", "with --faults: the bearer token (default $COORDTUI_ADMIN_TOKEN, else a random one printed on stderr)")
	if fs.Parse(args) != nil {
		return 2
	}
	if *token == "" {
		*token = os.Getenv("COORDTUI_ADMIN_TOKEN") // read here, so -h never prints it
	}
	if *faults && *adminAddr == "" {
		fmt.Fprintln(stderr, "coordtui up: --faults needs --admin HOST:PORT")
		return 2
	}
	cfg := cluster.EnsembleConfig{Members: *members, Dir: *dir,
		Client: &cluster.ServerConfig{FourLetterWords: []string{"*"}, Version: version}}
	if *adminAddr != "" {
		// Events are published only for the admin API to stream; a deep
		// backlog lets an attached console resume after a reconnect.
		cfg.Events = event.NewBus(16384)
	}
	for i := 0; *port > 0 && i < *members; i++ {
		cfg.ClientPorts = append(cfg.ClientPorts, *port+i)
	}
	if *dir != "" {
		// Each run picks fresh peer ports, so old raft state cannot form a
		// quorum again: refuse it rather than hang.
		if _, err := os.Stat(filepath.Join(*dir, "n1")); err == nil {
			fmt.Fprintf(stderr, "coordtui up: %s already holds an ensemble; use a new dir (coordtui server keeps members across restarts)\n", *dir)
			return 1
		}
		logf, err := openLog(*dir)
		if err != nil {
			fmt.Fprintln(stderr, "coordtui up:", err)
			return 1
		}
		defer logf.Close()
		cfg.LogOutput = logf
	}
	e, err := cluster.NewEnsemble(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "coordtui up:", err)
		return 1
	}
	defer e.Close()
	wait, cancel := context.WithTimeout(ctx, 30*time.Second)
	_, err = e.WaitLeader(wait)
	cancel()
	if err != nil {
		fmt.Fprintln(stderr, "coordtui up: no leader:", err)
		return 1
	}
	if *adminAddr != "" {
		a, err := upAdmin(e, cfg.Events, *adminAddr, *faults, *token, stderr)
		if err != nil {
			fmt.Fprintln(stderr, "coordtui up: --admin:", err)
			return 1
		}
		defer a.Close()
	}
	fmt.Fprintln(stdout, e.ConnString())
	fmt.Fprintf(stderr, "coordtui up: %d members serving, data in %s; Ctrl+C stops them\n", *members, e.Dir())
	<-ctx.Done()
	return 0
}

// upAdmin serves the admin API for the whole in-process ensemble and says
// where on stderr, with the fault token when it made one up.
func upAdmin(e *cluster.Ensemble, bus *event.Bus, addr string, faults bool, token string, stderr io.Writer) (*admin.Server, error) {
	made := false
	if faults && token == "" {
		var err error
		if token, err = randomToken(); err != nil {
			return nil, err
		}
		made = true
	}
	a, err := admin.New(admin.Config{Addr: addr, Ensemble: e, Member: e.IDs()[0], Events: bus, Faults: faults, Token: token})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(stderr, "coordtui up: admin API on http://%s%s\n", a.Addr(), faultWords(faults, made, token))
	return a, nil
}

// randomToken makes up a fault-control token.
func randomToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// faultWords is what the admin API's line says about fault control: the
// token itself only when it was made up here (nobody else knows it).
func faultWords(faults, made bool, token string) string {
	switch {
	case made:
		return "; fault control on, token " + token
	case faults:
		return "; fault control on (token from --token or $COORDTUI_ADMIN_TOKEN)"
	}
	return ""
}

func openLog(dir string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return os.OpenFile(filepath.Join(dir, "coordtui.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
}

// server runs one member until SIGINT or SIGTERM.
func server(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flags("server", stderr)
	id := fs.Uint64("id", 0, "this member's id, one of --peers")
	peerList := fs.String("peers", "", "every member's raft address: 1=HOST:PORT,2=HOST:PORT,...")
	client := fs.String("client", "127.0.0.1:2181", "ZooKeeper client address to listen on")
	dir := fs.String("data", "", "data directory (raft log, snapshots, coordtui.log)")
	adminAddr := fs.String("admin", "", "serve the admin HTTP API (JSON commands, metrics, events) on HOST:PORT")
	faults := fs.Bool("faults", false, "with --admin: allow fault control of this member's links and client connections to holders of the token")
	token := fs.String("token", "", "with --faults: the bearer token (default $COORDTUI_ADMIN_TOKEN, else a random one printed on stderr)")
	tick := fs.Duration("tick", 2*time.Second, "ZooKeeper tickTime: session expiry granularity")
	minTO := fs.Duration("min-session-timeout", 0, "smallest session timeout granted (default 2 ticks)")
	maxTO := fs.Duration("max-session-timeout", 0, "largest session timeout granted (default 20 ticks, as in ZooKeeper)")
	snapThreshold := fs.Uint64("snapshot-threshold", 0, "raft log entries between snapshots (default 8192)")
	snapRetain := fs.Int("snapshot-retain", 0, "snapshots kept on disk (default 2)")
	trailing := fs.Uint64("trailing-logs", 0, "log entries kept behind a snapshot (default 10240)")
	timingName := fs.String("timing", "server", "raft timing: server (1s heartbeat) or fast (200ms)")
	words := fs.String("4lw", "srvr", "four-letter words answered, comma-separated; * for all")
	if fs.Parse(args) != nil {
		return 2
	}
	fail := func(err error) int { fmt.Fprintln(stderr, "coordtui server:", err); return 1 }
	if *token == "" {
		*token = os.Getenv("COORDTUI_ADMIN_TOKEN") // read here, so -h never prints it
	}
	if *faults && *adminAddr == "" {
		fmt.Fprintln(stderr, "coordtui server: --faults needs --admin HOST:PORT")
		return 2
	}
	peers, err := parsePeers(*peerList)
	if err != nil {
		return fail(err)
	}
	self := ""
	for _, p := range peers {
		if p.ID == *id {
			self = p.Addr
		}
	}
	switch {
	case self == "":
		return fail(fmt.Errorf("--id %d is not in --peers %q", *id, *peerList))
	case *dir == "":
		return fail(errors.New("--data is required"))
	}
	timing := cluster.ServerTiming
	switch *timingName {
	case "server":
	case "fast": // BENCHMARKS.md's fast profile
		timing.Name, timing.Heartbeat, timing.Election = "fast", 200*time.Millisecond, 200*time.Millisecond
		timing.LeaderLease, timing.Commit = 100*time.Millisecond, 5*time.Millisecond
	default:
		return fail(fmt.Errorf("--timing %q: want server or fast", *timingName))
	}
	if *snapThreshold > 0 {
		timing.SnapshotThreshold = *snapThreshold
	}
	if *snapRetain > 0 {
		timing.SnapshotRetain = *snapRetain
	}
	if *trailing > 0 {
		timing.TrailingLogs = *trailing
	}
	logf, err := openLog(*dir)
	if err != nil {
		return fail(err)
	}
	defer logf.Close()
	l, err := net.Listen("tcp", *client)
	if err != nil {
		return fail(err)
	}
	var bus *event.Bus // events are published only for an admin API to stream
	if *adminAddr != "" {
		// As deep as up's: raft RPCs share the ring with the changes, and an
		// attached console's zxid log starts with what the ring still holds.
		bus = event.NewBus(16384)
	}
	var (
		links   *faultnet.Links
		conns   *faultnet.Conns
		network cluster.Network
	)
	if *faults {
		// This member's own fault tables: the links that touch it (a cut
		// holds both ways; delay, loss and hold apply to what it sends) and
		// its client connections.
		links, conns = faultnet.NewLinks(bus, uint64(time.Now().UnixNano())), faultnet.NewConns(bus)
		for _, p := range peers {
			links.AddMember(string(cluster.ServerID(p.ID)))
		}
		network = cluster.StandaloneFaultNetwork(links)
		l = conns.WrapListener(l, string(cluster.ServerID(*id)))
	}
	node, err := cluster.StartNode(cluster.Config{ID: *id, Dir: *dir, Addr: self, Peers: peers, Bootstrap: true,
		Timing: timing, LogOutput: logf, Events: bus, Net: network,
		Sessions: cluster.SessionConfig{TickTime: *tick, MinTimeout: *minTO, MaxTimeout: *maxTO}})
	if err != nil {
		l.Close()
		return fail(err)
	}
	defer node.Close()
	srv := node.Serve(l, cluster.ServerConfig{FourLetterWords: strings.Split(*words, ","), Version: version})
	defer srv.Close()
	if *adminAddr != "" {
		made := false
		if *faults && *token == "" {
			if *token, err = randomToken(); err != nil {
				return fail(err)
			}
			made = true
		}
		a, err := admin.New(admin.Config{Addr: *adminAddr, Server: srv, Events: bus, Links: links, Conns: conns,
			Self: string(cluster.ServerID(*id)), Faults: *faults, Token: *token})
		if err != nil {
			return fail(fmt.Errorf("--admin: %w", err))
		}
		defer a.Close()
		fmt.Fprintf(stderr, "coordtui server: admin API on http://%s%s\n", a.Addr(), faultWords(*faults, made, *token))
	}
	fmt.Fprintf(logf, "%s coordtui %s member %d: client %s, peer %s, timing %s\n",
		time.Now().Format(time.RFC3339), version, *id, l.Addr(), self, timing.Name)
	fmt.Fprintf(stderr, "coordtui server: member %d serving clients on %s, peers on %s; log %s\n",
		*id, l.Addr(), self, filepath.Join(*dir, "coordtui.log"))
	<-ctx.Done()
	return 0
}

// parsePeers reads "1=host:port,2=host:port".
func parsePeers(s string) ([]cluster.Peer, error) {
	var peers []cluster.Peer
	for _, item := range strings.Split(s, ",") {
		idStr, addr, ok := strings.Cut(strings.TrimSpace(item), "=")
		id, err := strconv.ParseUint(idStr, 10, 8)
		if !ok || err != nil || id == 0 || addr == "" {
			return nil, fmt.Errorf("--peers: %q is not ID=HOST:PORT (ids 1..255)", item)
		}
		peers = append(peers, cluster.Peer{ID: id, Addr: addr})
	}
	return peers, nil
}

// cli runs zkCli's commands: the words after the flags as one command, or
// an interactive shell.
func cli(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flags("cli", stderr)
	srv := fs.String("server", "localhost:2181", "connection string host:port[,host:port...][/chroot]")
	output := fs.String("o", "text", "output: text (as zkCli.sh prints) or json")
	yes := fs.Bool("yes", false, "never ask before changing an ensemble that is not coordtui")
	timeout := fs.Duration("timeout", 30*time.Second, "session timeout asked for")
	if fs.Parse(args) != nil {
		return 2
	}
	if *output != "text" && *output != "json" {
		fmt.Fprintf(stderr, "coordtui cli: -o %q: want text or json\n", *output)
		return 2
	}
	cfg := zkcli.Config{Server: *srv, JSON: *output == "json", Yes: *yes, SessionTimeout: *timeout}
	if fs.NArg() == 0 {
		return shell.Run(ctx, cfg, stdin, stdout, stderr)
	}
	cfg.Confirm = shell.AskLine(stdin, stderr)
	sh := zkcli.New(cfg)
	defer sh.Close()
	conn, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	if err := sh.Connect(conn, ""); err != nil {
		fmt.Fprintln(stderr, "coordtui cli:", err)
		return 1
	}
	return sh.Run(ctx, fs.Args(), stdout, stderr)
}

// benchmark runs the load generator against --servers and, with --compare,
// the same workloads against a second ensemble.
func benchmark(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flags("bench", stderr)
	cfg := bench.Config{Log: stderr}
	fs.StringVar(&cfg.Servers, "servers", "127.0.0.1:2181", "connection string of the ensemble under test")
	compare := fs.String("compare", "", "connection string of a second ensemble to run the same workloads against")
	fs.IntVar(&cfg.Clients, "clients", 32, "sessions, spread over the servers")
	fs.DurationVar(&cfg.Duration, "duration", 10*time.Second, "measured time per workload")
	fs.DurationVar(&cfg.Warmup, "warmup", 5*time.Second, "time run first and discarded")
	fs.IntVar(&cfg.Size, "size", 100, "data bytes per write")
	workloads := fs.String("workload", "create,set,get,mix,watch", "workloads: create,set,get,mix,watch,memory")
	fs.IntVar(&cfg.Znodes, "znodes", 100000, "memory workload: znodes loaded")
	pids := fs.String("pid", "", "memory workload: local server pids to read /proc from, comma-separated")
	comparePids := fs.String("compare-pid", "", "the same for the --compare ensemble")
	output := fs.String("o", "text", "output: text or json")
	if fs.Parse(args) != nil {
		return 2
	}
	cfg.Workloads = strings.Split(*workloads, ",")
	var reports []*bench.Report
	for _, target := range [][2]string{{cfg.Servers, *pids}, {*compare, *comparePids}} {
		if target[0] == "" {
			continue
		}
		cfg.Servers, cfg.PIDs = target[0], nil
		for _, p := range strings.Split(target[1], ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(p)); err == nil {
				cfg.PIDs = append(cfg.PIDs, n)
			}
		}
		r, err := bench.Run(ctx, cfg)
		if err != nil {
			fmt.Fprintln(stderr, "coordtui bench:", err)
			return 1
		}
		reports = append(reports, r)
	}
	if *output == "json" {
		return exitOn(bench.WriteJSON(stdout, reports...), stderr)
	}
	return exitOn(bench.WriteText(stdout, reports...), stderr)
}

func exitOn(err error, stderr io.Writer) int {
	if err != nil {
		fmt.Fprintln(stderr, "coordtui:", err)
		return 1
	}
	return 0
}
