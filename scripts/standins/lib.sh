# shellcheck shell=bash
# Language-independent helpers for scripts/standins/make.sh (sourced).
#
# A stand-in is built in a scratch root filesystem $ROOT; helpers add files to
# it and append `docker import --change` lines to CONFIG; import_rootfs turns
# it into an image.

STANDINS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
APT_LOG_TAG=standins
# shellcheck source=../engine/apt-trixie.sh
source "$STANDINS_DIR/../engine/apt-trixie.sh"

CACHE=${MIGETPACKS_CACHE:-/var/cache/migetpacks}
STANDIN_CACHE=$CACHE/standins
DEB_CACHE=$CACHE/debs
DEFAULT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HOST_CA=/etc/ssl/certs/ca-certificates.crt

ROOT=""      # root filesystem of the stand-in being built
CONFIG=()    # image config, as `docker import -c` lines

log() { echo "[standins] $*" >&2; }
die() { log "error: $*"; exit 1; }

# config LINE...: add Dockerfile-style config lines (ENV, CMD, WORKDIR, USER, LABEL...).
config() { CONFIG+=("$@"); }

# base_tarball PKGS: print the cached mmdebstrap tarball of bookworm minbase (+ PKGS, comma list).
base_tarball() {
  local pkgs=$1 out tmp mirror keyring
  out=$STANDIN_CACHE/rootfs-minbase${pkgs:++${pkgs//,/+}}.tar
  if [[ ! -s $out ]]; then
    mirror=$(debian_mirror) || die "no Debian mirror found in the apt sources"
    keyring=$(debian_keyring)
    tmp=${out%.tar}.partial.tar
    log "mmdebstrap minbase${pkgs:+ + $pkgs} (cached as ${out##*/})"
    mmdebstrap --quiet --variant=minbase ${pkgs:+--include="$pkgs"} bookworm "$tmp" \
      "deb ${keyring:+[signed-by=$keyring] }$mirror bookworm main" </dev/null >&2 \
      || { rm -f "$tmp"; die "mmdebstrap failed"; }
    mv "$tmp" "$out"
  fi
  printf '%s\n' "$out"
}

# rootfs_from PKGS: unpack the bookworm minbase (+ PKGS) root filesystem into $ROOT.
rootfs_from() {
  local tarball
  tarball=$(base_tarball "$1")
  tar -C "$ROOT" --numeric-owner -xpf "$tarball"
}

# trixie_unpack PKG...: dpkg -x trixie's PKG... (debs cached) into a fresh folder; print it.
trixie_unpack() {
  local dir p deb
  trixie_debs "$DEB_CACHE" "$@" || die "cannot download from trixie: $*"
  dir=$(mktemp -d "$WORK/unpack.XXXXXX")
  for p in "$@"; do
    for deb in "$DEB_CACHE/${p}"_*.deb; do dpkg-deb -x "$deb" "$dir"; done
  done
  printf '%s\n' "$dir"
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

# import_rootfs NAME: docker import $ROOT with CONFIG as NAME.
import_rootfs() {
  local name=$1 c changes=()
  for c in "${CONFIG[@]}"; do changes+=(--change "$c"); done
  tar -C "$ROOT" --numeric-owner -cf - . | docker import "${changes[@]}" - "$name" >/dev/null
}
