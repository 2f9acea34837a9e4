#!/usr/bin/env bash
# The raft store against its peer, in one run (docs/PERFORMANCE.md): 100-byte writes to a
# 3-replica region at 1, 16, 64 and 256 in flight,
#   (a) tinykv-bench raftstore: 3 stores in one process, real engines and fsync, no RPC layer;
#   (b) etcd 3.4 with 3 members on loopback (../shared/bench/etcd3.sh), Put through h2load with
#       a fixed gRPC body, at the same in-flight counts.
# Needs (Debian): etcd-server etcd-client nghttp2-client.
# usage: bench/raftstore.sh [seconds per in-flight count, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}
anchors=$(cd ../shared/bench && pwd)
work=$(mktemp -d /tmp/tinykv-raftstore-bench.XXXX)
trap '"$anchors/etcd3.sh" stop "$work/etcd" >/dev/null 2>&1; rm -rf "$work"' EXIT

for tool in h2load etcd etcdctl; do
  command -v $tool >/dev/null || { echo "missing $tool: apt-get install etcd-server etcd-client nghttp2-client" >&2; exit 1; }
done
swift build -c release --product tinykv-bench >/dev/null
bin=$(swift build -c release --show-bin-path)

echo "== (a) tinykv raft store, 3 stores in process, ${seconds}s per in-flight count"
"$bin/tinykv-bench" raftstore --in-flight 1,16,64,256 --duration "$seconds" --path "$work/tinykv" 2>/dev/null | sed 's/^/  /'

echo "== (b) etcd $(etcd --version | head -1 | awk '{print $3}'), 3 members, h2load Put"
"$anchors/etcd3.sh" start "$work/etcd" >/dev/null
python3 "$anchors/grpc_body.py" etcd-put "$work/etcd-put.bin"
leader=$(ETCDCTL_API=3 etcdctl --endpoints=127.0.0.1:23701,127.0.0.1:23702,127.0.0.1:23703 endpoint status | grep true | cut -d, -f1)
for level in 1 16 64 256; do
  conns=$(( level < 4 ? level : 4 )); streams=$(( level / conns ))
  n=$(( level == 1 ? 2000 : 30000 ))
  h2load -n $n -c $conns -m $streams -d "$work/etcd-put.bin" -H 'content-type: application/grpc' \
    -H 'te: trailers' "http://$leader/etcdserverpb.KV/Put" 2>&1 \
    | awk -v l=$level '/finished in/ {rps=$4} /time for request/ {mean=$6; max=$5} /requests:/ {ok=$8}
        END {printf "  in-flight %d: %s req/s (mean %s, max %s, succeeded %s)\n", l, rps, mean, max, ok}'
done
