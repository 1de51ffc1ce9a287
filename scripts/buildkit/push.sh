#!/usr/bin/env bash
# Push images from the Docker engine's store to the local registry that
# scripts/buildkit/up.sh starts, under the path a Docker Hub mirror serves:
#   golang:1.22                  -> 127.0.0.1:5000/library/golang:1.22
#   miget/migetpacks-frontend:x  -> 127.0.0.1:5000/miget/migetpacks-frontend:x
# so buildkitd (mirror of docker.io) finds base images and the frontend image.
# Only Docker Hub names are accepted. The registry-qualified tag is removed from
# the engine again after the push (the engine is shared).
# Usage: scripts/buildkit/push.sh IMAGE...
set -euo pipefail
REGISTRY=${REGISTRY:-127.0.0.1:5000}
log() { echo "[buildkit] $*" >&2; }
(($#)) || { echo "usage: $0 IMAGE..." >&2; exit 2; }

for img in "$@"; do
  name=${img#docker.io/}
  first=${name%%/*}
  if [[ $name == */* && ($first == *.* || $first == *:* || $first == localhost) ]]; then
    log "$img is not a Docker Hub image; only those are mirrored"; exit 2
  fi
  [[ $name == */* ]] || name=library/$name
  [[ ${name##*/} == *:* || $name == *@* ]] || name=$name:latest
  docker image inspect "$img" >/dev/null 2>&1 || { log "$img is not in the engine's image store"; exit 1; }
  target=$REGISTRY/$name
  docker tag "$img" "$target"
  out=$(docker push --quiet "$target" 2>&1) || { docker rmi "$target" >/dev/null 2>&1 || true; log "docker push $target failed: $out"; exit 1; }
  docker rmi "$target" >/dev/null 2>&1 || true
  log "pushed $img -> $target"
done
