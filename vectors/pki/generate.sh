#!/usr/bin/env bash
# Regenerates the test PKI used by the demo and the interop tests.
# Fixed validity dates (2025-01-01 .. 2049-12-31) so the committed files stay
# valid; the expired leaf has dates in the past on purpose.
#   root-ca (RSA-2048, self-signed) -> intermediate-ca (ECDSA P-256) -> server-{rsa,rsapss,ecdsa,ed25519,ed448,expired}
#   other-root-ca (ECDSA P-256, not trusted by the tests) -> other-server
set -euo pipefail
cd "$(dirname "$0")"
rm -rf out && mkdir -p out/db
touch out/db/index.txt
echo 1000 > out/db/serial

START=20250101000000Z
END=20491231235959Z

cat > out/ca.cnf <<'CNF'
[ ca ]
default_ca = testca
[ testca ]
database = out/db/index.txt
serial = out/db/serial
new_certs_dir = out/db
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
organizationName = optional
[ v3_ca ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_intermediate ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_server ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:localhost, DNS:isotls.test, DNS:*.isotls.test, IP:127.0.0.1, IP:::1
CNF

sign() { # issuer-name ext csr out start end
  openssl ca -batch -notext -config out/ca.cnf -cert "$1.crt" -keyfile "$1.key" -extensions "$2" \
    -in "$3" -out "$4" -startdate "$5" -enddate "$6" 2>/dev/null
}

# roots (self-signed through `openssl ca -selfsign`, so the dates are fixed too)
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out root-ca.key 2>/dev/null
openssl req -new -key root-ca.key -subj "/O=isotls tests/CN=isotls Test Root CA" -out out/root-ca.csr
openssl ca -batch -notext -selfsign -config out/ca.cnf -keyfile root-ca.key -extensions v3_ca \
  -in out/root-ca.csr -out root-ca.crt -startdate $START -enddate $END 2>/dev/null

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out other-root-ca.key
openssl req -new -key other-root-ca.key -subj "/O=isotls tests/CN=isotls Untrusted Root CA" -out out/other-root-ca.csr
openssl ca -batch -notext -selfsign -config out/ca.cnf -keyfile other-root-ca.key -extensions v3_ca \
  -in out/other-root-ca.csr -out other-root-ca.crt -startdate $START -enddate $END 2>/dev/null

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out intermediate-ca.key
openssl req -new -key intermediate-ca.key -subj "/O=isotls tests/CN=isotls Test Intermediate CA" -out out/intermediate-ca.csr
sign root-ca v3_intermediate out/intermediate-ca.csr intermediate-ca.crt $START $END

leaf() { # name keyalg-args issuer start end
  local name=$1 issuer=$3
  openssl genpkey $2 -out "$name.key" 2>/dev/null
  openssl req -new -key "$name.key" -subj "/O=isotls tests/CN=isotls.test" -out "out/$name.csr"
  sign "$issuer" v3_server "out/$name.csr" "$name.crt" "$4" "$5"
  cat "$name.crt" "$issuer.crt" > "$name.chain.pem"
}
leaf server-rsa "-algorithm RSA -pkeyopt rsa_keygen_bits:2048" intermediate-ca $START $END
leaf server-ecdsa "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" intermediate-ca $START $END
leaf server-ed25519 "-algorithm ED25519" intermediate-ca $START $END
leaf server-ed448 "-algorithm ED448" intermediate-ca $START $END
leaf server-rsapss "-algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048" intermediate-ca $START $END
leaf server-expired "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" intermediate-ca 20200101000000Z 20210101000000Z
leaf other-server "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" other-root-ca $START $END

# DHE parameters for TLS 1.2 servers: RFC 7919 ffdhe2048 and RFC 3526 group 14 (explicit p, g)
openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out ffdhe2048.pem
openssl genpkey -genparam -algorithm DH -pkeyopt group:modp_2048 -out modp2048.pem

rm -rf out
echo "PKI regenerated in $(pwd)"
