#!/usr/bin/env bash
# Start a local Docker engine (dockerd 26.1 from Debian trixie, embedded BuildKit
# 0.13, plus docker-buildx) on a Debian 12 bookworm machine, offline except for
# Debian's mirror. Idempotent: exits at once when `docker info` already answers.
# Also installs mmdebstrap (used by scripts/standins/make.sh).
#
# Environment (all optional):
#   MIGETPACKS_CACHE         cache root            (default /var/cache/migetpacks)
#   MIGETPACKS_DOCKER_ROOT   dockerd --data-root   (default /var/lib/migetpacks-docker)
#   MIGETPACKS_DOCKERD_LOG   dockerd log file      (default /var/log/migetpacks-dockerd.log)
#   MIGETPACKS_DOCKERD_ARGS  extra dockerd arguments (word-split)
#   MIGETPACKS_ENGINE_WAIT   seconds to wait for the engine (default 60)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
APT_LOG_TAG=engine
# shellcheck source=apt-trixie.sh
source "$HERE/apt-trixie.sh"
log() { echo "[engine] $*" >&2; }

CACHE=${MIGETPACKS_CACHE:-/var/cache/migetpacks}
DEBS=$CACHE/debs
DATA_ROOT=${MIGETPACKS_DOCKER_ROOT:-/var/lib/migetpacks-docker}
EXEC_ROOT=/var/run/migetpacks-docker
PIDFILE=/var/run/migetpacks-dockerd.pid
LOGFILE=${MIGETPACKS_DOCKERD_LOG:-/var/log/migetpacks-dockerd.log}
WAIT=${MIGETPACKS_ENGINE_WAIT:-60}
SOCK=/var/run/docker.sock

engine_answers() { timeout 10 docker -H "unix://$SOCK" info >/dev/null 2>&1; }

# Fast path: whatever engine the docker client is configured for already answers.
timeout 10 docker info >/dev/null 2>&1 && exit 0
[[ $(id -u) == 0 ]] || { log "must run as root"; exit 1; }

# One run at a time (CI may start several jobs on one machine).
mkdir -p "$CACHE"
exec 9>"$CACHE/.engine.lock"
flock -w 900 9 || { log "timed out waiting for $CACHE/.engine.lock"; exit 1; }
engine_answers && exit 0

# pkg_ok PKG [VERSION-PREFIX]: PKG is installed (with a version starting so).
pkg_ok() {
  local s
  s=$(dpkg-query -W -f '${db:Status-Status} ${Version}' "$1" 2>/dev/null) || return 1
  [[ $s == "installed ${2:-}"* ]]
}

install_packages() {
  local want=() debs=() fetch=() p
  pkg_ok docker.io 26. || fetch+=(docker.io)
  pkg_ok docker-buildx || fetch+=(docker-buildx)
  # trixie's docker.io has no client; take trixie's docker-cli if there is none.
  command -v docker >/dev/null || fetch+=(docker-cli)
  if ((${#fetch[@]})); then
    trixie_debs "$DEBS" "${fetch[@]}"
    for p in "${fetch[@]}"; do debs+=("$(ls -t "$DEBS/${p}"_*.deb | head -n1)"); done
    want+=(containerd runc tini iptables)
  fi
  pkg_ok mmdebstrap || want+=(mmdebstrap)
  ((${#debs[@]} + ${#want[@]} == 0)) && return 0
  for p in "${want[@]}"; do
    apt-cache show --no-all-versions "$p" >/dev/null 2>&1 && continue
    log "apt-get update (bookworm; no candidate for $p)"
    apt-get "${APT_SYSTEM_OPTS[@]}" update >"$CACHE/apt-update.log" 2>&1 \
      || { tail -n 20 "$CACHE/apt-update.log" >&2; log "apt-get update failed"; exit 1; }
    break
  done
  log "installing: ${debs[*]##*/} ${want[*]}"
  # --no-install-recommends: docker.io recommends dbus-user-session (-> systemd).
  apt-get "${APT_SYSTEM_OPTS[@]}" install --no-install-recommends "${debs[@]}" "${want[@]}" >"$CACHE/apt-install.log" 2>&1 \
    || { tail -n 30 "$CACHE/apt-install.log" >&2; log "apt-get install failed"; exit 1; }
  pkg_ok docker.io 26. || { log "docker.io 26.x is not installed after apt-get install"; exit 1; }
}

DOCKERD_PID=""
LOG_OFFSET=0
dockerd_running() { [[ -s $PIDFILE ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

start_dockerd() {
  if dockerd_running; then
    log "dockerd already running (pid $(cat "$PIDFILE")), waiting for it"
    return 0
  fi
  mkdir -p "$DATA_ROOT" "$EXEC_ROOT" "$(dirname "$LOGFILE")"
  LOG_OFFSET=$(stat -c %s "$LOGFILE" 2>/dev/null || echo 0)
  log "starting dockerd (data-root $DATA_ROOT, log $LOGFILE)"
  # shellcheck disable=SC2086
  setsid dockerd --data-root "$DATA_ROOT" --exec-root "$EXEC_ROOT" --pidfile "$PIDFILE" \
    -H "unix://$SOCK" ${MIGETPACKS_DOCKERD_ARGS:-} </dev/null >>"$LOGFILE" 2>&1 9>&- &
  DOCKERD_PID=$!
}

wait_engine() {
  local i why="within ${WAIT}s"
  for ((i = 0; i < WAIT * 2; i++)); do
    engine_answers && return 0
    if [[ -n $DOCKERD_PID ]] && ! kill -0 "$DOCKERD_PID" 2>/dev/null; then
      why="(dockerd exited)"; break
    fi
    sleep 0.5
  done
  log "engine failed to start $why; last 50 lines of this run in $LOGFILE:"
  tail -c +$((LOG_OFFSET + 1)) "$LOGFILE" 2>/dev/null | tail -n 50 >&2 || true
  log "engine failed to start"
  exit 1
}

install_packages
start_dockerd
wait_engine
docker buildx version >/dev/null 2>&1 || { log "docker buildx does not work"; docker buildx version >&2 || true; exit 1; }
log "engine up: dockerd $(docker -H "unix://$SOCK" version -f '{{.Server.Version}}'), $(docker buildx version | awk '{print "buildx " $2}')"
