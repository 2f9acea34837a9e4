#!/usr/bin/env bash
# The cluster against its peer, in one run (docs/PERFORMANCE.md, "Cluster (3 store processes)"):
#   (a) tinyscheduler-server and 3 tinykv-server processes on loopback (release build, data in a
#       temp folder; started here rather than by tinykv-playground, to pass the scheduler a
#       config); tinykv-bench through the routing client
#       (--scheduler): 100-byte writes (raw update) and linearizable reads (raw read: ReadIndex on
#       the leader) at each in-flight count, over 4 connections;
#   (b) etcd 3.4 with 3 members on loopback (../shared/bench/etcd3.sh), Put and linearizable
#       Range of a 16-byte key / 100-byte value through h2load with fixed gRPC bodies, at the
#       same in-flight counts over 4 connections, latencies from h2load's per-request log;
# then a table of ops/s, p50/p99/p999 and the ratios to etcd. The cluster is stopped before
# etcd starts, so the two never share the 2 cores.
# Needs (Debian): etcd-server etcd-client nghttp2-client jq.
# usage: bench/cluster.sh [seconds per run, default 10] [in-flight counts, default "16 64 256"]
# env: KEYS (key space, default 20000), SKIP_BUILD=1 (use the release binaries as they are),
#      MAX_REPLICAS (the scheduler's replication.max-replicas, default 3; 1 keeps the scheduler
#      from adding peers: the cost of replication apart),
#      PORT_BASE (default 23900: scheduler PORT_BASE, status +2, stores +10..12, status +20..22).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
levels=${2:-"16 64 256"}
keys=${KEYS:-20000}
base=${PORT_BASE:-23900}
max_replicas=${MAX_REPLICAS:-3}
scheduler=127.0.0.1:$base
anchors=$(cd ../shared/bench && pwd)
work=$(mktemp -d /tmp/tinykv-cluster-bench.XXXX)
pids=""

