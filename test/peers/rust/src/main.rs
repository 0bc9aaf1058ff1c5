//! A rustls echo server on 127.0.0.1 for isotls's interop tests.
//! Usage: isotls-rust-peer <chain.pem> <key.pem>
//! Prints {"port":N} on its first line, then serves connections (TLS 1.3 and 1.2), echoing bytes,
//! until its stdin closes. rustls (feature "zlib") sends its certificate as a zlib CompressedCertificate
//! (RFC 8879) to clients that offer it.
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&args[1]).expect("chain").map(|c| c.expect("certificate")).collect();
    let key = PrivateKeyDer::from_pem_file(&args[2]).expect("key");
    let config = Arc::new(
        rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
            .expect("versions")
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .expect("certificate and key"),
    );
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    println!("{{\"port\":{}}}", listener.local_addr().unwrap().port());
    std::io::stdout().flush().unwrap();
    // stop when the test closes our stdin
    std::thread::spawn(|| { let mut b = [0u8; 1]; while std::io::stdin().read(&mut b).map(|n| n > 0).unwrap_or(false) {} std::process::exit(0); });
    for stream in listener.incoming() {
        let Ok(mut tcp) = stream else { continue };
        let config = config.clone();
        std::thread::spawn(move || {
            let Ok(mut conn) = rustls::ServerConnection::new(config) else { return };
            let mut tls = rustls::Stream::new(&mut conn, &mut tcp);
            let mut buf = [0u8; 16384];
            loop {
                match tls.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => { if tls.write_all(&buf[..n]).is_err() { break; } }
                }
            }
            tls.conn.send_close_notify();
            let _ = tls.flush();
        });
    }
}
