#!/usr/bin/env bash
# SQL (issue 18): sysbench-style workloads through tinysql-server next to the same operations
# on the store itself, in one run (docs/PERFORMANCE.md, "SQL (issue 18)"):
#   (a) tinykv-playground (tinyscheduler-server, 3 tinykv-server processes and tinysql-server
#       on loopback, release build, data in a temp folder); `tinykv-bench sql prepare` (sysbench's
#       sbtest1, TABLE_SIZE rows), then `tinykv-bench sql point-select | range | insert` at each
#       thread count (one connection per thread, prepared statements, binary results);
#   (b) on the same cluster, the store's own limit for each: tinykv-bench through the routing
#       client (--scheduler, 4 connections, the thread count in flight, 16-byte keys, 200-byte
#       values ~ a sysbench row):
#         point select  <->  raw read (a linearizable get)     and ycsb c --txn (a snapshot get:
#                                                                a TSO timestamp, then the get)
#         range         <->  raw scan --scan-length 100        and ycsb e --txn (snapshot scans
#                                                                of 1 ... 199 keys, 100 on average,
#                                                                with 5% inserts; its scans' rate)
#         insert        <->  raw update (a put)                and txn rw1 (a 1-key read-write
#                                                                transaction: get, prewrite, commit)
# then a markdown table of statements/s and latency percentiles with the ratios SQL / raw and
# SQL / txn. Machines are noisy: read the ratios, measured minutes apart on the same cluster.
# With --local: tinysql-server --store=local alone (its store in the process, no cluster, no
# replication), the SQL workloads only.
# usage: bench/sql.sh [--local] [seconds per run, default 10] [thread counts, default "16 64"]
# env: TABLE_SIZE (rows, default 10000), SKIP_BUILD=1 (use the release binaries as they are),
#      BIN (a folder of release binaries to use instead of this package's),
#      PORT_BASE (default 25900: scheduler PORT_BASE, its status +2, stores +10..12, their status
#      +20..22, SQL +30, its status +31).
set -euo pipefail
cd "$(dirname "$0")/.."
local_mode=false
if [ "${1:-}" = --local ]; then local_mode=true; shift; fi
seconds=${1:-10}
levels=${2:-"16 64"}
table_size=${TABLE_SIZE:-10000}
base=${PORT_BASE:-25900}
scheduler=127.0.0.1:$base
sql_port=$((base + 30))

for tool in python3 mysql; do
  command -v $tool >/dev/null || { echo "missing $tool: apt-get install python3 mariadb-client" >&2; exit 1; }
done
bin=${BIN:-$(swift build -c release --show-bin-path)}
if [ -z "${SKIP_BUILD:-}${BIN:-}" ]; then
  for product in tinyscheduler-server tinykv-server tinysql-server tinykv-playground tinykv-bench; do
    echo "building $product (release)" >&2
    swift build -c release --product $product >/dev/null
  done
fi

work=$(mktemp -d /tmp/tinykv-sql-bench.XXXX)
server_pid=""
# On exit: the playground (which stops its servers) or the local tinysql-server, the temp folder.
cleanup() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Exits with the end of $1 (a log) unless the server's process is alive.
alive() {
  kill -0 "$server_pid" 2>/dev/null || { echo "the server exited:" >&2; tail -20 "$1" >&2; exit 1; }
}

echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
if $local_mode; then
  echo "== tinysql-server --store=local (no cluster), ${seconds}s a run, $table_size rows"
  "$bin/tinysql-server" --store local --path "$work/local" --host 127.0.0.1 -P "$sql_port" \
    --status 0 -L warning >"$work/tinysql.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 150); do alive "$work/tinysql.log"; (echo >/dev/tcp/127.0.0.1/$sql_port) 2>/dev/null && break; sleep 0.2; done
else
  echo "== tinykv-playground: scheduler + 3 stores + tinysql-server, ${seconds}s a run, $table_size rows"
  "$bin/tinykv-playground" --dir "$work/playground" --clean --scheduler-port "$base" \
    --store-port $((base + 10)) --status-port $((base + 20)) --sql-port "$sql_port" \
    --sql-status-port $((base + 31)) --loglevel warning >"$work/playground.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 450); do
    alive "$work/playground.log"
    grep -q "cluster ready" "$work/playground.log" && break
    sleep 0.2
  done
  grep -q "cluster ready" "$work/playground.log" || { echo "the playground was not ready in 90 s" >&2; tail "$work/playground.log" >&2; exit 1; }
  grep "first region\|ready" "$work/playground.log" | sed 's/^/  /'
fi
mysql -h 127.0.0.1 -P "$sql_port" -u root -e "SELECT 1" >/dev/null ||
  { echo "tinysql-server does not answer on port $sql_port" >&2; exit 1; }

