"""The table of an A/B benchmark (bench/ab.sh, bench/ab-builds.sh): tinykv-bench's JSON
results named {a|b}-{in flight}-{round}.json in one folder, summarised per in-flight count as
the mean ops/s of each side, the median and each round's ratio A / B, and the median p99s.

usage: ab_summary.py FOLDER "IN-FLIGHT COUNTS" ROUNDS NAME_A NAME_B
"""
import json
import statistics
import sys

work, levels, rounds, a_name, b_name = (
    sys.argv[1], sys.argv[2].split(), int(sys.argv[3]), sys.argv[4], sys.argv[5])


def run(side, level, r):
    """ops/s and p99 (ms) of one run; notes failed operations on stderr."""
    d = json.load(open(f"{work}/{side}-{level}-{r}.json"))
    if d["errors"]:
        print(f"note: {side} at {level}, round {r}: {d['errors']} failed operations", file=sys.stderr)
    return d["opsPerSecond"], d["latencyMicros"]["p99"] / 1000


print(f"| in flight | {a_name} ops/s | {b_name} ops/s | ratio (median) | ratios | p99 A / B |")
print("| --- | --- | --- | --- | --- | --- |")
for level in levels:
    a = [run("a", level, r) for r in range(1, rounds + 1)]
    b = [run("b", level, r) for r in range(1, rounds + 1)]
    ratios = [x[0] / y[0] for x, y in zip(a, b)]
    print(f"| {level} | {statistics.mean(x[0] for x in a):,.0f} | {statistics.mean(x[0] for x in b):,.0f} "
          f"| {statistics.median(ratios):.3f} | {', '.join(f'{x:.3f}' for x in ratios)} "
          f"| {statistics.median(x[1] for x in a):.2f} / {statistics.median(x[1] for x in b):.2f} |")
