#!/usr/bin/env bash
# npm run bench: every benchmark, each writing its own section of BENCHMARKS.md.
#   npm run bench                 all of them (the gateway comparison takes about 15 minutes)
#   npm run bench -- gateway      one of: gateway | analyze | limits
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
    echo "Command: \`npm run bench -- gateway\` (bench/gateway-bench.sh: ../shared/gwbench/run.sh ${GWBENCH_ARGS:-} with Moat as target \`gw\`, auth and ledger on). Date: $(date -u +%Y-%m-%dT%H:%MZ). $(machine)"
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
if [[ $which == all || $which == analyze ]] && [[ -f bench/analyze-bench.ts ]]; then
  npx tsx bench/analyze-bench.ts
fi
if [[ $which == all || $which == limits ]] && [[ -f bench/limits-bench.ts ]]; then
  npx tsx bench/limits-bench.ts
fi
