#!/usr/bin/env bash
# Install the host packages the hub and its tests need on Debian/Ubuntu, as root.
# Idempotent: each step is skipped when what it provides is already there.
#   scripts/system-deps.sh            engine + proxy (what `make up` needs)
#   scripts/system-deps.sh --test     also Chromium and debootstrap (what `make test` needs)
set -euo pipefail
want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

log() { printf '[system-deps] %s\n' "$*" >&2; }

if [[ $(id -u) -ne 0 ]]; then
  log "not root: install docker.io, nodejs/npm (configurable-http-proxy) and chromium yourself, or re-run with sudo"
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  log "no apt-get: this script supports Debian/Ubuntu; install a Docker engine and configurable-http-proxy by hand"
  exit 1
fi

pkgs=()
command -v dockerd >/dev/null || pkgs+=(docker.io)
command -v debootstrap >/dev/null || pkgs+=(debootstrap)
command -v npm >/dev/null || pkgs+=(npm)
# the offline workshop kit (`ungp usb build`): image archives and the manifest's signature
command -v zstd >/dev/null || pkgs+=(zstd)
command -v openssl >/dev/null || pkgs+=(openssl)
if [[ $want_test -eq 1 ]]; then
  command -v chromium >/dev/null || pkgs+=(chromium)
  command -v pdftoppm >/dev/null || pkgs+=(poppler-utils)
fi
if [[ ${#pkgs[@]} -gt 0 ]]; then
  log "installing ${pkgs[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" iptables >/dev/null
fi
