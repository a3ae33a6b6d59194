#!/usr/bin/env python3
"""Prints bench/growth's tables (Markdown) from its TSV files.

    growth_report.py SIZES.tsv RESULTS.tsv

Wall seconds are medians of the runs; CPU seconds (user+system, median of the same runs) are the
steadier measure on a shared machine, and the per-unit columns use them.
"""
import csv
import sys


def main(argv):
    sizes = list(csv.DictReader(open(argv[0]), delimiter="\t"))
    res = {(r["corpus"], r["tool"]): r for r in csv.DictReader(open(argv[1]), delimiter="\t")}

    def val(c, tool, key):
        r = res.get((c, tool))
        try:
            return float(r[key]) if r and r["status"] == "ok" else None
        except (TypeError, ValueError):
            return None

    def f(x, spec=".2f"):
        return "n/a" if x is None else format(x, spec)

    def note(c):
        notes = [r["note"] for (cc, _), r in res.items() if cc == c and r["note"]]
        return "; ".join(sorted(set(notes)))

    for kind in ("stdlib", "classes"):
        rows = [s for s in sizes if s["kind"] == kind]
        if not rows:
            continue
        print()
        if kind == "stdlib":
            print("### stdlib repeated: CPU seconds per ×1 should stay flat")
            print()
            print("| copies | files | lines | floor wall / CPU s | memlint 1t wall / CPU s "
                  "| memlint 2t wall / CPU s | 1t CPU s per ×1 | 1t CPU ÷ floor CPU "
                  "| 1t peak RSS MB | findings | note |")
        else:
            print("### synthetic project: CPU µs per class should stay flat")
            print()
            print("| classes | files | lines | floor wall / CPU s | memlint 1t wall / CPU s "
                  "| memlint 2t wall / CPU s | 1t CPU µs/class | (1t − floor) CPU µs/class "
                  "| 1t peak RSS MB | findings | note |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for s in rows:
            c, k = s["corpus"], int(s["scale"])
            fw, fc = val(c, "floor", "median_s"), val(c, "floor", "cpu_s")
            w1, c1 = val(c, "memlint-t1", "median_s"), val(c, "memlint-t1", "cpu_s")
            w2, c2 = val(c, "memlint-t2", "median_s"), val(c, "memlint-t2", "cpu_s")
            rss = val(c, "memlint-t1", "rss_kb")
            found = (res.get((c, "memlint-t1")) or {}).get("findings", "")
            cols = [f"{f(fw)} / {f(fc)}", f"{f(w1)} / {f(c1)}", f"{f(w2)} / {f(c2)}"]
            if kind == "stdlib":
                per = c1 / k if c1 else None
                ratio = c1 / fc if c1 and fc else None
                print(f"| ×{k} | {s['files']} | {int(s['lines']):,} | {' | '.join(cols)} "
                      f"| {f(per)} | {f(ratio)} | {f(rss / 1024 if rss else None, '.0f')} "
                      f"| {found} | {note(c)} |")
            else:
                per = c1 / k * 1e6 if c1 else None
                extra = (c1 - fc) / k * 1e6 if c1 and fc else None
                print(f"| {k:,} | {s['files']} | {int(s['lines']):,} | {' | '.join(cols)} "
                      f"| {f(per, '.0f')} | {f(extra, '.0f')} "
                      f"| {f(rss / 1024 if rss else None, '.0f')} | {found} | {note(c)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