stop_cluster() {
  [ -n "$pids" ] || return 0
  # Stores first, then the scheduler (the last pid); SIGTERM is a graceful stop.
  for pid in $pids; do
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  pids=""
}
cleanup() {
  stop_cluster
  "$anchors/etcd3.sh" stop "$work/etcd" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in h2load etcd etcdctl jq python3 bc /usr/bin/time; do
  command -v $tool >/dev/null || {
    echo "missing $tool: apt-get install etcd-server etcd-client nghttp2-client jq" >&2; exit 1; }
done
if [ -z "${SKIP_BUILD:-}" ]; then
  for product in tinyscheduler-server tinykv-server tinykv-ctl tinykv-bench; do
    echo "building $product (release)" >&2
    swift build -c release --product $product >/dev/null
  done
fi
bin=$(swift build -c release --show-bin-path)
ctl() { "$bin/tinykv-ctl" "$@" --scheduler "$scheduler"; }

echo "== (a) tinykv: scheduler + 3 store processes (max-replicas $max_replicas), tinykv-bench --scheduler, ${seconds}s a run"
mkdir -p "$work/cluster"
printf '[replication]\nmax-replicas = %d\n' "$max_replicas" >"$work/cluster/scheduler.toml"
"$bin/tinyscheduler-server" --client-urls "http://$scheduler" --data-dir "$work/cluster/scheduler" \
  --status-addr "127.0.0.1:$((base + 2))" --config "$work/cluster/scheduler.toml" --loglevel warning \
  >"$work/cluster/scheduler.log" 2>&1 &
scheduler_pid=$!
pids="$scheduler_pid"
for _ in $(seq 100); do ctl scheduler stores >/dev/null 2>&1 && break; sleep 0.2; done
for i in 1 2 3; do
  "$bin/tinykv-server" --addr "127.0.0.1:$((base + 9 + i))" --path "$work/cluster/store-$i" \
    --scheduler "$scheduler" --status-addr "127.0.0.1:$((base + 19 + i))" --loglevel warning \
    >"$work/cluster/store-$i.log" 2>&1 &
  pids="$! $pids"
done
# Ready: 3 stores up, and the first region (from the empty key, where the bench's keys are until
# it splits) has a leader; then up to 20 s more for its replicas to reach max-replicas.
first='[.regions[]? | select(.start_key == "")] | first'
status='{}'
for t in $(seq 300); do
  for pid in $pids; do kill -0 "$pid" 2>/dev/null || {
    echo "a server exited:" >&2; tail -5 "$work"/cluster/*.log >&2; exit 1; }; done
  status=$(ctl cluster status --json 2>/dev/null || echo '{}')
  up=$(jq '[.stores[]? | select(.state == "up")] | length' <<<"$status")
  has_leader=$(jq "($first | .leader) != null" <<<"$status")
  replicas=$(jq "($first | .peers | length) // 0" <<<"$status")
  if [ "$up" = 3 ] && [ "$has_leader" = true ]; then
    [ "$replicas" -ge "$max_replicas" ] && break
    [ -z "${leader_at:-}" ] && leader_at=$t
    [ $((t - leader_at)) -ge 100 ] && break
  fi
  sleep 0.2
done
[ "$has_leader" = true ] || { echo "the cluster was not ready in 60 s" >&2; exit 1; }
region=$(jq "$first | .id" <<<"$status")
replicas=$(jq "$first | .peers | length" <<<"$status")
leader=$(jq -r "$first | .leader.store_id // \"none\"" <<<"$status")
echo "  stores up: $(jq '[.stores[] | select(.state == "up")] | length' <<<"$status")," \
  "regions: $(jq '.regions | length' <<<"$status"), first region $region: $replicas replica(s)," \
  "leader on store $leader"
[ "$replicas" -lt "$max_replicas" ] && echo "  warning: the first region has $replicas of $max_replicas replicas; measuring it as it is"

# CPU seconds (user + system) the processes $@ have used so far.
cpu() {
  local ticks=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] && ticks=$((ticks + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')))
  done
  echo "scale=1; $ticks / $(getconf CLK_TCK)" | bc
}
stores=${pids% *}
bench() { "$bin/tinykv-bench" raw "$@" --scheduler "$scheduler" --keys "$keys" --connections 4; }
bench load --concurrency 64 2>/dev/null | sed 's/^/  /'
for level in $levels; do
  for op in update read; do
    before_stores=$(cpu $stores) before_scheduler=$(cpu "$scheduler_pid")
    /usr/bin/time -f "%U %S" -o "$work/bench-cpu" "$bin/tinykv-bench" raw $op \
      --scheduler "$scheduler" --keys "$keys" --connections 4 --concurrency "$level" \
      --duration "$seconds" --json "$work/tinykv-$op-$level.json" \
      2>"$work/tinykv-$op-$level.progress" | sed 's/^/  /'
    echo "    cpu s: bench $(awk '{print $1 + $2}' "$work/bench-cpu"), stores" \
      "$(echo "$(cpu $stores) - $before_stores" | bc), scheduler" \
      "$(echo "$(cpu "$scheduler_pid") - $before_scheduler" | bc) (the machine has $(nproc) cores)"
  done
done
after=$(jq "$first | .peers | length" <<<"$(ctl cluster status --json)")
echo "  after the runs: first region $region has $after replica(s)"
stop_cluster

echo "== (b) etcd $(etcd --version | head -1 | awk '{print $3}'), 3 members, h2load Put and linearizable Range"
"$anchors/etcd3.sh" start "$work/etcd" >/dev/null
python3 "$anchors/grpc_body.py" etcd-put "$work/etcd-put.bin"
python3 "$anchors/grpc_body.py" etcd-range "$work/etcd-range.bin"
etcd_pids=$(cat "$work"/etcd/e*.pid)
etcd_leader=$(ETCDCTL_API=3 etcdctl --endpoints=127.0.0.1:23701,127.0.0.1:23702,127.0.0.1:23703 \
  endpoint status | grep true | cut -d, -f1)
for level in $levels; do
  for op in update read; do
    [ $op = update ] && { body=put; method=Put; } || { body=range; method=Range; }
    before_etcd=$(cpu $etcd_pids)
    h2load -D "$seconds" -c 4 -m $((level / 4)) -d "$work/etcd-$body.bin" \
      -H 'content-type: application/grpc' -H 'te: trailers' --log-file "$work/etcd-$op-$level.log" \
      "http://$etcd_leader/etcdserverpb.KV/$method" 2>&1 | grep -E "finished in|requests:" \
      | sed "s/^/  $method in-flight $level: /"
    echo "    cpu s: etcd members $(echo "$(cpu $etcd_pids) - $before_etcd" | bc)"
  done
done

echo "== cluster (first region: $replicas replica(s) before the runs, $after after) vs. etcd 3 members, ${seconds}s a run, latencies in ms"
python3 - "$work" "$seconds" "$levels" <<'PY'
import json, sys
work, seconds, levels = sys.argv[1], float(sys.argv[2]), sys.argv[3].split()

def pct(sorted_us, p):
    if not sorted_us: return float("nan")
    return sorted_us[min(len(sorted_us) - 1, int(len(sorted_us) * p / 100))] / 1000

def etcd(op, level):
    rows = [l.split("\t") for l in open(f"{work}/etcd-{op}-{level}.log") if l.strip()]
    ok = sorted(int(r[2]) for r in rows if r[1] == "200")
    starts = [int(r[0]) for r in rows]
    span = (max(int(r[0]) + int(r[2]) for r in rows) - min(starts)) / 1e6 if rows else seconds
    return len(ok) / span, pct(ok, 50), pct(ok, 99), pct(ok, 99.9)

def tinykv(op, level):
    d = json.load(open(f"{work}/tinykv-{op}-{level}.json"))
    l = d["latencyMicros"]
    if d["errors"]:
        print(f"note: tinykv {op} at {level} in flight: {d['errors']} failed operations", file=sys.stderr)
    return d["opsPerSecond"], l["p50"] / 1000, l["p99"] / 1000, l["p999"] / 1000

print("| op | in flight | tinykv ops/s | p50 / p99 / p999 | etcd ops/s | p50 / p99 / p999 | ops/s ratio | p99 ratio |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for op, name in (("update", "write (Put)"), ("read", "linearizable read (Range)")):
    for level in levels:
        t, e = tinykv(op, level), etcd(op, level)
        print(f"| {name} | {level} | {t[0]:,.0f} | {t[1]:.2f} / {t[2]:.2f} / {t[3]:.2f} "
              f"| {e[0]:,.0f} | {e[1]:.2f} / {e[2]:.2f} / {e[3]:.2f} "
              f"| {t[0] / e[0]:.2f}x | {t[2] / e[2]:.2f}x |")
PY
