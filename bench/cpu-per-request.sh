#!/usr/bin/env bash
# CPU time per request of one gateway process (every thread), the figure that stays readable on a
# shared machine where throughput ratios do not: Moat with the gwbench run's config
# (bench/gateway-bench-config.json), or the bare Node floor (bench/bare-node-gw.mjs), behind
# gwbench's mock; a 5 s warm-up, then a measured run; utime+stime from /proc/PID/stat before
# and after, divided by the requests served.
#
#   bench/cpu-per-request.sh moat|bare [chat|stream] [seconds]
#     RATE=50      open loop at that rate (gwbench's rategen) instead of wrk -t1 -c32
#     DELAY_MS=20  the mock answers after that long (gwbench's upstream delay)
#     PIN=1        the gateway runs on that CPU only, its threads sharing it, as gwbench pins it
#     DB=FILE      a copy of this SQLite store instead of an empty one (a ledger that has grown, say)
#     PERF=1       also `perf record -e cpu-clock` the measured run (JS frames through
#                  --perf-basic-prof-only-functions); bench/perf-groups.mjs reads `perf script`
# Prints one line: requests, CPU ms per request, load average before and after; and the run's folder.
set -euo pipefail
cd "$(dirname "$0")/.."
KIND=${1:-moat} MODE=${2:-chat} SECONDS_RUN=${3:-10}
GWBENCH=${GWBENCH:-../shared/gwbench}
# gwbench's own run.sh installs wrk on first use; this script may run before it ever has.
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
WORK=$(mktemp -d /tmp/moat-cpu.XXXXXX)
MOCK_PORT=${MOCK_PORT:-28080} PORT=${PORT:-28090}
STORE="$WORK/moat.db"
[[ -n ${DB:-} ]] && cp "$DB" "$STORE"
MSGS='[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Summarize the benefits of a reverse proxy in two sentences."}]'
STREAM=''
[[ $MODE == stream ]] && STREAM=',"stream":true,"stream_options":{"include_usage":true}'
printf '{"model":"gpt-4o-mini","messages":%s,"temperature":0.2,"max_tokens":256%s}' "$MSGS" "$STREAM" >"$WORK/body.json"

node "$GWBENCH/mock-upstream.mjs" --port "$MOCK_PORT" --delay-ms "${DELAY_MS:-0}" >"$WORK/mock.log" 2>&1 &
MOCK=$!
NODE_FLAGS=()
PINNED=()
[[ -n ${PIN:-} ]] && PINNED=(taskset -c "$PIN")
[[ -n ${PERF:-} ]] && NODE_FLAGS=(--perf-basic-prof-only-functions)
HEADERS=()
if [[ $KIND == moat ]]; then
  SECRET=$(node dist/cli/main.js keys create --account bench --db "$STORE" 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).secret))')
  MOAT_LOG_LEVEL=warn "${PINNED[@]}" node "${NODE_FLAGS[@]}" dist/cli/main.js serve -c bench/gateway-bench-config.json --port "$PORT" --upstream "http://127.0.0.1:$MOCK_PORT/v1" --db "$STORE" >"$WORK/gateway.log" 2>&1 &
  HEADERS=(-H "Authorization: Bearer $SECRET")
else
  "${PINNED[@]}" node "${NODE_FLAGS[@]}" bench/bare-node-gw.mjs --port "$PORT" --upstream "http://127.0.0.1:$MOCK_PORT/v1" >"$WORK/gateway.log" 2>&1 &
fi
GATEWAY=$!
trap 'kill $GATEWAY $MOCK 2>/dev/null || true' EXIT
for _ in $(seq 150); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.2; done

URL="http://127.0.0.1:$PORT/v1/chat/completions"
# Prints the requests answered during the run.
load() {
  if [[ -n ${RATE:-} ]]; then
    node "$GWBENCH/rategen.mjs" --url "$URL" --rate "$RATE" --duration "$1" --warmup 0 --body "$WORK/body.json" "${HEADERS[@]}" --expect none |
      sed -n 's/^GWBENCH_JSON //p' | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).completed_total))'
  else
    GWB_BODY_FILE="$WORK/body.json" GWB_VALIDATE=none wrk -t1 -c32 -d"${1}s" -s "$GWBENCH/wrk-post.lua" "${HEADERS[@]}" "$URL" |
      sed -n 's/^GWBENCH_JSON {"requests":\([0-9]*\).*/\1/p'
  fi
}
ticks() { awk '{ l = $0; sub(/^.*\) /, "", l); split(l, f, " "); print f[12] + f[13] }' "/proc/$GATEWAY/stat"; }

load 5 >/dev/null
BEFORE=$(ticks) LOAD_BEFORE=$(cat /proc/loadavg)
PERF_PID=''
if [[ -n ${PERF:-} ]]; then
  perf record -F "${PERF_HZ:-1999}" -e cpu-clock -g -p "$GATEWAY" -o "$WORK/perf.data" -- sleep "$SECONDS_RUN" >/dev/null 2>&1 &
  PERF_PID=$!
fi
REQUESTS=$(load "$SECONDS_RUN")
[[ -n $PERF_PID ]] && wait "$PERF_PID"
AFTER=$(ticks)
awk -v k="$KIND $MODE${RATE:+ at $RATE req/s}${DELAY_MS:+, upstream delay $DELAY_MS ms}${PIN:+, pinned to CPU $PIN}" -v n="$REQUESTS" -v t="$((AFTER - BEFORE))" -v hz="$(getconf CLK_TCK)" -v l0="$LOAD_BEFORE" -v l1="$(cat /proc/loadavg)" \
  'BEGIN { printf "%s: %d requests, %.3f CPU ms per request; load before %s, after %s\n", k, n, t * 1000 / hz / n, l0, l1 }'
echo "run folder: $WORK"
