#!/usr/bin/env bash
# Measures one standalone tinykv-server against its limits and a peer, in one run, so the
# figures can be read as ratios (docs/PERFORMANCE.md):
#   (a) RocksDB's own rate (db_bench fillrandom sync=1 batch 1/128, readrandom),
#   (b) the RPC layer's limit: an RPC the server answers without touching the engine
#       (RawGet naming an unknown column family: decode, handler, encode),
#   (c) a one-member etcd 3.4: Put and serializable Range,
# all driven by h2load with fixed gRPC bodies (16-byte key, 100-byte value), 64 in flight over
# 4 connections; then tinykv-bench through the Swift client. Reports the server's peak RSS.
# Needs (Debian): rocksdb-tools etcd-server etcd-client nghttp2-client.
# usage: bench/standalone.sh [N requests per h2load run, default 40000]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-40000}
work=$(mktemp -d /tmp/tinykv-bench.XXXX)
port=20261
etcd_port=23791
trap 'kill $server_pid $etcd_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

for tool in db_bench h2load etcd; do
  command -v $tool >/dev/null || { echo "missing $tool: apt-get install rocksdb-tools nghttp2-client etcd-server etcd-client" >&2; exit 1; }
done
swift build -c release --product tinykv-server >/dev/null
swift build -c release --product tinykv-bench >/dev/null
bin=$(swift build -c release --show-bin-path)

python3 - "$work" <<'PY'
import struct, sys
out = sys.argv[1]
key, val = b"k" * 16, b"v" * 100
def ld(field, b): return bytes([(field << 3) | 2, len(b)]) + b
bodies = {
  "rawput": ld(2, key) + ld(3, val),       # RawPutRequest: key=2, value=3
  "rawget": ld(2, key),                    # RawGetRequest: key=2
  "empty": ld(2, key) + ld(3, b"none"),    # RawGetRequest with cf=3 unknown: no engine work
  "etcd-put": ld(1, key) + ld(2, val),     # etcd PutRequest: key=1, value=2
  "etcd-range": ld(1, key) + bytes([7 << 3, 1]),  # RangeRequest key=1, serializable=7
}
for name, msg in bodies.items():
  open(f"{out}/{name}.bin", "wb").write(b"\x00" + struct.pack(">I", len(msg)) + msg)
PY

h2() { # URL BODY: prints "req/s p99-ish(mean) " from h2load
  h2load -n "$n" -c 4 -m 16 -d "$2" -H 'content-type: application/grpc' -H 'te: trailers' "$1" 2>&1 \
    | awk '/finished in/ {rps=$4} /time for request/ {mean=$6; max=$5} /requests:/ {ok=$8; err=$10}
           END {printf "%s req/s (mean %s, max %s, succeeded %s)\n", rps, mean, max, ok}'
}

echo "== (a) RocksDB db_bench (engine limit), 16 B keys, 100 B values"
common="--key_size=16 --value_size=100 --compression_type=none --db=$work/dbbench --threads=1"
db_bench $common --benchmarks=fillrandom --num=4000 --sync=1 2>&1 | grep -E '^fillrandom' | sed 's/^/  sync=1 batch=1:   /'
db_bench $common --benchmarks=fillrandom --num=200000 --sync=1 --batch_size=128 2>&1 | grep -E '^fillrandom' | sed 's/^/  sync=1 batch=128: /'
db_bench $common --benchmarks=fillrandom,readrandom --num=200000 --sync=0 --reads=200000 2>&1 | grep -E '^readrandom' | sed 's/^/  /'

echo "== tinykv-server (release, standalone), h2load 64 in flight (4 conns x 16)"
"$bin/tinykv-server" --standalone --addr 127.0.0.1:$port --path "$work/tinykv" --loglevel warning &
server_pid=$!
for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
url=http://127.0.0.1:$port/tinykvpb.TinyKv
echo "  (b) empty RPC:  $(h2 $url/RawGet $work/empty.bin)"
echo "  RawPut:         $(h2 $url/RawPut $work/rawput.bin)"
echo "  RawGet:         $(h2 $url/RawGet $work/rawget.bin)"

echo "== tinykv-bench (Swift client; client and server share the 2 cores)"
"$bin/tinykv-bench" raw load --addr 127.0.0.1:$port --keys 20000 2>/dev/null | sed 's/^/  /'
"$bin/tinykv-bench" raw update --addr 127.0.0.1:$port --keys 20000 --duration 5 2>/dev/null | sed 's/^/  /'
"$bin/tinykv-bench" raw read --addr 127.0.0.1:$port --keys 20000 --duration 5 2>/dev/null | sed 's/^/  /'
echo "  server peak RSS: $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$server_pid/status)"
kill $server_pid; wait $server_pid 2>/dev/null || true

echo "== (c) etcd $(etcd --version | head -1 | awk '{print $3}'), one member, same h2load load"
etcd --name b1 --data-dir "$work/etcd" --listen-client-urls http://127.0.0.1:$etcd_port \
  --advertise-client-urls http://127.0.0.1:$etcd_port --listen-peer-urls http://127.0.0.1:23891 \
  --initial-advertise-peer-urls http://127.0.0.1:23891 --initial-cluster b1=http://127.0.0.1:23891 \
  --log-level error >"$work/etcd.log" 2>&1 &
etcd_pid=$!
for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/$etcd_port) 2>/dev/null && break; sleep 0.1; done
sleep 1
eurl=http://127.0.0.1:$etcd_port/etcdserverpb.KV
echo "  Put:              $(h2 $eurl/Put $work/etcd-put.bin)"
echo "  Range (serial.):  $(h2 $eurl/Range $work/etcd-range.bin)"
echo "  etcd peak RSS: $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$etcd_pid/status)"
