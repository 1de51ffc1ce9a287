# shellcheck shell=bash
# Stand-in recipe (sourced by scripts/standins/make.sh): offline images under the
# official names this language's plans use. Helpers come from scripts/standins/lib.sh.

standin_rust() {
  # bookworm's rustc + cargo (Rust 1.63; they pull in gcc and libc6-dev for
  # linking) in the official image's layout: CARGO_HOME=/usr/local/cargo holds
  # the registry/git caches and is first on PATH; RUSTUP_HOME exists, empty.
  rootfs_from ca-certificates,rustc,cargo
  mkdir -p "$ROOT/usr/local/cargo/bin" "$ROOT/usr/local/rustup"
  ln -s /usr/bin/cargo "$ROOT/usr/local/cargo/bin/cargo"
  ln -s /usr/bin/rustc "$ROOT/usr/local/cargo/bin/rustc"
  chmod -R a+w "$ROOT/usr/local/cargo" "$ROOT/usr/local/rustup"
  config "ENV RUSTUP_HOME=/usr/local/rustup" "ENV CARGO_HOME=/usr/local/cargo" \
    "ENV PATH=/usr/local/cargo/bin:$DEFAULT_PATH" "ENV RUST_VERSION=1.63.0" 'CMD ["bash"]'
}
