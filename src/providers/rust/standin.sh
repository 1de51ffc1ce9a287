# shellcheck shell=bash
# Stand-in recipe (sourced by scripts/standins/make.sh): offline images under the
# official names this language's plans use. Helpers come from scripts/standins/lib.sh.
#
# rust:<tag> holds the Rust release the tag names (1.92.0-bookworm → 1.92.0;
# 1.92 → rustup's newest 1.92.x; latest/bookworm → stable), in the official
# image's layout: rustup's `minimal` profile (rustc, cargo, rust-std) as toolchain
# <version>-x86_64-unknown-linux-gnu in RUSTUP_HOME=/usr/local/rustup, rustup
# and its proxies (cargo, rustc...) in CARGO_HOME=/usr/local/cargo/bin, first on
# PATH, RUST_VERSION=<version>, on buildpack-deps-like Debian packages
# (gcc, g++, make, pkg-config, libssl-dev...; -slim: gcc and libc6-dev only).
#
# The toolchain comes from the machine's rustup (`rustup toolchain install`, the
# Rust project's own distribution, into $CACHE/rustup; it answered from this
# machine when this was written). When it cannot be downloaded, the stand-in
# holds the machine's own default toolchain instead and says so: RUST_VERSION
# and the toolchain name are the version it really holds, and LABEL
# org.migetpacks.standin.mismatch names the difference.

RUST_HOST=x86_64-unknown-linux-gnu
RUSTUP_CACHE=$CACHE/rustup

# rust_channel TAG: what rustup is asked for (1.92.0-bookworm → 1.92.0, latest → stable).
rust_channel() {
  local v=${1%%-*}
  case $v in
    [0-9]*.[0-9]*) echo "$v" ;;
    latest | slim | bookworm | bullseye | trixie | 1 | "") echo stable ;;
    *) log "rust: unknown tag '$1'"; return 1 ;;
  esac
}

standin_kind_rust() {
  local c
  c=$(rust_channel "$1")
  if [[ $1 == *slim* ]]; then echo "$c-slim"; else echo "$c"; fi
}

# rust_toolchain CHANNEL: print the directory of an installed toolchain for CHANNEL,
# installing it into $RUSTUP_CACHE (minimal profile) when missing; fails offline.
rust_toolchain() {
  local channel=$1 dir=$RUSTUP_CACHE/toolchains/$1-$RUST_HOST rustup
  rustup=$(command -v rustup) || return 1
  if [[ ! -x $dir/bin/rustc ]]; then
    mkdir -p "$RUSTUP_CACHE"
    log "rust: rustup toolchain install $channel --profile minimal (into $RUSTUP_CACHE)"
    with_lock "$RUSTUP_CACHE/.lock" env RUSTUP_HOME="$RUSTUP_CACHE" CARGO_HOME="$(dirname "$(dirname "$rustup")")" \
      timeout 1200 "$rustup" toolchain install "$channel" --profile minimal --no-self-update >&2 || true
  fi
  [[ -x $dir/bin/rustc ]] && "$dir/bin/rustc" --version >/dev/null && printf '%s\n' "$dir"
}

# rust_version DIR: the release a toolchain directory holds (1.92.0).
rust_version() { "$1/bin/rustc" --version | awk '{print $2}'; }

standin_rust() {
  local channel dir v want rustup proxy
  channel=$(rust_channel "$1")
  rustup=$(command -v rustup) || die "rust stand-ins need the machine's rustup"
  if dir=$(rust_toolchain "$channel"); then
    v=$(rust_version "$dir")
  else
    # No download: the machine's default toolchain, named as what it is.
    dir=$(rustc --print sysroot) && [[ -x $dir/bin/rustc ]] || die "rust: no toolchain for $channel and none on the machine"
    v=$(rust_version "$dir")
    log "rust: cannot download Rust $channel; rust:$1 holds the machine's Rust $v"
    config "LABEL org.migetpacks.standin.mismatch=\"rust:$1 holds Rust $v\""
  fi
  if [[ $1 == *slim* ]]; then rootfs_from ca-certificates,gcc,libc6-dev; else rootfs_from "$BUILDPACK_DEPS"; fi
  # cargo fetches crates over HTTPS, which only the machine's CA bundle trusts here.
  host_ca
  mkdir -p "$ROOT/usr/local/rustup/toolchains" "$ROOT/usr/local/cargo/bin"
  # rustup's minimal profile: no docs, no sources, no rust-analyzer/clippy/rustfmt.
  tar -C "$dir" -cf - --exclude=./share/doc --exclude=./lib/rustlib/src --exclude=./lib/rustlib/rustc-src \
    --exclude='./bin/rust-analyzer*' --exclude='./libexec/rust-analyzer*' . \
    | (mkdir -p "$ROOT/usr/local/rustup/toolchains/$v-$RUST_HOST" && tar -C "$ROOT/usr/local/rustup/toolchains/$v-$RUST_HOST" -xf -)
  printf 'version = "12"\ndefault_toolchain = "%s"\nprofile = "minimal"\n' "$v-$RUST_HOST" >"$ROOT/usr/local/rustup/settings.toml"
  cp -L "$rustup" "$ROOT/usr/local/cargo/bin/rustup"
  for proxy in cargo cargo-clippy cargo-fmt cargo-miri clippy-driver rls rust-analyzer rust-gdb rust-gdbgui rust-lldb rustc rustdoc rustfmt; do
    ln "$ROOT/usr/local/cargo/bin/rustup" "$ROOT/usr/local/cargo/bin/$proxy"
  done
  chmod -R a+w "$ROOT/usr/local/cargo" "$ROOT/usr/local/rustup"
  config "ENV RUSTUP_HOME=/usr/local/rustup" "ENV CARGO_HOME=/usr/local/cargo" \
    "ENV PATH=/usr/local/cargo/bin:$DEFAULT_PATH" "ENV RUST_VERSION=$v" 'CMD ["bash"]'
  want=${1%%-*}
  [[ $want =~ ^[0-9]+\.[0-9]+ && $v != "$want" && $v != "$want".* ]] && log "rust: rust:$1 holds Rust $v"
  return 0
}
