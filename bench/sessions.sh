#!/usr/bin/env bash
# What write sessions cost (docs/PERFORMANCE.md, "Write sessions"): the scheduler and 3 store
# processes on loopback (release build, bench/lib/local-cluster.sh), then raw 100-byte writes
# through the routing client with sessions (the default) and without (--no-write-sessions),
# alternating in rounds so that the machine's drift falls on both alike; then the median of the
# rounds' ratios at each in-flight count.
# usage: bench/sessions.sh [seconds per run, default 10] [in-flight counts, default "16 64 256"]
#        [rounds, default 3]
# Needs (Debian): jq bc time.
# env: KEYS (key space, default 20000), SKIP_BUILD=1, BIN, PORT_BASE (default 23900) as in
#      bench/cluster.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
levels=${2:-"16 64 256"}
rounds=${3:-3}
keys=${KEYS:-20000}
base=${PORT_BASE:-23900}
max_replicas=3

bench=sessions
source bench/lib/local-cluster.sh
build_release

echo "== scheduler + 3 store processes, raw writes with and without sessions, ${seconds}s a run, $rounds rounds"
start_cluster
"$bin/tinykv-bench" raw load --scheduler "$scheduler" --keys "$keys" --connections 4 \
  --concurrency 64 2>/dev/null | sed 's/^/  /'
for round in $(seq "$rounds"); do
  for level in $levels; do
    # Which goes first alternates, so neither always runs on the warmer cluster.
    [ $((round % 2)) = 1 ] && order="on off" || order="off on"
    for mode in $order; do
      [ $mode = on ] && flag=--write-sessions || flag=--no-write-sessions
      "$bin/tinykv-bench" raw update $flag --scheduler "$scheduler" --keys "$keys" \
        --connections 4 --concurrency "$level" --duration "$seconds" \
        --json "$work/$mode-$level-$round.json" 2>/dev/null | grep -E "ops/s" | head -1 \
        | sed "s/^/  round $round, $level in flight, sessions $mode: /"
    done
  done
done
stop_cluster

echo "== write sessions' cost (median of $rounds rounds' ratios; p99 in ms)"
python3 - "$work" "$levels" "$rounds" <<'PY'
import json, statistics, sys
work, levels, rounds = sys.argv[1], sys.argv[2].split(), int(sys.argv[3])
def run(mode, level, r):
    d = json.load(open(f"{work}/{mode}-{level}-{r}.json"))
    if d["errors"]:
        print(f"note: {mode} at {level}, round {r}: {d['errors']} failed operations", file=sys.stderr)
    return d["opsPerSecond"], d["latencyMicros"]["p99"] / 1000
print("| in flight | with sessions ops/s | without ops/s | ratio (median) | ratios | p99 with / without |")
print("| --- | --- | --- | --- | --- | --- |")
for level in levels:
    on = [run("on", level, r) for r in range(1, rounds + 1)]
    off = [run("off", level, r) for r in range(1, rounds + 1)]
    ratios = [a[0] / b[0] for a, b in zip(on, off)]
    print(f"| {level} | {statistics.mean(x[0] for x in on):,.0f} | {statistics.mean(x[0] for x in off):,.0f} "
          f"| {statistics.median(ratios):.3f} | {', '.join(f'{x:.3f}' for x in ratios)} "
          f"| {statistics.median(x[1] for x in on):.2f} / {statistics.median(x[1] for x in off):.2f} |")
PY
