# shellcheck shell=bash
# Stand-in recipe (sourced by scripts/standins/make.sh): offline images under the
# official names this language's plans use. Helpers come from scripts/standins/lib.sh.
#
# golang:<tag> holds the Go release the tag names: `1.22` is the newest 1.22.x,
# `1.22.3` itself, `1`/`latest` the newest release; variants (-bookworm...) are
# accepted. Go toolchains are modules on the Go module proxy
# (golang.org/toolchain@v0.0.1-go<version>.linux-amd64): the machine's `go`
# downloads one into $CACHE/go-toolchains and the stand-in gets that tree as
# /usr/local/go, in the official image's layout (GOPATH=/go, GOTOOLCHAIN=local,
# GOLANG_VERSION, gcc/g++/make/pkg-config for cgo). Releases before 1.21 are not
# published as toolchain modules: such a tag gets 1.21's newest patch and says so
# in LABEL org.migetpacks.standin.mismatch and GOLANG_VERSION.

# Debian packages of the builder (the official image: buildpack-deps:bookworm-scm + cgo's compilers).
GO_BUILDER_DEBS=ca-certificates,curl,git,openssh-client,procps,netbase,xz-utils,gcc,g++,libc6-dev,make,pkg-config
GO_TOOLCHAINS=$CACHE/go-toolchains

go_machine() {
  command -v go >/dev/null || die "golang stand-ins need the machine's go (to fetch toolchains from the Go module proxy)"
  (cd / && GOTOOLCHAIN=local GOFLAGS=-modcacherw GOMODCACHE=$GO_TOOLCHAINS go "$@")
}

# go_versions: Go releases with a linux-amd64 toolchain module, one a line (cached for a day).
go_versions() {
  cached_list "$STANDIN_CACHE/go-toolchain.versions" 1440 go_machine list -m -versions golang.org/toolchain \
    | tr ' ' '\n' | sed -n 's/^v0\.0\.1-go\([0-9][0-9.]*\)\.linux-amd64$/\1/p'
}

# go_release TAG: the Go release a golang: tag names (1.22 → newest 1.22.x).
go_release() {
  local v=${1%%-*} got
  case $v in
    latest | bookworm | bullseye | trixie | "") v="" ;;
    [0-9]*) ;;
    *) log "golang: unknown tag '$1'"; return 1 ;;
  esac
  got=$(go_versions | newest_matching "$v")
  if [[ -z $got && $v =~ ^1\.([0-9]+) ]] && ((BASH_REMATCH[1] < 21)); then
    got=$(go_versions | newest_matching 1.21)
  fi
  [[ -n $got ]] || { log "golang: no Go release matches '$1' on the Go module proxy"; return 1; }
  printf '%s\n' "$got"
}

standin_kind_golang() { go_release "$1"; }

standin_golang() {
  local v dir asked=${1%%-*}
  v=$(go_release "$1")
  dir=$(go_machine mod download -json "golang.org/toolchain@v0.0.1-go$v.linux-amd64" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [[ -d $dir/bin ]] || die "golang $v: cannot download its toolchain from the Go module proxy"
  rootfs_from "$GO_BUILDER_DEBS"
  mkdir -p "$ROOT/usr/local/go"
  cp -a "$dir/." "$ROOT/usr/local/go/"
  # Module zips carry no file modes: make the tools executable (as `go` does when it switches toolchains).
  chmod -R u+w,a+rX "$ROOT/usr/local/go"
  chmod a+x "$ROOT/usr/local/go/bin/"* "$ROOT/usr/local/go/pkg/tool/linux_amd64/"*
  [[ $(cat "$ROOT/usr/local/go/VERSION" | head -n1) == "go$v" ]] || die "golang $v: unexpected toolchain tree in $dir"
  mkdir -p "$ROOT/go/src" "$ROOT/go/bin" && chmod -R 1777 "$ROOT/go"
  if [[ $asked =~ ^[0-9] && $v != "$asked" && $v != "$asked".* ]]; then
    log "golang: no toolchain for $asked on the Go module proxy; golang:$1 holds Go $v"
    config "LABEL org.migetpacks.standin.mismatch=\"golang:$1 holds Go $v\""
  fi
  config "ENV GOLANG_VERSION=$v" "ENV GOTOOLCHAIN=local" "ENV GOPATH=/go" \
    "ENV PATH=/go/bin:/usr/local/go/bin:$DEFAULT_PATH" "WORKDIR /go" 'CMD ["bash"]'
}

standin_dhi_golang() {
  distroless_root
}
