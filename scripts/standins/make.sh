#!/usr/bin/env bash
# Usage: scripts/standins/make.sh REF [REF...]
#
# Creates offline stand-ins for official base images in the local Docker engine
# (start it with scripts/engine/up.sh first). A REF that already names an image
# is skipped. Examples: debian:bookworm-slim golang:1.22 node:22.16.0-slim
# dhi.io/golang:1.25.0 dhi.io/node:22.16.0-dev (a docker.io/library/ prefix is fine).
#
# Stand-ins imitate behaviour, not versions: golang:* holds Go 1.24 (trixie),
# rust:* holds Rust 1.63 (bookworm), node:* holds this machine's own node/npm,
# whatever the tag says. Bun and Deno ship their binaries on npm, so
# oven/bun:<v>[-slim] and denoland/deno:<v> hold release <v> itself.
#
# Adding a language: write src/providers/<lang>/standin.sh with `standin_<repo> TAG`
# (builder image, also used for dhi.io/<repo>:*-dev) and optionally
# `standin_dhi_<repo> TAG` (distroless dhi.io/<repo> runtime), using lib.sh's helpers.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

# ---------------------------------------------------------------- stand-ins --
# Official images outside Docker Hub's library/: repository → stand-in function suffix
# (a recipe adds its own: NAMESPACED[oven/bun]=bun).
declare -A NAMESPACED=()
# Repositories whose tags hold different things (python:3.11 vs python:3.13-slim): repository →
# a function printing the kind of a tag, so each kind is built once (KIND_OF_TAG[python]=python_kind).
declare -A KIND_OF_TAG=()

standin_debian() {
  rootfs_from ""
  config "ENV PATH=$DEFAULT_PATH" 'CMD ["bash"]'
}

# Every language's recipe lives in its provider folder (src/providers/<lang>/standin.sh):
# `standin_<repo> TAG` builds the builder image (also used for dhi.io/<repo>:*-dev),
# `standin_dhi_<repo> TAG` the distroless dhi.io/<repo> runtime.
PROVIDER_RECIPES=("$STANDINS_DIR"/../../src/providers/*/standin.sh)
for recipe in "${PROVIDER_RECIPES[@]}"; do
  # shellcheck source=/dev/null
  [[ -e $recipe ]] && source "$recipe"
done

# --------------------------------------------------------------- machinery --

# Images built by the same function from the same scripts are identical, so a
# second tag of a kind (golang:1.25.0 after golang:1.22) is just `docker tag`
# of the image ID remembered in $STANDIN_CACHE/ids/KIND@HASH.
SCRIPTS_HASH=$(cat "$STANDINS_DIR/make.sh" "$STANDINS_DIR/lib.sh" "$STANDINS_DIR/../engine/apt-trixie.sh" "${PROVIDER_RECIPES[@]}" 2>/dev/null | sha256sum | cut -c1-12)

supported() {
  local f r out=()
  local -A repo_of=()
  for r in "${!NAMESPACED[@]}"; do repo_of[${NAMESPACED[$r]}]=$r; done
  for f in $(declare -F | awk '{print $3}' | grep '^standin_'); do
    case $f in
      standin_dhi_*) out+=("dhi.io/${f#standin_dhi_}") ;;
      *) out+=("${repo_of[${f#standin_}]:-${f#standin_}}" "dhi.io/${f#standin_}:*-dev") ;;
    esac
  done
  echo "${out[*]}"
}


# normalize REF: strip docker.io/library/ (and docker.io/, library/).
normalize() {
  local r=$1
  r=${r#docker.io/}; r=${r#index.docker.io/}; r=${r#library/}
  printf '%s\n' "$r"
}

# resolve NAME: print "FUNCTION TAG KIND DEV" for a normalized reference, or fail.
resolve() {
  local name=$1 repo tag last fn kind dev=0
  [[ $name == *@* ]] && { log "digest references are not supported: $name"; return 1; }
  last=${name##*/}
  if [[ $last == *:* ]]; then repo=${name%:*}; tag=${name##*:}; else repo=$name; tag=latest; fi
  case $repo in
    dhi.io/*)
      if [[ $tag == *-dev || $tag == dev ]]; then fn=standin_${repo#dhi.io/}; kind=dhi-dev-${repo#dhi.io/}; dev=1
      else fn=standin_dhi_${repo#dhi.io/}; kind=dhi-${repo#dhi.io/}; fi
      [[ -n ${KIND_OF_TAG[${repo#dhi.io/}]:-} ]] && { kind=$kind-$("${KIND_OF_TAG[${repo#dhi.io/}]}" "$tag") || return 1; } ;;
    */*) # oven/bun, denoland/deno: one kind per release, the stand-in holds that release
      fn=${NAMESPACED[$repo]:+standin_${NAMESPACED[$repo]}}; kind=${NAMESPACED[$repo]:-}-${tag%%-*} ;;
    *) fn=standin_$repo; kind=$repo
       [[ -n ${KIND_OF_TAG[$repo]:-} ]] && { kind=$repo-$("${KIND_OF_TAG[$repo]}" "$tag") || return 1; } ;;
  esac
  fn=${fn//[-.]/_}
  if [[ -z $fn ]] || ! declare -F "$fn" >/dev/null; then
    log "no stand-in for '$name'; supported repositories: $(supported)"
    return 1
  fi
  echo "$fn $tag $kind $dev"
}

