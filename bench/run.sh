#!/usr/bin/env bash
# npm run bench: every benchmark, each writing its own section of BENCHMARKS.md.
#   npm run bench                 all of them (the gateway comparison takes about 15 minutes)
#   npm run bench -- gateway      one of: gateway | analyze | eval | robustness | limits | store | provenance | bus | console
#   GWBENCH_ARGS=--quick npm run bench -- gateway
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
machine() { echo "Machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/^Mem:/{print $2}') GiB, Node $(node --version)."; }

if [[ $which == all || $which == gateway ]]; then
  out=$(mktemp -d /tmp/moat-gwbench.XXXXXX)
  # shellcheck disable=SC2086
  OUT_JSON="$out/gwbench.json" OUT_JSON_BARE="$out/gwbench-bare.json" bash bench/gateway-bench.sh ${GWBENCH_ARGS:-} > "$out/report.md" 2> "$out/progress.log"
  {
    echo "Command: \`npm run bench -- gateway\` (bench/gateway-bench.sh: ../shared/gwbench/run.sh ${GWBENCH_ARGS:-} with Moat as target \`gw\`, every feature on: auth, limits, enforcement, ledger, detection; then a second pass with bench/bare-node-gw.mjs, node:http + undici and no features, as \`gw\`). Date: $(date -u +%Y-%m-%dT%H:%MZ). $(machine) Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
    node bench/gwbench-summary.mjs "$out/gwbench.json" "$out/gwbench-bare.json"
    echo
    echo "<details><summary>Full gwbench report</summary>"
    echo
    sed 's/^# gwbench/### gwbench/; s/^## /#### /' "$out/report.md"
    echo
    echo "</details>"
  } | npx tsx bench/update-section.ts "Gateway overhead (gwbench)"
fi
if [[ $which == all || $which == analyze ]]; then
  # The 10x set comes from our own generator (bench/gen-traffic.ts); made once, kept in /tmp.
  [[ -f /tmp/moat-sets/scale10/accounts.jsonl ]] || npx tsx bench/gen-traffic.ts --preset scale10 --out /tmp/moat-sets/scale10
  load_start=$(cut -d' ' -f1-3 /proc/loadavg)
  table=$(npx tsx bench/analyze-bench.ts ../shared/data/traffic/dev-v1 ../shared/data/traffic/dev-v2 /tmp/moat-sets/scale10)
  {
    echo "Command: \`npm run bench -- analyze\` (bench/analyze-bench.ts over dev-v1, dev-v2 and a 10x set from bench/gen-traffic.ts --preset scale10). Date: $(date -u +%Y-%m-%dT%H:%MZ). $(machine) Load average at start: $load_start; at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
    echo "One process, one JavaScript thread, V8 started as \`moat analyze\` runs its replays (\`--single-threaded-gc\`: no GC helper threads; half V8's inlining budget; src/cli/replay-process.ts); gunzip runs in libuv's pool and TurboFan compiles on V8's worker threads, so *per CPU-second* divides the requests by the CPU time of every thread of the process together, the rate one core sustains; *wall* is end to end on this shared machine (other jobs ran beside it). The \`moat analyze\` column runs the built CLI as its own process: its CPU seconds include start-up and writing the verdicts. Engine bytes/account is what dropping the engine after the run frees (heap and typed arrays' memory, \`arrayBuffers\`, each side read once memory holds still after full collections), divided by accounts: its state alone, without the code compiled on the first run or the replay's own records."
    echo
    echo "$table"
  } | npx tsx bench/update-section.ts "Detection: moat analyze throughput and memory"
fi
if [[ $which == all || $which == eval ]]; then
  {
    echo "Command: \`npm run bench -- eval\` (bench/detection-eval.ts over dev-v1 and dev-v2: the engine, the trailing-24 h volume baseline, calibration and leave-one-out). Date: $(date -u +%Y-%m-%dT%H:%MZ). $(machine)"
    echo
    npx tsx bench/detection-eval.ts 2>/dev/null
  } | npx tsx bench/update-section.ts "Detection quality on dev-v1 and dev-v2"
fi
if [[ $which == all || $which == robustness ]]; then
  {
    echo "Command: \`npm run bench -- robustness\` (bench/robustness.ts). Date: $(date -u +%Y-%m-%dT%H:%MZ). $(machine)"
    echo
    npx tsx bench/robustness.ts 2>/dev/null
  } | npx tsx bench/update-section.ts "Detection robustness curves (generated sets)"
fi
if [[ $which == all || $which == provenance ]]; then
  {
    echo "Command: \`npm run bench -- provenance\` (bench/provenance/stream-bench.ts, gateway-overhead.ts, sweep.ts). Date: $(date -u +%Y-%m-%dT%H:%MZ). $(machine) Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
    echo "### The mark on the streaming path"
    echo
    npx tsx bench/provenance/stream-bench.ts
    echo
    [[ -f bench/provenance/gateway-overhead.ts ]] && npx tsx bench/provenance/gateway-overhead.ts && echo
    echo "### Trigram student on dev-v1 (500 answers of 400-800 tokens), and the frequency attacker"
    echo
    npx tsx bench/provenance/sweep.ts
    echo
    echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  } | npx tsx bench/update-section.ts "Provenance marks"
fi
if [[ $which == all || $which == limits ]] && [[ -f bench/limits-bench.ts ]]; then
  npx tsx bench/limits-bench.ts
fi
if [[ $which == all || $which == store ]]; then
  {
    echo "Command: \`npm run bench -- store\` (bench/store-bench.ts). Date: $(date -u +%Y-%m-%dT%H:%MZ). $(machine) Load average at start: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
    npx tsx bench/store-bench.ts
  } | npx tsx bench/update-section.ts "Store: PostgreSQL ledger inserts, change propagation, idle gateway"
fi
if [[ $which == all || $which == bus ]]; then
  # BUS_ARGS: e.g. "--events 20000 --samples 30"; add --parity for the detection parity over the whole of dev-v1.
  {
    echo "Command: \`npm run bench -- bus\` (bench/bus-bench.ts ${BUS_ARGS:-}). Date: $(date -u +%Y-%m-%dT%H:%MZ). $(machine)"
    echo
    # shellcheck disable=SC2086
    npx tsx bench/bus-bench.ts ${BUS_ARGS:-} 2>/dev/null
  } | npx tsx bench/update-section.ts "Event bus: NATS JetStream throughput and verdict propagation"
fi
if [[ $which == all || $which == console ]]; then
  # The console test times each page load; as a benchmark it writes them to BENCHMARKS.md itself.
  MOAT_BENCH_CONSOLE=1 node --import tsx --test test/console/console-browser.test.ts
fi
