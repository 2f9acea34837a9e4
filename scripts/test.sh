#!/usr/bin/env bash
# Builds everything and runs the whole test suite. Installs missing system packages first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# The end-to-end tests launch the built binaries, so build all products before testing.
swift build --build-tests
swift test --skip-build "$@"
