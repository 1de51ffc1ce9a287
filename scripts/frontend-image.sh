#!/usr/bin/env bash
# Builds miget/migetpacks-frontend:dev from the esbuild bundle. The base image
# is pulled when a registry answers, else replaced by an offline stand-in.
set -euo pipefail
cd "$(dirname "$0")/.."
base="${FRONTEND_BASE_IMAGE:-node:22-slim}"
tag="${FRONTEND_IMAGE:-miget/migetpacks-frontend:dev}"
npm run --silent build
# The image build strips node with this script (no binutils in the base).
cp frontend/strip-elf.cjs dist/strip-elf.cjs
bash scripts/ensure-image.sh "$base"
docker build --quiet -f Dockerfile.frontend --build-arg "BASE_IMAGE=$base" -t "$tag" dist >/dev/null
echo "built $tag (base $base)" >&2
