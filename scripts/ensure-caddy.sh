#!/usr/bin/env bash
# Makes sure caddy (Debian's package) is on this machine: the tests run `caddy validate` on
# deploy/Caddyfile, the HTTPS proxy of the compose file's `proxy` profile. Nothing is served.
set -euo pipefail
if command -v caddy >/dev/null 2>&1; then
  exit 0
fi
echo "caddy not found: installing Debian's caddy package" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "caddy is missing and this user cannot install it; run: apt-get install caddy" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends caddy >/dev/null
command -v caddy >/dev/null
