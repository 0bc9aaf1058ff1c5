// Command isotls-go-peer is a TLS server built on Go's crypto/tls (standard
// library only) for isotls's interop tests. It listens on 127.0.0.1 only,
// prints {"port":N} once listening, then for every connection prints one JSON
// line describing what the handshake negotiated (as the server saw it) and
// echoes application data until the client closes. It exits when its
// standard input closes, so a test that dies cannot leave it behind.
// With -http it serves net/http instead of echoing (HTTP/2 by ALPN, and HTTP/1.1).
package main

import (
	"bufio"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
)

var versions = map[string]uint16{"1.2": tls.VersionTLS12, "1.3": tls.VersionTLS13}

// report is what the server saw, one line per connection.
type report struct {
	Event          string   `json:"event"`
	Error          string   `json:"error,omitempty"`
	Version        string   `json:"version,omitempty"`
	CipherSuite    string   `json:"cipherSuite,omitempty"`
	Curve          string   `json:"curve,omitempty"`
	DidResume      bool     `json:"didResume"`
	ALPN           string   `json:"alpn,omitempty"`
	ServerName     string   `json:"serverName,omitempty"`
	PeerSubjects   []string `json:"peerSubjects,omitempty"`
	VerifiedChains int      `json:"verifiedChains"`
	ECHAccepted    bool     `json:"echAccepted"`
}

// echConfig serializes one ECHConfig (draft-ietf-tls-esni / RFC 9849 §4, version 0xfe0d) for an X25519
// key with HKDF-SHA256 and AES-128-GCM, config id 7.
func echConfig(pub []byte, publicName string) []byte {
	var c []byte
	c = append(c, 7)          // config_id
	c = append(c, 0x00, 0x20) // kem_id: DHKEM(X25519, HKDF-SHA256)
	c = append(c, byte(len(pub)>>8), byte(len(pub)))
	c = append(c, pub...)
	c = append(c, 0x00, 0x04, 0x00, 0x01, 0x00, 0x01) // cipher_suites: HKDF-SHA256 + AES-128-GCM
	c = append(c, 0)                                  // maximum_name_length
	c = append(c, byte(len(publicName)))
	c = append(c, publicName...)
	c = append(c, 0x00, 0x00) // extensions
	return append([]byte{0xfe, 0x0d, byte(len(c) >> 8), byte(len(c))}, c...)
}

var out = struct {
	sync.Mutex
	w *bufio.Writer
}{w: bufio.NewWriter(os.Stdout)}

func emit(v any) {
	b, _ := json.Marshal(v)
	out.Lock()
	defer out.Unlock()
	out.w.Write(append(b, '\n'))
	out.w.Flush()
}

// parseList maps comma-separated names through all; an unknown name is fatal.
func parseList[T any](names string, all map[string]T, what string) []T {
	if names == "" {
		return nil
	}
	var out []T
	for _, n := range strings.Split(names, ",") {
		v, ok := all[n]
		if !ok {
			log.Fatalf("unknown %s %q", what, n)
		}
		out = append(out, v)
	}
	return out
}

func suiteIDs(names string) []uint16 {
	all := map[string]uint16{}
	for _, s := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		all[s.Name] = s.ID
	}
	return parseList(names, all, "cipher suite")
}

func curveIDs(names string) []tls.CurveID {
	all := map[string]tls.CurveID{"X25519": tls.X25519, "P256": tls.CurveP256, "P384": tls.CurveP384, "P521": tls.CurveP521, "X25519MLKEM768": tls.X25519MLKEM768}
	return parseList(names, all, "curve")
}

