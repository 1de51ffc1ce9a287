#!/usr/bin/env bash
# Makes each image reference available in the local engine: already there,
# pulled, or (offline) created as a stand-in by scripts/standins/make.sh.
# A local image without a registry digest is handed to make.sh too, which
# rebuilds it when it is a stand-in of an older generation (one that lied
# about its version) and leaves it alone otherwise.
set -euo pipefail
here="$(dirname "$0")"
missing=()
for ref in "$@"; do
  if digests=$(docker image inspect -f '{{len .RepoDigests}}' "$ref" 2>/dev/null); then
    [[ $digests == 0 ]] && missing+=("$ref")
    continue
  fi
  docker pull --quiet "$ref" >/dev/null 2>&1 && continue
  missing+=("$ref")
done
if ((${#missing[@]})); then
  bash "$here/standins/make.sh" "${missing[@]}"
fi
