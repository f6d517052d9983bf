#!/usr/bin/env bash
# A Docker-compatible container engine (Podman's API service) and a loopback image registry, for machines and CI
# runners without Docker. Recipe: ../shared/notes/container-engine.md.
#
#   scripts/container-engine.sh install   apt packages (podman, runc, busybox-static, docker-registry); root
#   scripts/container-engine.sh start     configure and start both; prints the DOCKER_HOST to export
#   scripts/container-engine.sh stop      stop both
#   scripts/container-engine.sh status    exit 0 when the engine answers
#   scripts/container-engine.sh platforms registers QEMU for linux/arm64 in binfmt_misc (qemu-user-static,
#                                         binfmt-support) and puts a static arm64 busybox at
#                                         /usr/local/lib/garden/busybox-arm64 (the multi-platform tests' base); root
#   scripts/container-engine.sh pytest-image
#                                         makes localhost/garden-pytest:bookworm (Debian's python3 + pytest, from
#                                         Debian's packages with mmdebstrap: no Docker Hub needed), the toolchain
#                                         image for sandboxed pytest suites (GARDEN_TEST_IMAGE_PYTHON)
#
# Environment: GARDEN_ENGINE_SOCKET (default /run/garden-podman.sock), GARDEN_REGISTRY_ADDR (127.0.0.1:5000),
# GARDEN_ENGINE_STATE (default /tmp/garden-engine: logs, pids, registry data).
set -euo pipefail

SOCKET="${GARDEN_ENGINE_SOCKET:-/run/garden-podman.sock}"
REGISTRY_ADDR="${GARDEN_REGISTRY_ADDR:-127.0.0.1:5000}"
STATE="${GARDEN_ENGINE_STATE:-/tmp/garden-engine}"
REGISTRY_PORT="${REGISTRY_ADDR##*:}"

log() { echo "container-engine: $*" >&2; }

install() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq podman runc busybox-static docker-registry mmdebstrap skopeo >/dev/null
}

PYTEST_IMAGE=localhost/garden-pytest:bookworm
ARM64_BUSYBOX=/usr/local/lib/garden/busybox-arm64

platforms() {
  export DEBIAN_FRONTEND=noninteractive
  if [ ! -e /usr/bin/qemu-aarch64-static ]; then
    apt-get update -qq
    apt-get install -y -qq qemu-user-static binfmt-support >/dev/null
  fi
  [ -e /proc/sys/fs/binfmt_misc/register ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
  [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || update-binfmts --enable qemu-aarch64
  grep -qx enabled /proc/sys/fs/binfmt_misc/qemu-aarch64 || { log "qemu-aarch64 is not enabled in binfmt_misc"; exit 1; }
  if [ ! -x "$ARM64_BUSYBOX" ]; then
    dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
    apt-get update -qq
    local work
    work="$(mktemp -d)"
    (cd "$work" && apt-get download -qq busybox-static:arm64 2>/dev/null && dpkg-deb -x busybox-static_*_arm64.deb bb)
    command install -D -m 0755 "$work/bb/bin/busybox" "$ARM64_BUSYBOX" # not this script's install()
    rm -rf "$work"
  fi
  log "linux/arm64 builds by emulation (qemu-aarch64); arm64 busybox at $ARM64_BUSYBOX"
}

pytest_image() {
  if podman image exists "$PYTEST_IMAGE"; then
    log "$PYTEST_IMAGE is there"
    return 0
  fi
  command -v mmdebstrap >/dev/null || { log "mmdebstrap is not installed (run: $0 install)"; exit 1; }
  local tar
  tar="$(mktemp -d)/base.tar"
  log "making $PYTEST_IMAGE from Debian's packages (about half a minute)"
  mmdebstrap --quiet --variant=minbase --include=python3,python3-pytest bookworm "$tar" >/dev/null
  podman import --quiet "$tar" "$PYTEST_IMAGE" >/dev/null
  rm -rf "$(dirname "$tar")"
  log "$PYTEST_IMAGE made"
}

configure() {
  mkdir -p /etc/containers "$STATE/registry"
  # runc + cgroupfs: crun refuses hybrid cgroups here; lower default ulimits: podman's exceed the hard limits;
  # host networking: no slirp/CNI needed.
  cat > /etc/containers/containers.conf <<CONF
[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
netns = "host"
[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
CONF
  if ! grep -q "location = \"localhost:${REGISTRY_PORT}\"" /etc/containers/registries.conf 2>/dev/null; then
    cat >> /etc/containers/registries.conf <<CONF

[[registry]]
location = "localhost:${REGISTRY_PORT}"
insecure = true

[[registry]]
location = "127.0.0.1:${REGISTRY_PORT}"
insecure = true
CONF
  fi
  cat > "$STATE/registry.yml" <<CONF
version: 0.1
storage:
  filesystem:
    rootdirectory: $STATE/registry
http:
  addr: $REGISTRY_ADDR
CONF
}

status() {
  curl -sf --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1
}

start() {
  command -v podman >/dev/null || { log "podman is not installed (run: $0 install)"; exit 1; }
  configure
  if ! status; then
    rm -f "$SOCKET"
    # Builds need chroot isolation on these machines. The service starts in / : its container monitors (conmon)
    # inherit its working directory and fail every start ("write child: broken pipe") once that folder is
    # deleted, as a CI checkout is.
    (cd / && BUILDAH_ISOLATION=chroot exec nohup podman system service --time=0 "unix://$SOCKET") \
      >"$STATE/podman.log" 2>&1 &
    echo $! > "$STATE/podman.pid"
  fi
  if ! curl -sf "http://$REGISTRY_ADDR/v2/" >/dev/null 2>&1; then
    nohup docker-registry serve "$STATE/registry.yml" >"$STATE/registry.log" 2>&1 &
    echo $! > "$STATE/registry.pid"
  fi
  for _ in $(seq 1 60); do
    if status && curl -sf "http://$REGISTRY_ADDR/v2/" >/dev/null 2>&1; then
      log "engine at unix://$SOCKET, registry at $REGISTRY_ADDR"
      echo "export DOCKER_HOST=unix://$SOCKET GARDEN_IMAGE_REGISTRY=localhost:${REGISTRY_PORT}"
      return 0
    fi
    sleep 0.5
  done
  log "did not come up; logs:"; tail -20 "$STATE/podman.log" "$STATE/registry.log" >&2 || true
  exit 1
}

stop() {
  for name in podman registry; do
    if [ -f "$STATE/$name.pid" ]; then
      kill "$(cat "$STATE/$name.pid")" 2>/dev/null || true
      rm -f "$STATE/$name.pid"
    fi
  done
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  pytest-image) pytest_image ;;
  platforms) platforms ;;
  *) echo "usage: $0 install|start|stop|status|pytest-image|platforms" >&2; exit 2 ;;
esac
