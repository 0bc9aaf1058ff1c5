#!/usr/bin/env bash
# Regenerates the client-certificate (mTLS) test PKI: three client CAs (A, B, C) and client identities
# with RSA-2048, RSA-3072, RSA-4096, ECDSA P-256, ECDSA P-384, ECDSA P-521 and Ed25519 keys under CA A, one identity each under
# B and C (for identity selection), and every key in each format isotls reads:
#   *.pkcs8.pem, *.pkcs8.der, *.enc.pem (PBES2: PBKDF2-HMAC-SHA256 + AES-256-CBC),
#   *.enc-sha1.pem (PBKDF2-HMAC-SHA1 + AES-128-CBC), *.pkcs1.pem (RSA), *.sec1.pem (EC),
#   *.p12 (OpenSSL 3 defaults: PBES2/AES-256-CBC, HMAC-SHA256 MAC), *.legacy.p12 (3DES, SHA-1 MAC),
#   client-ecdsa-p256.rc2.p12 (RC2-40 certificates, `-legacy`)
# Passphrase for everything encrypted: isotls-test. Fixed validity 2025-01-01 .. 2049-12-31.
# ONLY=<name> bash generate.sh makes just that client identity with the existing CAs (how client-ecdsa-p521
# was added without regenerating the rest).
set -euo pipefail
cd "$(dirname "$0")"
PASS=isotls-test
# a single identity added later (ONLY) takes serials from 2100, so issuer + serial stays unique
rm -rf out && mkdir -p out/db && touch out/db/index.txt && if [ -n "${ONLY:-}" ]; then echo 2100; else echo 2000; fi > out/db/serial
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
[ any ]
commonName = supplied
organizationName = optional
[ v3_ca ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_client ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
sign() { openssl ca -batch -notext -config out/ca.cnf -cert "$1.crt" -keyfile "$1.key" -extensions "$2" -in "$3" -out "$4" -startdate 20250101000000Z -enddate 20491231235959Z 2>/dev/null; }
want() { [ -z "${ONLY:-}" ] || [ "$ONLY" = "$1" ]; }
[ -n "${ONLY:-}" ] || for ca in A B C; do
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out client-ca-$ca.key
  openssl req -new -key client-ca-$ca.key -subj "/O=isotls tests/CN=isotls Client CA $ca" -out out/ca-$ca.csr
  openssl ca -batch -notext -selfsign -config out/ca.cnf -keyfile client-ca-$ca.key -extensions v3_ca -in out/ca-$ca.csr -out client-ca-$ca.crt -startdate 20250101000000Z -enddate 20491231235959Z 2>/dev/null
done
client() { # name keygen-args ca
  local n=$1
  openssl genpkey $2 -out $n.pkcs8.pem 2>/dev/null
  openssl pkcs8 -topk8 -nocrypt -in $n.pkcs8.pem -outform DER -out $n.pkcs8.der
  openssl pkcs8 -topk8 -in $n.pkcs8.pem -v2 aes-256-cbc -v2prf hmacWithSHA256 -passout pass:$PASS -out $n.enc.pem
  openssl pkcs8 -topk8 -in $n.pkcs8.pem -v2 aes-128-cbc -v2prf hmacWithSHA1 -passout pass:$PASS -out $n.enc-sha1.pem
  openssl req -new -key $n.pkcs8.pem -subj "/O=isotls tests/CN=$n" -out out/$n.csr
  sign client-ca-$3 v3_client out/$n.csr $n.crt
  openssl pkcs12 -export -in $n.crt -inkey $n.pkcs8.pem -name $n -passout pass:$PASS -out $n.p12
  openssl pkcs12 -export -in $n.crt -inkey $n.pkcs8.pem -name $n -passout pass:$PASS -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1 -out $n.legacy.p12
}
# RC2-40 for the certificates (OpenSSL's legacy provider): a scheme isotls refuses with advice
rc2() { openssl pkcs12 -export -legacy -in $1.crt -inkey $1.pkcs8.pem -passout pass:$PASS -out $1.rc2.p12; }
want client-rsa2048 && client client-rsa2048 "-algorithm RSA -pkeyopt rsa_keygen_bits:2048" A
want client-rsa3072 && client client-rsa3072 "-algorithm RSA -pkeyopt rsa_keygen_bits:3072" A
want client-rsa4096 && client client-rsa4096 "-algorithm RSA -pkeyopt rsa_keygen_bits:4096" A
want client-ecdsa-p256 && client client-ecdsa-p256 "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" A
want client-ecdsa-p384 && client client-ecdsa-p384 "-algorithm EC -pkeyopt ec_paramgen_curve:P-384" A
want client-ecdsa-p521 && client client-ecdsa-p521 "-algorithm EC -pkeyopt ec_paramgen_curve:P-521" A
want client-ed25519 && client client-ed25519 "-algorithm ED25519" A
want client-ed448 && client client-ed448 "-algorithm ED448" A
want client-b && client client-b "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" B
want client-c && client client-c "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" C
for n in client-rsa2048 client-rsa3072 client-rsa4096; do want $n && openssl rsa -in $n.pkcs8.pem -traditional -out $n.pkcs1.pem 2>/dev/null; done
for n in client-ecdsa-p256 client-ecdsa-p384 client-ecdsa-p521; do want $n && openssl ec -in $n.pkcs8.pem -out $n.sec1.pem 2>/dev/null; done
want client-ecdsa-p256 && rc2 client-ecdsa-p256
rm -rf out
echo "client PKI regenerated in $(pwd)"
