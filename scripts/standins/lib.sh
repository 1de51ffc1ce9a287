# shellcheck shell=bash
# Language-independent helpers for scripts/standins/make.sh (sourced).
#
# A stand-in is built in a scratch root filesystem $ROOT; helpers add files to
# it and append `docker import --change` lines to CONFIG; import_rootfs turns
# it into an image.

shopt -s inherit_errexit  # errors inside $(...) stop the script too

STANDINS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
APT_LOG_TAG=standins
# shellcheck source=../engine/apt-trixie.sh
source "$STANDINS_DIR/../engine/apt-trixie.sh"

CACHE=${MIGETPACKS_CACHE:-/var/cache/migetpacks}
STANDIN_CACHE=$CACHE/standins
DEB_CACHE=$CACHE/debs
DEFAULT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HOST_CA=/etc/ssl/certs/ca-certificates.crt

# Every stand-in carries LABEL org.migetpacks.standin=KIND and ...generation=N.
# Images of an older generation (or without the label: built by older scripts
# whose stand-ins lied about their version) are rebuilt when asked for again.
STANDIN_GENERATION=2

# Debian packages standing in for buildpack-deps:bookworm, the base of the official
# non-slim node and rust images (compilers, python3 for node-gyp, git, TLS headers).
BUILDPACK_DEPS=ca-certificates,curl,git,openssh-client,procps,xz-utils,python3,make,gcc,g++,libc6-dev,pkg-config,libssl-dev,zlib1g-dev

ROOT=""      # root filesystem of the stand-in being built
CONFIG=()    # image config, as `docker import -c` lines

log() { echo "[standins] $*" >&2; }
die() { log "error: $*"; exit 1; }
# unavailable WHY: this tag cannot be had truthfully here (no registry ships that release).
# Exit 3: make.sh fails, or skips the image when MIGETPACKS_STANDINS_SKIP_UNAVAILABLE=1.
unavailable() { log "not made: $*"; exit 3; }

# config LINE...: add Dockerfile-style config lines (ENV, CMD, WORKDIR, USER, LABEL...).
config() { CONFIG+=("$@"); }

