# shellcheck shell=bash
# Stand-in recipe (sourced by scripts/standins/make.sh): offline images under the
# official names this language's plans use. Helpers come from scripts/standins/lib.sh.

# ruby:<v> and ruby:<v>-slim (one image): bookworm's Ruby 3.1.2 and Bundler 2.3.15
# (Debian packages), in the official image's environment: GEM_HOME and
# BUNDLE_APP_CONFIG at /usr/local/bundle, LANG=C.UTF-8. Ruby lives in /usr/bin
# rather than /usr/local/bin; the plans call it through PATH. The version is
# bookworm's whatever the tag says, so e2e fixtures pin 3.1.2 and BUNDLED WITH 2.3.15.
standin_ruby() {
  rootfs_from ca-certificates,ruby,bundler
  host_ca
  mkdir -p "$ROOT/usr/local/bundle/bin" && chmod 1777 "$ROOT/usr/local/bundle"
  config "ENV PATH=/usr/local/bundle/bin:$DEFAULT_PATH" "ENV LANG=C.UTF-8" "ENV GEM_HOME=/usr/local/bundle" \
    "ENV BUNDLE_SILENCE_ROOT_WARNING=1" "ENV BUNDLE_APP_CONFIG=/usr/local/bundle" "ENV RUBY_VERSION=3.1.2" 'CMD ["irb"]'
}
