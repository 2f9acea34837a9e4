# Sourced by bench/cluster.sh, bench/ycsb.sh and bench/ab.sh: a release-built local
# cluster (the scheduler and 3 tinykv-server processes on loopback) and the CPU accounting of
# its processes.
# Expects: $bench (a name for the temp folder), $base (port base), $max_replicas.
# env: STORE_CONFIG (a TOML file every store is started with, e.g. to try [rocksdb] settings).
# Sets: $anchors (../shared/bench), $bin (BIN, or the release bin path), $work (a new temp
#       folder, removed on exit); once the cluster runs, $scheduler (host:port),
#       $scheduler_pid, $pids (stores first, the scheduler last), $stores (the stores' pids),
#       $region/$replicas/$leader (the first region when ready).

scheduler=127.0.0.1:$base
anchors=$(cd ../shared/bench && pwd)
bin=${BIN:-$(swift build -c release --show-bin-path)}

# Exits unless every tool named is installed.
require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || {
      echo "missing $tool: apt-get install etcd-server etcd-client nghttp2-client jq bc time" >&2
      exit 1
    }
  done
}
require_tools jq python3 bc /usr/bin/time
work=$(mktemp -d "/tmp/tinykv-$bench-bench.XXXX")
pids=""
ctl() { "$bin/tinykv-ctl" "$@" --scheduler "$scheduler"; }

stop_cluster() {
  [ -n "$pids" ] || return 0
  # Stores first, then the scheduler (the last pid); SIGTERM is a graceful stop.
  for pid in $pids; do
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  pids=""
}

# On exit: the cluster and the etcd of $anchors/etcd3.sh stopped, $work removed.
cleanup() {
  stop_cluster
  "$anchors/etcd3.sh" stop "$work/etcd" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Builds the products the benchmarks need, unless SKIP_BUILD or BIN is set.
build_release() {
  [ -z "${SKIP_BUILD:-}${BIN:-}" ] || return 0
  for product in tinyscheduler-server tinykv-server tinykv-ctl tinykv-bench; do
    echo "building $product (release)" >&2
    swift build -c release --product $product >/dev/null
  done
}

# Starts the scheduler and 3 stores; returns when 3 stores are up and the first region (from
# the empty key) has a leader, after up to 20 s more for its replicas to reach max-replicas.
start_cluster() {
  mkdir -p "$work/cluster"
  printf '[replication]\nmax-replicas = %d\n' "$max_replicas" >"$work/cluster/scheduler.toml"
  "$bin/tinyscheduler-server" --client-urls "http://$scheduler" --data-dir "$work/cluster/scheduler" \
    --status-addr "127.0.0.1:$((base + 2))" --config "$work/cluster/scheduler.toml" --loglevel warning \
    >"$work/cluster/scheduler.log" 2>&1 &
  scheduler_pid=$!
  pids="$scheduler_pid"
  for _ in $(seq 100); do ctl scheduler stores >/dev/null 2>&1 && break; sleep 0.2; done
  for i in 1 2 3; do
    "$bin/tinykv-server" --addr "127.0.0.1:$((base + 9 + i))" --path "$work/cluster/store-$i" \
      --scheduler "$scheduler" --status-addr "127.0.0.1:$((base + 19 + i))" --loglevel warning \
      ${STORE_CONFIG:+--config "$STORE_CONFIG"} \
      >"$work/cluster/store-$i.log" 2>&1 &
    pids="$! $pids"
  done
  stores=${pids% *}
  first='[.regions[]? | select(.start_key == "")] | first'
  local status='{}' up has_leader leader_at=""
  for t in $(seq 300); do
    for pid in $pids; do kill -0 "$pid" 2>/dev/null || {
      echo "a server exited:" >&2; tail -5 "$work"/cluster/*.log >&2; exit 1; }; done
    status=$(ctl cluster status --json 2>/dev/null || echo '{}')
    up=$(jq '[.stores[]? | select(.state == "up")] | length' <<<"$status")
    has_leader=$(jq "($first | .leader) != null" <<<"$status")
    replicas=$(jq "($first | .peers | length) // 0" <<<"$status")
    if [ "$up" = 3 ] && [ "$has_leader" = true ]; then
      [ "$replicas" -ge "$max_replicas" ] && break
      [ -z "$leader_at" ] && leader_at=$t
      [ $((t - leader_at)) -ge 100 ] && break
    fi
    sleep 0.2
  done
  [ "$has_leader" = true ] || { echo "the cluster was not ready in 60 s" >&2; exit 1; }
  region=$(jq "$first | .id" <<<"$status")
  replicas=$(jq "$first | .peers | length" <<<"$status")
  leader=$(jq -r "$first | .leader.store_id // \"none\"" <<<"$status")
  echo "  stores up: $(jq '[.stores[] | select(.state == "up")] | length' <<<"$status")," \
    "regions: $(jq '.regions | length' <<<"$status"), first region $region: $replicas replica(s)," \
    "leader on store $leader"
  [ "$replicas" -lt "$max_replicas" ] &&
    echo "  warning: the first region has $replicas of $max_replicas replicas; measuring it as it is"
  return 0
}

# CPU seconds (user + system) the processes $@ have used so far.
cpu() {
  local ticks=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] && ticks=$((ticks + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')))
  done
  echo "scale=1; $ticks / $(getconf CLK_TCK)" | bc
}
