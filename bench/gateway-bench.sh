#!/usr/bin/env bash
# Moat as gwbench's gateway under test (every feature on: auth, limits, enforcement, ledger,
# detection), beside direct calls, nginx and Portkey, all proxying the same local mock; then
# the bare Node floor (bench/bare-node-gw.mjs: node:http + undici, no features) the same way.
# Writes the markdown reports to stdout and the JSON of each pass to $OUT_JSON and
# $OUT_JSON_BARE. Pass gwbench options through, e.g. --quick.
set -euo pipefail
cd "$(dirname "$0")/.."
GWBENCH=${GWBENCH:-../shared/gwbench}
WORK=$(mktemp -d /tmp/moat-bench.XXXXXX)
OUT_JSON=${OUT_JSON:-$WORK/gwbench.json}
OUT_JSON_BARE=${OUT_JSON_BARE:-$WORK/gwbench-bare.json}
DB="$WORK/moat.db"
# Every feature on, as the issue's acceptance asks: limits high enough never to refuse.
CONFIG="$PWD/bench/gateway-bench-config.json"

SECRET=$(node dist/cli/main.js keys create --account bench --db "$DB" 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).secret))')

MOAT_LOG_LEVEL=warn "$GWBENCH/run.sh" --json "$OUT_JSON" \
  --gw-name moat \
  --gw-url 'http://127.0.0.1:{PORT}/v1' \
  --gw-cmd "MOAT_LOG_LEVEL=warn exec node $PWD/dist/cli/main.js serve -c $CONFIG --port {PORT} --upstream {MOCK_URL} --db $DB" \
  --gw-key "$SECRET" \
  "$@"

# The ledger must hold what was served: report its size as a check that it was on.
node -e '
const Database = require("better-sqlite3");
const db = new Database(process.argv[1], { readonly: true });
const row = db.prepare("SELECT count(*) AS n, sum(prompt_tokens + completion_tokens) AS tokens FROM requests").get();
console.error(`ledger after the run: ${row.n} requests, ${row.tokens} tokens`);
' "$DB"

echo
"$GWBENCH/run.sh" --json "$OUT_JSON_BARE" --targets direct,nginx,gw \
  --gw-name node-bare \
  --gw-url 'http://127.0.0.1:{PORT}/v1' \
  --gw-cmd "exec node $PWD/bench/bare-node-gw.mjs --port {PORT} --upstream {MOCK_URL}" \
  "$@"
