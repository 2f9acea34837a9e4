#!/usr/bin/env bash
# YCSB A, B, C, E (raw and transactional) and the bank on the local 3-store cluster, next to a
# 3-member etcd 3.4 doing the matching raw operations, in one run (docs/PERFORMANCE.md, "YCSB
# and the bank"):
#   (a) tinyscheduler-server and 3 tinykv-server processes on loopback (release build,
#       bench/lib/local-cluster.sh); `tinykv-bench ycsb load`, then ycsb a|b|c|e at each
#       in-flight count, raw (ClusterRawClient) and with --txn (ClusterTxnClient: a read is a
#       snapshot get, an update a get + put committed, a scan a snapshot scan), then
#       `tinykv-bench txn bank` (transfers between 1,000 accounts, total audited), 4 connections;
#       the txn rows also with --distribution uniform ("txn-uniform");
#   (b) with the cluster stopped, etcd 3.4 with 3 members (../shared/bench/etcd3.sh) under
#       h2load with fixed gRPC bodies doing the matching raw operations: c = linearizable Range
#       of one key; a = Range and Put at once, half the in-flight requests each; b = Range with
#       15/16 of them and Put with 1/16; e = a Range over 50 keys (limit 50; YCSB's scans are
#       1-100 records, 50 on average) with 15/16 and Put with 1/16. etcd has no transactions of
#       this kind to match: the txn rows and the bank are compared with etcd's raw rows.
# Results: a CSV (system, api, workload, in flight, ops/s, p50/p99/p999 ms) in bench/results/
# (or $OUT) and a table on stdout; bench/plot_throughput.py draws the SVG from the CSV.
# Needs (Debian): etcd-server etcd-client nghttp2-client jq.
# usage: bench/ycsb.sh [seconds per run, default 8] [in-flight counts, default "16 64 256"]
# env: KEYS (records, default 10000), SKIP_BUILD=1, BIN (a folder of release binaries to use
#      as they are), MAX_REPLICAS (default 3), PORT_BASE (default 24900), OUT (the CSV's path).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-8}
levels=${2:-"16 64 256"}
keys=${KEYS:-10000}
base=${PORT_BASE:-24900}
max_replicas=${MAX_REPLICAS:-3}
out=${OUT:-bench/results/ycsb-$(date -u +%Y%m%d-%H%M).csv}
bench=ycsb
source bench/lib/local-cluster.sh
require_tools h2load etcd etcdctl
build_release
mkdir -p "$(dirname "$out")"

echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
echo "== (a) tinykv: scheduler + 3 stores (max-replicas $max_replicas), ${seconds}s a run"
start_cluster
ycsb() { "$bin/tinykv-bench" ycsb "$@" --scheduler "$scheduler" --keys "$keys" --connections 4; }
ycsb load --concurrency 64 2>/dev/null | head -1 | sed 's/^/  /'
ycsb load --txn --concurrency 64 2>/dev/null | head -1 | sed 's/^/  /'
for level in $levels; do
  for api in raw txn txn-uniform; do
    # txn-uniform: the transactional rows with uniformly chosen records, beside the zipfian
    # ones (under zipfian skew, updates of the hot records conflict).
    case $api in raw) flag="" ;; txn) flag=--txn ;; txn-uniform) flag="--txn --distribution uniform" ;; esac
    for w in a b c e; do
      ycsb $w $flag --concurrency "$level" --duration "$seconds" \
        --json "$work/tinykv-$api-$w-$level.json" 2>/dev/null | head -1 | sed 's/^/  /'
    done
  done
  "$bin/tinykv-bench" txn bank --scheduler "$scheduler" --keys 1000 --connections 4 \
    --concurrency "$level" --duration "$seconds" --json "$work/tinykv-txn-bank-$level.json" \
    2>/dev/null | sed 's/^/  /'
done
echo "  load average after (a): $(cut -d' ' -f1-3 /proc/loadavg)"
stop_cluster

echo "== (b) etcd $(etcd --version | head -1 | awk '{print $3}'), 3 members, h2load"
"$anchors/etcd3.sh" start "$work/etcd" >/dev/null
python3 "$anchors/grpc_body.py" etcd-put "$work/put.bin"
python3 "$anchors/grpc_body.py" etcd-range "$work/range.bin"
# A Range over the 60 keys k*16 + "00".."59" (written below), at most 50 of them.
python3 - "$work/scan.bin" <<'PY'
import struct, sys
def ld(field, b): return bytes([(field << 3) | 2, len(b)]) + b
msg = ld(1, b"k" * 16 + b"00") + ld(2, b"k" * 15 + b"l") + bytes([3 << 3, 50])
open(sys.argv[1], "wb").write(b"\x00" + struct.pack(">I", len(msg)) + msg)
PY
endpoints=127.0.0.1:23701,127.0.0.1:23702,127.0.0.1:23703
etcd_leader=$(ETCDCTL_API=3 etcdctl --endpoints=$endpoints endpoint status | grep true | cut -d, -f1)
value=$(printf 'v%.0s' $(seq 100))
{ echo; for i in $(seq -w 0 59); do echo "put kkkkkkkkkkkkkkkk$i $value"; done; echo; echo; } |
  ETCDCTL_API=3 etcdctl --endpoints="$etcd_leader" txn >/dev/null
