#!/usr/bin/env bash
# Makes a development TLS pair for `ocular serve` in .deps/devcert/ (git-ignored):
#   ca.pem / ca.key          a self-signed development CA (trust it with NODE_EXTRA_CA_CERTS,
#                            curl --cacert, ...; never install it system-wide on a shared machine)
#   server.pem / server.key  a server certificate for localhost, 127.0.0.1 and ::1, signed by it
#   api-keys                 two random development API keys (one per line; mode 600)
# `build/ocular serve` falls back to these when no certificate or key is configured.
# Idempotent: kept while the server certificate is valid for 30 more days. ECDSA P-256 keys.
# Use: build/ocular serve --tls-cert .deps/devcert/server.pem --tls-key .deps/devcert/server.key
set -euo pipefail
cd "${OCULAR_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
DIR=.deps/devcert
mkdir -p "$DIR"
if [ ! -s "$DIR/api-keys" ]; then
  (umask 077; { echo "# development API keys (Ocp-Apim-Subscription-Key); made by setup"; \
    openssl rand -hex 16; openssl rand -hex 16; } > "$DIR/api-keys")
  echo "    development API keys written to $DIR/api-keys"
fi
if [ -f "$DIR/server.pem" ] && [ -f "$DIR/server.key" ] && [ -f "$DIR/ca.pem" ] &&
   openssl x509 -checkend $((30 * 24 * 3600)) -noout -in "$DIR/server.pem" >/dev/null 2>&1; then
  echo "    development certificate present ($DIR)"
  exit 0
fi
mkdir -p "$DIR"
chmod 700 "$DIR"
umask 077
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
openssl ecparam -name prime256v1 -genkey -noout -out "$DIR/ca.key"
openssl req -x509 -new -key "$DIR/ca.key" -sha256 -days 825 -subj "/CN=Ocular development CA" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$DIR/ca.pem"
openssl ecparam -name prime256v1 -genkey -noout -out "$DIR/server.key"
openssl req -new -key "$DIR/server.key" -subj "/CN=localhost" -out "$tmp/server.csr"
cat > "$tmp/ext.cnf" <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
EXT
openssl x509 -req -in "$tmp/server.csr" -CA "$DIR/ca.pem" -CAkey "$DIR/ca.key" \
  -CAcreateserial -CAserial "$tmp/ca.srl" -days 397 -sha256 -extfile "$tmp/ext.cnf" \
  -out "$DIR/server.pem" 2>/dev/null
chmod 644 "$DIR/ca.pem" "$DIR/server.pem"
openssl verify -CAfile "$DIR/ca.pem" "$DIR/server.pem" >/dev/null
echo "    development CA and server certificate written to $DIR (valid 397 days)"
