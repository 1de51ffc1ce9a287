# shellcheck shell=bash
# Stand-in recipe (sourced by scripts/standins/make.sh): elixir:<tag> and
# elixir:<tag>-slim from Debian bookworm's Elixir and Erlang/OTP packages, in
# the official image's spirit (elixir, mix, erl on PATH, LANG=C.UTF-8).
# No registry reachable here ships other Elixir releases, and a stand-in must
# hold the version its tag names: only bookworm's Elixir (1.14.0, OTP 25) is
# offered, so the e2e fixtures pin `.elixir-version` 1.14.0.
STANDIN_ELIXIR=1.14.0
standin_kind_elixir() { local v=${1%-slim}; echo "${v%%-otp-*}"; }

standin_elixir() {
  local want=${1%-slim}
  want=${want%%-otp-*}
  [[ $want == "$STANDIN_ELIXIR" || $want == "${STANDIN_ELIXIR%.*}" ]] \
    || unavailable "elixir:$1 (Debian ships Elixir $STANDIN_ELIXIR; pin .elixir-version $STANDIN_ELIXIR in e2e fixtures)"
  rootfs_from ca-certificates,elixir,erlang-inets,erlang-dev,git
  [[ -x $ROOT/usr/bin/elixir ]] || die "elixir missing from the stand-in root"
  config "ENV PATH=$DEFAULT_PATH" "ENV LANG=C.UTF-8" "ENV ELIXIR_VERSION=v$STANDIN_ELIXIR" 'CMD ["iex"]'
}
