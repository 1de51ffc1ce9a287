# shellcheck shell=bash
# Stand-in recipes shared by the JVM languages (sourced by scripts/standins/make.sh;
# helpers from scripts/standins/lib.sh). Every JVM stand-in carries the JDK major
# its tag names: OpenJDK 17 from Debian bookworm, 21 from Debian trixie (a whole
# trixie root filesystem, so its libc matches); other majors are refused. Layout
# as the official images: JAVA_HOME=/opt/java/openjdk first on PATH, and Java's
# own trust store (cacerts) holding the machine's CA bundle, so Maven, sbt and
# Leiningen reach the package registries from RUN steps.

# eclipse-temurin:17-jre and :21-jre (and maven:3-eclipse-temurin-17 / -21, ...) are
# different images: make.sh's per-tag hook (standin_kind_<repo>) names the JDK major.
standin_kind_eclipse_temurin() { jvm_which eclipse-temurin "$1"; }
standin_kind_maven() { jvm_which maven "$1"; }
standin_kind_gradle() { jvm_which gradle "$1"; }
standin_kind_dhi_eclipse_temurin() { jvm_which dhi.io/eclipse-temurin "$1"; }

# jvm_major REPO TAG: the JDK major a tag names (17-jre, 3-eclipse-temurin-21, jdk17,
# temurin-21-lein, eclipse-temurin-17.0.15_6_1.11.2_3.7.1).
jvm_major() {
  local repo=$1 t=$2
  case $repo in
    eclipse-temurin) ;;
    gradle) t=${t##*jdk} ;;
    *) t=${t#*temurin-} ;;
  esac
  t=${t%%[!0-9]*}
  [[ -n $t ]] || { log "$repo:$2: no JDK major in the tag"; return 1; }
  printf '%s\n' "$t"
}

# jvm_which REPO TAG: what tells a repository's images apart: the JDK major (and flavour).
jvm_which() {
  local repo=$1 tag=$2 major flavour=""
  major=$(jvm_major "$repo" "$tag") || return 1
  [[ $repo == clojure ]] && { [[ $tag == *tools-deps* ]] && flavour=-tools-deps || flavour=-lein; }
  printf '%s\n' "$major$flavour"
}

# jvm_rootfs MAJOR [PKGS]: Debian root filesystem with OpenJDK MAJOR (+ PKGS, comma list) in $ROOT.
jvm_rootfs() {
  local major=$1 pkgs="ca-certificates,ca-certificates-java,openjdk-$1-jdk-headless${2:+,$2}" home release
  case $major in
    17) rootfs_from "$pkgs" ;;
    21) jvm_trixie_rootfs "$pkgs" ;;
    *) die "no stand-in for JDK $major: Debian ships OpenJDK 17 (bookworm) and 21 (trixie); pin one of those" ;;
  esac
  home=/usr/lib/jvm/java-$major-openjdk-$(dpkg --print-architecture)
  [[ -x $ROOT$home/bin/java ]] || die "OpenJDK $major is missing from the root filesystem"
  mkdir -p "$ROOT/opt/java" "$ROOT/etc/ssl/certs/java"
  ln -sfn "$home" "$ROOT/opt/java/openjdk"
  host_ca
  cp -L /etc/ssl/certs/java/cacerts "$ROOT/etc/ssl/certs/java/cacerts"
  release=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$ROOT$home/release")
  config "ENV JAVA_HOME=/opt/java/openjdk" "ENV PATH=/opt/java/openjdk/bin:$DEFAULT_PATH" \
    "ENV JAVA_VERSION=jdk-$release" "ENV LANG=C.UTF-8"
}

# jvm_trixie_rootfs PKGS: like rootfs_from, from Debian trixie (cached tarball).
jvm_trixie_rootfs() {
  local out=$STANDIN_CACHE/rootfs-trixie-minbase+${1//,/+}.tar
  [[ -s $out ]] || with_lock "$out.lock" jvm_trixie_tarball "$1" "$out"
  tar -C "$ROOT" --numeric-owner -xpf "$out"
}

jvm_trixie_tarball() {
  local pkgs=$1 out=$2 tmp mirror keyring
  [[ -s $out ]] && return 0
  mirror=$(debian_mirror) || die "no Debian mirror found in the apt sources"
  keyring=$(debian_keyring)
  tmp=${out%.tar}.partial.tar
  log "mmdebstrap trixie minbase + $pkgs (cached as ${out##*/})"
  mmdebstrap --quiet --variant=minbase --include="$pkgs" trixie "$tmp" \
    "deb ${keyring:+[signed-by=$keyring] }$mirror trixie main" </dev/null >&2 \
    || { rm -f "$tmp"; die "mmdebstrap (trixie) failed"; }
  mv "$tmp" "$out"
}

standin_eclipse_temurin() {
  # eclipse-temurin:<major>-jre / -jdk: the JDK (both flavours), and the images' uid 1000 user.
  jvm_rootfs "$(jvm_major eclipse-temurin "$1")"
  add_user ubuntu 1000
  config 'CMD ["jshell"]'
}

# dhi.io/eclipse-temurin:<major>: the same JDK without any shell (rm'd from the root
# filesystem), and the distroless images' nonroot user.
standin_dhi_eclipse_temurin() {
  jvm_rootfs "$(jvm_major dhi.io/eclipse-temurin "$1")"
  rm -f "$ROOT"/usr/bin/{sh,bash,dash,rbash} "$ROOT"/bin/{sh,bash,dash,rbash} 2>/dev/null || true
  add_user nonroot 65532 /home/nonroot /sbin/nologin
  config "ENV PATH=/opt/java/openjdk/bin:$DEFAULT_PATH" 'CMD ["java", "-version"]'
}
