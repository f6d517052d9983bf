#!/usr/bin/env bash
# Sets up this offline Kamiwaza extension registry package (written by garden build-registry).
#
#   ./package-setup.sh                 check the registry, write kamiwaza-registry.env
#   ./package-setup.sh --load-images   also load the image archives in garden/*/docker-images/ (docker load)
#   ./package-setup.sh --serve [PORT]  then serve the package over HTTPS (serve-registry.py; default port 58888)
#
# Nothing is asked when there is no terminal; every choice is a flag.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LOAD_IMAGES=0
SERVE=0
PORT=58888

while [ $# -gt 0 ]; do
  case "$1" in
    --load-images) LOAD_IMAGES=1 ;;
    --serve) SERVE=1; if [ $# -gt 1 ] && [[ "$2" =~ ^[0-9]+$ ]]; then PORT="$2"; shift; fi ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "package-setup: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

ok() { echo "✓ $*"; }
warn() { echo "⚠ $*"; }
fail() { echo "✗ $*" >&2; exit 1; }

# The layout this package carries: garden/v2 (current) or garden/default (v1).
LAYOUT=""
for dir in "$ROOT"/garden/*/; do
  if [ -f "$dir/apps.json" ] && [ -f "$dir/tools.json" ]; then LAYOUT="$(basename "$dir")"; break; fi
done
[ -n "$LAYOUT" ] || fail "no garden/*/apps.json and tools.json under $ROOT: this is not a complete registry package"

count() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$1"
  elif command -v jq >/dev/null 2>&1; then
    jq length "$1"
  else
    echo "(not counted: no python3 or jq)"
  fi
}

echo "Kamiwaza extension registry package at $ROOT (garden/$LAYOUT)"
ok "$(count "$ROOT/garden/$LAYOUT/apps.json") apps and services in apps.json"
ok "$(count "$ROOT/garden/$LAYOUT/tools.json") tools in tools.json"

IMAGES="$ROOT/garden/$LAYOUT/docker-images"
shopt -s nullglob
archives=("$IMAGES"/*.tar)
if [ ${#archives[@]} -eq 0 ]; then
  warn "no image archives in garden/$LAYOUT/docker-images: platforms pull images from their registry"
elif [ "$LOAD_IMAGES" = 1 ]; then
  command -v docker >/dev/null 2>&1 || fail "docker is not installed: it is needed to load the image archives"
  docker info >/dev/null 2>&1 || fail "the Docker daemon does not answer; start it and run this again"
  loaded=0
  for archive in "${archives[@]}"; do
    docker load -i "$archive" >/dev/null || fail "docker load failed for $(basename "$archive")"
    loaded=$((loaded + 1))
  done
  ok "$loaded image archives loaded"
else
  warn "${#archives[@]} image archives not loaded (run again with --load-images)"
fi

# The environment a Kamiwaza platform reads to use this registry; from the template beside this script.
ENV_FILE="$ROOT/kamiwaza-registry.env"
sed -e "s|@PACKAGE_ROOT@|$ROOT|g" -e "s|@LAYOUT@|$LAYOUT|g" "$ROOT/kamiwaza-registry.env.template" > "$ENV_FILE.tmp"
mv "$ENV_FILE.tmp" "$ENV_FILE"
ok "wrote kamiwaza-registry.env (source it: . $ENV_FILE)"

if [ "$SERVE" = 1 ]; then
  command -v python3 >/dev/null 2>&1 || fail "python3 is needed to serve the registry"
  if [ ! -f "$ROOT/.certs/server.pem" ] || [ ! -f "$ROOT/.certs/server.key" ]; then
    command -v openssl >/dev/null 2>&1 || fail "openssl is needed to make a certificate (or serve with --http)"
    mkdir -p "$ROOT/.certs"
    openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=localhost" \
      -keyout "$ROOT/.certs/server.key" -out "$ROOT/.certs/server.pem" >/dev/null 2>&1
    chmod 600 "$ROOT/.certs/server.key"
    ok "made a self-signed certificate in .certs/"
  fi
  exec python3 "$ROOT/serve-registry.py" --port "$PORT"
fi
