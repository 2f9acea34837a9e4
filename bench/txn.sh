#!/usr/bin/env bash
# Transactions against the raw put rate, in one run on one standalone tinykv-server (release):
# raw update (one synced put per op), txn rw1 (one-key read-write transactions: get, prewrite,
# commit) and txn rw4 (four keys per transaction), each through tinykv-bench with the same
# concurrency and connections. Prints each result and the ratios to the raw put rate.
# usage: bench/txn.sh [seconds per workload, default 10] [concurrency, default 64]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
concurrency=${2:-64}
work=$(mktemp -d /tmp/tinykv-txn-bench.XXXX)
port=20262
trap 'kill $server_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

swift build -c release --product tinykv-server >/dev/null
swift build -c release --product tinykv-bench >/dev/null
bin=$(swift build -c release --show-bin-path)

"$bin/tinykv-server" --standalone --addr 127.0.0.1:$port --path "$work/tinykv" --loglevel warning &
server_pid=$!
for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done

common=(--addr 127.0.0.1:$port --keys 100000 --concurrency "$concurrency" --connections 4 --duration "$seconds")
"$bin/tinykv-bench" raw update "${common[@]}" --json "$work/raw.json" 2>/dev/null
"$bin/tinykv-bench" txn rw1 "${common[@]}" --json "$work/rw1.json" 2>/dev/null
"$bin/tinykv-bench" txn rw4 "${common[@]}" --json "$work/rw4.json" 2>/dev/null

python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
raw = json.load(open(f"{w}/raw.json"))
base = raw["opsPerSecond"]
print(f"raw update: {base:,.0f} ops/s, p99 {raw['latencyMicros']['p99'] / 1000:.1f} ms")
for name in ("rw1", "rw4"):
  d = json.load(open(f"{w}/{name}.json"))
  print(f"txn {name}: {d['opsPerSecond']:,.0f} txn/s, p99 {d['latencyMicros']['p99'] / 1000:.1f} ms,"
        f" {d['opsPerSecond'] / base:.2f} x the raw put rate, {d['errors']} failed")
PY