ETCDCTL_API=3 etcdctl --endpoints="$etcd_leader" put kkkkkkkkkkkkkkkk "$value" >/dev/null
# h2load NAME METHOD BODY CONNECTIONS STREAMS: one load, its per-request log in NAME.log.
h2() {
  h2load -D "$seconds" -c "$4" -m "$5" -d "$work/$3.bin" -H 'content-type: application/grpc' \
    -H 'te: trailers' --log-file "$work/$1.log" "http://$etcd_leader/etcdserverpb.KV/$2" >/dev/null 2>&1
}
for level in $levels; do
  big=$((level * 15 / 16 / 4)) small=$((level / 16))
  h2 "etcd-c-$level" Range range 4 $((level / 4))
  h2 "etcd-a-$level-get" Range range 2 $((level / 4)) & h2 "etcd-a-$level-put" Put put 2 $((level / 4)); wait
  h2 "etcd-b-$level-get" Range range 4 $big & h2 "etcd-b-$level-put" Put put 1 $small; wait
  h2 "etcd-e-$level-scan" Range scan 4 $big & h2 "etcd-e-$level-put" Put put 1 $small; wait
  echo "  etcd in flight $level: done"
done

python3 - "$work" "$seconds" "$levels" "$out" <<'PY'
import csv, glob, json, os, sys
work, seconds, levels, out = sys.argv[1], float(sys.argv[2]), sys.argv[3].split(), sys.argv[4]

def pct(values, p):
    return values[min(len(values) - 1, int(len(values) * p / 100))] / 1000 if values else float("nan")

def etcd(workload, level):
    rows = []
    for path in glob.glob(f"{work}/etcd-{workload}-{level}*.log"):
        rows += [l.split("\t") for l in open(path) if l.strip()]
    ok = sorted(int(r[2]) for r in rows if r[1] == "200")
    span = (max(int(r[0]) + int(r[2]) for r in rows) - min(int(r[0]) for r in rows)) / 1e6 if rows else seconds
    return len(ok) / span, pct(ok, 50), pct(ok, 99), pct(ok, 99.9)

def tinykv(api, workload, level):
    d = json.load(open(f"{work}/tinykv-{api}-{workload}-{level}.json"))
    l = d["latencyMicros"]
    if d["errors"]:
        print(f"note: tinykv {api} {workload} at {level}: {d['errors']} failed operations", file=sys.stderr)
    return d["opsPerSecond"], l["p50"] / 1000, l["p99"] / 1000, l["p999"] / 1000

rows = []
for level in levels:
    for w in "abce":
        rows.append(("etcd", "raw", w, level) + etcd(w, level))
        rows.append(("tinykv", "raw", w, level) + tinykv("raw", w, level))
        rows.append(("tinykv", "txn", w, level) + tinykv("txn", w, level))
        rows.append(("tinykv", "txn-uniform", w, level) + tinykv("txn-uniform", w, level))
    rows.append(("tinykv", "txn", "bank", level) + tinykv("txn", "bank", level))
with open(out, "w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(["system", "api", "workload", "in_flight", "ops_per_s", "p50_ms", "p99_ms", "p999_ms"])
    for r in rows:
        writer.writerow(list(r[:4]) + [f"{r[4]:.0f}", f"{r[5]:.2f}", f"{r[6]:.2f}", f"{r[7]:.2f}"])
print(f"wrote {out}")
etcd_rate = {(r[2], r[3]): r[4] for r in rows if r[0] == "etcd"}
print("| workload | in flight | api | ops/s | p50 / p99 / p999 ms | vs. etcd (raw, same workload) |")
print("| --- | --- | --- | --- | --- | --- |")
for r in sorted(rows, key=lambda r: ("abceb".index(r[2][0]) if r[2] != "bank" else 9, int(r[3]), r[0], r[1])):
    base = etcd_rate.get((r[2], r[3]))
    ratio = f"{r[4] / base:.2f}x" if base and r[0] != "etcd" else ""
    name = "bank" if r[2] == "bank" else r[2].upper()
    print(f"| {name} | {r[3]} | {r[0]} {r[1]} | {r[4]:,.0f} | {r[5]:.2f} / {r[6]:.2f} / {r[7]:.2f} | {ratio} |")
PY
