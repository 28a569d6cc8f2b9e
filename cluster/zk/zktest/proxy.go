package zktest

import (
	"net"
	"sync"
)

// Proxy forwards every TCP connection made to Addr to a target address, so
// a test can cut a client off its server: Cut closes every open connection,
// Block makes new ones fail until Unblock, Hold stops forwarding (in both
// directions, connections stay open) until Release. A recorder sees every
// byte in both directions as it arrives, held or not.
type Proxy struct {
	Addr   string
	target string
	ln     net.Listener

	mu      sync.Mutex
	links   map[int]*link
	nextID  int
	blocked bool
	closed  bool
	release chan struct{} // non-nil while held; closed by Release
	record  func(conn int, fromClient bool, b []byte)
	wg      sync.WaitGroup
}

type link struct {
	client, server net.Conn
	cut            chan struct{} // closed when the link is cut
}

// NewProxy listens on a free loopback port and forwards to target.
func NewProxy(target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{Addr: ln.Addr().String(), target: target, ln: ln, links: map[int]*link{}}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Record calls fn with every chunk forwarded, tagged with a per-connection
// number (in accept order, from 0) and its direction. fn runs on the
// forwarding goroutines, concurrently for different connections, in order
// within one direction of one connection.
func (p *Proxy) Record(fn func(conn int, fromClient bool, b []byte)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.record = fn
}

// Cut closes every open connection on both sides, as a failed network would
// look to the client (and to the server).
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for id, l := range p.links {
		l.client.Close()
		l.server.Close()
		close(l.cut)
		delete(p.links, id)
	}
}

// Hold stops forwarding: bytes are still read (and recorded) but not passed
// on until Release, as on a link that has gone silent.
func (p *Proxy) Hold() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.release == nil {
		p.release = make(chan struct{})
	}
}

// Release resumes forwarding, delivering what was held.
func (p *Proxy) Release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.release != nil {
		close(p.release)
		p.release = nil
	}
}

// Block makes the proxy close every new connection at once, so a client
// cannot reconnect through it, until Unblock.
func (p *Proxy) Block() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.blocked = true
}

// Unblock lets new connections through again.
func (p *Proxy) Unblock() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.blocked = false
}

// Conns returns the number of connections being forwarded.
func (p *Proxy) Conns() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.links)
}

// Close stops accepting, cuts every connection and waits for all of the
// proxy's goroutines.
func (p *Proxy) Close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.ln.Close()
	p.Cut()
	p.wg.Wait()
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		blocked := p.blocked
		p.mu.Unlock()
		if blocked {
			c.Close()
			continue
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			c.Close()
			s.Close()
			return
		}
		id := p.nextID
		p.nextID++
		l := &link{client: c, server: s, cut: make(chan struct{})}
		p.links[id] = l
		p.mu.Unlock()
		p.wg.Add(2)
		go p.pipe(id, l, c, s, true)
		go p.pipe(id, l, s, c, false)
	}
}

// pipe copies one direction; when it ends it closes both sides so the other
// direction ends too.
func (p *Proxy) pipe(id int, l *link, from, to net.Conn, fromClient bool) {
	defer p.wg.Done()
	buf := make([]byte, 32<<10)
	for {
		n, err := from.Read(buf)
		if n > 0 {
			p.mu.Lock()
			rec, held := p.record, p.release
			p.mu.Unlock()
			if rec != nil {
				rec(id, fromClient, append([]byte(nil), buf[:n]...))
			}
			if held != nil {
				select {
				case <-held:
				case <-l.cut:
				}
			}
			if _, werr := to.Write(buf[:n]); werr != nil {
				err = werr
			}
		}
		if err != nil {
			from.Close()
			to.Close()
			p.mu.Lock()
			if p.links[id] == l {
				close(l.cut)
				delete(p.links, id)
			}
			p.mu.Unlock()
			return
		}
	}
}
