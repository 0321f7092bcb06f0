#!/usr/bin/env bash
# npm run bench: every benchmark, each writing its own section of BENCHMARKS.md.
#   npm run bench                 all of them (the gateway comparison takes about 15 minutes)
#   npm run bench -- gateway      one of: gateway | analyze | eval | robustness | limits | store | bus
#   GWBENCH_ARGS=--quick npm run bench -- gateway
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
machine() { echo "Machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(free -g | awk '/^Mem:/{print $2}') GiB, Node $(node --version)."; }

if [[ $which == all || $which == gateway ]]; then
  out=$(mktemp -d /tmp/moat-gwbench.XXXXXX)
  # shellcheck disable=SC2086
  OUT_JSON="$out/gwbench.json" bash bench/gateway-bench.sh ${GWBENCH_ARGS:-} > "$out/report.md" 2> "$out/progress.log"
  {
    echo "Command: \`npm run bench -- gateway\` (bench/gateway-bench.sh: ../shared/gwbench/run.sh ${GWBENCH_ARGS:-} with Moat as target \`gw\`, auth and ledger on). Date: $(date -u +%Y-%m-%dT%H:%MZ). $(machine) Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
    node bench/gwbench-summary.mjs "$out/gwbench.json"
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
  table=$(npx tsx bench/analyze-bench.ts ../shared/data/traffic/dev-v1 /tmp/moat-sets/scale10)
  {
    echo "Command: \`npm run bench -- analyze\` (bench/analyze-bench.ts over dev-v1 and a 10x set from bench/gen-traffic.ts --preset scale10). Date: $(date -u +%Y-%m-%dT%H:%MZ). $(machine) Load average at start: $(cut -d' ' -f1-3 /proc/loadavg)."
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
