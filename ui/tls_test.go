package ui

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// selfSigned writes a certificate and its key as PEM files.
func selfSigned(t *testing.T) (certFile, keyFile string) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "coordtui test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	return certFile, keyFile
}

func TestTLSConfig(t *testing.T) {
	cert, key := selfSigned(t)
	cfg, err := TLSConfig(cert, cert, key, false)
	if err != nil || cfg.RootCAs == nil || len(cfg.Certificates) != 1 || cfg.InsecureSkipVerify {
		t.Fatalf("%+v %v", cfg, err)
	}
	for _, bad := range [][3]string{
		{filepath.Join(t.TempDir(), "missing.pem"), "", ""},
		{key, "", ""}, // a key is not a certificate
		{"", cert, ""},
		{"", cert, cert},
	} {
		if _, err := TLSConfig(bad[0], bad[1], bad[2], false); err == nil {
			t.Errorf("TLSConfig%q: no error", bad)
		}
	}
	if cfg, err := TLSConfig("", "", "", true); err != nil || !cfg.InsecureSkipVerify || cfg.RootCAs != nil {
		t.Fatalf("insecure: %+v %v", cfg, err)
	}
}
