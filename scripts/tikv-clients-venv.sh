#!/usr/bin/env bash
# Creates .build/tikv-clients-venv with TiKV's own Python clients, pinned, for the tests in
# Tests/TiKVClients (run by EndToEndTests/TiKVClientsTests), and PyMySQL for the SQL server's
# (Tests/SQLClients, run by SQLServerTests). Idempotent: a venv that already holds the pinned
# versions is left alone, so a second run takes well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build/tikv-clients-venv
pins=(tikv-client==0.0.4 tikv-python==0.1.1 PyMySQL==1.2.4)
stamp="$venv/.pins"
if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "${pins[*]}" ]]; then
  exit 0
fi
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${pins[@]}"
echo "${pins[*]}" >"$stamp"
echo "tikv-clients-venv: installed ${pins[*]} into $venv"