# base_tarball PKGS [SUITE]: print the cached mmdebstrap tarball of SUITE (default bookworm) minbase (+ PKGS, comma list).
base_tarball() {
  local pkgs=$1 suite=${2:-bookworm} out
  out=$STANDIN_CACHE/rootfs-minbase${pkgs:++${pkgs//,/+}}.tar
  [[ $suite == bookworm ]] || out=$STANDIN_CACHE/rootfs-$suite-minbase${pkgs:++${pkgs//,/+}}.tar
  [[ -s $out ]] || with_lock "$out.lock" make_tarball "$pkgs" "$out" "$suite"
  printf '%s\n' "$out"
}

make_tarball() {
  local pkgs=$1 out=$2 suite=${3:-bookworm} tmp mirror keyring
  if [[ ! -s $out ]]; then
    mirror=$(debian_mirror) || die "no Debian mirror found in the apt sources"
    keyring=$(debian_keyring)
    tmp=${out%.tar}.partial.tar
    log "mmdebstrap $suite minbase${pkgs:+ + $pkgs} (cached as ${out##*/})"
    mmdebstrap --quiet --variant=minbase ${pkgs:+--include="$pkgs"} "$suite" "$tmp" \
      "deb ${keyring:+[signed-by=$keyring] }$mirror $suite main" </dev/null >&2 \
      || { rm -f "$tmp"; die "mmdebstrap failed"; }
    mv "$tmp" "$out"
  fi
}

# with_lock FILE CMD...: run CMD holding an exclusive lock on FILE (parallel jobs).
with_lock() {
  local file=$1 fd
  shift
  exec {fd}>"$file"
  flock "$fd"
  "$@"
  exec {fd}>&-
}

# rootfs_from PKGS [SUITE]: unpack the SUITE (default bookworm) minbase (+ PKGS) root filesystem into $ROOT.
rootfs_from() {
  local tarball
  tarball=$(base_tarball "$1" "${2:-bookworm}")
  tar -C "$ROOT" --numeric-owner -xpf "$tarball"
}

# trixie_fetch PKG...: make sure trixie's .debs for PKG... are cached (one download).
trixie_fetch() { trixie_debs "$DEB_CACHE" "$@" || die "cannot download from trixie: $*"; }

# trixie_extract PKG DIR DEST [TAR-ARGS...]: unpack folder DIR (e.g. ./usr/lib/go-1.24) of
# trixie's package PKG (.deb cached) to $ROOT/DEST, in one pass.
trixie_extract() {
  local pkg=$1 dir=$2 dest=$3 deb strip
  shift 3
  trixie_fetch "$pkg"
  deb=$(ls -t "$DEB_CACHE/${pkg}"_*.deb | head -n1)
  strip=$(($(tr -cd / <<<"$dir" | wc -c) + 1))
  mkdir -p "$ROOT$dest"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$ROOT$dest" --strip-components="$strip" "$@" "$dir"
}

# npm_tarball PKG VERSION: print the path of the cached `npm pack` tarball of PKG@VERSION
# (downloaded from the npm registry once; kept under $CACHE/npm-packs).
npm_tarball() {
  local pkg=$1 version=$2 dir=$CACHE/npm-packs tgz
  mkdir -p "$dir"
  tgz=$dir/$(npm_tgz_name "$pkg" "$version")
  [[ -s $tgz ]] || tgz=$(with_lock "$dir/.lock" npm_pack "$dir" "$pkg@$version") \
    || die "cannot fetch $pkg@$version from the npm registry"
  printf '%s\n' "$tgz"
}

# npm_package PKG VERSION DEST: unpack the npm package PKG@VERSION (its package/
# folder, bundled dependencies included) to $ROOT/DEST, as `npm install -g` would.
npm_package() {
  local tgz
  tgz=$(npm_tarball "$1" "$2")
  mkdir -p "$ROOT$3"
  tar -xzf "$tgz" -C "$ROOT$3" --strip-components=1 --no-same-owner
}

# cached_list FILE MAX_AGE_MINUTES CMD...: print FILE, refreshed from CMD's output when
# older than MAX_AGE_MINUTES (a failed refresh keeps the old list; no list at all fails).
cached_list() {
  local file=$1 age=$2 tmp
  shift 2
  mkdir -p "$(dirname "$file")"
  if [[ ! -s $file || -n $(find "$file" -mmin "+$age" 2>/dev/null) ]]; then
    tmp=$(mktemp "$file.XXXXXX")
    if "$@" >"$tmp" 2>/dev/null && [[ -s $tmp ]]; then mv "$tmp" "$file"; else rm -f "$tmp"; fi
  fi
  [[ -s $file ]] && cat "$file"
}

# newest_matching PREFIX: from version lines on stdin (x.y.z), print the newest
# that equals PREFIX or starts with "PREFIX." (an empty PREFIX matches all).
newest_matching() {
  local p=$1
  awk -v p="$p" 'p == "" || $0 == p || index($0, p ".") == 1' | sort -V | tail -n1
}

# npm_binary PKG VERSION FILE DEST: copy FILE (a path inside the npm package
# PKG@VERSION, e.g. the bun or deno binary) to $ROOT/DEST. The packed tarball is
# cached; without a package for VERSION the newest one below it is used.
# Sets NPM_BINARY_VERSION to the version taken.
NPM_BINARY_VERSION=""
npm_binary() {
  local pkg=$1 version=$2 file=$3 dest=$4 dir=$CACHE/npm-packs tgz="" spec
  mkdir -p "$dir" "$ROOT$(dirname "$dest")"
  [[ -s $dir/$(npm_tgz_name "$pkg" "$version") ]] && tgz=$dir/$(npm_tgz_name "$pkg" "$version")
  for spec in "$version" "<=$version"; do
    [[ -n $tgz ]] && break
    tgz=$(with_lock "$dir/.lock" npm_pack "$dir" "$pkg@$spec") || tgz=""
  done
  [[ -n $tgz ]] || die "cannot fetch $pkg@$version from the npm registry"
  NPM_BINARY_VERSION=${tgz##*-} && NPM_BINARY_VERSION=${NPM_BINARY_VERSION%.tgz}
  [[ $NPM_BINARY_VERSION == "$version" ]] || log "$pkg: no $version, using $NPM_BINARY_VERSION"
  tar -xzf "$tgz" -O "package/$file" >"$ROOT$dest" || die "$pkg has no $file"
  chmod 755 "$ROOT$dest"
}

# npm_tgz_name PKG VERSION: the file name `npm pack` gives PKG@VERSION.
npm_tgz_name() { local n=${1#@}; printf '%s-%s.tgz\n' "${n//\//-}" "$2"; }

# npm_pack DIR SPEC: `npm pack SPEC` into DIR; print the tarball's path.
npm_pack() {
  local name
  name=$(cd "$1" && npm pack --silent "$2" 2>/dev/null | tail -n1) && [[ -s $1/$name ]] || return 1
  printf '%s\n' "$1/$name"
}

# add_user NAME UID [HOME] [SHELL]: user and same-numbered group (passwd/group/shadow edited directly).
add_user() {
  local name=$1 uid=$2 home=${3:-/home/$1} shell=${4:-/bin/bash}
  mkdir -p "$ROOT/etc"
  grep -q "^$name:" "$ROOT/etc/group" 2>/dev/null || echo "$name:x:$uid:" >>"$ROOT/etc/group"
  grep -q "^$name:" "$ROOT/etc/passwd" 2>/dev/null || echo "$name:x:$uid:$uid:$name:$home:$shell" >>"$ROOT/etc/passwd"
  if [[ -f $ROOT/etc/shadow ]] && ! grep -q "^$name:" "$ROOT/etc/shadow"; then
    echo "$name:*:19000:0:99999:7:::" >>"$ROOT/etc/shadow"
  fi
  if [[ -f $ROOT/etc/gshadow ]] && ! grep -q "^$name:" "$ROOT/etc/gshadow"; then
    echo "$name:!::" >>"$ROOT/etc/gshadow"
  fi
  mkdir -p "$ROOT$home"
  chown "$uid:$uid" "$ROOT$home"
}

# host_ca: replace the image's CA bundle with the machine's (trusts the intercepting CA).
host_ca() {
  mkdir -p "$ROOT/etc/ssl/certs"
  cp -L "$HOST_CA" "$ROOT/etc/ssl/certs/ca-certificates.crt"
}

# copy_with_libs SRC DEST: copy an executable plus the shared libraries and loader ldd lists.
copy_with_libs() {
  local src=$1 dest=$2 lib
  mkdir -p "$ROOT$(dirname "$dest")"
  cp -L "$src" "$ROOT$dest"
  for lib in $(ldd "$src" | grep -o '/[^ ]*'); do
    mkdir -p "$ROOT$(dirname "$lib")"
    cp -L "$lib" "$ROOT$lib"
  done
}

# distroless_root: the skeleton of a shell-less image (root + nonroot users, CA bundle, /tmp).
distroless_root() {
  mkdir -p "$ROOT/etc" "$ROOT/root" "$ROOT/tmp"
  chmod 1777 "$ROOT/tmp"
  chmod 700 "$ROOT/root"
  echo "root:x:0:0:root:/root:/sbin/nologin" >"$ROOT/etc/passwd"
  echo "root:x:0:" >"$ROOT/etc/group"
  add_user nonroot 65532 /home/nonroot /sbin/nologin
  host_ca
  config "ENV PATH=$DEFAULT_PATH"
}

# import_rootfs: docker import $ROOT with CONFIG as an untagged image; print its ID.
import_rootfs() {
  local c changes=()
  for c in "${CONFIG[@]}"; do changes+=(--change "$c"); done
  tar -C "$ROOT" --numeric-owner -cf - . | docker import "${changes[@]}" -
}

# derive_image IMAGE: IMAGE plus a layer holding $ROOT (file owners kept) and
# CONFIG; print the new image's ID. Lets $ROOT hold just a few changed files.
derive_image() {
  local image=$1 cid c changes=() id
  for c in "${CONFIG[@]}"; do changes+=(--change "$c"); done
  cid=$(docker create "$image")
  tar -C "$ROOT" --numeric-owner -cf - . | docker cp -a - "$cid:/" \
    && id=$(docker commit "${changes[@]}" "$cid")
  docker rm "$cid" >/dev/null
  [[ -n ${id:-} ]] && printf '%s\n' "$id"
}

# fetch_files IMAGE PATH...: copy PATHs out of IMAGE into $ROOT (missing ones are skipped).
fetch_files() {
  local image=$1 cid p
  shift
  cid=$(docker create "$image" /none)
  for p in "$@"; do
    mkdir -p "$ROOT$(dirname "$p")"
    docker cp -a "$cid:$p" - 2>/dev/null | tar -x -C "$ROOT$(dirname "$p")" || true
  done
  docker rm "$cid" >/dev/null
}
