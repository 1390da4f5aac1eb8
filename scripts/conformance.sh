#!/usr/bin/env bash
# Reproduce the W3C SPARQL conformance run of `kg serve` (offline; results in docs/conformance.md).
#   scripts/conformance.sh [OUT_DIR]
# Needs the harness at $CONFORMANCE_SRC (default ../shared/conformance beside the repo); it is copied to
# $CONFORMANCE_DIR (default /tmp/conformance) and set up there once (npm + pip registries only).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="${CONFORMANCE_SRC:-$ROOT/../shared/conformance}"
WORK="${CONFORMANCE_DIR:-/tmp/conformance}"
OUT="${1:-$ROOT/results/conformance-$(date +%Y%m%d-%H%M%S)}"
ALL=protocol,service-description,query11,query10,query-syntax,results-json,results-csv-tsv
ALL=$ALL,conneg-xml-results,conneg-tsv-results,conneg-turtle,conneg-rdfxml,conneg-jsonld,clients
ALL=$ALL,update11
SUITES="${SUITES:-$ALL}"

if [ ! -d "$WORK/node_modules" ]; then
  rm -rf "$WORK"
  cp -r "$SRC" "$WORK"
  chmod -R u+w "$WORK"
  (cd "$WORK" && ./setup.sh)
fi
"$ROOT/.venv/bin/pip" install -q -e "$ROOT"

# The partner endpoint of the client checks, on a port known in advance so that the endpoint's
# SERVICE allowlist can name it (the harness would otherwise start one on a random port).
PORT="$("$ROOT/.venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
STORE="$(mktemp -d)"
"$ROOT/.venv/bin/oxigraph" load --location "$STORE" --file "$WORK/data/clients-b.ttl" >/dev/null 2>&1
"$ROOT/.venv/bin/oxigraph" serve-read-only --location "$STORE" --bind "127.0.0.1:$PORT" >/dev/null 2>&1 &
PARTNER=$!
trap 'kill "$PARTNER" 2>/dev/null || true; rm -rf "$STORE"' EXIT
export KG_SERVICE_ALLOWLIST="[\"http://127.0.0.1:$PORT/query\"]"

# Each test dataset gets its own scratch server: --writable (only allowed with --data) lets the
# protocol, update and client tests load and change data by SPARQL Update, in memory only.
"$WORK/run_harness.sh" 'http://127.0.0.1:{port}/sparql' \
  --server-cmd "exec $ROOT/.venv/bin/kg serve --data {data} --port {port} --writable" \
  --second-endpoint "http://127.0.0.1:$PORT/query" \
  --suites "$SUITES" --label kg --out "$OUT"
echo "results: $OUT/summary.md"
