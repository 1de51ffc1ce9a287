#!/usr/bin/env bash
# Start a standalone BuildKit (buildkitd + buildctl, current release) next to the
# Docker engine, plus a local registry on 127.0.0.1:5000 that buildkitd uses as
# the plain-HTTP mirror of Docker Hub. Offline except for the package registries
# (Go module proxy for BuildKit's sources, Debian for `docker-registry`).
# Idempotent and cheap on reruns: binaries are cached, a running registry or
# buildkitd is reused as it runs (stop it to change its config). Run as root.
# Prints one line on stdout, at the end, of shell assignments consumers may
# eval: BUILDCTL=... BUILDKIT_HOST=... REGISTRY=... BUILDKITD_LOG=...
#
# Environment (all optional):
#   MIGETPACKS_CACHE                cache root (default /var/cache/migetpacks)
#   MIGETPACKS_BUILDKIT_VERSION     BuildKit release (default v0.26.3)
#   MIGETPACKS_BUILDKIT_ROOT        buildkitd --root (default /var/lib/migetpacks-buildkit)
#   MIGETPACKS_BUILDKIT_SOCK        buildkitd socket (default /run/migetpacks-buildkit/buildkitd.sock)
#   MIGETPACKS_BUILDKIT_LOG         buildkitd log (default /var/log/migetpacks-buildkitd.log)
#   MIGETPACKS_BUILDKIT_SNAPSHOTTER overlayfs | native | auto (default auto: overlayfs when the kernel allows it)
#   MIGETPACKS_REGISTRY_ROOT        registry storage (default /var/lib/migetpacks-registry)
#   MIGETPACKS_BUILDKIT_WAIT        seconds to wait for each daemon (default 60)
set -euo pipefail

log() { echo "[buildkit] $*" >&2; }
die() { log "$*"; exit 1; }

CACHE=${MIGETPACKS_CACHE:-/var/cache/migetpacks}
VERSION=${MIGETPACKS_BUILDKIT_VERSION:-v0.26.3}
BIN=$CACHE/buildkit/$VERSION/bin
ROOT=${MIGETPACKS_BUILDKIT_ROOT:-/var/lib/migetpacks-buildkit}
SOCK=${MIGETPACKS_BUILDKIT_SOCK:-/run/migetpacks-buildkit/buildkitd.sock}
LOGFILE=${MIGETPACKS_BUILDKIT_LOG:-/var/log/migetpacks-buildkitd.log}
SNAPSHOTTER=${MIGETPACKS_BUILDKIT_SNAPSHOTTER:-auto}
REG_ROOT=${MIGETPACKS_REGISTRY_ROOT:-/var/lib/migetpacks-registry}
REG_LOG=/var/log/migetpacks-registry.log
REGISTRY=127.0.0.1:5000
WAIT=${MIGETPACKS_BUILDKIT_WAIT:-60}
PIDFILE=/run/migetpacks-buildkitd.pid
REG_PIDFILE=/run/migetpacks-registry.pid
CONF_DIR=$CACHE/buildkit/conf
GO=${GO:-/usr/local/go/bin/go}

buildctl_ok() { [[ -x $BIN/buildctl ]] && timeout 10 "$BIN/buildctl" --addr "unix://$SOCK" debug workers >/dev/null 2>&1; }
registry_ok() { curl -fsS -m 5 "http://$REGISTRY/v2/" >/dev/null 2>&1; }
done_msg() {
  log "ready: buildkitd $VERSION on unix://$SOCK ($(snapshotter_in_use)), registry $REGISTRY"
  echo "BUILDCTL=$BIN/buildctl BUILDKIT_HOST=unix://$SOCK REGISTRY=$REGISTRY BUILDKITD_LOG=$LOGFILE"
}
snapshotter_in_use() {
  "$BIN/buildctl" --addr "unix://$SOCK" debug workers --format '{{range .}}{{index .Labels "org.mobyproject.buildkit.worker.snapshotter"}}{{end}}' 2>/dev/null || echo "?"
}

# Fast path: everything answers already.
if buildctl_ok && registry_ok; then done_msg; exit 0; fi
[[ $(id -u) == 0 ]] || die "must run as root (it installs packages and starts daemons)"
mkdir -p "$CACHE/buildkit"
exec 9>"$CACHE/buildkit/.up.lock"
flock -w 900 9 || die "timed out waiting for $CACHE/buildkit/.up.lock"

