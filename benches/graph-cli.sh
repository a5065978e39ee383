#!/usr/bin/env bash
# Whole-process timings of `actionplan graph` on a database of national size: a generated plan
# of 10,000 initiatives and 25,000 dependencies (300 owners, 12 focus areas, dates on every
# initiative) with four yearly status forms (about 39,000 updates), loaded with the `dist`
# binary. Each command runs 2 times to warm up, then RUNS times (default 20); the median and the
# range of the wall-clock time, and the median CPU time, are printed in milliseconds. Results
# are in docs/graph.md.
#
# Usage: benches/graph-cli.sh [RUNS]     (from anywhere; needs python3; builds the `dist` binary)
set -euo pipefail
cd "$(dirname "$0")/.."
# The repository's actionplan.toml makes `eos` and bokmål the defaults here; the generated
# databases hold the one strategy `nasjonal`, and the timings are of English output as before.
export ACTIONPLAN_STRATEGY=nasjonal ACTIONPLAN_LANG=en

runs="${1:-20}"
cargo build --profile dist --quiet
bin="$PWD/target/dist/actionplan"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The plan: initiative j depends on i only when i < j (so tiltak-00000 is a root much depends
# on); 25,000 distinct dependencies; deterministic (seeded).
python3 - "$work/plan" <<'PY'
import os, random, sys
out = sys.argv[1]
os.makedirs(os.path.join(out, "status"), exist_ok=True)
rng = random.Random(20261124)
N, M, OWNERS, AREAS = 10_000, 25_000, 300, 12
ids = [f"tiltak-{k:05d}" for k in range(N)]
deps = [set() for _ in range(N)]
edges = 0
while edges < M:
    j = rng.randrange(1, N)
    i = rng.randrange(j)
    if i not in deps[j]:
        deps[j].add(i)
        edges += 1
lines = ['[strategy]', 'id = "nasjonal"', 'title = "Generert portefølje"',
         'period = { start = 2020, end = 2030 }', '']
for o in range(OWNERS):
    lines += ['[[organisation]]', f'id = "etat-{o:03d}"', f'name = "Etat {o}"', '']
for a in range(AREAS):
    lines += ['[[focus_area]]', f'id = "omrade-{a:02d}"', f'title = "Område {a}"', 'goal = "Mål."', '']
for k, id_ in enumerate(ids):
    start = 2020 + rng.randrange(5)
    lines += ['[[initiative]]', f'id = "{id_}"', f'title = "Tiltak {k}"',
              f'focus_area = "omrade-{k % AREAS:02d}"', f'owner = "etat-{rng.randrange(OWNERS):03d}"',
              f'start = {start}-{1 + rng.randrange(12):02d}-01',
              f'due = {start + 1 + rng.randrange(5)}-12-31']
    if deps[k]:
        lines.append('depends_on = [' + ', '.join(f'"{ids[d]}"' for d in sorted(deps[k])) + ']')
    lines.append('')
with open(os.path.join(out, "plan.toml"), "w", encoding="utf-8") as f:
    f.write("\n".join(lines))
statuses = ["on-track"] * 5 + ["at-risk", "delayed", "not-started", "completed", "paused"]
for year in range(2021, 2025):
    form = ['[form]', 'strategy = "nasjonal"', f'reported_on = {year}-11-15', '']
    for id_ in ids:
        if rng.random() < 0.97:
            form += ['[[update]]', f'initiative = "{id_}"', f'status = "{rng.choice(statuses)}"', '']
    with open(os.path.join(out, "status", f"{year}.toml"), "w", encoding="utf-8") as f:
        f.write("\n".join(form))
PY

export ACTIONPLAN_DB="$work/actionplan.db"
export NO_COLOR=1
t0=$(date +%s%N)
"$bin" load "$work/plan" >/dev/null
t1=$(date +%s%N)
echo "load: $(( (t1 - t0) / 1000000 )) ms ($(du -h "$ACTIONPLAN_DB" | cut -f1) database)"

# Each command: 2 warm-up runs, then RUNS timed ones. Wall clock, and the CPU time (user + sys,
# from wait4) that the machine's other load does not inflate.
python3 - "$bin" "$runs" <<'PY'
import os, statistics, subprocess, sys, time
bin_, runs = sys.argv[1], int(sys.argv[2])
as_of = ["--as-of", "2024-12-31"]
commands = [
    ("actionplan --version (process start)", ["--version"]),
    ("graph impact tiltak-01000 (73 hit)", ["graph", "impact", "tiltak-01000", *as_of]),
    ("graph impact tiltak-00000 (8,893 hit)", ["graph", "impact", "tiltak-00000", *as_of]),
    ("graph impact tiltak-00000 --format json", ["graph", "impact", "tiltak-00000", *as_of, "--format", "json"]),
    ("graph order", ["graph", "order"]),
    ("graph order --format json", ["graph", "order", "--format", "json"]),
    ("graph critical-path", ["graph", "critical-path"]),
    ("graph check", ["graph", "check", *as_of]),
    ("graph export --format dot", ["graph", "export", "--format", "dot", *as_of]),
    ("graph export --format mermaid", ["graph", "export", "--format", "mermaid", *as_of]),
]

def run(args):
    t = time.perf_counter_ns()
    p = subprocess.Popen([bin_, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = (time.perf_counter_ns() - t) / 1e6
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode not in (0, 1):
        sys.exit(f"{args}: exit {p.returncode}")
    return wall, (usage.ru_utime + usage.ru_stime) * 1e3

print(f"{runs} runs each after 2 warm-ups; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
print(f"{'command':<42} {'wall median':>11} {'wall min – max':>17} {'CPU median':>11}")
for label, args in commands:
    run(args), run(args)
    walls, cpus = zip(*(run(args) for _ in range(runs)))
    print(f"{label:<42} {statistics.median(walls):>8.1f} ms {min(walls):>7.1f} – {max(walls):<6.1f} ms"
          f" {statistics.median(cpus):>8.1f} ms")
PY
