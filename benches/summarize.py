#!/usr/bin/env python3
"""Turns the results of benches/run.sh (hyperfine JSON per command, peak memory per command,
the sizes of the reports' output and of the databases) into the Markdown tables of
docs/performance.md. Usage: summarize.py RESULTS_DIR"""

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
sizes_b = {}  # bytes: reports' output, databases, inputs (not in results of older scripts)
if os.path.exists(os.path.join(res, "sizes.tsv")):
    for line in open(os.path.join(res, "sizes.tsv")):
        name, _, b = line.rstrip("\n").partition("\t")
        if b.strip().isdigit():
            sizes_b[name] = int(b)
profile = notes.pop("profile", "default")
year = notes.pop("year", "2025")

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


def mb(b):
    return f"{b / 1e6:,.1f}" if b >= 1e5 else f"{b / 1e6:.3f}"


def mb_unit(b):
    return f"{mb(b)} MB" if b is not None else "–"


def size_label(n):
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


REPORT_FORMATS = ["json", "table", "markdown", "html"]
OPERATIONS = [
    ("load-plan", "`load plan.toml` (the plan alone)"),
    ("load-forms", "`load status/` (all forms into the plan)"),
    ("load-all", "`load plan.toml status/` (the plan and all forms into an empty database)"),
] + [(f"report-{fmt}", f"`report {year} --format {fmt}`") for fmt in REPORT_FORMATS] + [
    ("graph-impact", "`graph impact ROOT --format json`"),
    ("graph-order", "`graph order --format json`"),
    ("graph-critical-path", "`graph critical-path --format json`"),
    ("missing", f"`missing {year} --format json`"),
    ("export", "`export`"),
    ("load-xlsx-xlsx", "`load` of the spreadsheet forms (workbooks of 40 rows, `--xlsx`)"),
    ("load-xlsx-toml", "`load` of the same forms as TOML"),
    ("check-xlsx-xlsx", "`check` of the spreadsheet forms"),
    ("check-xlsx-toml", "`check` of the same forms as TOML"),
    ("sqlite-plain", "plain floor: `sqlite3` `.import` of the same update rows into a plain table with one index on (initiative, date)"),
    ("sqlite-import", "yardstick: `sqlite3` `.import` of the same update rows into our schema (its constraints and indexes)"),
    ("task-import", "yardstick: Taskwarrior `task import` of the initiatives"),
    ("task-blocked", "yardstick: Taskwarrior `task blocked`"),
]

print(f"Profile: {profile}; report year {year}.\n")
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

ONCE = ["check", "report-csv", "lint", "diff", "forms", "site", "initiative-list",
        "initiative-show", "status-history", "graph-check", "graph-export", "indicator-list",
        "backup"]
if any(f"{v}-{n}" in memory for v in ONCE for n in sizes):
    print("### Peak memory of every verb\n")
    print("The verbs above, and the others once each (MB, peak resident memory of one run); the")
    print("target is for any verb.\n")
    print("| size | largest | verb by verb |")
    print("| --- | ---: | --- |")
    for n in sizes:
        of_size = {k[: -len(f"-{n}")]: v for k, v in memory.items()
                   if k.endswith(f"-{n}") and not k.startswith(("sqlite-", "task-"))}
        if of_size:
            top = max(of_size, key=of_size.get)
            listed = ", ".join(f"{k} {v:.0f}" for k, v in sorted(of_size.items(), key=lambda kv: -kv[1]))
            print(f"| {size_label(n)} | {of_size[top]:.0f} ({top}) | {listed} |")
    print()

print("### Against the yardsticks\n")
print("| size | comparison | ours (ms) | theirs (ms) | ratio |")
print("| --- | --- | ---: | ---: | ---: |")
PAIRS = [
    ("load-all", "sqlite-plain", "write path: our `load` of the plan and all forms vs the plain floor (`.import` into a plain table, one index; target ≤ 3×)", "ours/sqlite"),
    ("load-all", "sqlite-import", "write path: our `load` of the plan and all forms vs `.import` into our schema", "ours/sqlite"),
    ("load-forms", "sqlite-plain", "write path: our `load` of all forms into the plan vs the plain floor", "ours/sqlite"),
    ("load-forms", "sqlite-import", "write path: our `load` of all forms into the plan vs `.import` into our schema", "ours/sqlite"),
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
        ratio = a / b if how in ("ours/sqlite", "xlsx/toml") else b / a
        print(f"| {size_label(n)} | {label} | {ms(a)} | {ms(b)} | {ratio:.2f}× {how} |")
print()

if any(f"report-{fmt}-{n}" in sizes_b for fmt in REPORT_FORMATS for n in sizes):
    print("### The yearly report: time, size of the output, peak memory\n")
    print(f"`report {year} --format F`, whole process, output to a pipe; MB of output = bytes / 10⁶.\n")
    print("| size | format | wall (ms) | output (bytes) | output (MB) | peak memory (MB) |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for n in sizes:
        for fmt in REPORT_FORMATS:
            name = f"report-{fmt}-{n}"
            if name not in runs and name not in sizes_b:
                continue
            b = sizes_b.get(name)
            print(f"| {size_label(n)} | {fmt} | {cell(name)} | {f'{b:,}' if b is not None else '–'} | {mb(b) if b is not None else '–'} | {mem(name)} |")
    print()

if any(f"db-load-all-{n}" in sizes_b for n in sizes):
    print("### Database sizes\n")
    print("Bytes on disk after one load (the database and any WAL left beside it); MB = bytes / 10⁶.\n")
    print("| size | TOML loaded (plan + forms) | our database (`load plan.toml status/`) | ours/TOML | the update rows as CSV | plain floor's database | our schema's (sqlite3) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in sizes:
        toml, ours, csv_, plain, schema = (sizes_b.get(f"{k}-{n}") for k in (
            "toml", "db-load-all", "csv", "db-sqlite-plain", "db-sqlite-import"))
        ratio = f"{ours / toml:.2f}×" if ours and toml else "–"
        print(f"| {size_label(n)} | {mb_unit(toml)} | {mb_unit(ours)} | {ratio} | {mb_unit(csv_)} | {mb_unit(plain)} | {mb_unit(schema)} |")
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
