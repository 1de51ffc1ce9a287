#!/usr/bin/env bash
# Usage: scripts/standins/make.sh REF [REF...]
#
# Creates offline stand-ins for official base images in the local Docker engine
# (start it with scripts/engine/up.sh first). A REF that already names an image
# is skipped. Examples: debian:bookworm-slim golang:1.22 node:22.16.0-slim
# dhi.io/golang:1.25.0 dhi.io/node:22.16.0-dev (a docker.io/library/ prefix is fine).
#
# Stand-ins imitate behaviour, not versions: golang:* holds Go 1.24 (trixie),
# node:* holds this machine's own node/npm, whatever the tag says.
#
# Adding a language: write `standin_<repo> TAG` (builder image, also used for
# dhi.io/<repo>:*-dev) and optionally `standin_dhi_<repo> TAG` (distroless
# dhi.io/<repo> runtime) below, using the helpers of lib.sh.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

# ---------------------------------------------------------------- stand-ins --

standin_debian() {
  rootfs_from ""
  config "ENV PATH=$DEFAULT_PATH" 'CMD ["bash"]'
}

standin_golang() {
  local go
  rootfs_from ca-certificates,git
  go=$(trixie_unpack golang-1.24-go golang-1.24-src)
  cp -aL "$go/usr/lib/go-1.24" "$ROOT/usr/local/go"
  mkdir -p "$ROOT/go/src" "$ROOT/go/bin" && chmod -R 1777 "$ROOT/go"
  config "ENV PATH=/go/bin:/usr/local/go/bin:$DEFAULT_PATH" "ENV GOPATH=/go" \
    "ENV GOTOOLCHAIN=local" "WORKDIR /go" 'CMD ["bash"]'
}

standin_node() {
  local mods m
  rootfs_from ca-certificates
  host_ca
  cp -L "$(command -v node)" "$ROOT/usr/local/bin/node"
  mods=$(npm root -g 2>/dev/null)
  mkdir -p "$ROOT/usr/local/lib/node_modules"
  for m in npm corepack; do
    [[ -d $mods/$m ]] && cp -a "$mods/$m" "$ROOT/usr/local/lib/node_modules/"
  done
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ROOT/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$ROOT/usr/local/bin/npx"
  [[ -d $mods/corepack ]] && ln -s ../lib/node_modules/corepack/dist/corepack.js "$ROOT/usr/local/bin/corepack"
  add_user node 1000
  config "ENV PATH=$DEFAULT_PATH" "ENV NODE_EXTRA_CA_CERTS=$HOST_CA" \
    "ENV NPM_CONFIG_CAFILE=$HOST_CA" 'CMD ["node"]'
}

standin_dhi_golang() {
  distroless_root
}

standin_dhi_node() {
  distroless_root
  add_user node 1000 /home/node /sbin/nologin
  copy_with_libs "$(command -v node)" /usr/local/bin/node
  config "ENV NODE_EXTRA_CA_CERTS=$HOST_CA" 'CMD ["node"]'
}

# --------------------------------------------------------------- machinery --

# Images built by the same function from the same scripts are identical, so a
# second tag of a kind (golang:1.25.0 after golang:1.22) is just `docker tag`
# of the image ID remembered in $STANDIN_CACHE/ids/KIND@HASH.
SCRIPTS_HASH=$(cat "$STANDINS_DIR/make.sh" "$STANDINS_DIR/lib.sh" "$STANDINS_DIR/../engine/apt-trixie.sh" | sha256sum | cut -c1-12)

supported() {
  local f out=()
  for f in $(declare -F | awk '{print $3}' | grep '^standin_'); do
    case $f in
      standin_dhi_*) out+=("dhi.io/${f#standin_dhi_}") ;;
      *) out+=("${f#standin_}" "dhi.io/${f#standin_}:*-dev") ;;
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
      else fn=standin_dhi_${repo#dhi.io/}; kind=dhi-${repo#dhi.io/}; fi ;;
    */*) fn="" ;;
    *) fn=standin_$repo; kind=$repo ;;
  esac
  fn=${fn//[-.]/_}
  if [[ -z $fn ]] || ! declare -F "$fn" >/dev/null; then
    log "no stand-in for '$name'; supported repositories: $(supported)"
    return 1
  fi
  echo "$fn $tag $kind $dev"
}

build_one() {
  local name=$1 fn tag kind dev idfile id start=$SECONDS
  read -r fn tag kind dev < <(resolve "$name")
  idfile=$STANDIN_CACHE/ids/$kind@$SCRIPTS_HASH
  id=$(cat "$idfile" 2>/dev/null || true)
  if [[ -n $id ]] && docker image inspect "$id" >/dev/null 2>&1; then
    docker tag "$id" "$name"
    log "$name: tagged existing $kind stand-in ${id#sha256:}"
    return 0
  fi
  log "$name: building ($fn$( ((dev)) && echo " + nonroot user"))"
  ROOT=$(mktemp -d "$WORK/root.XXXXXX")
  CONFIG=()
  "$fn" "$tag"
  ((dev)) && add_user nonroot 65532
  import_rootfs "$name"
  rm -rf "$ROOT"
  mkdir -p "${idfile%/*}"
  docker image inspect -f '{{.Id}}' "$name" >"$idfile"
  log "$name: done in $((SECONDS - start))s"
}

main() {
  (($#)) || { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0" >&2; exit 2; }
  local r name todo=()
  for r in "$@"; do
    name=$(normalize "$r")
    resolve "$name" >/dev/null || exit 1
    docker image inspect "$name" >/dev/null 2>&1 || todo+=("$name")
  done
  ((${#todo[@]})) || exit 0
  docker info >/dev/null 2>&1 || die "no Docker engine answers; run scripts/engine/up.sh first"
  command -v mmdebstrap >/dev/null || die "mmdebstrap is missing; run scripts/engine/up.sh first"
  mkdir -p "$STANDIN_CACHE" "$DEB_CACHE"
  exec 8>"$STANDIN_CACHE/.lock"
  flock -w 1800 8 || die "timed out waiting for $STANDIN_CACHE/.lock"
  WORK=$(mktemp -d /var/tmp/migetpacks-standins.XXXXXX)
  trap 'rm -rf "$WORK"' EXIT
  for name in "${todo[@]}"; do
    docker image inspect "$name" >/dev/null 2>&1 || build_one "$name"
  done
}

main "$@"
