# Sourced by bench/ab.sh and bench/ab-builds.sh with their arguments: after the two sides
# ($1, $2), the operation, seconds per run, in-flight counts and rounds, with their defaults;
# and the cluster's settings from the environment.
op=${3:-update}
seconds=${4:-10}
levels=${5:-"16 64 256"}
rounds=${6:-3}
keys=${KEYS:-20000}
base=${PORT_BASE:-23900}
max_replicas=3