func main() {
	certFile := flag.String("cert", "", "certificate chain (PEM)")
	keyFile := flag.String("key", "", "private key (PEM)")
	minVersion := flag.String("min", "1.2", "lowest version: 1.2 or 1.3")
	maxVersion := flag.String("max", "1.3", "highest version: 1.2 or 1.3")
	ciphers := flag.String("ciphers", "", "TLS 1.2 suites (Go names, comma-separated); TLS 1.3 suites are not configurable in Go")
	curves := flag.String("curves", "", "curve preferences (X25519, P256, P384, P521, X25519MLKEM768)")
	clientAuth := flag.String("client-auth", "none", "none, request or require")
	clientCA := flag.String("client-ca", "", "CA certificate for client certificates (PEM)")
	noTickets := flag.Bool("no-tickets", false, "disable session tickets")
	alpn := flag.String("alpn", "", "ALPN protocols, comma-separated")
	serveHTTP := flag.Bool("http", false, "serve net/http (h2 and http/1.1 by ALPN): /echo answers JSON about the request, /bytes?n=N sends N pattern bytes")
	echPublicName := flag.String("ech-public-name", "", "enable Encrypted Client Hello with a fresh X25519 key and this public name; the ECHConfigList is printed with the port")
	flag.Parse()

	cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
	if err != nil {
		log.Fatal(err)
	}
	cfg := &tls.Config{
		Certificates:           []tls.Certificate{cert},
		MinVersion:             versions[*minVersion],
		MaxVersion:             versions[*maxVersion],
		CipherSuites:           suiteIDs(*ciphers),
		CurvePreferences:       curveIDs(*curves),
		SessionTicketsDisabled: *noTickets,
	}
	if *alpn != "" {
		cfg.NextProtos = strings.Split(*alpn, ",")
	}
	switch *clientAuth {
	case "request":
		cfg.ClientAuth = tls.VerifyClientCertIfGiven
	case "require":
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	if *clientCA != "" {
		pem, err := os.ReadFile(*clientCA)
		if err != nil {
			log.Fatal(err)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		cfg.ClientCAs = pool
	}

	var echList []byte
	if *echPublicName != "" {
		key, err := ecdh.X25519().GenerateKey(rand.Reader)
		if err != nil {
			log.Fatal(err)
		}
		one := echConfig(key.PublicKey().Bytes(), *echPublicName)
		cfg.EncryptedClientHelloKeys = []tls.EncryptedClientHelloKey{{Config: one, PrivateKey: key.Bytes(), SendAsRetry: true}}
		echList = append([]byte{byte(len(one) >> 8), byte(len(one))}, one...)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	emit(map[string]any{"port": ln.Addr().(*net.TCPAddr).Port, "echConfigList": base64.StdEncoding.EncodeToString(echList)})
	go func() {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	if *serveHTTP {
		var protocols http.Protocols
		protocols.SetHTTP1(true)
		protocols.SetHTTP2(true)
		srv := &http.Server{TLSConfig: cfg, Handler: http.HandlerFunc(httpHandler), Protocols: &protocols}
		log.Fatal(srv.ServeTLS(ln, "", ""))
	}
	for {
		c, err := ln.Accept()
		if err != nil {
			log.Fatal(err)
		}
		go serve(tls.Server(c, cfg))
	}
}

func serve(conn *tls.Conn) {
	defer conn.Close()
	if err := conn.Handshake(); err != nil {
		emit(report{Event: "handshake_failed", Error: err.Error()})
		return
	}
	st := conn.ConnectionState()
	r := report{
		Event: "handshake", Version: tls.VersionName(st.Version), CipherSuite: tls.CipherSuiteName(st.CipherSuite),
		Curve: st.CurveID.String(), DidResume: st.DidResume, ALPN: st.NegotiatedProtocol, ServerName: st.ServerName,
		VerifiedChains: len(st.VerifiedChains), ECHAccepted: st.ECHAccepted,
	}
	for _, c := range st.PeerCertificates {
		r.PeerSubjects = append(r.PeerSubjects, c.Subject.CommonName)
	}
	emit(r)
	if _, err := io.Copy(conn, conn); err != nil {
		fmt.Fprintln(os.Stderr, "echo:", err)
	}
}

// pattern is the test body byte at offset i (the same function as the TypeScript tests use).
func pattern(i int) byte { return byte((i*7 + (i >> 9)) & 0xff) }

func httpHandler(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/bytes":
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		w.Header().Set("content-length", strconv.Itoa(n))
		buf := make([]byte, 64*1024)
		for off := 0; off < n; off += len(buf) {
			m := min(len(buf), n-off)
			for i := 0; i < m; i++ {
				buf[i] = pattern(off + i)
			}
			if _, err := w.Write(buf[:m]); err != nil {
				return
			}
		}
	default:
		h := sha256.New()
		length, _ := io.Copy(h, r.Body)
		cn := ""
		if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
			cn = r.TLS.PeerCertificates[0].Subject.CommonName
		}
		w.Header().Set("content-type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"proto": r.Proto, "method": r.Method, "path": r.URL.RequestURI(), "cn": cn, "length": length, "sha256": hex.EncodeToString(h.Sum(nil)), "remote": r.RemoteAddr})
	}
}
