#!/usr/bin/env bash
# Makes sure a command from a Debian package is on this machine, installing the package when it
# is missing: `ensure-tool.sh chromium chromium` (the browser tests drive Debian's Chromium, never
# a downloaded one), `ensure-tool.sh promtool prometheus` (checks the shipped alert rules).
set -euo pipefail
command_name="$1"
package="$2"
if command -v "$command_name" >/dev/null 2>&1; then
  exit 0
fi
echo "$command_name not found: installing Debian's $package package" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "$command_name is missing and this user cannot install it; run: apt-get install $package" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "$package" >/dev/null
command -v "$command_name" >/dev/null
