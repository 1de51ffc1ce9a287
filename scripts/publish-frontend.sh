#!/usr/bin/env bash
# Publishes the frontend image: the image scripts/frontend-image.sh builds
# (same Dockerfile.frontend, same bundle), built by a standalone BuildKit
# (scripts/buildkit/up.sh) and pushed with every layer zstd-compressed. A
# gateway frontend is pulled by every fresh builder, so its compressed size is
# paid on every cold CI build: zstd stores it in 38 MB where `docker push`'s
# gzip takes 47 MB, and it also unpacks faster. Every BuildKit since v0.10
# (Docker Engine 23+) pulls zstd layers; for older builders publish a gzip tag
# with PUBLISH_COMPRESSION=gzip PUBLISH_COMPRESSION_LEVEL=9.
#
# Usage: scripts/publish-frontend.sh REF     e.g. miget/migetpacks-frontend:0.2.0
# Prints the pushed manifest's layer sizes (compressed, as the registry stores
# them) on stderr and their sum in bytes on stdout (for a local registry).
# Env: FRONTEND_BASE_IMAGE (default node:22-slim), PUBLISH_COMPRESSION (zstd),
# MIGETPACKS_PREBUILT=1 (use dist/ as built),
# PUBLISH_COMPRESSION_LEVEL (19). buildctl reads registry credentials from
# ~/.docker/config.json; base images come through buildkitd's registry config
# (scripts/buildkit/up.sh mirrors Docker Hub through a local registry here,
# where Docker Hub is out of reach).
set -euo pipefail
cd "$(dirname "$0")/.."
ref=${1:?usage: $0 REF}
base="${FRONTEND_BASE_IMAGE:-node:22-slim}"
log() { echo "[publish] $*" >&2; }

eval "$(bash scripts/buildkit/up.sh)"
# MIGETPACKS_PREBUILT=1: dist/ was just built by the caller (tests, benchmark running beside other readers of dist/).
[[ ${MIGETPACKS_PREBUILT:-} == 1 && -f dist/frontend.cjs ]] || npm run --silent build
cp frontend/strip-elf.cjs dist/strip-elf.cjs
# Offline, the base image reaches buildkitd only through the local mirror.
if [[ $REGISTRY == 127.0.0.1:* ]] && docker image inspect "$base" >/dev/null 2>&1; then
  bash scripts/buildkit/push.sh "$base"
fi
meta=$(mktemp)
trap 'rm -f "$meta"' EXIT
"$BUILDCTL" --addr "$BUILDKIT_HOST" build --progress=quiet \
  --frontend dockerfile.v0 --local context=dist --local dockerfile=. --opt filename=Dockerfile.frontend \
  --opt "build-arg:BASE_IMAGE=$base" \
  --output "type=image,name=$ref,push=true,compression=${PUBLISH_COMPRESSION:-zstd},compression-level=${PUBLISH_COMPRESSION_LEVEL:-19},force-compression=true,oci-mediatypes=true" \
  --metadata-file "$meta" >&2
digest=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))["containerimage.digest"])' "$meta")
log "pushed $ref@$digest"

# The manifest as the registry serves it: the compressed bytes a builder pulls.
registry=${ref%%/*}
repo=${ref#*/}
repo=${repo%:*}
if [[ $registry == 127.0.0.1:* || $registry == localhost:* ]]; then
  curl -fsS -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$registry/v2/$repo/manifests/$digest" |
    node -e 'const m = JSON.parse(require("fs").readFileSync(0, "utf8")); let sum = 0;
      for (const l of m.layers) { sum += l.size; console.error(`[publish] layer ${l.digest.slice(7, 19)} ${(l.size / 1e6).toFixed(2)} MB`); }
      console.error(`[publish] compressed image ${(sum / 1e6).toFixed(2)} MB in ${m.layers.length} layer(s)`); console.log(sum);'
fi
