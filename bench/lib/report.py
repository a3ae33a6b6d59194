#!/usr/bin/env python3
"""Prints bench/run's table (Markdown) from its TSV files.

    report.py CORPORA.tsv RESULTS.tsv [INSTRUCTIONS.tsv]
"""
import csv
import os
import sys

TOOLS = ["read", "floor", "walk", "memlint-t1", "memlint-t2", "memlint-warm", "ruff-wasm",
         "flake8-C4", "pylint"]
LABELS = {
    "read": "raw read (floor --read)",
    "floor": "parse floor (tree-sitter, 1 thread)",
    "walk": "parse + visit every node (floor --walk)",
    "memlint-t1": "memlint --threads 1",
    "memlint-t2": "memlint --threads 2",
    "memlint-warm": "memlint, warm cache, 1 thread",
    "ruff-wasm": "Ruff-wasm (C4,PERF,SLOT,B019,FURB129)",
    "flake8-C4": "flake8 --select=C4",
    "pylint": "pylint (generator/slots/cache msgs)",
}
# name, numerator, denominator, target, whether smaller is better
TARGETS = [
    ("memlint 1 thread / parse floor", "memlint-t1", "floor", 1.3, "le"),
    ("speed-up 2 threads over 1", "memlint-t1", "memlint-t2", 1.8, "ge"),
    ("pylint / memlint", "pylint", "memlint-t2", 100, "ge"),
    ("flake8+C4 / memlint", "flake8-C4", "memlint-t2", 40, "ge"),
    ("Ruff-wasm / memlint", "ruff-wasm", "memlint-t2", 1, "gt"),
    ("cold / warm cache (1 thread)", "memlint-t1", "memlint-warm", 10, "ge"),
]


def read_tsv(path):
    if not path or not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def num(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def fmt_seconds(s):
    if s is None:
        return "n/a"
    return f"{s:.3f}" if s < 10 else f"{s:.1f}"


def fmt_ratio(r):
    if r is None:
        return "n/a"
    return f"{r:.2f}×" if r < 10 else f"{r:.0f}×"


def main(argv):
    corpora = read_tsv(argv[0])
    results = read_tsv(argv[1])
    instructions = read_tsv(argv[2] if len(argv) > 2 else None)
    by = {(r["corpus"], r["tool"]): r for r in results}

    for c in corpora:
        name = c["corpus"]
        lines = num(c["lines"]) or 0
        sample = "" if c["sample"] == "all" else f", evenly spaced sample of {c['sample']}"
        print()
        print(f"### {name}: {int(num(c['files']))} files, {int(lines):,} lines, "
              f"{num(c['bytes']) / 1e6:.1f} MB ({c['dir']}{sample})")
        print()
        print("| tool | wall s (median) | min–max s | runs | lines/s | CPU s | peak RSS MB | findings "
              "| ÷ memlint 1t | ÷ memlint 2t | note |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        t1 = num(by.get((name, "memlint-t1"), {}).get("median_s"))
        t2 = num(by.get((name, "memlint-t2"), {}).get("median_s"))
        for tool in TOOLS + sorted({t for (cc, t) in by if cc == name} - set(TOOLS)):
            r = by.get((name, tool))
            if r is None:
                continue
            label = LABELS.get(tool, tool)
            if r["status"] != "ok":
                print(f"| {label} | n/a | | | | | | | | | {r['note']} |")
                continue
            med, lo, hi = num(r["median_s"]), num(r["min_s"]), num(r["max_s"])
            rss = num(r["rss_kb"])
            lps = f"{lines / med:,.0f}" if med else "n/a"
            print(f"| {label} | {fmt_seconds(med)} | {fmt_seconds(lo)}–{fmt_seconds(hi)} "
                  f"| {r['runs']} | {lps} | {fmt_seconds(num(r.get('cpu_s')))} "
                  f"| {f'{rss / 1024:.0f}' if rss else 'n/a'} "
                  f"| {r['findings'] or '—'} "
                  f"| {fmt_ratio(med / t1) if t1 and med else 'n/a'} "
                  f"| {fmt_ratio(med / t2) if t2 and med else 'n/a'} | {r['note']} |")

        print()
        print("| ratio (same run) | wall | CPU (user+sys) | target | met? |")
        print("|---|---:|---:|---:|---|")
        for label, a, b, target, how in TARGETS:
            x = num(by.get((name, a), {}).get("median_s"))
            y = num(by.get((name, b), {}).get("median_s"))
            sign = {"le": "≤", "ge": "≥", "gt": ">"}[how]
            if x is None or y is None or not y:
                missing = a if x is None else b
                print(f"| {label} | n/a | n/a | {sign} {target} | n/a ({missing} not measured) |")
                continue
            value = x / y
            cx = num(by.get((name, a), {}).get("cpu_s"))
            cy = num(by.get((name, b), {}).get("cpu_s"))
            # CPU time of 2 threads is not faster than of 1: no CPU ratio for the speed-up.
            cpu_value = cx / cy if cx and cy and b != "memlint-t2" else None
            cpu = f"{cpu_value:.2f}" if cpu_value else "—"
            if a.startswith(("pylint", "flake8", "ruff")) and cx and by.get((name, "memlint-t1")):
                c1 = num(by[(name, "memlint-t1")].get("cpu_s"))
                cpu_value = cx / c1 if c1 else None
                cpu = f"{cpu_value:.2f} (vs 1t)" if c1 else cpu
            check = {"le": lambda v: v <= target, "ge": lambda v: v >= target,
                     "gt": lambda v: v > target}[how]
            verdict = f"wall: {'yes' if check(value) else 'no'}"
            if cpu_value:
                verdict += f", CPU: {'yes' if check(cpu_value) else 'no'}"
            print(f"| {label} | {value:.2f} | {cpu} | {sign} {target} | {verdict} |")
        for tool, what in (("memlint-t1", "1 thread"), ("memlint-t2", "2 threads")):
            rss = num(by.get((name, tool), {}).get("rss_kb"))
            if rss:
                print(f"| memlint peak RSS ({what}, no cache), MB | {rss / 1024:.0f} | | ≤ 100 | "
                      f"{'yes' if rss / 1024 <= 100 else 'no'} |")
        floor = num(by.get((name, "floor"), {}).get("median_s"))
        read = num(by.get((name, "read"), {}).get("median_s"))
        if floor and read:
            print(f"| parse floor / raw read | {floor / read:.1f} | | | |")

    if instructions:
        print()
        print(f"### Instructions (callgrind, one thread, {instructions[0]['files']} stdlib files, "
              f"{int(num(instructions[0]['lines']) or 0):,} lines; repeatable)")
        print()
        print("| program | instructions | per line | ÷ parse floor |")
        print("|---|---:|---:|---:|")
        floor_ir = next((num(r["instructions"]) for r in instructions if r["tool"] == "floor"), None)
        for r in instructions:
            ir = num(r["instructions"])
            lines = num(r["lines"])
            if ir is None:
                print(f"| {r['tool']} | n/a | | |")
                continue
            print(f"| {LABELS.get(r['tool'], r['tool'])} | {ir:,.0f} | "
                  f"{ir / lines:,.0f} | {fmt_ratio(ir / floor_ir) if floor_ir else 'n/a'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
