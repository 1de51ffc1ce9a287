# shellcheck shell=bash
# Stand-ins for clojure:temurin-<major>-lein and -tools-deps (JDK helpers in
# ../jvm/standin.sh). Leiningen is Debian's package (2.10 on bookworm); the
# Clojure CLI (tools.deps) is not packaged, so that flavour's `clojure` says why
# it cannot run here (deps.edn builds are proven by plan and LLB tests).
standin_kind_clojure() { jvm_which clojure "$1"; }

standin_clojure() {
  local tag=$1 major
  major=$(jvm_major clojure "$tag")
  if [[ $tag == *tools-deps* ]]; then
    jvm_rootfs "$major"
    printf '#!/bin/sh\necho "clojure stand-in: the Clojure CLI is not available offline" >&2\nexit 1\n' >"$ROOT/usr/local/bin/clojure"
    chmod 755 "$ROOT/usr/local/bin/clojure"
  else
    jvm_rootfs "$major" leiningen
    ln -s /usr/bin/lein "$ROOT/usr/local/bin/lein"
    config "ENV LEIN_ROOT=1"
  fi
  config "WORKDIR /tmp" 'CMD ["repl"]'
}
