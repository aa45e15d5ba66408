#!/usr/bin/env bash
# Usage: make-test-ca.sh DIR [NAME]
# Makes a throwaway test CA (DIR/ca.crt, ca.key) and a localhost / 127.0.0.1 server certificate it signed
# (DIR/server.crt, server.key), P-256, valid 30 days. The one recipe for every TLS server of the test suite:
# test/support/rgw.sh (the RGW gateway) and test/support/test-tls.ts (small HTTPS servers of the proxy and
# trust-store tests), so both speak the shapes a real deployment does (CA with pathlen 0, serverAuth, SANs).
set -euo pipefail
(($# >= 1 && $# <= 2)) || { echo "usage: $0 DIR [NAME]" >&2; exit 2; }
d=$1
name=${2:-$(date -u +%Y%m%dT%H%M%SZ) $RANDOM}
mkdir -p "$d" && chmod 700 "$d"
cat >"$d/openssl.cnf" <<'EOF'
[req]
distinguished_name = dn
prompt = no
[dn]
[ca_ext]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
EOF
cd "$d"
umask 077
ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -config openssl.cnf)
openssl req -x509 -new "${ec[@]}" -days 30 -extensions ca_ext \
  -subj "/O=OBS Sync tests/CN=OBS Sync test CA $name" -keyout ca.key -out ca.crt
openssl req -new "${ec[@]}" -subj "/O=OBS Sync tests/CN=localhost" -keyout server.key -out server.csr
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -set_serial "0x$(openssl rand -hex 16)" \
  -days 30 -sha256 -extfile openssl.cnf -extensions server_ext -out server.crt
openssl verify -CAfile ca.crt -purpose sslserver server.crt
chmod 644 ca.crt server.crt
