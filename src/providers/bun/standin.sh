# shellcheck shell=bash
# Stand-in recipe (sourced by scripts/standins/make.sh): offline images under the
# official names this language's plans use. Helpers come from scripts/standins/lib.sh.

NAMESPACED[oven/bun]=bun

# oven/bun:<v> and oven/bun:<v>-slim (one image): the tag's own release, the
# x64-baseline build the official image ships (from npm), in its layout: bun
# and bunx in /usr/local/bin, the node fallback, user bun (1000).
standin_bun() {
  rootfs_from ca-certificates
  host_ca
  npm_binary @oven/bun-linux-x64-baseline "${1%%-*}" bin/bun /usr/local/bin/bun
  ln -s /usr/local/bin/bun "$ROOT/usr/local/bin/bunx"
  mkdir -p "$ROOT/usr/local/bun-node-fallback-bin"
  ln -s /usr/local/bin/bun "$ROOT/usr/local/bun-node-fallback-bin/node"
  add_user bun 1000 /home/bun /bin/sh
  install -d -o 1000 -g 1000 "$ROOT/home/bun/app"
  config "ENV PATH=$DEFAULT_PATH:/usr/local/bun-node-fallback-bin" "ENV BUN_RUNTIME_TRANSPILER_CACHE_PATH=0" \
    "ENV BUN_INSTALL_BIN=/usr/local/bin" "ENV NODE_EXTRA_CA_CERTS=$HOST_CA" "WORKDIR /home/bun/app" 'CMD ["/usr/local/bin/bun"]'
}
