package zk

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// tlsTerminator accepts TLS on loopback and forwards the plaintext to
// target, standing in for a ZooKeeper secureClientPort.
func tlsTerminator(t *testing.T, target string) (addr string, roots *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	mustOK(t, err, "key")
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "zk test"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	mustOK(t, err, "certificate")
	cert, err := x509.ParseCertificate(der)
	mustOK(t, err, "parse certificate")
	roots = x509.NewCertPool()
	roots.AddCert(cert)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
	})
	mustOK(t, err, "listen")
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			mu.Lock()
			conns = append(conns, c, s)
			mu.Unlock()
			wg.Add(2)
			go func() { defer wg.Done(); io.Copy(s, c); s.Close() }()
			go func() { defer wg.Done(); io.Copy(c, s); c.Close() }()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String(), roots
}

func TestTLS(t *testing.T) {
	addr, roots := tlsTerminator(t, apacheAddr(t))
	ctx := testCtx(t)
	c := connect(t, addr, WithTLS(&tls.Config{RootCAs: roots}))
	root := testRoot(t, c)
	_, err := c.Create(ctx, root+"/x", []byte("over tls"), WorldACL(PermAll), ModePersistent)
	mustOK(t, err, "create over TLS")
	if data, _, err := c.Get(ctx, root+"/x"); err != nil || string(data) != "over tls" {
		t.Fatalf("get over TLS: %q %v", data, err)
	}

	// An untrusted server never gets a session.
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	_, err = Connect(short, addr, WithTLS(&tls.Config{RootCAs: x509.NewCertPool()}))
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("connect to an untrusted server: %v", err)
	}
}
