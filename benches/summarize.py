#!/usr/bin/env python3
"""Turns the results of benches/run.sh (hyperfine JSON per command, peak memory per command)
into the Markdown tables of docs/performance.md. Usage: summarize.py RESULTS_DIR"""

import json
import os
import re
import statistics
import sys

res = sys.argv[1]
runs = {}
cpu = {}  # mean user + system time per run, from hyperfine (not in the bash fallback)
for name in os.listdir(res):
    if name.endswith(".json"):
        try:
            result = json.load(open(os.path.join(res, name)))["results"][0]
        except (ValueError, KeyError, IndexError):
            continue  # a run that was cut short
        runs[name[:-5]] = result["times"]
        if "user" in result and "system" in result:
            cpu[name[:-5]] = result["user"] + result["system"]
memory = {}
for line in open(os.path.join(res, "memory.tsv")):
    name, _, kb = line.rstrip("\n").partition("\t")
    if kb.strip().isdigit():
        memory[name] = int(kb) / 1024
notes = {}
for line in open(os.path.join(res, "notes.tsv")):
    name, _, text = line.rstrip("\n").partition("\t")
    notes[name] = text

sizes = sorted({
    int(m.group(1))
    for k in list(runs) + list(notes)
    if not k.startswith("real-") and (m := re.search(r"-(\d+)$", k))
})


def median(name):
    return statistics.median(runs[name]) if name in runs else None


def ms(seconds):
    v = seconds * 1000
    return f"{v:,.0f}" if v >= 100 else f"{v:.1f}" if v >= 10 else f"{v:.2f}"


def cell(name):
    if name not in runs:
        return notes.get(name, "–")
    t = runs[name]
    if len(t) == 1:
        return f"{ms(t[0])} (1 run)"
    return f"{ms(statistics.median(t))} ({ms(min(t))}–{ms(max(t))})"


def cpu_ms(name):
    return ms(cpu[name]) if name in cpu else "–"


def mem(name):
    return f"{memory[name]:.0f}" if name in memory else "–"


def size_label(n):
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


OPERATIONS = [
    ("load-plan", "`load plan.toml` (the plan alone)"),
    ("load-forms", "`load status/` (all forms into the plan)"),
    ("report-json", "`report 2025 --format json`"),
    ("report-html", "`report 2025 --format html`"),
    ("report-table", "`report 2025 --format table`"),
    ("graph-impact", "`graph impact ROOT --format json`"),
    ("graph-order", "`graph order --format json`"),
    ("graph-critical-path", "`graph critical-path --format json`"),
    ("missing", "`missing 2025 --format json`"),
    ("export", "`export`"),
    ("load-xlsx-xlsx", "`load` of the spreadsheet forms (workbooks of 40 rows, `--xlsx`)"),
    ("load-xlsx-toml", "`load` of the same forms as TOML"),
    ("check-xlsx-xlsx", "`check` of the spreadsheet forms"),
    ("check-xlsx-toml", "`check` of the same forms as TOML"),
    ("sqlite-import", "yardstick: `sqlite3` `.import` of the same update rows"),
    ("task-import", "yardstick: Taskwarrior `task import` of the initiatives"),
    ("task-blocked", "yardstick: Taskwarrior `task blocked`"),
]

print("### Workloads\n")
print("| size | initiatives | dependencies | status updates | forms | measurements |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for n in sizes:
    meta = notes.get(f"workload-{n}")
    if meta:
        m = json.loads(meta)
        print(f"| {size_label(n)} | {m['initiatives']:,} | {m['dependencies']:,} | {m['updates']:,} | {m['forms']} | {m['measurements']:,} |")
print()

print("### Times and peak memory\n")
print("Wall time in ms: the median of the runs (min–max); CPU: the mean user + system time of a")
print("run in ms; MB: the peak resident memory of one run.\n")
head = "| operation |" + "".join(f" {size_label(n)}: wall | CPU | MB |" for n in sizes)
print(head)
print("| --- |" + " ---: | ---: | ---: |" * len(sizes))
for key, label in OPERATIONS:
    if not any(f"{key}-{n}" in runs or f"{key}-{n}" in notes for n in sizes):
        continue
    print(f"| {label} |" + "".join(
        f" {cell(f'{key}-{n}')} | {cpu_ms(f'{key}-{n}')} | {mem(f'{key}-{n}')} |" for n in sizes))
print()
if "real-report-2020" in runs:
    name = "real-report-2020"
    print("| the shipped plan (33 + 7 initiatives) | wall | CPU | MB |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| `report 2020 --strategy eos`, process start included | {cell(name)} | {cpu_ms(name)} | {mem(name)} |")
    print()

print("### Against the yardsticks\n")
print("| size | comparison | ours (ms) | theirs (ms) | ratio |")
print("| --- | --- | ---: | ---: | ---: |")
PAIRS = [
    ("load-forms", "sqlite-import", "write path: our `load` of all forms vs raw `sqlite3 .import` of the same rows", "ours/raw"),
    ("load-plan", "task-import", "our `load` of the plan vs `task import` of the same initiatives", "theirs/ours"),
    ("graph-impact", "task-blocked", "our `graph impact` vs `task blocked`", "theirs/ours"),
    ("report-json", "task-blocked", "our whole yearly report (JSON) vs `task blocked`", "theirs/ours"),
    ("load-xlsx-xlsx", "load-xlsx-toml", "`load` of the spreadsheet forms vs the same forms as TOML (target ≤ 2×)", "xlsx/toml"),
    ("check-xlsx-xlsx", "check-xlsx-toml", "`check` of the spreadsheet forms vs the same forms as TOML", "xlsx/toml"),
]
for n in sizes:
    for ours, theirs, label, how in PAIRS:
        a, b = median(f"{ours}-{n}"), median(f"{theirs}-{n}")
        if a is None or b is None:
            continue
        ratio = a / b if how in ("ours/raw", "xlsx/toml") else b / a
        print(f"| {size_label(n)} | {label} | {ms(a)} | {ms(b)} | {ratio:.2f}× {how} |")
print()

if len(sizes) > 1:
    print("### Growth (time at the larger size ÷ time at the smaller; 10.0 is linear for 10× the size)\n")
    steps = list(zip(sizes, sizes[1:]))
    print("| operation |" + "".join(f" {size_label(a)} → {size_label(b)} |" for a, b in steps))
    print("| --- |" + " ---: |" * len(steps))
    for key, label in OPERATIONS:
        cells = []
        for a, b in steps:
            x, y = median(f"{key}-{a}"), median(f"{key}-{b}")
            cells.append(f"{y / x:.1f}" if x and y else "–")
        if any(c != "–" for c in cells):
            print(f"| {label} |" + "".join(f" {c} |" for c in cells))
    print()

other = {k: v for k, v in notes.items() if not k.startswith("workload-")}
if other:
    print("### Notes\n")
    for k, v in sorted(other.items()):
        print(f"- {k}: {v}")
