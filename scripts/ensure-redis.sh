#!/usr/bin/env bash
# Makes sure redis-server (Debian's package) is on this machine: the tests start their own
# instance on a free loopback port, so nothing else is configured here.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
echo "redis-server not found: installing Debian's redis-server package" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "redis-server is missing and this user cannot install it; run: apt-get install redis-server" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null
# The package may start a system instance; the tests never use it, so leave it alone.
command -v redis-server >/dev/null
