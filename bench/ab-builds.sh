#!/usr/bin/env bash
# One build of the stores against another (docs/PERFORMANCE.md, "The leader's appends before
# its fsync"): for each side in turn, a fresh local cluster (the scheduler and 3 store
# processes on loopback, bench/lib/local-cluster.sh) from that side's folder of release
# binaries, the keys loaded, then `tinykv-bench raw OP` at each in-flight count; the sides
# alternate over the rounds so that the machine's drift falls on both alike; then the median of
# the rounds' ratios (A / B) at each in-flight count.
# usage: bench/ab-builds.sh BIN_A BIN_B [OP: update|read, default update] [seconds per run,
#        default 10] [in-flight counts, default "16 64 256"] [rounds, default 3]
#   e.g. keep a copy of .build/release's four binaries (tinyscheduler-server, tinykv-server,
#        tinykv-ctl, tinykv-bench) before a change, build again, then
#        bench/ab-builds.sh .build/release /tmp/before
# Needs (Debian): jq bc time.
# env: KEYS (key space, default 20000), PORT_BASE (default 23900), CONFIG_A / CONFIG_B (a TOML
#      file the stores of that side start with, e.g. to compare [rocksdb] settings on one build).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n 8,12p "$0" >&2; exit 2; }
bin_a=$(cd "$1" && pwd)
bin_b=$(cd "$2" && pwd)
source bench/lib/ab_args.sh "$@"

bench=ab-builds
BIN=$bin_a
source bench/lib/local-cluster.sh

echo "== raw $op: stores of $bin_a (A) against $bin_b (B), ${seconds}s a run, $rounds rounds"
for round in $(seq "$rounds"); do
  [ $((round % 2)) = 1 ] && order="a b" || order="b a"
  for side in $order; do
    if [ $side = a ]; then bin=$bin_a STORE_CONFIG=${CONFIG_A:-}; else bin=$bin_b STORE_CONFIG=${CONFIG_B:-}; fi
    start_cluster
    "$bin/tinykv-bench" raw load --scheduler "$scheduler" --keys "$keys" --connections 4 \
      --concurrency 64 >/dev/null 2>&1
    for level in $levels; do
      "$bin/tinykv-bench" raw "$op" --scheduler "$scheduler" --keys "$keys" --connections 4 \
        --concurrency "$level" --duration "$seconds" --json "$work/$side-$level-$round.json" \
        2>/dev/null | grep -E "ops/s" | head -1 | sed "s/^/  round $round, side $side: /"
    done
    stop_cluster
    rm -rf "$work/cluster"
  done
done

echo "== A / B, raw $op (median of $rounds rounds' ratios; p99 in ms)"
python3 bench/lib/ab_summary.py "$work" "$levels" "$rounds" "$bin_a" "$bin_b"
