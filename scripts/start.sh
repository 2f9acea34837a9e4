#!/usr/bin/env bash
# Starts TinyKV on this machine: today a single standalone store on 127.0.0.1:20160 with its
# data in ./tinykv-data. Installs missing system packages and builds (release) first.
# Extra arguments go to tinykv-server (see `tinykv-server --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product tinykv-server
swift build -c release --product tinykv-ctl
bin=$(swift build -c release --show-bin-path)
echo
echo "tinykv-server: standalone store on 127.0.0.1:20160, data in ./tinykv-data (Ctrl-C stops it)"
[[ $# -eq 0 ]] || echo "  with your flags, which take precedence: $*"
echo "try, in another terminal:"
echo "  $bin/tinykv-ctl raw put hello world"
echo "  $bin/tinykv-ctl raw get hello"
echo "  $bin/tinykv-ctl raw scan"
echo
exec "$bin/tinykv-server" --standalone --addr 127.0.0.1:20160 --path tinykv-data "$@"