sql() { "$bin/tinykv-bench" sql "$@" --port "$sql_port" --table-size "$table_size"; }
sql prepare --threads 16 2>"$work/prepare.progress" | sed 's/^/  /'
if ! $local_mode; then
  store() { "$bin/tinykv-bench" "$@" --scheduler "$scheduler" --keys "$table_size" --value-size 200 --connections 4; }
  store raw load --concurrency 64 2>/dev/null | head -1 | sed 's/^/  /'
  store ycsb load --txn --concurrency 64 2>/dev/null | head -1 | sed 's/^/  /'
fi
for level in $levels; do
  for w in point-select range insert; do
    sql $w --threads "$level" --duration "$seconds" --json "$work/sql-$w-$level.json" \
      2>"$work/sql-$w-$level.progress" | sed 's/^/  /' ||
      { echo "  sql $w at $level threads failed:"; tail -3 "$work/sql-$w-$level.progress" | sed 's/^/    /'; }
  done
  $local_mode && continue
  run=(--concurrency "$level" --duration "$seconds")
  store raw read "${run[@]}" --json "$work/raw-read-$level.json" 2>/dev/null | head -2 | sed 's/^/  /'
  store raw scan --scan-length 100 "${run[@]}" --json "$work/raw-scan-$level.json" 2>/dev/null | head -2 | sed 's/^/  /'
  store raw update "${run[@]}" --json "$work/raw-update-$level.json" 2>/dev/null | head -2 | sed 's/^/  /'
  store ycsb c --txn --distribution uniform "${run[@]}" --json "$work/txn-get-$level.json" 2>/dev/null | head -2 | sed 's/^/  /'
  store ycsb e --txn --distribution uniform --max-scan-length 199 "${run[@]}" \
    --json "$work/txn-scan-$level.json" 2>/dev/null | head -2 | sed 's/^/  /'
  store txn rw1 "${run[@]}" --json "$work/txn-rw1-$level.json" 2>/dev/null | head -2 | sed 's/^/  /'
done
echo "  load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== SQL vs. the store ($($local_mode && echo "tinysql-server --store=local" || echo "playground, 3 stores")), ${seconds}s a run, latencies in ms"
python3 - "$work" "$levels" "$local_mode" <<'PY'
import json, os, sys
work, levels, local = sys.argv[1], sys.argv[2].split(), sys.argv[3] == "true"

def load(name):
    path = f"{work}/{name}.json"
    if not os.path.exists(path):
        return None
    d = json.load(open(path))
    if d["errors"]:
        print(f"note: {name}: {d['errors']} failed operations", file=sys.stderr)
    return d

def kind(d, name):
    """The per-kind entry `name` of a mixed result (ycsb e's scans), as a result of its own."""
    for k in d.get("kinds", []):
        if k["name"] == name:
            return {"opsPerSecond": k["opsPerSecond"], "latencyMicros": k["latencyMicros"]}
    return None

def lat(d):
    l = d["latencyMicros"]
    return f"{l['p50'] / 1000:.2f} / {l['p99'] / 1000:.2f} / {l['p999'] / 1000:.2f}"

def ratio(a, b):
    return f"{a['opsPerSecond'] / b['opsPerSecond']:.2f}x" if a and b and b["opsPerSecond"] else "-"

baselines = {
    "point-select": (("raw read", "raw-read", None), ("txn get (ycsb c)", "txn-get", None)),
    "range": (("raw scan 100", "raw-scan", None), ("txn scan ~100 (ycsb e)", "txn-scan", "scan")),
    "insert": (("raw put", "raw-update", None), ("txn rw1", "txn-rw1", None)),
}
if local:
    print("| workload | threads | SQL stmt/s | p50 / p99 / p999 |")
    print("| --- | --- | --- | --- |")
else:
    print("| workload | threads | SQL stmt/s | p50 / p99 / p999 | raw op: ops/s | SQL / raw "
          "| txn op: ops/s | SQL / txn | txn p50 / p99 / p999 |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for w in ("point-select", "range", "insert"):
    for level in levels:
        s = load(f"sql-{w}-{level}")
        if s is None:
            continue
        row = f"| {w} | {level} | {s['opsPerSecond']:,.0f} | {lat(s)} |"
        if not local:
            (rn, rf, _), (tn, tf, tk) = baselines[w]
            r, t = load(f"{rf}-{level}"), load(f"{tf}-{level}")
            if t and tk:
                t = kind(t, tk)
            row += (f" {rn}: {r['opsPerSecond']:,.0f} | {ratio(s, r)} |" if r else " - | - |")
            row += (f" {tn}: {t['opsPerSecond']:,.0f} | {ratio(s, t)} | {lat(t)} |" if t else " - | - | - |")
        print(row)
        for k in s.get("kinds", []):
            print(f"| &nbsp; {w}: {k['name']} | {level} | {k['opsPerSecond']:,.0f} | {lat(k)} |"
                  + ("" if local else " | | | | |"))
PY
