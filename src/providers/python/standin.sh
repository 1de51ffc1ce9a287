# shellcheck shell=bash
# Stand-in recipe (sourced by scripts/standins/make.sh): offline images under the
# official names Python plans use (python:<v> builder, python:<v>-slim runtime).
# Helpers come from scripts/standins/lib.sh.
#
# The stand-in really carries the Python line its tag names: Debian's CPython
# (bookworm ships 3.11, trixie 3.13; a 3.13 stand-in is a trixie root), laid out like the official images — `python`,
# `python3`, `pip` in /usr/local/bin, pip allowed outside a venv, the venv
# module present. The builder has compilers and the -dev libraries sdists
# need (like the official python:<v>, which is buildpack-deps based); -slim has
# none of them. The machine's CA bundle is trusted by pip, uv, requests
# (Poetry) and httpx (PDM) for package downloads in build steps.

# One stand-in per Python line and flavour (make.sh's per-tag hooks).
standin_kind_python() { python_kind "$1"; }
standin_kind_dhi_python() { python_kind "$1"; }

# python_kind TAG: `3.11-slim` / `3.11` (one stand-in per line and flavour).
python_kind() {
  local tag=${1%-dev} line flavour=""
  [[ $tag == *-slim* ]] && flavour=-slim
  line=$(grep -oE '^[0-9]+\.[0-9]+' <<<"$tag") || { log "python:$1: the tag names no Python line"; return 1; }
  printf '%s%s\n' "$line" "$flavour"
}

PYTHON_BUILD_PKGS=build-essential,pkg-config,python3-dev,libpq-dev,libmariadb-dev,libxml2-dev,libxslt1-dev,libffi-dev,libjpeg-dev,zlib1g-dev,git

standin_python() {
  local tag=${1%-dev} line suite pkgs=ca-certificates,python3,python3-venv,python3-pip b
  line=$(python_kind "$tag")
  line=${line%-slim}
  case $line in
    3.11) suite=bookworm ;;
    3.13) suite=trixie ;;
    *) die "python:$tag: only Python 3.11 (Debian bookworm's) and 3.13 (trixie's) have stand-ins here" ;;
  esac
  [[ $tag == *-slim* ]] || pkgs+=",$PYTHON_BUILD_PKGS"
  rootfs_from "$pkgs" "$suite"
  host_ca
  [[ -x $ROOT/usr/bin/python$line ]] || die "$suite's python3 is not $line"
  # The official layout: python, python3 and pip in /usr/local/bin; pip may install outside a venv.
  for b in python python3 "python$line"; do ln -sf "/usr/bin/python$line" "$ROOT/usr/local/bin/$b"; done
  for b in pip pip3; do ln -sf /usr/bin/pip3 "$ROOT/usr/local/bin/$b"; done
  rm -f "$ROOT/usr/lib/python$line/EXTERNALLY-MANAGED"
  config "ENV PATH=$DEFAULT_PATH" "ENV LANG=C.UTF-8" "ENV PIP_CERT=$HOST_CA" "ENV SSL_CERT_FILE=$HOST_CA" \
    "ENV REQUESTS_CA_BUNDLE=$HOST_CA" 'CMD ["python3"]'
}

# dhi.io/python:<v>: shell-less. Debian's CPython (binary, shared libraries,
# standard library) in the same places as the -dev image, so a venv made
# there (/app/.venv/bin/python → /usr/local/bin/python) runs here.
standin_dhi_python() {
  local tag=$1 line suite src
  line=$(python_kind "$tag")
  case $line in
    3.11) suite=bookworm ;;
    3.13) suite=trixie ;;
    *) die "dhi.io/python:$tag: only Python 3.11 and 3.13 have stand-ins here" ;;
  esac
  src=$(mktemp -d "$WORK/python-src.XXXXXX")
  tar -C "$src" --numeric-owner -xpf "$(base_tarball ca-certificates,python3 "$suite")"
  distroless_root
  # The interpreter and every shared library it or its extension modules load, from the same root.
  mkdir -p "$ROOT/usr/bin" "$ROOT/usr/lib" "$ROOT/usr/local/bin"
  cp -a "$src/usr/bin/python$line" "$ROOT/usr/bin/"
  cp -a "$src/usr/lib/python$line" "$ROOT/usr/lib/"
  # Merged /usr: /lib and /lib64 are links into /usr (the loader's path goes through /lib64).
  for b in lib lib64; do [[ -L $src/$b ]] && cp -a "$src/$b" "$ROOT/"; done
  [[ -d $src/usr/lib64 ]] && cp -a "$src/usr/lib64" "$ROOT/usr/"
  cp -a "$src/usr/lib/x86_64-linux-gnu" "$ROOT/usr/lib/"
  for b in python python3 "python$line"; do ln -sf "/usr/bin/python$line" "$ROOT/usr/local/bin/$b"; done
  rm -rf "$src"
  config "ENV LANG=C.UTF-8" 'CMD ["python3"]'
}