# kind_image KIND: print the ID of the stand-in built for KIND by these scripts, if any.
kind_image() {
  local id
  id=$(cat "$STANDIN_CACHE/ids/$1@$SCRIPTS_HASH" 2>/dev/null) || return 0
  docker image inspect "$id" >/dev/null 2>&1 && printf '%s\n' "$id"
  return 0
}

remember() { mkdir -p "$STANDIN_CACHE/ids" && echo "$2" >"$STANDIN_CACHE/ids/$1@$SCRIPTS_HASH"; }


# build_kind FN TAG KIND: run stand-in function FN in a fresh root and import it; print the ID.
build_kind() {
  local fn=$1 tag=$2 kind=$3 id start=$SECONDS
  log "$kind: building ($fn)"
  ROOT=$(mktemp -d "$WORK/root.XXXXXX")
  CONFIG=()
  "$fn" "$tag"
  id=$(import_rootfs)
  rm -rf "$ROOT"
  log "$kind: built in $((SECONDS - start))s"
  printf '%s\n' "$id"
}

# build_dev FN TAG KIND: a DHI -dev image = the builder stand-in plus user nonroot (65532).
build_dev() {
  local fn=$1 tag=$2 kind=$3 base id bkind=${1#standin_}
  [[ -n ${KIND_OF_TAG[$bkind]:-} ]] && bkind=$bkind-$("${KIND_OF_TAG[$bkind]}" "$tag")
  base=$(ensure_kind "$bkind" "$fn" "$tag" 0)
  log "$kind: adding user nonroot to the ${fn#standin_} stand-in"
  ROOT=$(mktemp -d "$WORK/root.XXXXXX")
  CONFIG=()
  fetch_files "$base" /etc/passwd /etc/group /etc/shadow /etc/gshadow
  add_user nonroot 65532
  id=$(derive_image "$base")
  rm -rf "$ROOT"
  printf '%s\n' "$id"
}

# ensure_kind KIND FN TAG DEV: print the ID of KIND's stand-in, building it once.
ensure_kind() { with_lock "$STANDIN_CACHE/.kind-$1.lock" ensure_kind_locked "$@"; }
ensure_kind_locked() {
  local kind=$1 fn=$2 tag=$3 dev=$4 id
  id=$(kind_image "$kind")
  if [[ -z $id ]]; then
    if ((dev)); then id=$(build_dev "$fn" "$tag" "$kind"); else id=$(build_kind "$fn" "$tag" "$kind"); fi
    remember "$kind" "$id"
  fi
  printf '%s\n' "$id"
}

# make_kind KIND FN TAG DEV NAME...: give KIND's stand-in the names NAME...
make_kind() {
  local kind=$1 fn=$2 tag=$3 dev=$4 id name
  shift 4
  id=$(ensure_kind "$kind" "$fn" "$tag" "$dev")
  for name in "$@"; do docker tag "$id" "$name"; done
  log "$kind: ${id:7:12} tagged $*"
}

main() {
  (($#)) || { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0" >&2; exit 2; }
  local r name fn tag kind dev builders=() devs=() kinds
  local -A names=() spec=()
  for r in "$@"; do
    name=$(normalize "$r")
    read -r fn tag kind dev < <(resolve "$name") || exit 1
    docker image inspect "$name" >/dev/null 2>&1 && continue
    if [[ ! -v "names[$kind]" ]]; then
      if ((dev)); then devs+=("$kind"); else builders+=("$kind"); fi
    fi
    names[$kind]+=" $name"
    spec[$kind]="$fn $tag $dev"
  done
  kinds=("${builders[@]}" "${devs[@]}")  # -dev kinds derive from builder kinds
  ((${#kinds[@]})) || exit 0
  docker info >/dev/null 2>&1 || die "no Docker engine answers; run scripts/engine/up.sh first"
  command -v mmdebstrap >/dev/null || die "mmdebstrap is missing; run scripts/engine/up.sh first"
  mkdir -p "$STANDIN_CACHE" "$DEB_CACHE"
  exec 8>"$STANDIN_CACHE/.lock"
  flock -w 1800 8 || die "timed out waiting for $STANDIN_CACHE/.lock"
  WORK=$(mktemp -d /var/tmp/migetpacks-standins.XXXXXX)
  trap 'rm -rf "$WORK"' EXIT
  # One job per kind, up to MIGETPACKS_STANDIN_JOBS (default: CPU count) at once.
  local max=${MIGETPACKS_STANDIN_JOBS:-$(nproc)} pids=() pid rc=0
  for kind in "${kinds[@]}"; do
    while (($(jobs -pr | wc -l) >= max)); do wait -n || true; done
    # shellcheck disable=SC2086 # spec and names are word lists
    make_kind "$kind" ${spec[$kind]} ${names[$kind]} &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || rc=1; done
  ((rc == 0)) || die "some stand-ins failed (see above)"
}

main "$@"
