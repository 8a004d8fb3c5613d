package faultproxy_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/cdpgraph/cdpgraph/internal/faultproxy"
)

// server is a target that echoes what it reads and records, per connection, everything it
// received before the connection ended.
type server struct {
	ln       net.Listener
	mu       sync.Mutex
	received [][]byte
	done     chan struct{} // one value per ended connection
}

func newServer(t *testing.T) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &server{ln: ln, done: make(chan struct{}, 100)}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				var got bytes.Buffer
				io.Copy(io.MultiWriter(c, &got), c)
				s.mu.Lock()
				s.received = append(s.received, got.Bytes())
				s.mu.Unlock()
				s.done <- struct{}{}
			}()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return s
}

func (s *server) waitEnded(t *testing.T, n int) [][]byte {
	t.Helper()
	for range n {
		select {
		case <-s.done:
		case <-time.After(5 * time.Second):
			t.Fatal("the server's side of the connection was not closed")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.received
}

func start(t *testing.T, target string) *faultproxy.Proxy {
	t.Helper()
	p, err := faultproxy.Start(target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func dial(t *testing.T, p *faultproxy.Proxy) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", p.Addr(), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// echo writes msg and expects it back.
func echo(t *testing.T, c net.Conn, msg string) {
	t.Helper()
	if _, err := c.Write([]byte(msg)); err != nil {
		t.Fatalf("write: %v", err)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, len(msg))
	if _, err := io.ReadFull(c, buf); err != nil {
		t.Fatalf("read echo of %q: %v", msg, err)
	}
	if string(buf) != msg {
		t.Fatalf("echo = %q, want %q", buf, msg)
	}
}

// closed expects the connection to end (EOF or a reset, not a timeout); an echo already
// on its way may still arrive first.
func closed(t *testing.T, c net.Conn) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err := io.Copy(io.Discard, c)
	var ne net.Error
	if (errors.As(err, &ne) && ne.Timeout()) || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("connection still open after cut: read %d bytes, err %v", n, err)
	}
}

func TestForwardsBothWays(t *testing.T) {
	s := newServer(t)
	p := start(t, s.ln.Addr().String())
	a, b := dial(t, p), dial(t, p)
	echo(t, a, "hello")
	echo(t, b, "world")
	echo(t, a, "again")
	if got := p.Forwarded(); got != int64(len("hello")+len("world")+len("again")) {
		t.Fatalf("Forwarded = %d, want 15", got)
	}
	if p.IsCut() || p.Cuts() != 0 {
		t.Fatalf("cut without being asked: IsCut %v, Cuts %d", p.IsCut(), p.Cuts())
	}
}

func TestCutClosesLiveConnectionsAndRefusesNewOnesUntilRestore(t *testing.T) {
	s := newServer(t)
	p := start(t, s.ln.Addr().String())
	a := dial(t, p)
	echo(t, a, "before")

	p.Cut()
	if !p.IsCut() || p.Cuts() != 1 {
		t.Fatalf("after Cut: IsCut %v, Cuts %d", p.IsCut(), p.Cuts())
	}
	closed(t, a)
	s.waitEnded(t, 1) // the server saw its connection end too
	b := dial(t, p)   // the listener still accepts (as a port with nobody behind would not)...
	closed(t, b)      // ...but the connection is closed at once

	p.Restore()
	if p.IsCut() {
		t.Fatal("still cut after Restore")
	}
	c := dial(t, p)
	echo(t, c, "after")
}

func TestCutAfterForwardsExactlyNBytes(t *testing.T) {
	s := newServer(t)
	p := start(t, s.ln.Addr().String())
	a := dial(t, p)
	echo(t, a, "0123456789") // 10 bytes before the budget starts

	p.CutAfter(7)
	echo(t, a, "abc") // 3 of 7
	if p.IsCut() {
		t.Fatal("cut before the budget ran out")
	}
	// 4 more bytes get through; the rest of this write is lost with the connection.
	a.Write([]byte("defghijk"))
	closed(t, a)
	got := s.waitEnded(t, 1)
	if string(got[0]) != "0123456789abcdefg" {
		t.Fatalf("server received %q, want the first 7 bytes after CutAfter and nothing more", got[0])
	}
	if !p.IsCut() || p.Cuts() != 1 || p.Forwarded() != 17 {
		t.Fatalf("IsCut %v, Cuts %d, Forwarded %d; want true, 1, 17", p.IsCut(), p.Cuts(), p.Forwarded())
	}
	closed(t, dial(t, p)) // stays cut until Restore

	p.Restore()
	echo(t, dial(t, p), "back")
}

func TestCutAfterCountsOverAllConnections(t *testing.T) {
	s := newServer(t)
	p := start(t, s.ln.Addr().String())
	a, b := dial(t, p), dial(t, p)
	p.CutAfter(5)
	echo(t, a, "aaa")
	b.Write([]byte("bbbb")) // the budget has 2 bytes left
	closed(t, b)
	closed(t, a) // a cut closes every connection, not only the one that ran out
	got := s.waitEnded(t, 2)
	var total int
	for _, r := range got {
		total += len(r)
	}
	if total != 5 {
		t.Fatalf("server received %q in all, want 5 bytes", got)
	}
}

func TestCutWhenDeliversTheRecognizedDataThenCuts(t *testing.T) {
	s := newServer(t)
	p := start(t, s.ln.Addr().String())
	a := dial(t, p)
	var seen []string
	p.CutWhen(func(data []byte) bool {
		seen = append(seen, string(data))
		return bytes.HasSuffix(data, []byte("COMMIT"))
	})
	echo(t, a, "BEGIN")
	a.Write([]byte("COMMIT"))
	closed(t, a) // the answer (here the echo) may or may not arrive; the connection ends
	got := s.waitEnded(t, 1)
	if string(got[0]) != "BEGINCOMMIT" {
		t.Fatalf("server received %q, want everything up to and including the recognized data", got[0])
	}
	if !p.IsCut() || p.Cuts() != 1 || len(seen) != 2 {
		t.Fatalf("IsCut %v, Cuts %d, f saw %q", p.IsCut(), p.Cuts(), seen)
	}
	p.Restore()
	echo(t, dial(t, p), "COMMIT") // Restore forgot the function
}

func TestRestoreCancelsPendingCutAfter(t *testing.T) {
	s := newServer(t)
	p := start(t, s.ln.Addr().String())
	p.CutAfter(4)
	p.Restore()
	echo(t, dial(t, p), "longer than four bytes")
	if p.IsCut() {
		t.Fatal("a CutAfter set before Restore still cut")
	}
}

func TestCloseEndsEverything(t *testing.T) {
	s := newServer(t)
	p, err := faultproxy.Start(s.ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	a := dial(t, p)
	echo(t, a, "x")
	done := make(chan error, 1)
	go func() { done <- p.Close() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
	closed(t, a)
	if _, err := net.DialTimeout("tcp", p.Addr(), time.Second); err == nil {
		t.Fatal("the proxy still accepts after Close")
	}
}
