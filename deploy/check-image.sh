#!/usr/bin/env bash
# CI's stand-in for `docker build` + the image's HEALTHCHECK: builds the deployable directory
# with build-image.sh into a temp dir, starts the server from it (as the image does, from
# outside the repository, on a throwaway SQLite data dir) and checks GET /health/live and the
# dashboard it serves at /.
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
  const url = process.argv[1];
  (async () => {
    const live = await fetch(url + "/health/live");
    const body = await live.text();
    if (live.status !== 200) throw new Error(`GET /health/live answered ${live.status}: ${body}`);
    // The dashboard ships in the image: its page, under its CSP, and the script that page loads.
    const page = await fetch(url + "/");
    const html = await page.text();
    const script = /<script[^>]* src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    if (page.status !== 200 || !/script-src .self./.test(page.headers.get("content-security-policy") ?? "") || !script) {
      throw new Error(`GET / is not the dashboard: ${page.status} ${html.slice(0, 200)}`);
    }
    const asset = await fetch(url + script);
    if (asset.status !== 200) throw new Error(`GET ${script} answered ${asset.status}`);
    console.log(`deployable build ok: GET /health/live ${live.status} ${body}; the dashboard at / loads ${script}`);
  })().catch((error) => { console.error(String(error.message ?? error)); process.exit(1); });
' "$url"
kill -TERM "$server_pid"
wait "$server_pid"
server_pid=""
