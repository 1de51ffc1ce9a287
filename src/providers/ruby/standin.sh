# shellcheck shell=bash
# Stand-in recipe (sourced by scripts/standins/make.sh): offline images under the
# official names this language's plans use. Helpers come from scripts/standins/lib.sh.

# ruby:<v> and ruby:<v>-slim (one image): bookworm's Ruby 3.1.2 and Bundler 2.3.15
# (Debian packages), in the official image's environment: GEM_HOME and
# BUNDLE_APP_CONFIG at /usr/local/bundle, LANG=C.UTF-8. Ruby lives in /usr/bin
# rather than /usr/local/bin; the plans call it through PATH. The version is
# bookworm's whatever the tag says, so e2e fixtures pin 3.1.2 and BUNDLED WITH 2.3.15.
# One image per version tag, so a tag naming another Ruby is refused, not faked.
# (dhi.io/ruby:<v>-dev derives from the same builder image.)
ruby_release() { local v=${1%-dev}; echo "${v%-slim}"; }
standin_kind_ruby() { ruby_release "$1"; }

standin_ruby() {
  local v
  v=$(ruby_release "$1")
  [[ $v == 3.1 || $v == 3.1.2 ]] || unavailable "ruby:$1 (Debian ships Ruby 3.1.2; no registry here ships others)"
  rootfs_from ca-certificates,ruby,bundler
  host_ca
  mkdir -p "$ROOT/usr/local/bundle/bin" && chmod 1777 "$ROOT/usr/local/bundle"
  config "ENV PATH=/usr/local/bundle/bin:$DEFAULT_PATH" "ENV LANG=C.UTF-8" "ENV GEM_HOME=/usr/local/bundle" \
    "ENV BUNDLE_SILENCE_ROOT_WARNING=1" "ENV BUNDLE_APP_CONFIG=/usr/local/bundle" "ENV RUBY_VERSION=3.1.2" 'CMD ["irb"]'
}

# dhi.io/ruby:<v>: distroless — bookworm's Ruby (binary, standard library,
# native extensions, Bundler, RubyGems integration) and exactly the shared
# libraries they load, users root and nonroot (65532), no shell. Proves the
# shell-less start (`ruby -S bundle exec ...`).
standin_dhi_ruby() {
  local src lib
  distroless_root
  src=$(mktemp -d "${WORK:-/var/tmp}/ruby-src.XXXXXX")
  tar -C "$src" --numeric-owner -xpf "$(base_tarball ca-certificates,ruby,bundler)"
  mkdir -p "$ROOT/usr/bin" "$ROOT/usr/lib" "$ROOT/usr/share" "$ROOT/usr/lib/x86_64-linux-gnu"
  cp -a "$src/usr/lib/ruby" "$ROOT/usr/lib/"
  cp -a "$src/usr/lib/x86_64-linux-gnu/ruby" "$ROOT/usr/lib/x86_64-linux-gnu/"
  cp -a "$src/usr/share/rubygems-integration" "$ROOT/usr/share/"
  cp -L "$src/usr/bin/ruby" "$ROOT/usr/bin/ruby"
  cp -L "$src/usr/bin/bundle" "$src/usr/bin/gem" "$ROOT/usr/bin/"
  # The loader and every library the interpreter and its extensions link to, found by ldd inside that root.
  for lib in $( { echo /usr/bin/ruby; find "$src/usr/lib/x86_64-linux-gnu/ruby" -name '*.so' | sed "s|^$src||"; } \
      | xargs -I{} chroot "$src" ldd {} 2>/dev/null | grep -o '/[^ ]*' | sort -u); do
    mkdir -p "$ROOT$(dirname "$lib")"
    cp -L "$src$lib" "$ROOT$lib"
  done
  rm -rf "$src"
  config "ENV LANG=C.UTF-8" 'CMD ["irb"]'
}
