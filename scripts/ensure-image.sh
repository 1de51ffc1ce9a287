#!/usr/bin/env bash
# Makes each image reference available in the local engine: already there,
# pulled, or (offline) created as a stand-in by scripts/standins/make.sh.
set -euo pipefail
here="$(dirname "$0")"
missing=()
for ref in "$@"; do
  docker image inspect "$ref" >/dev/null 2>&1 && continue
  docker pull --quiet "$ref" >/dev/null 2>&1 && continue
  missing+=("$ref")
done
if ((${#missing[@]})); then
  bash "$here/standins/make.sh" "${missing[@]}"
fi
