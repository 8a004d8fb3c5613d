// Package faultproxy is a TCP proxy for tests that make a dependency (Neo4j) go away and
// come back without stopping it: Cut drops every live connection and refuses new ones,
// Restore lets traffic through again, CutAfter cuts once a given number of bytes has gone
// from clients to the server, so a test can interrupt work at a chosen point, even in the
// middle of a message, and CutWhen cuts right after data the test recognizes has been
// delivered (a commit whose answer is then lost).
package faultproxy

import (
	"errors"
	"net"
	"sync"
	"time"
)

// Proxy forwards connections from a local address to a target address.
type Proxy struct {
	ln     net.Listener
	target string

	mu        sync.Mutex
	conns     map[*link]struct{}
	cut       bool
	cuts      int   // how many times traffic was cut
	budget    int64 // bytes client→server still allowed before cutting; <0: unlimited
	when      func([]byte) bool
	forwarded int64 // bytes forwarded client→server since Start
	closed    bool
	wg        sync.WaitGroup
}

// link is one proxied connection: the client's side and the server's side.
type link struct {
	client, server net.Conn
	once           sync.Once
}

func (l *link) close() {
	l.once.Do(func() {
		l.client.Close()
		l.server.Close()
	})
}

// Start listens on 127.0.0.1 on a free port and forwards every connection to target
// (host:port).
func Start(target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{ln: ln, target: target, conns: map[*link]struct{}{}, budget: -1}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr is the proxy's listening address, host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Cut closes every live connection and closes new ones as soon as they are accepted,
// as if the server had gone away, until Restore.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cutLocked()
}

func (p *Proxy) cutLocked() {
	if !p.cut {
		p.cuts++
	}
	p.cut = true
	p.budget, p.when = -1, nil
	for l := range p.conns {
		l.close()
		delete(p.conns, l)
	}
}

// Restore lets connections through again and forgets any pending CutAfter or CutWhen.
func (p *Proxy) Restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = false
	p.budget, p.when = -1, nil
}

// CutAfter cuts (as Cut does) once n more bytes have been forwarded from clients to the
// server, counted over all connections from now. The n-th byte is the last one the server
// gets, so a message may arrive half written. n <= 0 cuts at once.
func (p *Proxy) CutAfter(n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n <= 0 {
		p.cutLocked()
		return
	}
	p.budget = n
}

// CutWhen calls f with each piece of data read from a client, in order over all
// connections (one call at a time), and cuts right after forwarding the piece for which f
// returns true: the server gets it, its answer never arrives.
func (p *Proxy) CutWhen(f func(data []byte) bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.when = f
}

// IsCut reports whether traffic is cut now.
func (p *Proxy) IsCut() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cut
}

// Cuts returns how many times traffic has been cut (by Cut or by a CutAfter running out).
func (p *Proxy) Cuts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cuts
}

// Forwarded returns the bytes forwarded from clients to the server since Start.
func (p *Proxy) Forwarded() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.forwarded
}

// Close stops listening, closes every connection and waits for the proxy's goroutines.
func (p *Proxy) Close() error {
	p.mu.Lock()
	p.closed = true
	for l := range p.conns {
		l.close()
		delete(p.conns, l)
	}
	p.mu.Unlock()
	err := p.ln.Close()
	p.wg.Wait()
	return err
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			time.Sleep(10 * time.Millisecond) // a transient accept error (too many files)
			continue
		}
		p.mu.Lock()
		refuse := p.cut || p.closed
		p.mu.Unlock()
		if refuse {
			c.Close()
			continue
		}
		p.wg.Add(1)
		go p.serve(c)
	}
}

func (p *Proxy) serve(client net.Conn) {
	defer p.wg.Done()
	server, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		client.Close()
		return
	}
	l := &link{client: client, server: server}
	p.mu.Lock()
	if p.cut || p.closed { // cut while dialling
		p.mu.Unlock()
		l.close()
		return
	}
	p.conns[l] = struct{}{}
	p.mu.Unlock()

	p.wg.Add(1)
	go func() { // server → client, unmetered
		defer p.wg.Done()
		buf := make([]byte, 32<<10)
		for {
			n, err := server.Read(buf)
			if n > 0 {
				if _, werr := client.Write(buf[:n]); werr != nil {
					break
				}
			}
			if err != nil {
				break
			}
		}
		p.drop(l)
	}()
	buf := make([]byte, 32<<10) // client → server, metered
	for {
		n, err := client.Read(buf)
		if n > 0 {
			allowed, cutNow := p.take(buf[:n])
			if allowed > 0 {
				if _, werr := server.Write(buf[:allowed]); werr != nil {
					break
				}
			}
			if cutNow {
				p.Cut()
				break
			}
			if allowed < int64(n) { // cut meanwhile: the rest is lost with the connection
				break
			}
		}
		if err != nil {
			break
		}
	}
	p.drop(l)
}

// take reserves data, read from a client, against the client→server budget. It returns
// how many bytes may be forwarded and whether to cut after writing them (the budget ran
// out, or CutWhen's function recognized the data).
func (p *Proxy) take(data []byte) (allowed int64, cutNow bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cut || p.closed {
		return 0, false
	}
	allowed = int64(len(data))
	if p.budget >= 0 {
		allowed = min(allowed, p.budget)
		p.budget -= allowed
		cutNow = p.budget == 0
	}
	p.forwarded += allowed
	if !cutNow && p.when != nil {
		cutNow = p.when(data)
	}
	if cutNow {
		// Nothing more may pass, even from other connections, until the cut lands.
		p.cut = true
		p.cuts++
	}
	return allowed, cutNow
}

func (p *Proxy) drop(l *link) {
	l.close()
	p.mu.Lock()
	delete(p.conns, l)
	p.mu.Unlock()
}
