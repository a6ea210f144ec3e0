#!/usr/bin/env bash
# Builds a self-contained, deployable zs-server into OUT_DIR: what the Dockerfile's build stage
# runs, and what CI runs (then starts the result and checks /health/live), so the image's steps
# are tested on machines without Docker. Run from anywhere: bash deploy/build-image.sh OUT_DIR
#
# OUT_DIR/dist/zs-server.js is the bundled server; OUT_DIR/node_modules holds only its runtime
# dependencies (sqlite3's native module, the GCP SDK), no dev dependency and no workspace link.
set -euo pipefail
out="${1:?usage: build-image.sh OUT_DIR}"
cd "$(dirname "$0")/.."

export TURBO_TELEMETRY_DISABLED=1
# sqlite3 builds against the system SQLite when its headers are there (seconds, not minutes).
if [ -f /usr/include/sqlite3.h ]; then export npm_config_sqlite=/usr; fi
pnpm install --frozen-lockfile
pnpm exec turbo run build --filter=@zs/server...
rm -rf "$out"
# --legacy: the server bundles its workspace packages, so no injected copies are needed.
pnpm --filter=@zs/server deploy --prod --legacy "$out"
node "$out/dist/zs-server.js" --version
