#!/usr/bin/env bash
# The measurement matrix behind BENCHMARKS.md "Export (ConnectWise calls, time, fleet)".
# Run from the repository root after `npm run -s build && npx tsc -p bench/tsconfig.json`.
# Reports go to bench/results/<stamp>/; the machine's load is printed before and after each case.
set -euo pipefail
out="bench/results/${1:-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"
bench() {
  local name=$1; shift
  echo "== $name: $* | $(uptime)" | tee -a "$out/matrix.log"
  node --expose-gc dist/bench/export/bench-export.js "$@" --out "$out/export-$name.json" 2>>"$out/matrix.log" | tee -a "$out/matrix.log" \
    || echo "== $name FAILED (see $out/matrix.log)" | tee -a "$out/matrix.log"
}
# Scale: 10,000 accounts × 10 SKUs; the limit raised to 60,000/min so the run fits in minutes.
bench n10000-w4-r60000 --accounts 10000 --skus-per-account 10 --workers 4 --rate 60000
# Where the rate limit binds: 100 accounts at 1,000/min, 1, 2 and 4 workers, then 4 partners at once.
bench n100-w1-r1000 --accounts 100 --skus-per-account 10 --workers 1 --rate 1000
bench n100-w2-r1000 --accounts 100 --skus-per-account 10 --workers 2 --rate 1000
bench n100-w4-r1000 --accounts 100 --skus-per-account 10 --workers 4 --rate 1000 --repeat 2
bench n100-w4-p4-r1000 --accounts 100 --skus-per-account 10 --workers 4 --rate 1000 --partners 4
# 1,000 accounts at 6,000/min (at 1,000/min the first run alone needs over 12 minutes).
bench n1000-w4-r6000 --accounts 1000 --skus-per-account 10 --workers 4 --rate 6000
# CPU-bound: 1,000 accounts with the limit out of the way, 1, 2 and 4 workers; 5 unchanged runs (control-plane heap).
bench n1000-w1-r60000 --accounts 1000 --skus-per-account 10 --workers 1 --rate 60000
bench n1000-w2-r60000 --accounts 1000 --skus-per-account 10 --workers 2 --rate 60000 --unchanged-runs 5
bench n1000-w4-r60000 --accounts 1000 --skus-per-account 10 --workers 4 --rate 60000 --repeat 3
# Control plane under 50 clients (PostgreSQL and PGlite), then one client (service time).
echo "== control plane | $(uptime)" | tee -a "$out/matrix.log"
node dist/bench/export/bench-control-plane.js --accounts 10000 --concurrency 50 --seconds 5 --database both --out "$out/control-plane-c50.json" 2>>"$out/matrix.log" | tee -a "$out/matrix.log"
node dist/bench/export/bench-control-plane.js --accounts 10000 --concurrency 1 --seconds 3 --database postgres --out "$out/control-plane-c1.json" 2>>"$out/matrix.log" | tee -a "$out/matrix.log"
echo "== done | $(uptime)" | tee -a "$out/matrix.log"
node dist/bench/export/summarize.js "$out"/export-*.json | tee "$out/summary.md"
