#!/usr/bin/env bash
# The project's one test command (README's Quick start): installs what the tests need,
# then type-checks, lints, builds and runs the whole suite. Style drift fails like a broken test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-redis.sh
bash scripts/ensure-caddy.sh
bash scripts/ensure-tool.sh chromium chromium
bash scripts/ensure-tool.sh promtool prometheus
npx tsc --noEmit
npx biome ci .
npx vitest run "$@"
