#!/usr/bin/env bash
# Installs the system packages the build needs, if they are missing (Debian/Ubuntu):
# librocksdb-dev (the storage engine), pkg-config (to find it), and python3 with venv (for the
# tests that run TiKV's Python clients against the cluster), iproute2 and nftables (for the chaos
# tests that put stores in network namespaces: `ip netns`, veth pairs, `tc`, `nft`), and
# mariadb-client (Debian's `mysql` command line client, for the SQL server's tests).
# With --proto it also installs protobuf-compiler, needed only to regenerate the protocol code.
set -euo pipefail

need=()
pkg-config --exists rocksdb 2>/dev/null || need+=(librocksdb-dev)
command -v pkg-config >/dev/null || need+=(pkg-config)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
# Found on PATH or in the sbin folders (not on a non-root user's PATH on Debian).
have() { command -v "$1" >/dev/null || [[ -x /usr/sbin/$1 || -x /sbin/$1 ]]; }
{ have ip && have tc; } || need+=(iproute2)
have nft || need+=(nftables)
command -v mysql >/dev/null || need+=(mariadb-client)
if [[ "${1:-}" == "--proto" ]]; then command -v protoc >/dev/null || need+=(protobuf-compiler); fi

if ((${#need[@]})); then
  echo "installing: ${need[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

if ! command -v swift >/dev/null; then
  echo "swift not found: install the Swift 6 toolchain (swift.org) and put it on PATH" >&2
  exit 1
fi
