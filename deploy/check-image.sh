#!/usr/bin/env bash
# CI's stand-in for `docker build` + the image's HEALTHCHECK: builds the deployable directory
# with build-image.sh into a temp dir, starts the server from it (as the image does, from
# outside the repository, on a throwaway SQLite data dir) and checks GET /health/live.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

bash deploy/build-image.sh "$work/app" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
(cd "$work" && ZS_DATA_DIR="$work/data" ZS_PORT=0 ZS_ADMIN_PASSWORD="image-check-$$-$RANDOM" ZS_LOG_LEVEL=warn \
  exec node app/dist/zs-server.js >"$work/stdout" 2>"$work/stderr") &
server_pid=$!
url=""
for _ in $(seq 1 150); do
  url="$(grep -o 'listening on http://[^ ]*' "$work/stdout" 2>/dev/null | cut -d' ' -f3 || true)"
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.2
done
if [ -z "$url" ]; then echo "the deployable server did not start:" >&2; cat "$work/stderr" >&2; exit 1; fi
node -e '
  fetch(process.argv[1] + "/health/live").then(async (r) => {
    const body = await r.text();
    if (r.status !== 200) { console.error(`GET /health/live answered ${r.status}: ${body}`); process.exit(1); }
    console.log(`deployable build ok: GET /health/live ${r.status} ${body}`);
  }, (e) => { console.error(String(e)); process.exit(1); });
' "$url"
kill -TERM "$server_pid"
wait "$server_pid"
server_pid=""
