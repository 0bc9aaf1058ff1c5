#!/usr/bin/env bash
# Regenerates the X.509 validation corpus: one chain per rule, signed under the test PKI of
# vectors/pki (root-ca -> intermediate-ca), with fixed validity 2025-01-01 .. 2049-12-31.
# cases.json beside this script lists each case and the reason validation must give.
set -euo pipefail
cd "$(dirname "$0")"
PKI=../pki
rm -rf out && mkdir -p out/db && touch out/db/index.txt && echo 3000 > out/db/serial
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
organizationName = optional
commonName = supplied
[ leaf ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:corpus.isotls.test
[ leaf_client_only ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:corpus.isotls.test
[ leaf_no_digital_signature ]
basicConstraints = critical, CA:false
keyUsage = critical, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:corpus.isotls.test
[ leaf_unknown_critical ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
subjectAltName = DNS:corpus.isotls.test
1.3.6.1.4.1.55555.1 = critical, DER:0500
[ not_ca ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyCertSign
[ ca_pathlen0 ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign
[ ca_any ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign
[ ca_no_keycertsign ]
basicConstraints = critical, CA:true
keyUsage = critical, cRLSign
[ ca_constrained ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign
nameConstraints = critical, permitted;DNS:allowed.test, excluded;DNS:bad.allowed.test, permitted;IP:10.0.0.0/255.0.0.0, permitted;email:allowed.test, permitted;dirName:nc_dir
[ nc_dir ]
O = isotls corpus
[ nc_ok ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
subjectAltName = DNS:www.allowed.test, IP:10.1.2.3, email:ops@allowed.test
[ nc_dns_outside ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
subjectAltName = DNS:www.other.test
[ nc_dns_excluded ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
subjectAltName = DNS:x.bad.allowed.test
[ nc_ip_outside ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
subjectAltName = DNS:www.allowed.test, IP:192.168.1.1
[ nc_email_outside ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
subjectAltName = DNS:www.allowed.test, email:ops@other.test
CNF
issue() { # issuer-cert issuer-key ext name keyargs [md]
  openssl genpkey $5 -out $4.key 2>/dev/null
  openssl req -new -key $4.key -subj "/O=isotls corpus/CN=$4" -out out/$4.csr
  openssl ca -batch -notext -config out/ca.cnf -cert $1 -keyfile $2 -extensions $3 -md ${6:-sha256} -in out/$4.csr -out $4.crt -startdate 20250101000000Z -enddate 20491231235959Z 2>/dev/null
}
EC="-algorithm EC -pkeyopt ec_paramgen_curve:P-256"
INT="$PKI/intermediate-ca.crt $PKI/intermediate-ca.key"
issue $INT leaf good-leaf "$EC"
issue $INT leaf_client_only client-only-leaf "$EC"
issue $INT leaf_no_digital_signature no-digital-signature-leaf "$EC"
issue $INT leaf_unknown_critical unknown-critical-leaf "$EC"
issue $INT leaf sha1-signed-leaf "$EC" sha1
issue $INT leaf rsa1024-leaf "-algorithm RSA -pkeyopt rsa_keygen_bits:1024"
issue $INT leaf p521-leaf "-algorithm EC -pkeyopt ec_paramgen_curve:P-521"
# an end-entity certificate (CA:false) used as an issuer
issue $INT not_ca not-a-ca "$EC"
issue not-a-ca.crt not-a-ca.key leaf under-not-a-ca-leaf "$EC"
# the intermediate has pathlen:0, so a CA below it may not issue
issue $INT ca_any sub-ca "$EC"
issue sub-ca.crt sub-ca.key leaf under-sub-ca-leaf "$EC"
# a long chain: root -> long-1 -> long-2 -> long-3 -> leaf (5 certificates with the anchor)
issue $PKI/root-ca.crt $PKI/root-ca.key ca_any long-1 "$EC"
issue long-1.crt long-1.key ca_any long-2 "$EC"
issue long-2.crt long-2.key ca_any long-3 "$EC"
issue long-3.crt long-3.key leaf long-leaf "$EC"
# name constraints: a CA limited to allowed.test (minus bad.allowed.test), 10/8, @allowed.test and O=isotls corpus
issue $PKI/root-ca.crt $PKI/root-ca.key ca_constrained nc-ca "$EC"
issue nc-ca.crt nc-ca.key nc_ok nc-ok-leaf "$EC"
issue nc-ca.crt nc-ca.key nc_dns_outside nc-dns-outside-leaf "$EC"
issue nc-ca.crt nc-ca.key nc_dns_excluded nc-dns-excluded-leaf "$EC"
issue nc-ca.crt nc-ca.key nc_ip_outside nc-ip-outside-leaf "$EC"
issue nc-ca.crt nc-ca.key nc_email_outside nc-email-outside-leaf "$EC"
# a subject outside the permitted directoryName
openssl genpkey $EC -out nc-dir-outside-leaf.key 2>/dev/null
openssl req -new -key nc-dir-outside-leaf.key -subj "/O=elsewhere/CN=nc-dir-outside-leaf" -out out/nc-dir.csr
openssl ca -batch -notext -config out/ca.cnf -cert nc-ca.crt -keyfile nc-ca.key -extensions nc_ok -in out/nc-dir.csr -out nc-dir-outside-leaf.crt -startdate 20250101000000Z -enddate 20491231235959Z 2>/dev/null

# path building: one CA key ("bridge") certified twice, by an untrusted root and by the trusted root; a third,
# expired certificate for the same key; the leaf below it. Presented untrusted-first, a validator without
# backtracking fails; with backtracking it finds root -> bridge.
openssl genpkey $EC -out untrusted-root.key 2>/dev/null
openssl req -new -key untrusted-root.key -subj "/O=isotls corpus/CN=untrusted-root" -out out/untrusted-root.csr
openssl ca -batch -notext -selfsign -config out/ca.cnf -keyfile untrusted-root.key -extensions ca_any -in out/untrusted-root.csr -out untrusted-root.crt -startdate 20250101000000Z -enddate 20491231235959Z 2>/dev/null
openssl genpkey $EC -out bridge.key 2>/dev/null
openssl req -new -key bridge.key -subj "/O=isotls corpus/CN=bridge" -out out/bridge.csr
openssl ca -batch -notext -config out/ca.cnf -cert untrusted-root.crt -keyfile untrusted-root.key -extensions ca_any -in out/bridge.csr -out bridge-by-untrusted.crt -startdate 20250101000000Z -enddate 20491231235959Z 2>/dev/null
openssl ca -batch -notext -config out/ca.cnf -cert $PKI/root-ca.crt -keyfile $PKI/root-ca.key -extensions ca_any -in out/bridge.csr -out bridge-expired.crt -startdate 20200101000000Z -enddate 20210101000000Z 2>/dev/null
openssl ca -batch -notext -config out/ca.cnf -cert $PKI/root-ca.crt -keyfile $PKI/root-ca.key -extensions ca_any -in out/bridge.csr -out bridge-by-root.crt -startdate 20250101000000Z -enddate 20491231235959Z 2>/dev/null
issue bridge-by-root.crt bridge.key leaf bridge-leaf "$EC"
# a loop: CA "loop-a" and CA "loop-b" certify each other; neither reaches a trusted root
openssl genpkey $EC -out loop-a.key 2>/dev/null; openssl genpkey $EC -out loop-b.key 2>/dev/null
openssl req -new -key loop-a.key -subj "/O=isotls corpus/CN=loop-a" -out out/loop-a.csr
openssl req -new -key loop-b.key -subj "/O=isotls corpus/CN=loop-b" -out out/loop-b.csr
openssl ca -batch -notext -selfsign -config out/ca.cnf -keyfile loop-a.key -extensions ca_any -in out/loop-a.csr -out out/loop-a-self.crt -startdate 20250101000000Z -enddate 20491231235959Z 2>/dev/null
openssl ca -batch -notext -config out/ca.cnf -cert out/loop-a-self.crt -keyfile loop-a.key -extensions ca_any -in out/loop-b.csr -out loop-b.crt -startdate 20250101000000Z -enddate 20491231235959Z 2>/dev/null
openssl ca -batch -notext -config out/ca.cnf -cert loop-b.crt -keyfile loop-b.key -extensions ca_any -in out/loop-a.csr -out loop-a.crt -startdate 20250101000000Z -enddate 20491231235959Z 2>/dev/null
issue loop-a.crt loop-a.key leaf loop-leaf "$EC"

# a CA whose keyUsage lacks keyCertSign
issue $PKI/root-ca.crt $PKI/root-ca.key ca_no_keycertsign no-keycertsign-ca "$EC"
issue no-keycertsign-ca.crt no-keycertsign-ca.key leaf under-no-keycertsign-leaf "$EC"
rm -f no-keycertsign-ca.key
# a leaf whose signature is damaged (last byte of the signature flipped)
node -e '
const fs = require("fs"), c = require("crypto");
const der = new c.X509Certificate(fs.readFileSync("good-leaf.crt")).raw;
der[der.length - 1] ^= 1;
fs.writeFileSync("bad-signature-leaf.crt", "-----BEGIN CERTIFICATE-----\n" + der.toString("base64").replace(/.{64}/g, "$&\n") + "\n-----END CERTIFICATE-----\n");'

# leaf keys stay (test keys only) so that the corpus can also be served in real handshakes
rm -f nc-ca.key sub-ca.key not-a-ca.key long-*.key bridge.key untrusted-root.key loop-*.key && rm -rf out
echo "x509 corpus regenerated in $(pwd)"
