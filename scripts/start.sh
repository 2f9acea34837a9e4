#!/usr/bin/env bash
# Starts TinyKV on this machine: a local cluster (the scheduler on 127.0.0.1:2379, 3 stores on
# 127.0.0.1:20160-20162 and tinysql-server on 127.0.0.1:4000, data and logs in ./playground-data)
# through tinykv-playground, which waits until the first region has its 3 replicas, prints the
# mysql command, and stops everything on Ctrl-C.
# Installs missing system packages and builds (release) first.
#   scripts/start.sh [playground flags]   e.g. --stores 5, --clean (see tinykv-playground --help)
#   scripts/start.sh --standalone [tinykv-server flags]   one standalone store on :20160
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
if [[ "${1:-}" == "--standalone" ]]; then
  shift
  swift build -c release --product tinykv-server
  swift build -c release --product tinykv-ctl
  bin=$(swift build -c release --show-bin-path)
  echo
  echo "tinykv-server: standalone store on 127.0.0.1:20160, data in ./tinykv-data (Ctrl-C stops it)"
  echo "try, in another terminal:"
  echo "  $bin/tinykv-ctl raw put hello world"
  echo "  $bin/tinykv-ctl raw get hello"
  echo
  exec "$bin/tinykv-server" --standalone --addr 127.0.0.1:20160 --path tinykv-data "$@"
fi
for product in tinyscheduler-server tinykv-server tinysql-server tinykv-playground tinykv-ctl tinykv-bench; do
  echo "building $product (release)"
  swift build -c release --product "$product"
done
bin=$(swift build -c release --show-bin-path)
exec "$bin/tinykv-playground" "$@"
