# shellcheck shell=bash
# Shared helpers (sourced, not executed) for fetching Debian *trixie* .deb files
# on a bookworm machine without ever letting apt consider trixie for upgrades.
#
# The Debian mirror is derived at run time from the machine's own apt sources
# (no host name is written in this repository). trixie is configured in a
# throw-away apt state (own sources dir, own lists, own archives) that lives in
# a temporary folder and is deleted on return: the system's sources and package
# lists never contain trixie, so no `apt-get upgrade`/`install` can pull trixie's
# libc6, systemd or perl.

export DEBIAN_FRONTEND=noninteractive

apt_log() { echo "[${APT_LOG_TAG:-apt}] $*" >&2; }

# Common options for apt-get calls that touch the system's dpkg database.
APT_SYSTEM_OPTS=(-q -y -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

# debian_mirror: print the archive URI the machine uses for bookworm (e.g. "<scheme>://<host>/debian/").
debian_mirror() {
  local uri
  uri=$(apt-get indextargets --format '$(REPO_URI)' 'Identifier: Packages' 'Release: bookworm' 2>/dev/null | head -n1)
  if [[ -z "$uri" ]]; then
    # Fallback: parse one-line and deb822 source files ourselves.
    uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | awk '$1=="deb" { for (i=2;i<=NF;i++) if ($i !~ /^\[/ && $i !~ /\]$/ && $i ~ /:\/\//) { if ($(i+1)=="bookworm") { print $i; exit } } }')
  fi
  if [[ -z "$uri" ]]; then
    uri=$(awk 'BEGIN{RS=""} /Suites:[^\n]*[ \t]bookworm([ \t]|\n|$)/ && /Types:[^\n]*deb([ \t]|\n|$)/ { if (match($0, /URIs:[ \t]*[^ \t\n]+/)) { s=substr($0,RSTART,RLENGTH); sub(/URIs:[ \t]*/,"",s); print s; exit } }' \
      /etc/apt/sources.list.d/*.sources 2>/dev/null)
  fi
  [[ -n "$uri" ]] || { apt_log "cannot find the Debian bookworm mirror in the apt sources"; return 1; }
  printf '%s\n' "${uri%/}/"
}

debian_keyring() {
  local k=/usr/share/keyrings/debian-archive-keyring.gpg
  [[ -r "$k" ]] && printf '%s\n' "$k"
  return 0
}

# trixie_download DEST PKG...: download trixie's .deb files for PKG... into DEST.
trixie_download() {
  local dest=$1; shift
  local tmp mirror keyring rc=0
  mirror=$(debian_mirror) || return 1
  keyring=$(debian_keyring)
  tmp=$(mktemp -d /tmp/migetpacks-trixie.XXXXXX)
  mkdir -p "$tmp/sources" "$tmp/lists/partial" "$tmp/archives/partial" "$tmp/cache" "$dest"
  {
    echo "Types: deb"
    echo "URIs: $mirror"
    echo "Suites: trixie"
    echo "Components: main"
    [[ -n "$keyring" ]] && echo "Signed-By: $keyring"
  } >"$tmp/sources/trixie.sources"
  local opts=(
    -q
    -o "Dir::Etc::SourceList=$tmp/sources/none.list"
    -o "Dir::Etc::SourceParts=$tmp/sources"
    -o "Dir::State::Lists=$tmp/lists"
    -o "Dir::Cache=$tmp/cache"
    -o "Dir::Cache::Archives=$tmp/archives"
    -o "APT::Sandbox::User=root"
    -o "Acquire::Languages=none"
  )
  apt_log "fetching trixie package index (private apt state in $tmp)"
  if apt-get "${opts[@]}" update >"$tmp/update.log" 2>&1; then
    apt_log "downloading from trixie: $*"
    mkdir -p "$tmp/debs"
    (cd "$tmp/debs" && apt-get "${opts[@]}" download -t trixie "$@") >"$tmp/download.log" 2>&1 || rc=$?
    if ((rc == 0)); then mv "$tmp"/debs/*.deb "$dest"/ || rc=$?; fi   # complete files only
  else
    rc=$?
  fi
  if ((rc != 0)); then
    apt_log "trixie download failed:"; tail -n 20 "$tmp"/*.log >&2
  fi
  rm -rf "$tmp"   # the temporary trixie source and its lists go away here
  return "$rc"
}

# trixie_debs DEST PKG...: make sure DEST holds one .deb per PKG (download if missing).
trixie_debs() {
  local dest=$1; shift
  local p missing=()
  for p in "$@"; do
    compgen -G "$dest/${p}_*.deb" >/dev/null || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  trixie_download "$dest" "${missing[@]}"
}
