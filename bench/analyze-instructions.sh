#!/usr/bin/env bash
# Instructions `moat analyze` runs over a traffic set, counted by callgrind: the yardstick for a
# change to the engine on a shared machine, where CPU seconds move 10-25% from run to run and the
# machines themselves differ by 2.5x (BENCHMARKS.md). V8 runs all on one thread with fixed seeds,
# so the count holds to about 1% between runs of one build (the GC's timers still move it); it
# counts work, not time (cache misses are free), so it ranks changes, it does not rate them.
# About 8 minutes for dev-v2 (85k requests); pair two builds side by side, one a core.
#
#   bench/analyze-instructions.sh SET_DIR [DIST_DIR]    DIST_DIR: a build's dist/ (default ./dist)
# Prints: instructions, requests, instructions per request.
set -euo pipefail
set_dir=$1
dist=${2:-$(dirname "$0")/../dist}
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install -y valgrind)" >&2; exit 1; }
out=$(mktemp -d /tmp/moat-instructions.XXXXXX)
trap 'rm -rf "$out"' EXIT
# The CLI runs its replay in a child (src/cli/replay-process.ts), which callgrind follows; the
# count is both processes'. --single-threaded keeps the compiles on the replay's thread, in order.
valgrind --tool=callgrind --trace-children=yes --callgrind-out-file=/dev/null --log-file="$out/log.%p" \
  node --single-threaded --hash-seed=1 --random-seed=1 "$dist/cli/main.js" analyze "$set_dir" --out "$out/verdicts.jsonl" 2>/dev/null
instructions=$(cat "$out"/log.* | grep -oE 'Collected : [0-9]+' | awk '{sum += $3} END {print sum}')
requests=$(gzip -cdf "$set_dir"/requests.jsonl* | wc -l)
echo "$instructions instructions, $requests requests, $((instructions / requests)) per request"
