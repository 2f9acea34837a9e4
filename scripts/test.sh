#!/usr/bin/env bash
# Builds everything and runs the whole test suite. Installs missing system packages first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# TiKV's Python clients for EndToEndTests/TiKVClientsTests (a no-op once installed). Without
# them that test skips, except on CI (CI=true), where it fails.
if ! scripts/tikv-clients-venv.sh; then
  [[ "${CI:-}" == true ]] && exit 1
  echo "warning: cannot install TiKV's Python clients; their tests will be skipped" >&2
fi
# proto/tikv must keep kvproto's names, numbers and types: checked against the kvproto
# descriptors tikv-python ships.
if [[ -x .build/tikv-clients-venv/bin/python ]]; then
  .build/tikv-clients-venv/bin/python scripts/check-tikv-proto.py
fi
# proto/tipb must keep tipb's names, numbers and types: checked against upstream's files when a
# copy is at hand (TIPB_PROTO_DIR: tipb's proto/ folder at c4d518eb1d60; CI cannot reach GitHub,
# and no registry carries tipb). Needs protoc.
if [[ -n "${TIPB_PROTO_DIR:-}" && -x .build/tikv-clients-venv/bin/python ]]; then
  .build/tikv-clients-venv/bin/python scripts/check-tipb-proto.py "$TIPB_PROTO_DIR"
fi
# The end-to-end tests launch the built binaries, so build all products before testing.
swift build --build-tests
# One test at a time: the suite holds many multi-threaded cluster tests (Raft stores with real
# engines, gRPC servers, child processes) whose elections and deadlines assume the two cores
# are theirs; run in parallel on this 2-core machine they starve each other. Pass --parallel
# to run them side by side anyway.
if [[ " $* " == *" --parallel "* ]]; then
  swift test --skip-build "$@"
else
  swift test --skip-build --no-parallel "$@"
fi
