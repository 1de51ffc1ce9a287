# shellcheck shell=bash
# Stand-in recipe (sourced by scripts/standins/make.sh): offline images under the
# official names this language's plans use. Helpers come from scripts/standins/lib.sh.

NAMESPACED[denoland/deno]=deno

# denoland/deno:<v>: the tag's own release (npm's linux-x64-glibc build) in the
# official Debian image's layout: /usr/bin/deno, user deno (1993), DENO_DIR=/deno-dir/.
standin_deno() {
  rootfs_from ca-certificates
  host_ca
  npm_binary @deno/linux-x64-glibc "${1%%-*}" deno /usr/bin/deno
  add_user deno 1993 /home/deno /bin/sh
  install -d -o 1993 -g 1993 "$ROOT/deno-dir"
  config "ENV PATH=$DEFAULT_PATH" "ENV DENO_DIR=/deno-dir/" "ENV DENO_INSTALL_ROOT=/usr/local" \
    "ENV DENO_VERSION=$NPM_BINARY_VERSION" "ENV DENO_CERT=$HOST_CA" 'CMD ["deno", "--version"]'
}
