"""Draws throughput against in-flight requests from a bench/ycsb.sh CSV as an SVG, by hand
(no plotting library needed): one panel per workload (YCSB A, B, C, E, bank), one line per
system and API (tinykv raw, tinykv txn, etcd raw), log-scaled in-flight axis.

usage: python3 bench/plot_throughput.py RESULTS.csv OUT.svg [TITLE]"""
import csv
import math
import sys
from collections import defaultdict

source, target = sys.argv[1], sys.argv[2]
title = sys.argv[3] if len(sys.argv) > 3 else "Throughput against requests in flight"
series = defaultdict(list)  # (workload, system api) -> [(in flight, ops/s)]
for row in csv.DictReader(open(source)):
    series[(row["workload"], f"{row['system']} {row['api']}")].append(
        (int(row["in_flight"]), float(row["ops_per_s"])))
workloads = [w for w in ("a", "b", "c", "e", "bank") if any(k[0] == w for k in series)]
colors = {"tinykv raw": "#1f77b4", "tinykv txn": "#ff7f0e", "etcd raw": "#2ca02c"}
levels = sorted({level for points in series.values() for level, _ in points})

panel_w, panel_h, margin, top = 250, 210, 55, 50
width = margin + len(workloads) * (panel_w + margin)
height = top + panel_h + 90
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
       f'font-family="sans-serif" font-size="11">',
       f'<rect width="{width}" height="{height}" fill="white"/>',
       f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15">{title}</text>']


def x_of(level, left):
    low, high = math.log(levels[0]), math.log(levels[-1])
    share = 0.5 if high == low else (math.log(level) - low) / (high - low)
    return left + 15 + share * (panel_w - 30)


for index, workload in enumerate(workloads):
    left = margin + index * (panel_w + margin)
    peak = max(rate for (w, _), points in series.items() if w == workload for _, rate in points)
    step = 10 ** math.floor(math.log10(peak)) if peak > 0 else 1
    ceiling = math.ceil(peak / step) * step if peak > 0 else 1
    y_of = lambda rate: top + panel_h - rate / ceiling * panel_h
    name = "bank (txn)" if workload == "bank" else f"YCSB {workload.upper()}"
    svg.append(f'<text x="{left + panel_w / 2}" y="{top - 8}" text-anchor="middle" '
               f'font-size="13">{name}</text>')
    svg.append(f'<rect x="{left}" y="{top}" width="{panel_w}" height="{panel_h}" '
               f'fill="none" stroke="#888"/>')
    for tick in range(0, 5):
        rate = ceiling * tick / 4
        y = y_of(rate)
        svg.append(f'<line x1="{left}" x2="{left + panel_w}" y1="{y}" y2="{y}" stroke="#eee"/>')
        svg.append(f'<text x="{left - 4}" y="{y + 4}" text-anchor="end">{rate:,.0f}</text>')
    for level in levels:
        x = x_of(level, left)
        svg.append(f'<text x="{x}" y="{top + panel_h + 15}" text-anchor="middle">{level}</text>')
    svg.append(f'<text x="{left + panel_w / 2}" y="{top + panel_h + 30}" text-anchor="middle">'
               'requests in flight</text>')
    for (w, label), points in sorted(series.items()):
        if w != workload:
            continue
        points.sort()
        path = " ".join(f"{x_of(l, left):.1f},{y_of(r):.1f}" for l, r in points)
        color = colors.get(label, "#555")
        svg.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        for l, r in points:
            svg.append(f'<circle cx="{x_of(l, left):.1f}" cy="{y_of(r):.1f}" r="3" fill="{color}"/>')
svg.append(f'<text x="{margin - 40}" y="{top + panel_h / 2}" transform="rotate(-90 '
           f'{margin - 40} {top + panel_h / 2})" text-anchor="middle">ops/s</text>')
legend_y = top + panel_h + 60
for index, (label, color) in enumerate(colors.items()):
    x = margin + index * 170
    svg.append(f'<line x1="{x}" x2="{x + 25}" y1="{legend_y}" y2="{legend_y}" stroke="{color}" '
               f'stroke-width="2"/>')
    svg.append(f'<text x="{x + 32}" y="{legend_y + 4}">{label}</text>')
svg.append("</svg>")
open(target, "w").write("\n".join(svg) + "\n")
print(f"wrote {target}")
