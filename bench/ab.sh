#!/usr/bin/env bash
# One client option against another on the same cluster (docs/PERFORMANCE.md: "Write sessions",
# "Batched requests"): the scheduler and 3 store processes on loopback (release build,
# bench/lib/local-cluster.sh), then `tinykv-bench raw OP` through the routing client with flag A
# and with flag B, alternating in rounds so that the machine's drift falls on both alike; then
# the median of the rounds' ratios (A / B) at each in-flight count.
# usage: bench/ab.sh FLAG_A FLAG_B [OP: update|read, default update] [seconds per run, default 10]
#        [in-flight counts, default "16 64 256"] [rounds, default 3]
#   e.g. bench/ab.sh --write-sessions --no-write-sessions
#        bench/ab.sh --batch-commands --no-batch-commands read 10 "64 256" 4
# Needs (Debian): jq bc time.
# env: KEYS (key space, default 20000), SKIP_BUILD=1, BIN, PORT_BASE (default 23900) as in
#      bench/cluster.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n 8,10p "$0" >&2; exit 2; }
flag_a=$1
flag_b=$2
source bench/lib/ab_args.sh "$@"

bench=ab
source bench/lib/local-cluster.sh
build_release

echo "== scheduler + 3 store processes, raw $op with $flag_a (A) and $flag_b (B), ${seconds}s a run, $rounds rounds"
start_cluster
"$bin/tinykv-bench" raw load --scheduler "$scheduler" --keys "$keys" --connections 4 \
  --concurrency 64 2>/dev/null | sed 's/^/  /'
for round in $(seq "$rounds"); do
  for level in $levels; do
    # Which goes first alternates, so neither always runs on the warmer cluster.
    [ $((round % 2)) = 1 ] && order="a b" || order="b a"
    for side in $order; do
      [ $side = a ] && flag=$flag_a || flag=$flag_b
      "$bin/tinykv-bench" raw "$op" $flag --scheduler "$scheduler" --keys "$keys" \
        --connections 4 --concurrency "$level" --duration "$seconds" \
        --json "$work/$side-$level-$round.json" 2>/dev/null | grep -E "ops/s" | head -1 \
        | sed "s/^/  round $round, $level in flight, $flag: /"
    done
  done
done
stop_cluster

echo "== $flag_a / $flag_b, raw $op (median of $rounds rounds' ratios; p99 in ms)"
python3 bench/lib/ab_summary.py "$work" "$levels" "$rounds" "$flag_a" "$flag_b"
