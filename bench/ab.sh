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
op=${3:-update}
seconds=${4:-10}
levels=${5:-"16 64 256"}
rounds=${6:-3}
keys=${KEYS:-20000}
base=${PORT_BASE:-23900}
max_replicas=3

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
python3 - "$work" "$levels" "$rounds" "$flag_a" "$flag_b" <<'PY'
import json, statistics, sys
work, levels, rounds, a_name, b_name = sys.argv[1], sys.argv[2].split(), int(sys.argv[3]), sys.argv[4], sys.argv[5]
def run(side, level, r):
    d = json.load(open(f"{work}/{side}-{level}-{r}.json"))
    if d["errors"]:
        print(f"note: {side} at {level}, round {r}: {d['errors']} failed operations", file=sys.stderr)
    return d["opsPerSecond"], d["latencyMicros"]["p99"] / 1000
print(f"| in flight | {a_name} ops/s | {b_name} ops/s | ratio (median) | ratios | p99 A / B |")
print("| --- | --- | --- | --- | --- | --- |")
for level in levels:
    a = [run("a", level, r) for r in range(1, rounds + 1)]
    b = [run("b", level, r) for r in range(1, rounds + 1)]
    ratios = [x[0] / y[0] for x, y in zip(a, b)]
    print(f"| {level} | {statistics.mean(x[0] for x in a):,.0f} | {statistics.mean(x[0] for x in b):,.0f} "
          f"| {statistics.median(ratios):.3f} | {', '.join(f'{x:.3f}' for x in ratios)} "
          f"| {statistics.median(x[1] for x in a):.2f} / {statistics.median(x[1] for x in b):.2f} |")
PY
