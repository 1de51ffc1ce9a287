# shellcheck shell=bash
# Stand-in recipe (sourced by scripts/standins/make.sh): offline images under the
# official names this language's plans use. Helpers come from scripts/standins/lib.sh.

standin_golang() {
  rootfs_from ca-certificates,git
  # Debian splits GOROOT into /usr/lib/go-1.24 (binaries) whose api, lib, misc,
  # pkg/include, src and test are symlinks into /usr/share/go-1.24 (spread over
  # both packages). Merge them into one real tree; skip test/ (Go's own tests).
  trixie_fetch golang-1.24-go golang-1.24-src
  trixie_extract golang-1.24-go ./usr/lib/go-1.24 /usr/local/go
  find "$ROOT/usr/local/go" -type l -lname '*share/go-1.24*' -delete
  trixie_extract golang-1.24-go ./usr/share/go-1.24 /usr/local/go
  trixie_extract golang-1.24-src ./usr/share/go-1.24 /usr/local/go --exclude=./usr/share/go-1.24/test
  [[ -z $(find "$ROOT/usr/local/go" -xtype l) && -f $ROOT/usr/local/go/pkg/include/textflag.h ]] \
    || die "unexpected layout of trixie's Go packages"
  mkdir -p "$ROOT/go/src" "$ROOT/go/bin" && chmod -R 1777 "$ROOT/go"
  config "ENV PATH=/go/bin:/usr/local/go/bin:$DEFAULT_PATH" "ENV GOPATH=/go" \
    "ENV GOTOOLCHAIN=local" "WORKDIR /go" 'CMD ["bash"]'
}

standin_dhi_golang() {
  distroless_root
}
