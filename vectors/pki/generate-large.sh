#!/usr/bin/env bash
# A long chain whose TLS Certificate message is over 128 KiB: root → large-ca-1 → large-ca-2 → server-large,
# each of the three carrying a non-critical private extension of 60,000 bytes (each certificate stays under
# the parser's 64 KiB per-certificate limit; the message is about 180 KiB).
# Regenerate with: bash vectors/pki/generate-large.sh
set -euo pipefail
cd "$(dirname "$0")"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
blob="$(head -c 60000 /dev/zero | tr '\0' 'a' | od -An -tx1 -v | tr -d ' \n')"
ext() { # name basicConstraints keyUsage [more lines]
  { echo "basicConstraints = critical, $2"; echo "keyUsage = critical, $3"; echo "subjectKeyIdentifier = hash"; echo "authorityKeyIdentifier = keyid"
    shift 3; for l in "$@"; do echo "$l"; done; echo "1.3.6.1.4.1.55555.1 = ASN1:FORMAT:HEX,OCTETSTRING:$blob"; } > "$tmp/$1.cnf"
}
issue() { # name subject issuer serial extname
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"
  openssl req -new -key "$1.key" -subj "$2" -out "$tmp/$1.csr" 2>/dev/null
  openssl x509 -req -in "$tmp/$1.csr" -CA "$3.crt" -CAkey "$3.key" -set_serial "$4" -days 8000 -extfile "$tmp/$1.cnf" -sha256 -out "$1.crt" 2>/dev/null
}
ext large-ca-1 "CA:true, pathlen:1" "keyCertSign, cRLSign"
ext large-ca-2 "CA:true, pathlen:0" "keyCertSign, cRLSign"
ext server-large "CA:false" "digitalSignature" "extendedKeyUsage = serverAuth" "subjectAltName = DNS:localhost, DNS:isotls.test, IP:127.0.0.1"
issue large-ca-1 "/O=isotls tests/CN=isotls large CA 1" root-ca 0x4c4131
issue large-ca-2 "/O=isotls tests/CN=isotls large CA 2" large-ca-1 0x4c4132
issue server-large "/O=isotls tests/CN=isotls large certificate" large-ca-2 0x4c4c
cat server-large.crt large-ca-2.crt large-ca-1.crt > server-large.chain.pem
rm -f large-ca-1.key large-ca-2.key