# 1. buildkitd + buildctl, built once from the Go module proxy and cached.
# `go install ...@version` refuses BuildKit's module (its go.mod has exclude
# directives), so download the module and build inside it instead.
install_binaries() {
  [[ -x $BIN/buildkitd && -x $BIN/buildctl ]] && return 0
  [[ -x $GO ]] || die "Go is needed to build BuildKit: $GO not found"
  export GOMODCACHE=$CACHE/buildkit/gomod GOCACHE=$CACHE/buildkit/gocache CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=mod
  local json dir tmp=$BIN.tmp.$$ t0=$SECONDS
  log "building buildkitd and buildctl $VERSION from the Go module proxy (once; ~25 s with a warm Go cache, ~10 min cold on 2 busy cores)"
  json=$("$GO" mod download -json "github.com/moby/buildkit@$VERSION" 2>&1) || die "go mod download github.com/moby/buildkit@$VERSION failed: $json"
  dir=$(sed -n 's/^\t"Dir": "\(.*\)",$/\1/p' <<<"$json")
  [[ -n $dir && -d $dir ]] || die "go mod download github.com/moby/buildkit@$VERSION gave no module folder: $json"
  mkdir -p "$tmp"
  (cd "$dir" && "$GO" build -trimpath -ldflags "-X github.com/moby/buildkit/version.Version=$VERSION" -o "$tmp/" ./cmd/buildkitd ./cmd/buildctl) \
    || die "go build of buildkitd/buildctl $VERSION failed (see above)"
  rm -rf "$BIN" && mv "$tmp" "$BIN"
  log "built $("$BIN/buildkitd" --version) in $((SECONDS - t0))s"
}

# 2. A local registry (Debian's docker-registry) on 127.0.0.1:5000, no auth.
start_registry() {
  registry_ok && return 0
  if ! command -v docker-registry >/dev/null; then
    log "installing docker-registry (Debian)"
    DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=600 install --no-install-recommends docker-registry >"$CACHE/buildkit/apt.log" 2>&1 \
      || { tail -n 20 "$CACHE/buildkit/apt.log" >&2; die "apt-get install docker-registry failed"; }
  fi
  mkdir -p "$CONF_DIR" "$REG_ROOT"
  cat >"$CONF_DIR/registry.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $REG_ROOT
  delete:
    enabled: true
http:
  addr: $REGISTRY
EOF
  log "starting docker-registry on $REGISTRY (storage $REG_ROOT, log $REG_LOG)"
  setsid docker-registry serve "$CONF_DIR/registry.yml" </dev/null >>"$REG_LOG" 2>&1 9>&- &
  echo $! >"$REG_PIDFILE"
  local i
  for ((i = 0; i < WAIT * 4; i++)); do
    registry_ok && return 0
    kill -0 "$(cat "$REG_PIDFILE")" 2>/dev/null || break
    sleep 0.25
  done
  tail -n 20 "$REG_LOG" >&2 || true
  die "docker-registry did not answer on http://$REGISTRY/v2/"
}

# 3. buildkitd, OCI worker (runc), own root and socket; Docker Hub is mirrored
# by the local registry, which is plain HTTP.
start_buildkitd() {
  buildctl_ok && return 0
  command -v runc >/dev/null || die "runc not found (it comes with the Docker engine: npm run engine)"
  mkdir -p "$CONF_DIR" "$ROOT" "$(dirname "$SOCK")" "$(dirname "$LOGFILE")"
  cat >"$CONF_DIR/buildkitd.toml" <<EOF
root = "$ROOT"
[grpc]
  address = ["unix://$SOCK"]
[worker.oci]
  enabled = true
  snapshotter = "$SNAPSHOTTER"
  gc = true
  reservedSpace = "2GB"
  maxUsedSpace = "20GB"
[worker.containerd]
  enabled = false
[registry."docker.io"]
  mirrors = ["$REGISTRY"]
[registry."$REGISTRY"]
  http = true
EOF
  if [[ -s $PIDFILE ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    log "buildkitd already running (pid $(cat "$PIDFILE")), waiting for it"
  else
    local offset
    offset=$(stat -c %s "$LOGFILE" 2>/dev/null || echo 0)
    log "starting buildkitd (root $ROOT, snapshotter $SNAPSHOTTER, log $LOGFILE)"
    setsid "$BIN/buildkitd" --config "$CONF_DIR/buildkitd.toml" </dev/null >>"$LOGFILE" 2>&1 9>&- &
    echo $! >"$PIDFILE"
  fi
  local i
  for ((i = 0; i < WAIT * 2; i++)); do
    buildctl_ok && return 0
    kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { log "buildkitd exited"; break; }
    sleep 0.5
  done
  log "last 40 lines of $LOGFILE:"
  tail -n 40 "$LOGFILE" >&2 || true
  die "buildkitd did not answer on unix://$SOCK"
}

install_binaries
start_registry
start_buildkitd
done_msg
