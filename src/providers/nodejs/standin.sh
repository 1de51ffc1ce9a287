# shellcheck shell=bash
# Stand-in recipe (sourced by scripts/standins/make.sh): offline images under the
# official names this language's plans use. Helpers come from scripts/standins/lib.sh.

standin_node() {
  local mods m
  rootfs_from ca-certificates
  host_ca
  cp -L "$(command -v node)" "$ROOT/usr/local/bin/node"
  mods=$(npm root -g 2>/dev/null)
  mkdir -p "$ROOT/usr/local/lib/node_modules"
  for m in npm corepack; do
    [[ -d $mods/$m ]] && cp -a "$mods/$m" "$ROOT/usr/local/lib/node_modules/"
  done
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ROOT/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$ROOT/usr/local/bin/npx"
  [[ -d $mods/corepack ]] && ln -s ../lib/node_modules/corepack/dist/corepack.js "$ROOT/usr/local/bin/corepack"
  add_user node 1000
  config "ENV PATH=$DEFAULT_PATH" "ENV NODE_EXTRA_CA_CERTS=$HOST_CA" \
    "ENV NPM_CONFIG_CAFILE=$HOST_CA" 'CMD ["node"]'
}

standin_dhi_node() {
  distroless_root
  add_user node 1000 /home/node /sbin/nologin
  copy_with_libs "$(command -v node)" /usr/local/bin/node
  config "ENV NODE_EXTRA_CA_CERTS=$HOST_CA" 'CMD ["node"]'
}
